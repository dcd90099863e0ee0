"""The HTTP face of the emulator: thin Starlette routes over ``Backend``.

Every ``/v2`` request goes through one wrapper that does what Gong does before any
handler runs: a request id, credentials, the company's rate limit, injected faults, and
the endpoint's OAuth scope. Errors are raised as ``GongHTTPError`` and rendered here once.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import html
import inspect
import json
import logging
import secrets
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlencode, urlsplit, urlunsplit

import anyio.to_thread
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from ._backend import Backend, MediaInfo, Page, new_request_id
from ._config import ALL_SCOPES, RateLimit
from ._errors import GongHTTPError, bad_request
from ._limits import Faults
from ._oauth import OAuthError, OAuthServer
from ._webhooks import Webhooks

JSON = dict[str, Any]
Handler = Callable[["Request", "Principal"], "JSON | Response | Awaitable[JSON | Response]"]
SyncHandler = Callable[["Request", "Principal"], "JSON | Response"]
BodyKind = Literal["none", "json", "optional"]
MAX_JSON_BYTES = 10 * 1024 * 1024
AUTH_FAILED = "Validate credentials failed. Please check your credentials and try again."
ADMIN = "/_emulator"

log = logging.getLogger("gong_connector.emulator")


@dataclass
class Principal:
    kind: str  # "basic" or "oauth"
    scopes: frozenset[str]
    user_email: str | None = None


class _DropConnection(Response):
    """Start a response and stop mid-body: the client sees the connection cut."""

    def __init__(self) -> None:
        super().__init__()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
            }
        )
        await send({"type": "http.response.body", "body": b'{"requestId":"', "more_body": True})
        # Returning here with the body incomplete makes the server close the connection.


class _QuietIncomplete(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "without completing response" not in record.getMessage()


logging.getLogger("uvicorn.error").addFilter(_QuietIncomplete())


def gong_error(
    request_id: str, status: int, messages: list[str], headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"requestId": request_id, "errors": messages}, status_code=status, headers=headers)


def _basic_credentials(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


class EmulatorApp:
    def __init__(self, backend: Backend, *, webhook_retry_delays: tuple[float, ...] = (1.0, 5.0)) -> None:
        self.backend = backend
        self.base_url = "http://127.0.0.1"
        cfg = backend.config
        self.oauth = OAuthServer(cfg.oauth_clients, backend.clock, cfg.access_token_ttl)
        self.webhooks = Webhooks(backend.clock, webhook_retry_delays)
        self._own_media_dir: tempfile.TemporaryDirectory[str] | None = None
        if cfg.media_dir is None:
            self._own_media_dir = tempfile.TemporaryDirectory(prefix="gong-emulator-media-")
            backend.config = cfg.with_changes(media_dir=Path(self._own_media_dir.name))
        backend.listener.on_processed.append(self._on_processed)
        self.app = Starlette(
            routes=self._routes(),
            lifespan=self._lifespan,
            exception_handlers={HTTPException: self._http_exception, Exception: self._unexpected},
        )

    def close(self) -> None:
        self.webhooks.close()
        if self._own_media_dir is not None:
            self._own_media_dir.cleanup()

    @asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        async def ticker() -> None:
            while True:
                await asyncio.sleep(0.5)
                self.backend.tick()

        task = asyncio.create_task(ticker())
        try:
            yield
        finally:
            task.cancel()

    def _on_processed(self, record: Any) -> None:
        if not self.webhooks.rules:
            return
        exposed = {
            "parties": True,
            "media": True,
            "content": {
                k: True
                for k in (
                    "structure",
                    "topics",
                    "trackers",
                    "pointsOfInterest",
                    "brief",
                    "outline",
                    "highlights",
                    "callOutcome",
                    "keyPoints",
                )
            },
            "interaction": {k: True for k in ("speakers", "video", "personInteractionStats", "questions")},
            "collaboration": {"publicComments": True},
        }
        with self.backend.lock:
            data = self.backend.extensive_call(record, "Extended", ["Now"], exposed, self.base_url, True)
        self.webhooks.call_processed(record, data)

    # ----- the /v2 wrapper --------------------------------------------------------------------

    def _authenticate(self, request: Request) -> Principal | None:
        header = request.headers.get("authorization")
        cfg = self.backend.config
        basic = _basic_credentials(header)
        if basic is not None:
            if secrets.compare_digest(basic[0], cfg.access_key) and secrets.compare_digest(
                basic[1], cfg.access_key_secret
            ):
                return Principal("basic", frozenset(ALL_SCOPES))
            return None
        if header and header.lower().startswith("bearer "):
            token = self.oauth.lookup(header[7:].strip())
            if token is not None:
                return Principal("oauth", token.scopes, token.user_email)
        return None

    def api(
        self, scope: str | None, handler: Handler, *, body: BodyKind = "none"
    ) -> Callable[[Request], Awaitable[Response]]:
        """Wrap a handler with what Gong does before any endpoint runs.

        Plain handlers run in a worker thread, so a slow page (a transcript page takes
        ~40 ms to build) never keeps the event loop from stamping the next arrival for the
        rate limit; their JSON body (``body``) is read first. Async handlers stream their body.
        """

        async def endpoint(request: Request) -> Response:
            arrived = self.backend.clock.now()
            request_id = new_request_id()
            response: Response
            try:
                response = await self._guarded(request, request_id, scope, handler, body)
            except GongHTTPError as exc:
                response = gong_error(request_id, exc.status, exc.messages, exc.headers)
            self._record(request, None if isinstance(response, _DropConnection) else response.status_code, arrived)
            return response

        return endpoint

    async def _guarded(
        self, request: Request, request_id: str, scope: str | None, handler: Handler, body: BodyKind
    ) -> Response:
        principal = self._authenticate(request)
        if principal is None:
            raise GongHTTPError(401, AUTH_FAILED, headers={"WWW-Authenticate": 'Basic realm="Gong.io API"'})
        retry_after = self.backend.rate_limiter.acquire()
        if retry_after is not None:
            raise GongHTTPError(429, "API request limit exceeded", headers={"Retry-After": str(retry_after)})
        fault = self.backend.faults.pick()
        latency = self.backend.faults.faults.latency_ms
        if latency:
            await asyncio.sleep(latency / 1000)
        if fault == "drop":
            return _DropConnection()
        if fault == "429":
            raise GongHTTPError(
                429, "API request limit exceeded", headers={"Retry-After": str(self.backend.faults.faults.retry_after)}
            )
        if fault is not None:
            raise GongHTTPError(int(fault), "Failed to complete the operation due to an unexpected error")
        if scope is not None and scope not in principal.scopes:
            raise GongHTTPError(
                403,
                f"You don't have permission to use '{scope}' in your "
                "current authorization. The OAuth token lacks this scope.",
            )
        if body != "none":
            request.state.json_body = await self._json_body(request, optional=body == "optional")
        await anyio.to_thread.run_sync(self.backend.tick)
        result: JSON | Response
        if inspect.iscoroutinefunction(handler):
            result = await handler(request, principal)
        else:
            result = await anyio.to_thread.run_sync(cast(SyncHandler, handler), request, principal)
        if isinstance(result, Response):
            return result
        return JSONResponse({"requestId": request_id, **result})

    @staticmethod
    def _body(request: Request) -> JSON:
        body: JSON = request.state.json_body
        return body

    def _record(self, request: Request, status: int | None, arrived: float | None = None) -> None:
        """Log a request for tests: ``status`` is ``None`` when the connection was dropped,
        ``at`` is when it arrived, ``body`` its JSON body when it had one."""
        entry: JSON = {
            "method": request.method,
            "path": request.url.path,
            "query": dict(request.query_params),
            "status": status,
            "at": self.backend.clock.now() if arrived is None else arrived,
        }
        body = getattr(request.state, "json_body", None)
        if body:
            entry["body"] = body
        self.backend.record_request(entry)

    async def _http_exception(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if not request.url.path.startswith("/v2"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        request_id = new_request_id()
        if self._authenticate(request) is None:
            response = gong_error(request_id, 401, [AUTH_FAILED], {"WWW-Authenticate": 'Basic realm="Gong.io API"'})
        elif exc.status_code == 405:
            response = gong_error(request_id, 405, [f"Method {request.method} is not allowed for this path"])
        else:
            response = gong_error(request_id, exc.status_code, [f"No endpoint at {request.url.path}"])
        self._record(request, response.status_code)
        return response

    async def _unexpected(self, request: Request, exc: Exception) -> Response:
        log.exception("emulator bug while serving %s %s", request.method, request.url.path)
        return gong_error(new_request_id(), 500, ["Failed to complete the operation due to an unexpected error"])

    # ----- request parsing helpers -----------------------------------------------------------

    @staticmethod
    async def _json_body(request: Request, *, optional: bool = False) -> JSON:
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_JSON_BYTES:
                raise GongHTTPError(413, "Request body is too large")
        raw = b"".join(chunks)
        if not raw.strip():
            if optional:
                return {}
            raise bad_request("Request body is required (JSON)")
        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise bad_request("Json parse error: the request body is not valid JSON") from None
        if not isinstance(body, dict):
            raise bad_request("Request body must be a JSON object")
        return body

    @staticmethod
    def _bool_param(request: Request, name: str) -> bool:
        value = request.query_params.get(name)
        if value is None:
            return False
        if value.lower() not in ("true", "false"):
            raise bad_request(f"{name} must be true or false")
        return value.lower() == "true"

    @staticmethod
    def _page(page: Page, key: str) -> JSON:
        return {"records": page.records(), key: page.items}

    # ----- /v2 handlers ------------------------------------------------------------------------

    def list_calls(self, request: Request, _: Principal) -> JSON:
        q = request.query_params
        flt = self.backend.call_filter_from_query(
            q.get("fromDateTime"), q.get("toDateTime"), q.get("workspaceId"), window_limit=True
        )
        return self._page(self.backend.list_calls(flt, q.get("cursor")), "calls")

    def get_call(self, request: Request, _: Principal) -> JSON:
        return {"call": self.backend.get_call(request.path_params["id"])}

    def create_call(self, request: Request, _: Principal) -> JSON:
        return self.backend.create_call(self._body(request))

    def extensive(self, request: Request, principal: Principal) -> JSON:
        body = self._body(request)
        can_media = "api:calls:read:media-url" in principal.scopes
        return self._page(self.backend.extensive(body, self.base_url, can_media), "calls")

    def transcripts(self, request: Request, _: Principal) -> JSON:
        return self._page(self.backend.transcripts(self._body(request)), "callTranscripts")

    async def add_media(self, request: Request, _: Principal) -> JSON:
        call_id = request.path_params["id"]
        length = request.headers.get("content-length")
        self.backend.media_precheck(call_id, int(length) if length and length.isdigit() else None)
        ctype, params = parse_options_header(request.headers.get("content-type", ""))
        boundary = params.get(b"boundary")
        if ctype != b"multipart/form-data" or not boundary:
            raise bad_request("The request must be multipart/form-data with the file in field mediaFile")
        info = await self._receive_media(request, call_id, boundary)
        return self.backend.media_done(info)

    async def _receive_media(self, request: Request, call_id: str, boundary: bytes) -> MediaInfo:
        """Stream the ``mediaFile`` part to disk, hashing as it goes; never buffered whole."""
        target = self.backend.media_path(call_id)
        partial = target.with_suffix(".partial")
        limit = self.backend.config.max_media_bytes
        state: JSON = {
            "headers": {},
            "field": b"",
            "value": b"",
            "out": None,
            "size": 0,
            "found": False,
            "too_big": False,
            "filename": None,
            "ctype": None,
        }
        digest = hashlib.sha256()

        def on_header_field(data: bytes, start: int, end: int) -> None:
            state["field"] += data[start:end]

        def on_header_value(data: bytes, start: int, end: int) -> None:
            state["value"] += data[start:end]

        def on_header_end() -> None:
            state["headers"][state["field"].lower()] = state["value"]
            state["field"], state["value"] = b"", b""

        def on_headers_finished() -> None:
            _, disp = parse_options_header(state["headers"].get(b"content-disposition", b""))
            if disp.get(b"name") == b"mediaFile" and not state["found"]:
                state["found"] = True
                state["filename"] = disp.get(b"filename", b"").decode(errors="replace") or None
                state["ctype"] = state["headers"].get(b"content-type", b"").decode(errors="replace") or None
                state["out"] = partial.open("wb")

        def on_part_data(data: bytes, start: int, end: int) -> None:
            out = state["out"]
            if out is None or state["too_big"]:
                return
            chunk = data[start:end]
            state["size"] += len(chunk)
            if state["size"] > limit:
                state["too_big"] = True
                return
            out.write(chunk)
            digest.update(chunk)

        def on_part_end() -> None:
            if state["out"] is not None:
                state["out"].close()
                state["out"] = None
            state["headers"] = {}

        parser = MultipartParser(
            boundary,
            {
                "on_header_field": on_header_field,
                "on_header_value": on_header_value,
                "on_header_end": on_header_end,
                "on_headers_finished": on_headers_finished,
                "on_part_data": on_part_data,
                "on_part_end": on_part_end,
            },
        )
        try:
            async for chunk in request.stream():
                parser.write(chunk)
                if state["too_big"]:
                    break
            parser.finalize()
        except Exception as exc:
            partial.unlink(missing_ok=True)
            if isinstance(exc, GongHTTPError):
                raise
            if state["too_big"]:
                raise GongHTTPError(413, "The media file exceeds the maximum size of 1.5GB") from None
            raise bad_request("Malformed multipart body") from None
        finally:
            if state["out"] is not None:
                state["out"].close()
        if state["too_big"]:
            partial.unlink(missing_ok=True)
            raise GongHTTPError(413, "The media file exceeds the maximum size of 1.5GB")
        if not state["found"]:
            partial.unlink(missing_ok=True)
            raise bad_request("mediaFile is required: send the recording in multipart field mediaFile")
        if state["size"] == 0:
            partial.unlink(missing_ok=True)
            raise bad_request("mediaFile is empty")
        partial.replace(target)
        return MediaInfo(
            call_id=call_id,
            path=target,
            size=state["size"],
            sha256=digest.hexdigest(),
            filename=state["filename"],
            content_type=state["ctype"],
        )

    def list_users(self, request: Request, _: Principal) -> JSON:
        include = self._bool_param(request, "includeAvatars")
        return self._page(self.backend.list_users(include, request.query_params.get("cursor")), "users")

    def get_user(self, request: Request, _: Principal) -> JSON:
        return {"user": self.backend.get_user(request.path_params["id"])}

    def workspaces(self, request: Request, _: Principal) -> JSON:
        return {"workspaces": self.backend.list_workspaces()}

    def folders(self, request: Request, _: Principal) -> JSON:
        return {"folders": self.backend.list_folders(request.query_params.get("workspaceId"))}

    def folder_content(self, request: Request, _: Principal) -> JSON:
        folder_id = request.query_params.get("folderId")
        if folder_id is None:
            raise bad_request("folderId is required")
        return self.backend.folder_content(folder_id)

    def logs(self, request: Request, _: Principal) -> JSON:
        q = request.query_params
        page = self.backend.logs(q.get("logType"), q.get("fromDateTime"), q.get("toDateTime"), q.get("cursor"))
        return self._page(page, "logEntries")

    def create_meeting(self, request: Request, _: Principal) -> JSON:
        return self.backend.create_meeting(self._body(request))

    def update_meeting(self, request: Request, _: Principal) -> JSON:
        return self.backend.update_meeting(request.path_params["meetingId"], self._body(request))

    def delete_meeting(self, request: Request, _: Principal) -> JSON:
        body = self._body(request)
        return self.backend.delete_meeting(request.path_params["meetingId"], body)

    def engagement(self, kind: str) -> Callable[[Request, Principal], JSON]:
        def handler(request: Request, _: Principal) -> JSON:
            return self.backend.report_event(kind, self._body(request))

        return handler

    def email_refs(self, request: Request, _: Principal) -> JSON:
        return self.backend.email_references(request.query_params.get("emailAddress"))

    def phone_refs(self, request: Request, _: Principal) -> JSON:
        return self.backend.phone_references(request.query_params.get("phoneNumber"))

    def erase_email(self, request: Request, _: Principal) -> JSON:
        return self.backend.erase_email(request.query_params.get("emailAddress"))

    def erase_phone(self, request: Request, _: Principal) -> JSON:
        return self.backend.erase_phone(request.query_params.get("phoneNumber"))

    # ----- OAuth ------------------------------------------------------------------------------

    def _oauth_user(self) -> str:
        return str(self.backend.data.users[0]["emailAddress"])

    async def authorize_page(self, request: Request) -> Response:
        q = request.query_params
        try:
            client, scopes = self.oauth.check_authorize(
                q.get("client_id"), q.get("redirect_uri"), q.get("response_type"), q.get("scope")
            )
        except OAuthError as exc:
            self._record(request, exc.status)
            return HTMLResponse(_error_page(exc), status_code=exc.status)
        self._record(request, 200)
        return HTMLResponse(_authorize_page(client.name, scopes, self._oauth_user(), dict(q)))

    async def authorize_decision(self, request: Request) -> Response:
        form = await request.form()
        fields = {
            k: str(form.get(k) or "")
            for k in ("client_id", "redirect_uri", "response_type", "scope", "state", "decision")
        }
        try:
            client, scopes = self.oauth.check_authorize(
                fields["client_id"], fields["redirect_uri"], fields["response_type"], fields["scope"]
            )
        except OAuthError as exc:
            self._record(request, exc.status)
            return HTMLResponse(_error_page(exc), status_code=exc.status)
        params: dict[str, str]
        if fields["decision"] == "approve":
            code = self.oauth.issue_code(client.client_id, scopes, fields["redirect_uri"], self._oauth_user())
            params = {"code": code}
        else:
            params = {"error": "access_denied", "error_description": "The user denied access"}
        if fields["state"]:
            params["state"] = fields["state"]
        self._record(request, 302)
        return RedirectResponse(_with_query(fields["redirect_uri"], params), status_code=302)

    async def token(self, request: Request) -> Response:
        q = request.query_params
        try:
            client = self.oauth.authenticate_client(_basic_credentials(request.headers.get("authorization")))
            grant = q.get("grant_type")
            if grant == "authorization_code":
                access, refresh, tok = self.oauth.exchange_code(
                    client, q.get("code"), q.get("redirect_uri"), q.get("client_id")
                )
            elif grant == "refresh_token":
                access, refresh, tok = self.oauth.refresh(client, q.get("refresh_token"))
            else:
                raise OAuthError(
                    400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token"
                )
        except OAuthError as exc:
            self._record(request, exc.status)
            return JSONResponse({"error": exc.error, "error_description": exc.description}, status_code=exc.status)
        self._record(request, 200)
        return JSONResponse(self.token_response(access, refresh, tok.scopes, tok.expires_at))

    def token_response(self, access: str, refresh: str, scopes: frozenset[str], expires_at: float) -> JSON:
        return {
            "access_token": access,
            "refresh_token": refresh,
            "scope": " ".join(sorted(scopes)),
            "token_type": "bearer",
            "expires_in": max(0, int(expires_at - self.backend.clock.now())),
            "api_base_url_for_customer": self.backend.config.customer_api_base_url or self.base_url,
        }

    # ----- admin API ----------------------------------------------------------------------------

    async def admin(self, request: Request) -> Response:
        """One dispatcher for the admin API; errors come back as ``{"error": ...}``."""
        try:
            return await self._admin(request)
        except GongHTTPError as exc:
            return JSONResponse({"error": "; ".join(exc.messages)}, status_code=exc.status)
        except (ValueError, TypeError, KeyError) as exc:
            return JSONResponse({"error": f"bad admin request: {exc}"}, status_code=400)

    async def _admin(self, request: Request) -> Response:
        path = request.url.path[len(ADMIN) :].strip("/")
        method = request.method
        b = self.backend
        body = await self._json_body(request, optional=True) if method in ("POST", "PUT") else {}
        if path == "health":
            return JSONResponse({"ok": True})
        if path == "state" and method == "GET":
            return JSONResponse(b.state_summary())
        if path == "reset" and method == "POST":
            allowed = {"seed", "calls", "users", "workspaces"}
            changes = {k: int(val) for k, val in body.items() if k in allowed}
            b.load(b.config.with_changes(**changes))
            b.rate_limiter.reset()
            b.faults.clear()
            b.request_log.clear()
            self.oauth.revoke_all()
            return JSONResponse(b.state_summary())
        if path == "requests":
            if method == "DELETE":
                b.request_log.clear()
                return JSONResponse({"ok": True})
            return JSONResponse({"requests": list(b.request_log)})
        if path == "faults":
            if method == "DELETE":
                b.faults.clear()
            elif method == "POST":
                b.faults.configure(faults_from_json(body))
            return JSONResponse({"faults": b.faults.faults.__dict__, "injected": b.faults.injected})
        if path == "clock" and method == "POST":
            if "freeze" in body:
                b.clock.freeze(bool(body["freeze"]))
            if "advance" in body:
                b.clock.advance(float(body["advance"]))
            b.tick()
            return JSONResponse({"now": b.clock.now(), "frozen": b.clock.frozen})
        if path == "clock":
            return JSONResponse({"now": b.clock.now(), "frozen": b.clock.frozen})
        if path == "rate-limit" and method == "POST":
            per_second = body.get("perSecond")
            per_day = body.get("perDay")
            if per_second is not None and float(per_second) <= 0:
                raise bad_request("perSecond must be a positive number, or null for no limit")
            if per_day is not None and int(per_day) <= 0:
                raise bad_request("perDay must be a positive integer, or null for no limit")
            b.rate_limiter.configure(
                RateLimit(
                    per_second=float(per_second) if per_second is not None else None,
                    per_day=int(per_day) if per_day is not None else None,
                )
            )
            if body.get("resetDaily"):
                b.rate_limiter.reset()
            return JSONResponse({"perSecond": per_second, "perDay": per_day})
        if path == "calls" and method == "POST":
            ids = b.add_calls(
                int(body.get("count", 1)),
                processing_delay=float(body.get("processingDelay", 0)),
                workspace_id=body.get("workspaceId"),
            )
            return JSONResponse({"callIds": ids})
        if path == "automation-rules":
            if method == "POST":
                return JSONResponse(self.webhooks.add_rule(body).to_json(), status_code=201)
            return JSONResponse({"rules": [r.to_json() for r in self.webhooks.rules.values()]})
        if path.startswith("automation-rules/"):
            rule_id, _, action = path[len("automation-rules/") :].partition("/")
            rule = self.webhooks.rules.get(rule_id)
            if rule is None:
                return JSONResponse({"error": f"no rule {rule_id}"}, status_code=404)
            if method == "DELETE":
                self.webhooks.delete_rule(rule_id)
                return JSONResponse({"ok": True})
            if action == "test" and method == "POST":
                self.send_test(rule_id)
                return JSONResponse({"ok": True})
            return JSONResponse(rule.to_json())
        if path == "webhooks/public-key":
            s = self.webhooks.signer
            return JSONResponse(
                {"publicKey": s.public_key_base64, "publicKeyPem": s.public_key_pem, "algorithm": "RS256"}
            )
        if path == "webhooks/deliveries":
            if request.query_params.get("wait") == "true":
                await asyncio.to_thread(self.webhooks.wait, 30.0)
            return JSONResponse({"deliveries": list(self.webhooks.deliveries)})
        if path == "oauth/token" and method == "POST":
            scopes = tuple(str(body.get("scope", " ".join(ALL_SCOPES))).split())
            client_id = str(body.get("client_id") or next(iter(self.oauth.clients)))
            ttl = body.get("expires_in")
            access, refresh, tok = self.oauth.issue_direct(
                client_id, scopes, self._oauth_user(), int(ttl) if ttl is not None else None
            )
            return JSONResponse(self.token_response(access, refresh, tok.scopes, tok.expires_at))
        if path.startswith("library/folders/") and path.endswith("/calls") and method == "POST":
            folder_id = path[len("library/folders/") : -len("/calls")]
            return JSONResponse(b.add_to_folder(folder_id, str(body["callId"]), body.get("note")))
        if path.startswith("media/") and method == "GET":
            return self._media(path[len("media/") :])
        return JSONResponse({"error": f"no admin endpoint {method} /{path}"}, status_code=404)

    def send_test(self, rule_id: str) -> None:
        rule = self.webhooks.rules[rule_id]
        with self.backend.lock:
            sample = self.backend.data.call(0) if self.backend.data.n_calls else None
            if sample is None:
                raise bad_request("no call to send as a test")
            data = self.backend.extensive_call(sample, "Extended", ["Now"], {"parties": True}, self.base_url, True)
        self.webhooks.send(rule, data, is_test=True)

    def _media(self, call_id: str) -> Response:
        info = self.backend.media.get(call_id)
        if info is not None:
            return FileResponse(
                info.path,
                media_type=info.content_type or "application/octet-stream",
                headers={"X-Media-SHA256": info.sha256},
            )
        if self.backend.find_call(call_id) is None:
            return JSONResponse({"error": "no such call"}, status_code=404)

        def silence() -> Any:  # one second of 8 kHz mono silence, as a WAV file
            rate, samples = 8000, 8000
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

        return StreamingResponse(silence(), media_type="audio/wav")

    # ----- routes -----------------------------------------------------------------------------

    def _routes(self) -> list[Route]:
        a = self.api
        return [
            Route("/v2/calls", a("api:calls:read:basic", self.list_calls), methods=["GET"]),
            Route("/v2/calls", a("api:calls:create", self.create_call, body="json"), methods=["POST"]),
            Route("/v2/calls/extensive", a("api:calls:read:extensive", self.extensive, body="json"), methods=["POST"]),
            Route(
                "/v2/calls/transcript", a("api:calls:read:transcript", self.transcripts, body="json"), methods=["POST"]
            ),
            Route("/v2/calls/{id}/media", a("api:calls:create", self.add_media), methods=["PUT"]),
            Route("/v2/calls/{id}", a("api:calls:read:basic", self.get_call), methods=["GET"]),
            Route("/v2/users", a("api:users:read", self.list_users), methods=["GET"]),
            Route("/v2/users/{id}", a("api:users:read", self.get_user), methods=["GET"]),
            Route("/v2/workspaces", a("api:workspaces:read", self.workspaces), methods=["GET"]),
            Route("/v2/library/folders", a("api:library:read", self.folders), methods=["GET"]),
            Route("/v2/library/folder-content", a("api:library:read", self.folder_content), methods=["GET"]),
            Route("/v2/logs", a("api:logs:read", self.logs), methods=["GET"]),
            Route("/v2/meetings", a("api:meetings:user:create", self.create_meeting, body="json"), methods=["POST"]),
            Route(
                "/v2/meetings/{meetingId}",
                a("api:meetings:user:update", self.update_meeting, body="json"),
                methods=["PUT"],
            ),
            Route(
                "/v2/meetings/{meetingId}",
                a("api:meetings:user:delete", self.delete_meeting, body="optional"),
                methods=["DELETE"],
            ),
            Route(
                "/v2/customer-engagement/action",
                a("api:engagement-data:write", self.engagement("action"), body="json"),
                methods=["PUT"],
            ),
            Route(
                "/v2/customer-engagement/content/shared",
                a("api:engagement-data:write", self.engagement("shared"), body="json"),
                methods=["PUT"],
            ),
            Route(
                "/v2/customer-engagement/content/viewed",
                a("api:engagement-data:write", self.engagement("viewed"), body="json"),
                methods=["PUT"],
            ),
            Route(
                "/v2/data-privacy/data-for-email-address", a("api:data-privacy:read", self.email_refs), methods=["GET"]
            ),
            Route(
                "/v2/data-privacy/data-for-phone-number", a("api:data-privacy:read", self.phone_refs), methods=["GET"]
            ),
            Route(
                "/v2/data-privacy/erase-data-for-email-address",
                a("api:data-privacy:delete", self.erase_email),
                methods=["POST"],
            ),
            Route(
                "/v2/data-privacy/erase-data-for-phone-number",
                a("api:data-privacy:delete", self.erase_phone),
                methods=["POST"],
            ),
            Route("/oauth2/authorize", self.authorize_page, methods=["GET"]),
            Route("/oauth2/authorize", self.authorize_decision, methods=["POST"]),
            Route("/oauth2/generate-customer-token", self.token, methods=["POST"]),
            Route(ADMIN + "/{rest:path}", self.admin, methods=["GET", "POST", "PUT", "DELETE"]),
        ]


FAULT_OUTCOMES = ("drop", "429", "500", "502", "503", "504")


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
