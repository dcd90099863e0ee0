"""Gong's OAuth pages: the consent page, the approve/deny form post, and the token endpoint.

These are not ``/v2``: errors here follow OAuth (an HTML page for a bad authorize request,
``{"error", "error_description"}`` from the token endpoint), never Gong's error body.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ._gateway import basic_credentials, log_request
from ._oauth import AccessToken, OAuthError
from ._state import EmulatorState

JSON = dict[str, Any]


def token_response(state: EmulatorState, access: str, refresh: str, token: AccessToken) -> JSON:
    """The token endpoint's answer, also what ``Emulator.issue_token`` and the admin API return."""
    return {
        "access_token": access,
        "refresh_token": refresh,
        "scope": " ".join(sorted(token.scopes)),
        "token_type": "bearer",
        "expires_in": max(0, int(token.expires_at - state.clock.now())),
        "api_base_url_for_customer": state.config.customer_api_base_url or state.base_url,
    }


class OAuthPages:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        return [
            Route("/oauth2/authorize", self.authorize_page, methods=["GET"]),
            Route("/oauth2/authorize", self.authorize_decision, methods=["POST"]),
            Route("/oauth2/generate-customer-token", self.token, methods=["POST"]),
        ]

    async def authorize_page(self, request: Request) -> Response:
        q = request.query_params
        try:
            client, scopes = self.state.oauth.check_authorize(
                q.get("client_id"), q.get("redirect_uri"), q.get("response_type"), q.get("scope")
            )
        except OAuthError as exc:
            log_request(self.state, request, exc.status)
            return HTMLResponse(_error_page(exc), status_code=exc.status)
        log_request(self.state, request, 200)
        return HTMLResponse(_authorize_page(client.name, scopes, self.state.oauth_user(), dict(q)))

    async def authorize_decision(self, request: Request) -> Response:
        form = await request.form()
        fields = {
            k: str(form.get(k) or "")
            for k in ("client_id", "redirect_uri", "response_type", "scope", "state", "decision")
        }
        try:
            client, scopes = self.state.oauth.check_authorize(
                fields["client_id"], fields["redirect_uri"], fields["response_type"], fields["scope"]
            )
        except OAuthError as exc:
            log_request(self.state, request, exc.status)
            return HTMLResponse(_error_page(exc), status_code=exc.status)
        params: dict[str, str]
        if fields["decision"] == "approve":
            code = self.state.oauth.issue_code(
                client.client_id, scopes, fields["redirect_uri"], self.state.oauth_user()
            )
            params = {"code": code}
        else:
            params = {"error": "access_denied", "error_description": "The user denied access"}
        if fields["state"]:
            params["state"] = fields["state"]
        log_request(self.state, request, 302)
        return RedirectResponse(_with_query(fields["redirect_uri"], params), status_code=302)

    async def token(self, request: Request) -> Response:
        q = request.query_params
        try:
            client = self.state.oauth.authenticate_client(basic_credentials(request.headers.get("authorization")))
            grant = q.get("grant_type")
            if grant == "authorization_code":
                access, refresh, tok = self.state.oauth.exchange_code(
                    client, q.get("code"), q.get("redirect_uri"), q.get("client_id")
                )
            elif grant == "refresh_token":
                access, refresh, tok = self.state.oauth.refresh(client, q.get("refresh_token"))
            else:
                raise OAuthError(
                    400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token"
                )
        except OAuthError as exc:
            log_request(self.state, request, exc.status)
            return JSONResponse({"error": exc.error, "error_description": exc.description}, status_code=exc.status)
        log_request(self.state, request, 200)
        return JSONResponse(token_response(self.state, access, refresh, tok))


def _with_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = (parts.query + "&" if parts.query else "") + urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


_PAGE_STYLE = """
body{font-family:system-ui,sans-serif;background:#f4f1fb;margin:0;display:flex;justify-content:center}
main{background:#fff;margin-top:8vh;padding:2rem 2.5rem;border-radius:12px;max-width:30rem;
box-shadow:0 4px 24px #0002}
h1{font-size:1.3rem;color:#3d1a78} li{margin:.2rem 0;font-family:monospace}
button{font-size:1rem;padding:.6rem 1.4rem;border-radius:6px;border:0;margin-right:.5rem;cursor:pointer}
#approve{background:#6b2bd9;color:#fff} #deny{background:#e5e1ee}
small{color:#666}
"""


def _authorize_page(app_name: str, scopes: tuple[str, ...], user: str, query: dict[str, str]) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(query.get(k, ""))}">'
        for k in ("client_id", "redirect_uri", "response_type", "scope", "state")
    )
    items = "".join(f"<li>{html.escape(s)}</li>" for s in scopes)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Authorize {html.escape(app_name)} - Gong (emulator)</title><style>{_PAGE_STYLE}</style></head>
<body><main><h1>{html.escape(app_name)} wants to access your Gong account</h1>
<p>Signed in as <strong>{html.escape(user)}</strong>. The integration asks for:</p><ul>{items}</ul>
<form method="post" action="/oauth2/authorize">{hidden}
<button id="approve" type="submit" name="decision" value="approve">Approve</button>
<button id="deny" type="submit" name="decision" value="deny">Deny</button></form>
<p><small>This is the gong-connector emulator, not Gong.</small></p></main></body></html>"""


def _error_page(exc: OAuthError) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorization error</title>
<style>{_PAGE_STYLE}</style></head><body><main><h1>Authorization error</h1>
<p id="error">{html.escape(exc.error)}: {html.escape(exc.description)}</p></main></body></html>"""
