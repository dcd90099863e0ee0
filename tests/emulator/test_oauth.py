"""OAuth 2.0 as Gong does it: the authorize page, the token endpoint, bearer tokens and scopes.

Everything goes over real HTTP to an emulator on loopback; the browser is played by httpx
and an HTML parser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.routing import Route

from gong_connector._tls import shared_ssl_context
from gong_connector.emulator import ALL_SCOPES, Emulator, OAuthClient, RateLimit

from .conftest import assert_gong_error, bearer_client

REDIRECT = "http://127.0.0.1:8765/callback"
TOKEN_PATH = "/oauth2/generate-customer-token"


# ----- helpers: a tiny browser ----------------------------------------------------------------


class FormParser(HTMLParser):
    """Collects the authorize page's form: action, hidden inputs, submit buttons, scope items."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.method: str | None = None
        self.hidden: dict[str, str] = {}
        self.buttons: list[dict[str, str]] = []
        self.list_items: list[str] = []
        self._in_li = False
        self._in_button: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.action, self.method = a.get("action"), a.get("method", "get").lower()
        elif tag == "input" and a.get("type") == "hidden":
            self.hidden[a["name"]] = a.get("value", "")
        elif tag == "button":
            self._in_button = dict(a, text="")
        elif tag == "li":
            self._in_li = True
            self.list_items.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._in_li = False
        elif tag == "button" and self._in_button is not None:
            self.buttons.append(self._in_button)
            self._in_button = None

    def handle_data(self, data: str) -> None:
        if self._in_li:
            self.list_items[-1] += data
        if self._in_button is not None:
            self._in_button["text"] += data


def parse_page(text: str) -> FormParser:
    parser = FormParser()
    parser.feed(text)
    parser.close()
    return parser


