"""Emulator settings, one dataclass so the CLI, the context manager and the fixture agree."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

#: Gong's documented cap on a media file: 1.5 GB (read as GiB, the larger reading).
MAX_MEDIA_BYTES = 1536 * 1024 * 1024

#: What ``EmulatorConfig(strict=True)`` sets each guessed rule to, unless it was set already.
STRICT_RULES: dict[str, object] = {
    "max_call_window_days": 90,  # PostHog's importer splits its windows into 90 days
    "require_utc_offset": True,
    "phone_digit_limits": True,
    "max_json_bytes": 10 * 1024 * 1024,
    "cursor_bound_to_filter": True,
    "media_upload_checks": True,
    "guessed_scopes": True,
    "empty_results_404": True,
    "stats_date_checks": True,
    "reference_checks": True,
    "range_checks": True,
    "unknown_filter_fields": True,
    "email_checks": True,
}

#: Every scope the emulator knows: Gong's documented ones and the two it guesses.
ALL_SCOPES = (
    "api:calls:read:basic",
    "api:calls:read:extensive",
    "api:calls:read:transcript",
    "api:calls:read:media-url",
    "api:calls:create",
    "api:users:read",
    "api:workspaces:read",
    "api:library:read",
    "api:logs:read",
    "api:meetings:user:create",
    "api:meetings:user:update",
    "api:meetings:user:delete",
    "api:data-privacy:read",
    "api:data-privacy:delete",
    "api:engagement-data:write",
    "api:crm:integrations:read",
    "api:crm:integration:register",
    "api:crm:integration:delete",
    "api:crm:schema",
    "api:crm:get-objects",
    "api:crm:upload",
    "api:crm-calls:manual-association:read",
    "api:call-user-access:read",
    "api:call-user-access:write",
    "api:stats:scorecards",
    "api:stats:interaction",
    "api:stats:user-actions",
    "api:stats:user-actions:detailed",
    "api:settings:scorecards:read",
    "api:settings:trackers:read",
    "api:coaching:read",
    "api:flows:read",
    "api:flows:write",
    "api:digital-interactions:write",
    "api:meetings:integration:status",
    "api:integration-settings:write",
    # Gong's document names no scope for the permission-profile operations; these names
    # come from public clients and are enforced only with ``guessed_scopes``.
    "api:permission-profile:read",
    "api:permission-profile:write",
)


@dataclass(frozen=True)
class RateLimit:
    """Per-company request limits; ``None`` switches a limit off."""

    per_second: float | None = 3.0
    per_day: int | None = 10_000

    def __post_init__(self) -> None:
        if self.per_second is not None and self.per_second <= 0:
            raise ValueError("per_second must be positive (None switches the limit off)")
        if self.per_day is not None and self.per_day <= 0:
            raise ValueError("per_day must be positive (None switches the limit off)")

    @classmethod
    def off(cls) -> RateLimit:
        return cls(per_second=None, per_day=None)

    @classmethod
    def parse(cls, text: str, per_day: int | None = 10_000) -> RateLimit:
        """Read ``off``, ``3``, ``3/s`` or ``180/min`` as a per-second limit."""
        value = text.strip().lower()
        if value in {"off", "none", "0", "false", "no"}:
            return cls(per_second=None, per_day=per_day)
        number, _, unit = value.partition("/")
        try:
            rate = float(number)
        except ValueError:
            raise ValueError(f"rate limit must be 'off' or like '3/s' or '180/min', not {text!r}") from None
        divisor = {"": 1.0, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0}.get(unit)
        if divisor is None or rate <= 0:
            raise ValueError(f"rate limit must be 'off' or like '3/s' or '180/min', not {text!r}")
        return cls(per_second=rate / divisor, per_day=per_day)


def _today_utc() -> datetime:
    now = datetime.now(UTC)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class OAuthClient:
    client_id: str
    client_secret: str
    #: ``None`` accepts any loopback redirect URI (see docs/emulator-fidelity.md).
    redirect_uris: tuple[str, ...] | None = None
    name: str = "Emulator integration"
    scopes: tuple[str, ...] = ALL_SCOPES


@dataclass(frozen=True)
class EmulatorConfig:
    seed: int = 42
    calls: int = 300
    users: int = 150
    workspaces: int = 3
    #: Generated calls end here; defaults to the start of today (UTC) so data looks recent.
    anchor: datetime = field(default_factory=_today_utc)
    #: Days of history the generated calls and logs spread over.
    history_days: int = 180
    access_key: str = "emulator-access-key"
    access_key_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    rate_limit: RateLimit = field(default_factory=RateLimit)
    page_size: int = 100
    transcript_page_size: int = 100
    #: Most sentences in one call's transcript (a call gets one per 15 s, at least 4); lower
    #: it to keep transcripts, and tests that store them, small.
    max_transcript_sentences: int = 240
    #: Seconds a paging cursor stays valid.
    cursor_ttl: float = 600.0
    #: Seconds between media arriving and the call being processed (listed, transcribed).
    processing_delay: float = 60.0
    #: Seconds between a data-privacy erasure request and the data being gone (Gong: "not
    #: immediate, and may take several hours"); 0 erases at once.
    erasure_delay: float = 60.0
    max_media_bytes: int = MAX_MEDIA_BYTES
    media_dir: Path | None = None
    access_token_ttl: int = 86_400
    oauth_clients: tuple[OAuthClient, ...] = (
        OAuthClient(client_id="emulator-client-id", client_secret="emulator-client-secret"),  # noqa: S106 - fixed demo app
    )
    #: Base URL put in ``api_base_url_for_customer``; ``None`` means the emulator's own.
    customer_api_base_url: str | None = None
    #: Freeze the emulator clock at start; tests then move it with ``advance_clock``.
    frozen_clock: bool = False

    # Rules Gong does not document, each off unless asked for (docs/emulator-fidelity.md
    # lists them). ``strict`` turns on every one left at its default.
    strict: bool = False
    #: Longest ``fromDateTime``..``toDateTime`` window ``GET /v2/calls`` accepts, in days.
    max_call_window_days: int | None = None
    #: Refuse date-times without a UTC offset (otherwise they are read as UTC).
    require_utc_offset: bool = False
    #: Refuse phone numbers with fewer than 7 or more than 15 digits.
    phone_digit_limits: bool = False
    #: Largest JSON request body, in bytes; larger ones get 413.
    max_json_bytes: int | None = None
    #: Refuse a cursor sent with a filter other than the one it was issued for.
    cursor_bound_to_filter: bool = False
    #: Refuse an empty ``mediaFile``, a second upload, and uploads to calls Gong recorded itself.
    media_upload_checks: bool = False
    #: Enforce the scopes we guessed for routes whose scope Gong's document does not state.
    guessed_scopes: bool = False
    #: Answer 404 for an empty first page of the lists added with the whole API (stats,
    #: settings, flows, ...), where Gong lists a 404 but not when it is sent.
    empty_results_404: bool = False
    #: Refuse stats windows that end before they start, or after the current day.
    stats_date_checks: bool = False
    #: Refuse ids that name no call, user, workspace or profile where Gong's document does
    #: not say what happens to them (otherwise they are skipped, or match nothing).
    reference_checks: bool = False
    #: Refuse a time window that ends when or before it starts (otherwise it is empty), a
    #: meeting that ends before it starts and a negative call duration.
    range_checks: bool = False
    #: Refuse fields the extensive and transcript filters do not document (otherwise ignored).
    unknown_filter_fields: bool = False
    #: Refuse e-mail addresses not of the form name@domain.tld (otherwise they are taken as
    #: sent, and name no one).
    email_checks: bool = False

    def __post_init__(self) -> None:
        if self.strict:
            defaults = {f.name: f.default for f in fields(self)}
            for name, value in STRICT_RULES.items():
                if getattr(self, name) == defaults[name]:
                    object.__setattr__(self, name, value)

    def with_changes(self, **changes: Any) -> EmulatorConfig:
        return replace(self, **changes)

    def __repr__(self) -> str:  # never show the secret
        return (
            f"EmulatorConfig(seed={self.seed}, calls={self.calls}, users={self.users}, "
            f"workspaces={self.workspaces}, rate_limit={self.rate_limit}{', strict' if self.strict else ''})"
        )
