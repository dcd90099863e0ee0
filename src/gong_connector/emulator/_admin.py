"""The admin API under ``/_emulator/``: the emulator's own controls for tests and scripts.

Not Gong's: no credentials, no rate limit, errors as ``{"error": "..."}``, and a path or
method outside the table is 404. Each route is a short handler over ``EmulatorState``.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse
from starlette.routing import Route, compile_path

from ._config import ALL_SCOPES, RateLimit
from ._errors import GongHTTPError, bad_request, not_found
from ._gateway import GongJSON, read_json
from ._limits import Faults
from ._oauth_pages import token_response
from ._state import EmulatorState

JSON = dict[str, Any]
PREFIX = "/_emulator"
#: The clock moves at most a hundred years at a time: dates must stay inside the calendar.
MAX_CLOCK_MOVE = 100 * 366 * 86_400.0
FAULT_OUTCOMES = ("drop", "html", "429", "500", "502", "503", "504")
MAX_BODY_BYTES = 1024 * 1024

AdminHandler = Callable[["AdminRequest"], Awaitable[Response]]


@dataclass
class AdminRequest:
    request: Request
    params: dict[str, str]
    body: JSON = field(default_factory=dict)


@dataclass(frozen=True)
class AdminRoute:
    method: str
    path: str
    handler: AdminHandler
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", compile_path(self.path)[0])

    def match(self, method: str, path: str) -> dict[str, str] | None:
        found = self.pattern.match(path) if method == self.method else None
        return found.groupdict() if found else None


def faults_from_json(body: JSON) -> Faults:
    queued = [str(x) for x in body.get("failNext", [])]
    unknown = [x for x in queued if x not in FAULT_OUTCOMES]
    if unknown:
        raise bad_request(f"failNext entries must be one of {', '.join(FAULT_OUTCOMES)}, not {unknown}")
    statuses = tuple(int(s) for s in body.get("errorStatuses", (500, 502, 503)))
    if not statuses or any(not 500 <= s <= 599 for s in statuses):
        raise bad_request("errorStatuses must be 5xx status codes")
    for name in ("errorRate", "rateLimitRate", "dropRate"):
        if not 0.0 <= float(body.get(name, 0.0)) <= 1.0:
            raise bad_request(f"{name} must be between 0 and 1")
    return Faults(
        error_rate=float(body.get("errorRate", 0.0)),
        error_statuses=statuses,
        rate_limit_rate=float(body.get("rateLimitRate", 0.0)),
        drop_rate=float(body.get("dropRate", 0.0)),
        latency_ms=int(body.get("latencyMs", 0)),
        fail_next=queued,
        retry_after=int(body.get("retryAfter", 1)),
        seed=int(body.get("seed", 0)),
    )


def _silent_wav() -> Iterator[bytes]:
    """One second of 8 kHz mono silence: the media of a seeded call."""
    rate = samples = 8000
    header = (
        b"RIFF"
        + (36 + samples).to_bytes(4, "little")
        + b"WAVEfmt "
        + (16).to_bytes(4, "little")
        + (1).to_bytes(2, "little")
        + (1).to_bytes(2, "little")
        + rate.to_bytes(4, "little")
        + rate.to_bytes(4, "little")
        + (1).to_bytes(2, "little")
        + (8).to_bytes(2, "little")
        + b"data"
        + samples.to_bytes(4, "little")
    )
    yield header + b"\x80" * samples


class AdminAPI:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        r = AdminRoute
        self.table = [
            r("GET", "/health", self.health),
            r("GET", "/state", self.summary),
            r("POST", "/reset", self.reset),
            r("GET", "/requests", self.requests),
            r("DELETE", "/requests", self.clear_requests),
            r("GET", "/faults", self.faults),
            r("POST", "/faults", self.set_faults),
            r("DELETE", "/faults", self.clear_faults),
            r("GET", "/clock", self.clock),
            r("POST", "/clock", self.move_clock),
            r("POST", "/rate-limit", self.rate_limit),
            r("POST", "/calls", self.add_calls),
            r("GET", "/automation-rules", self.rules),
            r("POST", "/automation-rules", self.add_rule),
            r("GET", "/automation-rules/{rule_id}", self.rule),
            r("DELETE", "/automation-rules/{rule_id}", self.delete_rule),
            r("POST", "/automation-rules/{rule_id}/test", self.test_rule),
            r("GET", "/webhooks/public-key", self.public_key),
            r("GET", "/webhooks/deliveries", self.deliveries),
            r("POST", "/oauth/token", self.token),
            r("POST", "/library/folders/{folder_id}/calls", self.add_to_folder),
            r("GET", "/media/{call_id}", self.media),
        ]

    def routes(self) -> list[Route]:
        return [Route(PREFIX + "/{rest:path}", self.dispatch, methods=["GET", "POST", "PUT", "DELETE"])]

    async def dispatch(self, request: Request) -> Response:
        path = "/" + request.url.path[len(PREFIX) :].strip("/")
        for route in self.table:
            params = route.match(request.method, path)
            if params is None:
                continue
            try:
                body: JSON = {}
                if request.method in ("POST", "PUT"):
                    body = await read_json(request, limit=MAX_BODY_BYTES, optional=True)
                return await route.handler(AdminRequest(request, params, body))
            except GongHTTPError as exc:
                return GongJSON({"error": "; ".join(exc.messages)}, status_code=exc.status)
            except (ValueError, TypeError, KeyError, OverflowError) as exc:
                return GongJSON({"error": f"bad admin request: {exc}"}, status_code=400)
        return GongJSON({"error": f"no admin endpoint {request.method} {path}"}, status_code=404)

    # ----- state and reset --------------------------------------------------------------------

    async def health(self, _: AdminRequest) -> Response:
        return GongJSON({"ok": True})

    async def summary(self, _: AdminRequest) -> Response:
        return GongJSON(self.state.state_summary())

    async def reset(self, a: AdminRequest) -> Response:
        allowed = {"seed", "calls", "users", "workspaces"}
        self.state.reset(**{k: int(val) for k, val in a.body.items() if k in allowed})
        return GongJSON(self.state.state_summary())

    async def requests(self, _: AdminRequest) -> Response:
        return GongJSON({"requests": list(self.state.request_log)})

    async def clear_requests(self, _: AdminRequest) -> Response:
        self.state.request_log.clear()
        return GongJSON({"ok": True})

    # ----- faults, clock, limits --------------------------------------------------------------

    async def faults(self, _: AdminRequest) -> Response:
        injector = self.state.faults
        return GongJSON({"faults": injector.faults.__dict__, "injected": injector.injected})

    async def set_faults(self, a: AdminRequest) -> Response:
        self.state.faults.configure(faults_from_json(a.body))
        return await self.faults(a)

    async def clear_faults(self, a: AdminRequest) -> Response:
        self.state.faults.clear()
        return await self.faults(a)

    async def clock(self, _: AdminRequest) -> Response:
        return GongJSON({"now": self.state.clock.now(), "frozen": self.state.clock.frozen})

    async def move_clock(self, a: AdminRequest) -> Response:
        advance = float(a.body.get("advance", 0))
        if not abs(advance) <= MAX_CLOCK_MOVE:  # NaN too: a date past any calendar breaks every answer
            raise bad_request(f"advance must be a number of seconds within ±{MAX_CLOCK_MOVE:g}")
        if "freeze" in a.body:
            self.state.clock.freeze(bool(a.body["freeze"]))
        self.state.advance_clock(advance)
        return await self.clock(a)

    async def rate_limit(self, a: AdminRequest) -> Response:
        per_second = a.body.get("perSecond")
        per_day = a.body.get("perDay")
        if per_second is not None and not 0 < float(per_second) < math.inf:  # NaN fails too
            raise bad_request("perSecond must be a positive number, or null for no limit")
        if per_day is not None and int(per_day) <= 0:
            raise bad_request("perDay must be a positive integer, or null for no limit")
        self.state.rate_limiter.configure(
            RateLimit(
                per_second=float(per_second) if per_second is not None else None,
                per_day=int(per_day) if per_day is not None else None,
            )
        )
        if a.body.get("resetDaily"):
            self.state.rate_limiter.reset()
        return GongJSON({"perSecond": per_second, "perDay": per_day})

    # ----- data -------------------------------------------------------------------------------

    async def add_calls(self, a: AdminRequest) -> Response:
        ids = self.state.add_calls(
            int(a.body.get("count", 1)),
            processing_delay=float(a.body.get("processingDelay", 0)),
            workspace_id=a.body.get("workspaceId"),
        )
        return GongJSON({"callIds": ids})

    async def add_to_folder(self, a: AdminRequest) -> Response:
        folder = self.state.add_to_folder(a.params["folder_id"], str(a.body["callId"]), a.body.get("note"))
        return GongJSON(folder)

    async def media(self, a: AdminRequest) -> Response:
        call_id = a.params["call_id"]
        info = self.state.media.get(call_id)
        if info is not None:
            return FileResponse(
                info.path,
                media_type=info.content_type or "application/octet-stream",
                headers={"X-Media-SHA256": info.sha256},
            )
        if self.state.find_call(call_id) is None:
            raise not_found("no such call")
        return StreamingResponse(_silent_wav(), media_type="audio/wav")

    # ----- webhooks and OAuth -----------------------------------------------------------------

    async def rules(self, _: AdminRequest) -> Response:
        return GongJSON({"rules": [r.to_json() for r in self.state.webhooks.rules.values()]})

    async def add_rule(self, a: AdminRequest) -> Response:
        return GongJSON(self.state.webhooks.add_rule(a.body).to_json(), status_code=201)

    def _known_rule(self, rule_id: str) -> None:
        if rule_id not in self.state.webhooks.rules:
            raise not_found(f"no rule {rule_id}")

    async def rule(self, a: AdminRequest) -> Response:
        self._known_rule(a.params["rule_id"])
        return GongJSON(self.state.webhooks.rules[a.params["rule_id"]].to_json())

    async def delete_rule(self, a: AdminRequest) -> Response:
        self._known_rule(a.params["rule_id"])
        self.state.webhooks.delete_rule(a.params["rule_id"])
        return GongJSON({"ok": True})

    async def test_rule(self, a: AdminRequest) -> Response:
        self._known_rule(a.params["rule_id"])
        self.state.send_test(a.params["rule_id"])
        return GongJSON({"ok": True})

    async def public_key(self, _: AdminRequest) -> Response:
        signer = self.state.webhooks.signer
        return GongJSON(
            {"publicKey": signer.public_key_base64, "publicKeyPem": signer.public_key_pem, "algorithm": "RS256"}
        )

    async def deliveries(self, a: AdminRequest) -> Response:
        if a.request.query_params.get("wait") == "true":
            await asyncio.to_thread(self.state.webhooks.wait, 30.0)
        return GongJSON({"deliveries": list(self.state.webhooks.deliveries)})

    async def token(self, a: AdminRequest) -> Response:
        oauth = self.state.oauth
        scopes = tuple(str(a.body.get("scope", " ".join(ALL_SCOPES))).split())
        client_id = str(a.body.get("client_id") or next(iter(oauth.clients)))
        ttl = a.body.get("expires_in")
        access, refresh, tok = oauth.issue_direct(
            client_id, scopes, self.state.oauth_user(), int(ttl) if ttl is not None else None
        )
        return GongJSON(token_response(self.state, access, refresh, tok))