def authorize_params(emu: Emulator, **overrides: str | None) -> dict[str, str]:
    params: dict[str, str | None] = {
        "client_id": emu.oauth_client.client_id,
        "response_type": "code",
        "scope": "api:calls:read:basic api:users:read",
        "redirect_uri": REDIRECT,
        "state": "st-123",
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


def browser_approve(
    emu: Emulator, browser: httpx.Client, decision: str = "approve", **overrides: str | None
) -> dict[str, list[str]]:
    """Open the authorize page, submit its form as a browser would; returns the redirect's query."""
    page = browser.get("/oauth2/authorize", params=authorize_params(emu, **overrides))
    assert page.status_code == 200, page.text
    form = parse_page(page.text)
    assert form.method == "post"
    response = browser.post(form.action or "", data={**form.hidden, "decision": decision})
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(overrides.get("redirect_uri") or REDIRECT)
    return parse_qs(urlsplit(location).query)


def token_request(
    emu: Emulator, params: dict[str, str], *, auth: tuple[str, str] | str | None = "client"
) -> httpx.Response:
    """POST the token endpoint with query parameters and (by default) Basic client credentials."""
    if auth == "client":
        auth = (emu.oauth_client.client_id, emu.oauth_client.client_secret)
    with httpx.Client(base_url=emu.base_url, timeout=30, verify=shared_ssl_context()) as client:
        return client.post(TOKEN_PATH, params=params, auth=auth)  # type: ignore[arg-type]


def exchange(emu: Emulator, code: str, redirect_uri: str = REDIRECT) -> httpx.Response:
    return token_request(
        emu,
        {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": emu.oauth_client.client_id,
            "redirect_uri": redirect_uri,
        },
    )


def get_code(emu: Emulator, scope: str = "api:calls:read:basic api:users:read") -> str:
    with httpx.Client(base_url=emu.base_url, timeout=30, verify=shared_ssl_context()) as browser:
        return browser_approve(emu, browser, scope=scope)["code"][0]


@pytest.fixture(scope="module")
def shared_emulator() -> Iterator[Emulator]:
    """One emulator for this module: OAuth grants are independent of each other, and starting
    an emulator per test costs time. Tests that move its clock only shorten older grants."""
    with Emulator(rate_limit=RateLimit.off(), frozen_clock=True, calls=30, users=10) as emu:
        yield emu


@pytest.fixture
def emu(shared_emulator: Emulator) -> Emulator:
    return shared_emulator


@pytest.fixture
def browser(emu: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emu.base_url, timeout=30, verify=shared_ssl_context()) as client:
        yield client


def assert_oauth_error(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"] == error
    assert response.json()["error_description"]


# ----- the authorize page ----------------------------------------------------------------------


def test_authorize_page_is_html_with_approve_button_and_requested_scopes(emu: Emulator, browser: httpx.Client) -> None:
    """Gong's authorize URL shows a consent page listing the scopes, with Approve."""
    response = browser.get("/oauth2/authorize", params=authorize_params(emu))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    form = parse_page(response.text)
    assert form.action == "/oauth2/authorize" and form.method == "post"
    assert form.list_items == ["api:calls:read:basic", "api:users:read"]
    approve = [b for b in form.buttons if b.get("value") == "approve"]
    assert approve and approve[0]["text"].strip() == "Approve" and approve[0]["name"] == "decision"
    assert any(b.get("value") == "deny" for b in form.buttons)
    assert form.hidden == {
        "client_id": emu.oauth_client.client_id,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "api:calls:read:basic api:users:read",
        "state": "st-123",
    }


@pytest.mark.parametrize(
    ("override", "error"),
    [
        ({"client_id": "no-such-client"}, "invalid_client"),
        ({"client_id": None}, "invalid_client"),
        ({"redirect_uri": "https://evil.example/callback"}, "invalid_request"),
        ({"redirect_uri": "http://127.0.0.1@evil.example/callback"}, "invalid_request"),
        ({"redirect_uri": None}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "api:calls:read:basic api:everything"}, "invalid_scope"),
        ({"scope": ""}, "invalid_scope"),
    ],
)
def test_authorize_page_shows_error_page_for_bad_requests(
    shared_emulator: Emulator, override: dict[str, str | None], error: str
) -> None:
    """A bad authorize request is shown as an error page (never redirected to an unchecked URI)."""
    with httpx.Client(base_url=shared_emulator.base_url, verify=shared_ssl_context()) as browser:
        response = browser.get("/oauth2/authorize", params=authorize_params(shared_emulator, **override))
    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    assert error in response.text
    assert "<form" not in response.text


def test_browser_approve_redirects_with_code_and_same_state(emu: Emulator, browser: httpx.Client) -> None:
    """Approve → 302 to redirect_uri?code=..&state=.. with the state unchanged."""
    state = 'a b&c=d"><script>x</script>'
    query = browser_approve(emu, browser, state=state)
    assert query["state"] == [state]
    assert len(query["code"]) == 1 and query["code"][0]
    assert "error" not in query


def test_without_state_the_redirect_has_none(emu: Emulator, browser: httpx.Client) -> None:
    """state is optional: when the client sends none, none comes back."""
    query = browser_approve(emu, browser, state=None)
    assert "state" not in query and query["code"]


def test_approve_keeps_redirect_uri_query(emu: Emulator, browser: httpx.Client) -> None:
    """The code is added to the redirect URI's own query string, not replacing it."""
    query = browser_approve(emu, browser, redirect_uri="http://localhost:9/cb?tenant=7")
    assert query["tenant"] == ["7"] and query["code"]


def test_deny_redirects_with_access_denied(emu: Emulator, browser: httpx.Client) -> None:
    """Deny → redirect_uri?error=access_denied&state=.., with no code."""
    query = browser_approve(emu, browser, decision="deny")
    assert query["error"] == ["access_denied"]
    assert query["state"] == ["st-123"]
    assert "code" not in query


def test_forged_form_post_is_validated_again(emu: Emulator, browser: httpx.Client) -> None:
    """The approve POST re-checks the request: a tampered redirect_uri gets the error page."""
    fields = {**authorize_params(emu, redirect_uri="https://evil.example/cb"), "decision": "approve"}
    response = browser.post("/oauth2/authorize", data=fields)
    assert response.status_code == 400
    assert "location" not in response.headers


# ----- the token endpoint --------------------------------------------------------------------


def test_code_exchange_returns_gong_token_response(emu: Emulator) -> None:
    """generate-customer-token with query params + Basic gives Gong's token fields."""
    response = exchange(emu, get_code(emu))
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) >= {
        "access_token",
        "refresh_token",
        "scope",
        "token_type",
        "expires_in",
        "api_base_url_for_customer",
    }
    assert body["token_type"] == "bearer"
    assert set(body["scope"].split()) == {"api:calls:read:basic", "api:users:read"}
    assert body["expires_in"] == emu.config.access_token_ttl
    assert body["api_base_url_for_customer"] == emu.base_url
    assert body["access_token"] != body["refresh_token"]


def test_code_is_single_use(emu: Emulator) -> None:
    """An authorization code can be exchanged once."""
    code = get_code(emu)
    assert exchange(emu, code).status_code == 200
    assert_oauth_error(exchange(emu, code), 400, "invalid_grant")


def test_code_expires(emu: Emulator) -> None:
    """Authorization codes are short-lived (the emulator uses 10 minutes)."""
    code = get_code(emu)
    emu.advance_clock(601)
    assert_oauth_error(exchange(emu, code), 400, "invalid_grant")


def test_code_still_valid_before_expiry(emu: Emulator) -> None:
    """A code used within its lifetime works."""
    code = get_code(emu)
    emu.advance_clock(590)
    assert exchange(emu, code).status_code == 200


def test_redirect_uri_must_match(emu: Emulator) -> None:
    """The token request's redirect_uri must equal the authorize request's."""
    code = get_code(emu)
    response = exchange(emu, code, "http://127.0.0.1:8765/other")
    assert_oauth_error(response, 400, "invalid_grant")


def test_unknown_code_rejected(emu: Emulator) -> None:
    """A code the server never issued is invalid_grant."""
    assert_oauth_error(exchange(emu, "not-a-code"), 400, "invalid_grant")


def test_client_id_param_must_match_basic_credentials(emu: Emulator) -> None:
    """A client_id query parameter naming another integration than the Basic credentials: 400."""
    code = get_code(emu)
    response = token_request(
        emu, {"grant_type": "authorization_code", "code": code, "client_id": "someone-else", "redirect_uri": REDIRECT}
    )
    assert_oauth_error(response, 400, "invalid_request")


@pytest.mark.parametrize("auth", [("emulator-client-id", "wrong-secret"), ("other-client", "x")])
def test_bad_client_credentials_get_401(emu: Emulator, auth: tuple[str, str]) -> None:
    """The token endpoint authenticates the integration with HTTP Basic client_id:client_secret."""
    code = get_code(emu)
    response = token_request(
        emu, {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}, auth=auth
    )
    assert_oauth_error(response, 401, "invalid_client")


def test_missing_basic_auth_gets_401(emu: Emulator) -> None:
    """Client credentials in the query string alone are not enough: Basic is required."""
    code = get_code(emu)
    client = emu.oauth_client
    response = token_request(
        emu,
        {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": client.client_id,
            "client_secret": client.client_secret,
            "redirect_uri": REDIRECT,
        },
        auth=None,
    )
    assert_oauth_error(response, 401, "invalid_client")


@pytest.mark.parametrize("grant", ["client_credentials", "password", None])
def test_unsupported_grant_type(emu: Emulator, grant: str | None) -> None:
    """Only authorization_code and refresh_token grants exist."""
    params = {"grant_type": grant} if grant else {}
    assert_oauth_error(token_request(emu, params), 400, "unsupported_grant_type")


def test_refresh_gives_new_tokens_and_refresh_token_is_single_use(emu: Emulator) -> None:
    """Gong's refresh tokens are single-use: each refresh returns a new one."""
    first = exchange(emu, get_code(emu)).json()
    refreshed = token_request(emu, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    second = refreshed.json()
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert second["scope"] == first["scope"] and second["token_type"] == "bearer"
    assert second["api_base_url_for_customer"] == emu.base_url
    reuse = token_request(emu, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert_oauth_error(reuse, 400, "invalid_grant")
    # the new refresh token works, once
    third = token_request(emu, {"grant_type": "refresh_token", "refresh_token": second["refresh_token"]})
    assert third.status_code == 200
    with bearer_client(emu, third.json()["access_token"]) as api:
        assert api.get("/v2/users").status_code == 200


def test_refresh_with_other_clients_credentials_does_not_burn_the_token(
    gong_emulator_factory: Callable[..., Emulator],
) -> None:
    """A refresh token belongs to its integration: another client can neither use nor spend it."""
    emu = gong_emulator_factory(
        oauth_clients=(
            OAuthClient(client_id="app-a", client_secret="secret-a"),
            OAuthClient(client_id="app-b", client_secret="secret-b"),
        )
    )
    tokens = exchange(emu, get_code(emu)).json()
    params = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    stolen = token_request(emu, params, auth=("app-b", "secret-b"))
    assert_oauth_error(stolen, 400, "invalid_grant")
    own = token_request(emu, params)
    assert own.status_code == 200, own.text


# ----- bearer tokens on /v2 --------------------------------------------------------------------


def test_access_token_works_as_bearer(emu: Emulator) -> None:
    """The access token authenticates /v2 calls as Authorization: Bearer."""
    token = exchange(emu, get_code(emu)).json()["access_token"]
    with bearer_client(emu, token) as api:
        response = api.get("/v2/calls")
    assert response.status_code == 200
    assert response.json()["requestId"]


def test_unknown_bearer_token_gets_401(emu: Emulator) -> None:
    """A token Gong never issued is 401 with Gong's error body."""
    with bearer_client(emu, "not-a-token") as api:
        assert_gong_error(api.get("/v2/calls"), 401)


def test_access_token_expires_after_expires_in(emu: Emulator) -> None:
    """After expires_in seconds the token is refused with 401 and Gong's error body."""
    body = exchange(emu, get_code(emu)).json()
    with bearer_client(emu, body["access_token"]) as api:
        emu.advance_clock(body["expires_in"] - 1)
        assert api.get("/v2/calls").status_code == 200
        emu.advance_clock(1)
        expired = api.get("/v2/calls")
    assert_gong_error(expired, 401)
    # the refresh token still gets a fresh access token
    fresh = token_request(emu, {"grant_type": "refresh_token", "refresh_token": body["refresh_token"]})
    with bearer_client(emu, fresh.json()["access_token"]) as api:
        assert api.get("/v2/calls").status_code == 200


@pytest.mark.parametrize("lifetime", [0, 60])
def test_issued_token_honours_a_short_lifetime(emu: Emulator, lifetime: int) -> None:
    """Test tokens with a chosen lifetime, 0 included (already expired), for 401 handling."""
    body = emu.issue_token(["api:workspaces:read"], expires_in=lifetime)
    assert body["expires_in"] == lifetime
    with bearer_client(emu, body["access_token"]) as api:
        if lifetime:
            assert api.get("/v2/workspaces").status_code == 200
            emu.advance_clock(lifetime)
        assert_gong_error(api.get("/v2/workspaces"), 401)
    with httpx.Client(base_url=emu.base_url) as admin:
        over_http = admin.post("/_emulator/oauth/token", json={"expires_in": lifetime}).json()
    assert over_http["expires_in"] == lifetime


# ----- scopes, per endpoint --------------------------------------------------------------------

CALL_ID = "1234567890123456789"

#: Every /v2 endpoint and the scope Gong requires for it (gong-api.md, gong-openapi-digest.md).
ENDPOINT_SCOPES: list[tuple[str, str, str]] = [
    ("GET", "/v2/calls", "api:calls:read:basic"),
    ("GET", "/v2/calls/{id}", "api:calls:read:basic"),
    ("POST", "/v2/calls", "api:calls:create"),
    ("PUT", "/v2/calls/{id}/media", "api:calls:create"),
    ("POST", "/v2/calls/extensive", "api:calls:read:extensive"),
    ("POST", "/v2/calls/transcript", "api:calls:read:transcript"),
    ("GET", "/v2/users", "api:users:read"),
    ("GET", "/v2/users/{id}", "api:users:read"),
    ("GET", "/v2/workspaces", "api:workspaces:read"),
    ("GET", "/v2/library/folders", "api:library:read"),
    ("GET", "/v2/library/folder-content", "api:library:read"),
    ("GET", "/v2/logs", "api:logs:read"),
    ("POST", "/v2/meetings", "api:meetings:user:create"),
    ("PUT", "/v2/meetings/{meetingId}", "api:meetings:user:update"),
    ("DELETE", "/v2/meetings/{meetingId}", "api:meetings:user:delete"),
    ("PUT", "/v2/customer-engagement/action", "api:engagement-data:write"),
    ("PUT", "/v2/customer-engagement/content/shared", "api:engagement-data:write"),
    ("PUT", "/v2/customer-engagement/content/viewed", "api:engagement-data:write"),
    ("GET", "/v2/data-privacy/data-for-email-address", "api:data-privacy:read"),
    ("GET", "/v2/data-privacy/data-for-phone-number", "api:data-privacy:read"),
    ("POST", "/v2/data-privacy/erase-data-for-email-address", "api:data-privacy:delete"),
    ("POST", "/v2/data-privacy/erase-data-for-phone-number", "api:data-privacy:delete"),
    ("POST", "/v2/users/extensive", "api:users:read"),
    ("GET", "/v2/users/{id}/settings-history", "api:users:read"),
    ("GET", "/v2/settings/scorecards", "api:settings:scorecards:read"),
    ("GET", "/v2/settings/trackers", "api:settings:trackers:read"),
    ("POST", "/v2/stats/activity/scorecards", "api:stats:scorecards"),
    ("POST", "/v2/stats/activity/day-by-day", "api:stats:user-actions:detailed"),
    ("POST", "/v2/stats/activity/aggregate", "api:stats:user-actions"),
    ("POST", "/v2/stats/activity/aggregate-by-period", "api:stats:user-actions"),
    ("POST", "/v2/stats/interaction", "api:stats:interaction"),
    ("GET", "/v2/coaching", "api:coaching:read"),
    ("GET", "/v2/calls/manual-crm-associations", "api:crm-calls:manual-association:read"),
    ("POST", "/v2/calls/users-access", "api:call-user-access:read"),
    ("PUT", "/v2/calls/users-access", "api:call-user-access:write"),
    ("DELETE", "/v2/calls/users-access", "api:call-user-access:write"),
    ("GET", "/v2/crm/integrations", "api:crm:integrations:read"),
    ("PUT", "/v2/crm/integrations", "api:crm:integration:register"),
    ("DELETE", "/v2/crm/integrations", "api:crm:integration:delete"),
    ("GET", "/v2/crm/request-status", "api:crm:upload"),
    ("GET", "/v2/crm/entity-schema", "api:crm:schema"),
    ("POST", "/v2/crm/entity-schema", "api:crm:schema"),
    ("GET", "/v2/crm/entities", "api:crm:get-objects"),
    ("GET", "/v2/flows", "api:flows:read"),
    ("POST", "/v2/flows/prospects", "api:flows:read"),
    ("POST", "/v2/flows/prospects/assign", "api:flows:write"),
    ("GET", "/v2/permission-profile/users", "api:users:read"),
    ("POST", "/v2/meetings/integration/status", "api:meetings:integration:status"),
    ("POST", "/v2/digital-interaction", "api:digital-interactions:write"),
    ("POST", "/v2/integration-settings", "api:integration-settings:write"),
]

#: Routes whose scope Gong's document does not state, and the scope we guess (public clients'
#: names); enforced only with ``guessed_scopes``.
GUESSED_SCOPES: list[tuple[str, str, str]] = [
    ("GET", "/v2/all-permission-profiles", "api:permission-profile:read"),
    ("GET", "/v2/permission-profile", "api:permission-profile:read"),
    ("POST", "/v2/permission-profile", "api:permission-profile:write"),
    ("PUT", "/v2/permission-profile", "api:permission-profile:write"),
]


def _request(api: httpx.Client, method: str, template: str) -> httpx.Response:
    path = template.replace("{id}", CALL_ID).replace("{meetingId}", CALL_ID)
    json_body: dict[str, str] | None = {} if method in ("POST", "PUT") and not path.endswith("/media") else None
    return api.request(method, path, json=json_body)


def test_scope_table_covers_every_v2_route(shared_emulator: Emulator) -> None:
    """The table above lists every /v2 route the emulator serves, so none escapes the scope test."""
    served = {
        (m, r.path)
        for r in shared_emulator.http.app.routes
        if isinstance(r, Route) and r.path.startswith("/v2")
        for m in (r.methods or ())
        if m != "HEAD"
    }
    assert served == {(m, p) for m, p, _ in ENDPOINT_SCOPES + GUESSED_SCOPES}


@pytest.mark.parametrize(("method", "path", "scope"), ENDPOINT_SCOPES, ids=[f"{m} {p}" for m, p, _ in ENDPOINT_SCOPES])
def test_endpoint_requires_its_scope(shared_emulator: Emulator, method: str, path: str, scope: str) -> None:
    """A token lacking the endpoint's scope gets 403 naming it; with the scope, no 403."""
    emu = shared_emulator
    without = emu.issue_token([s for s in ALL_SCOPES if s != scope])["access_token"]
    with bearer_client(emu, without) as api:
        assert_gong_error(_request(api, method, path), 403, scope)

    only = emu.issue_token([scope])["access_token"]
    with bearer_client(emu, only) as api:
        response = _request(api, method, path)
    assert response.status_code not in (401, 403), response.text


@pytest.mark.parametrize(("method", "path", "scope"), GUESSED_SCOPES, ids=[f"{m} {p}" for m, p, _ in GUESSED_SCOPES])
def test_a_guessed_scope_is_required_only_when_asked(
    gong_emulator_factory: Callable[..., Emulator], method: str, path: str, scope: str
) -> None:
    for guessed in (False, True):
        emu = gong_emulator_factory(guessed_scopes=guessed)
        without = emu.issue_token([s for s in ALL_SCOPES if s != scope])["access_token"]
        with bearer_client(emu, without) as api:
            response = _request(api, method, path)
        if guessed:
            assert_gong_error(response, 403, scope)
            with bearer_client(emu, emu.issue_token([scope])["access_token"]) as api:
                assert _request(api, method, path).status_code not in (401, 403)
        else:
            assert response.status_code not in (401, 403), response.text


def test_token_from_the_browser_flow_is_limited_to_its_scopes(emu: Emulator) -> None:
    """A token approved for calls:read:basic cannot read users."""
    code = get_code(emu, scope="api:calls:read:basic")
    token = exchange(emu, code).json()["access_token"]
    with bearer_client(emu, token) as api:
        assert api.get("/v2/calls").status_code == 200
        body = assert_gong_error(api.get("/v2/users"), 403)
    assert "api:users:read" in body["errors"][0]
