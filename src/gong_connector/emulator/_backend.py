"""The emulated Gong company: state and rules, no HTTP.

The HTTP layer parses requests and calls these methods; they return plain JSON-ready
dicts or raise ``GongHTTPError``. Generated data lives in ``Dataset``; everything the API
changes (created calls, media, meetings, events, erasures) is layered over it here.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import secrets
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import _vocab as v
from ._clock import Clock
from ._config import EmulatorConfig
from ._dataset import (
    LOG_TYPES,
    CallRecord,
    Contact,
    Dataset,
    Party,
    _rng,
    insert_sorted,
    speaking_parties,
    topics,
    trackers,
    transcript,
)
from ._errors import GongHTTPError, bad_request, conflict, not_found
from ._ids import IdCodec, stable_hash
from ._limits import FaultInjector, RateLimiter
from ._paging import CursorCodec, fingerprint
from ._timefmt import fmt, parse_iso

JSON = dict[str, Any]

DIRECTIONS = ("Inbound", "Outbound", "Conference", "Unknown")
CRM_SYSTEMS = ("Salesforce", "HubSpot", "MicrosoftDynamic", "Generic")
CALL_OBJECT_TYPES = ("Opportunity", "Account", "Lead", "Contact", "User", "Opportunity,Account")
PARTY_OBJECT_TYPES = ("Lead", "Contact", "Account", "Opportunity", "User", "Lead,Contact")
AGENT_PLATFORMS = ("Windows", "Linux", "MacOS", "iOS", "Android")
PROPERTY_TYPES = ("number", "string", "url", "date")
CONTEXT_LEVELS = ("None", "Basic", "Extended")
CONTEXT_TIMINGS = ("Now", "TimeOfCall")
LANGUAGE_CODES = frozenset(
    "af-ZA am-ET ar-AE ar-BH ar-DZ ar-EG ar-IL ar-IQ ar-JO ar-KW ar-LB ar-MA ar-MR ar-OM ar-PS "
    "ar-QA ar-SA ar-TN ar-YE az-AZ bg-BG bn-BD bn-IN bs-BA ca-ES cs-CZ da-DK de-AT de-CH de-DE "
    "el-GR en-AB en-AU en-CA en-GB en-IE en-IN en-NZ en-PH en-SG en-US en-WL en-ZA es-AR es-BO "
    "es-CL es-CO es-CR es-DO es-EC es-ES es-GT es-HN es-MX es-NI es-PA es-PE es-PR es-PY es-SV "
    "es-US es-UY et-EE eu-ES fa-IR fi-FI fil-PH fr-BE fr-CA fr-CH fr-FR gl-ES gu-IN he-IL hi-IN "
    "hr-HR hu-HU hy-AM id-ID is-IS it-CH it-IT ja-JP jv-ID ka-GE kk-KZ km-KH kn-IN ko-KR lo-LA "
    "lt-LT lv-LV mk-MK ml-IN mn-MN mr-IN ms-MY my-MM ne-NP nl-BE nl-NL no-NO pa-Guru-IN pl-PL "
    "pt-BR pt-PT ro-RO ru-RU si-LK sk-SK sl-SI sq-AL sr-RS su-ID sv-SE sw-KE sw-TZ ta-IN ta-LK "
    "ta-MY ta-SG te-IN th-TH tr-TR uk-UA ur-IN ur-PK uz-UZ vi-VN yue-Hant-HK zh-CN zh-TW zu-ZA".split()
)
ISO_LANG = {
    "en": "eng",
    "es": "spa",
    "fr": "fre",
    "de": "ger",
    "it": "ita",
    "pt": "por",
    "nl": "dut",
    "ja": "jpn",
    "zh": "chi",
    "he": "heb",
}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ID_RE = re.compile(r"^\d{1,20}$")

EMPTY_CALLS = "No calls found corresponding to the provided filters"
EMPTY_USERS = "No users found corresponding to the provided filters"
EMPTY_LOGS = "No log records found corresponding to the provided log type and time range"
EMPTY_FOLDERS = "No folders found corresponding to the provided filters"


@dataclass
class CreatedCall:
    record: CallRecord
    body: JSON
    created_at: float
    media_at: float | None = None
    processed_at: float | None = None  # when it becomes visible in lists and transcribed
    processed: bool = False


@dataclass
class MediaInfo:
    call_id: str
    path: Path
    size: int
    sha256: str
    filename: str | None
    content_type: str | None


@dataclass
class Page:
    items: list[JSON]
    total: int
    page_number: int
    cursor: str | None

    def records(self) -> JSON:
        out: JSON = {
            "totalRecords": self.total,
            "currentPageSize": len(self.items),
            "currentPageNumber": self.page_number,
        }
        if self.cursor:
            out["cursor"] = self.cursor
        return out


@dataclass
class CallFilter:
    from_ms: int | None = None
    to_ms: int | None = None
    workspace_id: str | None = None
    call_ids: tuple[str, ...] | None = None
    primary_user_ids: tuple[str, ...] | None = None

    def as_dict(self) -> JSON:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Listener:
    """Called (outside the lock) when a call finishes processing; webhooks hook in here."""

    on_processed: list[Callable[[CallRecord], None]] = field(default_factory=list)


def normalize_phone(value: str) -> str:
    return "+" + "".join(ch for ch in value if ch.isdigit())


def _check_id(value: object, name: str) -> str:
    if not isinstance(value, str) or not ID_RE.match(value):
        raise bad_request(f"{name} must be a numeric string of up to 20 digits")
    return value


def _req_str(body: JSON, name: str, *, max_len: int | None = None) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise bad_request(f"{name} is required and must be a non-empty string")
    if max_len is not None and len(value) > max_len:
        raise bad_request(f"{name} must be at most {max_len} characters")
    return value


def _opt_str(body: JSON, name: str, *, max_len: int | None = None) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string")
    if max_len is not None and len(value) > max_len:
        raise bad_request(f"{name} must be at most {max_len} characters")
    return value


def _req_time(body: JSON, name: str) -> float:
    value = body.get(name)
    parsed = parse_iso(value)
    if parsed is None:
        raise bad_request(f"{name} must be an ISO-8601 date-time with a time zone offset")
    return parsed.timestamp()


def _opt_time(body: JSON, name: str) -> float | None:
    if body.get(name) is None:
        return None
    return _req_time(body, name)


def _enum(value: object, name: str, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise bad_request(f"{name} must be one of {', '.join(allowed)}")
    return str(value)


def _list_of_dicts(body: JSON, name: str, *, required: bool = False) -> list[JSON]:
    value = body.get(name)
    if value is None:
        if required:
            raise bad_request(f"{name} is required")
        return []
    if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
        raise bad_request(f"{name} must be a list of objects")
    return value


def _check_crm_context(items: list[JSON], name: str, object_types: tuple[str, ...]) -> None:
    for n, ctx in enumerate(items):
        _enum(ctx.get("system"), f"{name}[{n}].system", CRM_SYSTEMS)
        for m, obj in enumerate(_list_of_dicts(ctx, "objects")):
            _enum(obj.get("objectType"), f"{name}[{n}].objects[{m}].objectType", object_types)
            if not isinstance(obj.get("objectId"), str) or not obj["objectId"]:
                raise bad_request(f"{name}[{n}].objects[{m}].objectId is required")


class Backend:
    def __init__(self, config: EmulatorConfig, clock: Clock | None = None) -> None:
        self.clock = clock or Clock(frozen=config.frozen_clock)
        self.lock = threading.RLock()
        self.listener = Listener()
        self.rate_limiter = RateLimiter(config.rate_limit, self.clock)
        self.faults = FaultInjector()
        self.request_log: deque[JSON] = deque(maxlen=100_000)
        self.load(config)

    # ----- lifecycle --------------------------------------------------------------------------

    def load(self, config: EmulatorConfig) -> None:
        """(Re)generate the company from ``config``; drops every change made through the API."""
        with self.lock:
            self.config = config
            self.data = Dataset(config)
            self.cursors = CursorCodec(self.clock, config.cursor_ttl)
            self.created_ids = IdCodec(config.seed, "created-call")
            self.version = 0
            self.calls_version = 0
            self.deleted_calls: set[str] = set()
            self.created: dict[str, CreatedCall] = {}
            self.created_by_unique: dict[str, str] = {}
            self.processed_keys: list[tuple[int, str]] = []
            self.erased_contacts: set[int] = set()
            self.erased_emails: set[str] = set()  # e-mail message ids
            self.meetings: dict[str, JSON] = {}
            self.meeting_counter = 0
            self.events: list[JSON] = []
            self.event_keys: set[tuple[str, str, str]] = set()
            self.media: dict[str, MediaInfo] = {}
            self._count_cache: dict[tuple[str, int], int] = {}
            if config.media_dir is not None:
                config.media_dir.mkdir(parents=True, exist_ok=True)
            self._seed_meetings()

    def _seed_meetings(self) -> None:
        for k in range(min(10, max(1, self.data.n_calls // 30))):
            rng = _rng(self.config.seed, "meeting", k)
            organizer = self.data.reps[rng.randrange(len(self.data.reps))]
            contact = self.data.contact(rng.randrange(self.data.n_contacts))
            start = self.data.end_ts + (k + 1) * 86_400
            self._store_meeting(
                {
                    "startTime": fmt(start),
                    "endTime": fmt(start + 1800),
                    "title": f"{v.ACCOUNTS[contact.account_index]} | Follow-up",
                    "organizerEmail": organizer["emailAddress"],
                    "invitees": [{"email": contact.email, "displayName": contact.name}],
                    "externalId": f"cal-{k}",
                }
            )

    def changed(self, *, calls: bool = True) -> None:
        """Note a change; only changes to calls invalidate the cached call counts."""
        self.version += 1
        if calls:
            self.calls_version += 1
            self._count_cache.clear()

    def record_request(self, entry: JSON) -> None:
        self.request_log.append(entry)

    # ----- processing of created calls ----------------------------------------------------------

    def tick(self) -> list[CallRecord]:
        """Finish processing calls whose time has come; returns them for webhooks."""
        now = self.clock.now()
        done: list[CallRecord] = []
        with self.lock:
            for created in self.created.values():
                if (
                    not created.processed
                    and created.processed_at is not None
                    and created.processed_at <= now
                    and created.record.id not in self.deleted_calls
                ):
                    created.processed = True
                    insert_sorted(self.processed_keys, created.record.sort_key)
                    done.append(created.record)
            if done:
                self.changed()
        for record in done:
            for callback in self.listener.on_processed:
                callback(record)
        return done

    # ----- call lookup ------------------------------------------------------------------------

    def find_call(self, call_id: str, *, processed_only: bool = False) -> CallRecord | None:
        if call_id in self.deleted_calls:
            return None
        index = self.data.call_index(call_id)
        if index is not None:
            return self.data.call(index)
        created = self.created.get(call_id)
        if created is None or (processed_only and not created.processed):
            return None
        return created.record

    def _generated_match(self, i: int, flt: CallFilter) -> bool:
        if flt.workspace_id is not None and self.data.workspace_of(i) != flt.workspace_id:
            return False
        if flt.primary_user_ids is not None and self.data.primary_rep_of(i)["id"] not in flt.primary_user_ids:
            return False
        return self.data.call_ids.encode(i) not in self.deleted_calls

    def _record_match(self, rec: CallRecord, flt: CallFilter) -> bool:
        if flt.from_ms is not None and rec.key_ms < flt.from_ms:
            return False
        if flt.to_ms is not None and rec.key_ms >= flt.to_ms:
            return False
        if flt.workspace_id is not None and rec.meta.get("workspaceId") != flt.workspace_id:
            return False
        if flt.primary_user_ids is not None and rec.meta.get("primaryUserId") not in flt.primary_user_ids:
            return False
        return rec.id not in self.deleted_calls

    def _iter_calls(self, flt: CallFilter, after: tuple[int, str] | None) -> Iterator[CallRecord]:
        """Matching visible calls in (time, id) order, strictly after ``after``."""
        if flt.call_ids is not None:
            found = []
            for cid in dict.fromkeys(flt.call_ids):
                rec = self.find_call(cid, processed_only=True)
                if rec is not None and self._record_match(rec, flt):
                    found.append(rec)
            found.sort(key=lambda r: r.sort_key)
            yield from (r for r in found if after is None or r.sort_key > after)
            return
        start_ms = flt.from_ms if flt.from_ms is not None else -(2**62)
        if after is not None:
            start_ms = max(start_ms, after[0])
        end_ms = flt.to_ms if flt.to_ms is not None else 2**62

        def generated() -> Iterator[tuple[tuple[int, str], int, Any]]:
            i = self.data.index_at_or_after(start_ms)
            while i < self.data.n_calls:
                key_ms = self.data.key_ms(i)
                if key_ms >= end_ms:
                    return
                key = (key_ms, self.data.call_ids.encode(i))
                if (after is None or key > after) and self._generated_match(i, flt):
                    yield key, 0, i
                i += 1

        def created() -> Iterator[tuple[tuple[int, str], int, Any]]:
            lo = 0 if after is None else self._bisect_keys(after, strict=True)
            if after is None:
                lo = self._bisect_keys((start_ms, ""), strict=False)
            for key in self.processed_keys[lo:]:
                if key[0] >= end_ms:
                    return
                rec = self.created[key[1]].record
                if self._record_match(rec, flt):
                    yield key, 1, rec

        for _key, source, item in heapq.merge(generated(), created()):
            yield self.data.call(item) if source == 0 else item

    def _bisect_keys(self, key: tuple[int, str], *, strict: bool) -> int:
        import bisect

        keys = self.processed_keys
        return bisect.bisect_right(keys, key) if strict else bisect.bisect_left(keys, key)

    def _count_calls(self, flt: CallFilter) -> int:
        fp = fingerprint("count", flt.as_dict())
        cached = self._count_cache.get((fp, self.calls_version))
        if cached is not None:
            return cached
        if flt.call_ids is not None:
            total = sum(1 for _ in self._iter_calls(flt, None))
        else:
            start_ms = flt.from_ms if flt.from_ms is not None else -(2**62)
            end_ms = flt.to_ms if flt.to_ms is not None else 2**62
            lo = self.data.index_at_or_after(start_ms)
            hi = self.data.index_at_or_after(end_ms)
            if flt.workspace_id is None and flt.primary_user_ids is None and not self.deleted_calls:
                total = hi - lo
            else:
                total = sum(1 for i in range(lo, hi) if self._generated_match(i, flt))
            total += sum(
                1
                for key in self.processed_keys
                if start_ms <= key[0] < end_ms and self._record_match(self.created[key[1]].record, flt)
            )
        self._count_cache[(fp, self.calls_version)] = total
        return total

    def _call_page(
        self, kind: str, flt: CallFilter, cursor: str | None, size: int, render: Callable[[CallRecord], JSON | None]
    ) -> Page:
        fp = fingerprint(kind, flt.as_dict())
        after: tuple[int, str] | None = None
        page_number = 0
        if cursor is not None:
            position, page_number = self.cursors.decode(cursor, fp)
            after = (int(position[0]), str(position[1]))
        total = self._count_calls(flt)
        items: list[JSON] = []
        last: tuple[int, str] | None = None
        more = False
        for rec in self._iter_calls(flt, after):
            if len(items) == size:
                more = True
                break
            rendered = render(rec)
            last = rec.sort_key
            if rendered is not None:
                items.append(rendered)
        if not items and page_number == 0:
            raise not_found(EMPTY_CALLS)
        next_cursor = self.cursors.encode(fp, list(last), page_number + 1) if more and last else None
        return Page(items, total, page_number, next_cursor)

    # ----- GET /v2/calls, GET /v2/calls/{id} ----------------------------------------------------

    def call_filter_from_query(
        self, from_text: str | None, to_text: str | None, workspace_id: str | None, *, window_limit: bool
    ) -> CallFilter:
        flt = CallFilter()
        if from_text is not None:
            parsed = parse_iso(from_text)
            if parsed is None:
                raise bad_request("fromDateTime must be an ISO-8601 date-time with a time zone offset")
            flt.from_ms = int(parsed.timestamp() * 1000)
        if to_text is not None:
            parsed = parse_iso(to_text)
            if parsed is None:
                raise bad_request("toDateTime must be an ISO-8601 date-time with a time zone offset")
            flt.to_ms = int(parsed.timestamp() * 1000)
        if flt.from_ms is not None and flt.to_ms is not None and flt.to_ms <= flt.from_ms:
            raise bad_request("toDateTime must be later than fromDateTime")
        limit = self.config.max_call_window_days
        if (
            window_limit
            and limit
            and flt.from_ms is not None
            and flt.to_ms is not None
            and flt.to_ms - flt.from_ms > limit * 86_400_000
        ):
            raise bad_request(f"The date range between fromDateTime and toDateTime must not exceed {limit} days")
        if workspace_id is not None:
            flt.workspace_id = self._known_workspace(workspace_id)
        return flt

    def _known_workspace(self, workspace_id: object) -> str:
        wid = _check_id(workspace_id, "workspaceId")
        if all(ws["id"] != wid for ws in self.data.workspaces):
            raise bad_request(f"workspaceId {wid} does not exist")
        return wid

    def list_calls(self, flt: CallFilter, cursor: str | None) -> Page:
        with self.lock:
            return self._call_page("calls", flt, cursor, self.config.page_size, lambda r: dict(r.meta))

    def get_call(self, call_id: str) -> JSON:
        _check_id(call_id, "id")
        with self.lock:
            # Gong shows a call to the API only once it has processed it.
            rec = self.find_call(call_id, processed_only=True)
            if rec is None:
                raise not_found(f"Call {call_id} was not found")
            return dict(rec.meta)

    # ----- POST /v2/calls/extensive and /v2/calls/transcript -----------------------------------

    def body_call_filter(self, body: JSON, *, owners: bool, transcript: bool) -> CallFilter:
        raw = body.get("filter")
        if not isinstance(raw, dict):
            raise bad_request("filter is required and must be an object")
        allowed = {"fromDateTime", "toDateTime", "workspaceId", "callIds"} | ({"primaryUserIds"} if owners else set())
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise bad_request(f"filter has unknown fields: {', '.join(unknown)}")
        flt = self.call_filter_from_query(
            raw.get("fromDateTime"), raw.get("toDateTime"), raw.get("workspaceId"), window_limit=False
        )
        if raw.get("fromDateTime") is not None and not isinstance(raw["fromDateTime"], str):
            raise bad_request("filter.fromDateTime must be a string")
        if "callIds" in raw and raw["callIds"] is not None:
            ids = raw["callIds"]
            if not isinstance(ids, list) or not ids:
                raise bad_request("filter.callIds must be a non-empty list of call IDs")
            flt.call_ids = tuple(_check_id(x, "filter.callIds") for x in ids)
            if transcript and flt.workspace_id is not None:
                raise bad_request("workspaceId and callIds cannot be combined")
        if owners and raw.get("primaryUserIds") is not None:
            ids = raw["primaryUserIds"]
            if not isinstance(ids, list) or not ids:
                raise bad_request("filter.primaryUserIds must be a non-empty list of user IDs")
            flt.primary_user_ids = tuple(_check_id(x, "filter.primaryUserIds") for x in ids)
        return flt

    def extensive(self, body: JSON, base_url: str, can_media: bool) -> Page:
        flt = self.body_call_filter(body, owners=True, transcript=False)
        selector = body.get("contentSelector")
        selector = {} if selector is None else selector
        if not isinstance(selector, dict):
            raise bad_request("contentSelector must be an object")
        context = selector.get("context", "None")
        _enum(context, "contentSelector.context", CONTEXT_LEVELS)
        timing = selector.get("contextTiming") or ["Now"]
        if not isinstance(timing, list) or any(t not in CONTEXT_TIMINGS for t in timing):
            raise bad_request("contentSelector.contextTiming must be a list of Now, TimeOfCall")
        exposed = selector.get("exposedFields")
        exposed = {} if exposed is None else exposed
        if not isinstance(exposed, dict):
            raise bad_request("contentSelector.exposedFields must be an object")
        for name in ("content", "interaction", "collaboration"):
            if exposed.get(name) is not None and not isinstance(exposed[name], dict):
                raise bad_request(f"contentSelector.exposedFields.{name} must be an object")
        with self.lock:
            return self._call_page(
                "extensive",
                flt,
                body.get("cursor"),
                self.config.page_size,
                lambda rec: self.extensive_call(rec, context, timing, exposed, base_url, can_media),
            )

    def duration_of(self, rec: CallRecord) -> int:
        return int(rec.meta.get("duration") or 0)

    def extensive_call(
        self, rec: CallRecord, context: str, timing: list[str], exposed: JSON, base_url: str, can_media: bool
    ) -> JSON:
        out: JSON = {"metaData": dict(rec.meta)}
        if context in ("Basic", "Extended"):
            out["context"] = self._call_context(rec, context == "Extended", timing)
        if exposed.get("parties"):
            out["parties"] = [p.to_json() for p in rec.parties]
        duration = self.duration_of(rec)
        content_sel = exposed.get("content") or {}
        if isinstance(content_sel, dict) and any(content_sel.values()):
            out["content"] = self._content(rec, content_sel, duration)
        inter_sel = exposed.get("interaction") or {}
        if isinstance(inter_sel, dict) and any(inter_sel.values()):
            out["interaction"] = self._interaction(rec, inter_sel, duration)
        collab = exposed.get("collaboration") or {}
        if isinstance(collab, dict) and collab.get("publicComments"):
            out["collaboration"] = {"publicComments": self._comments(rec, duration)}
        if exposed.get("media") and can_media:
            has_media = (
                rec.index is not None
                or rec.id in self.media
                or (rec.id in self.created and self.created[rec.id].media_at is not None)
            )
            out["media"] = {
                "audioUrl": f"{base_url}/_emulator/media/{rec.id}" if has_media else None,
                "videoUrl": f"{base_url}/_emulator/media/{rec.id}"
                if has_media and rec.meta.get("media") == "Video"
                else None,
            }
        return out

    def _call_context(self, rec: CallRecord, extended: bool, timing: list[str]) -> list[JSON]:
        if rec.crm_context is not None:
            return rec.crm_context
        if rec.account_index is None:
            return []
        name = v.ACCOUNTS[rec.account_index]
        objects = []
        for when in timing:
            for obj_type, obj_id, fields in (
                (
                    "Account",
                    self.data.account_crm_id(rec.account_index),
                    [
                        {"name": "Name", "value": name},
                        {"name": "Website", "value": f"https://{name.lower().replace(' ', '')}.example"},
                        {"name": "Industry", "value": "Technology"},
                    ],
                ),
                (
                    "Opportunity",
                    self.data.opportunity_crm_id(rec.account_index),
                    [
                        {"name": "Name", "value": f"{name} - Platform"},
                        {"name": "StageName", "value": "Discovery" if when == "TimeOfCall" else "Negotiation"},
                        {"name": "Amount", "value": 10_000 + stable_hash(name) % 90_000},
                    ],
                ),
            ):
                objects.append(
                    {"objectType": obj_type, "objectId": obj_id, "fields": fields if extended else [], "timing": when}
                )
        return [{"system": "Salesforce", "objects": objects}]

    def _content(self, rec: CallRecord, sel: JSON, duration: int) -> JSON:
        rng = _rng(rec.seed_key, "content")
        speakers = speaking_parties(rec)
        out: JSON = {}
        topic_list = topics(rec, duration)
        if sel.get("structure"):
            out["structure"] = [{"name": t["name"], "duration": t["duration"]} for t in topic_list[1:6]]
        if sel.get("topics"):
            out["topics"] = topic_list
        if sel.get("trackers") or sel.get("trackerOccurrences"):
            out["trackers"] = trackers(rec, bool(sel.get("trackerOccurrences")))
        if sel.get("pointsOfInterest"):
            start = round(rng.uniform(0, max(1, duration - 60)), 1)
            out["pointsOfInterest"] = {
                "actionItems": [
                    {
                        "snippetStartTime": start,
                        "snippetEndTime": start + 20,
                        "speakerID": speakers[0].speaker_id if speakers else None,
                        "snippet": "I will send the proposal and the security questionnaire by Friday.",
                    }
                ]
            }
        if sel.get("brief"):
            out["brief"] = (
                f"{rec.meta.get('title')}: the team reviewed current reporting pain "
                "points and agreed on a pilot with clear next steps."
            )
        if sel.get("outline"):
            out["outline"] = [
                {
                    "section": t["name"],
                    "startTime": float(k * duration // 8),
                    "duration": float(t["duration"]),
                    "items": [{"text": f"Discussed {t['name'].lower()}", "startTime": float(k * duration // 8)}],
                }
                for k, t in enumerate(topic_list)
            ]
        if sel.get("highlights"):
            out["highlights"] = [
                {
                    "title": "Next steps",
                    "items": [{"text": "Schedule a follow-up with IT", "startTimes": [float(duration * 0.8)]}],
                }
            ]
        if sel.get("callOutcome"):
            out["callOutcome"] = {"id": "1", "category": "Positive", "name": "Next meeting scheduled"}
        if sel.get("keyPoints"):
            out["keyPoints"] = [
                {"text": "Customer wants faster quarter-end reporting."},
                {"text": "Security review is the main risk to the timeline."},
            ]
        return out

    def _interaction(self, rec: CallRecord, sel: JSON, duration: int) -> JSON:
        rng = _rng(rec.seed_key, "interaction")
        speakers = speaking_parties(rec)
        out: JSON = {}
        if sel.get("speakers"):
            shares = [rng.randrange(1, 10) for _ in speakers]
            total = sum(shares) or 1
            out["speakers"] = [
                {"id": p.party_id, "userId": p.user_id, "talkTime": round(duration * 0.9 * s / total, 1)}
                for p, s in zip(speakers, shares, strict=True)
            ]
        if sel.get("personInteractionStats"):
            out["interactionStats"] = [
                {"name": "Talk Ratio", "value": round(rng.uniform(0.3, 0.7), 2)},
                {"name": "Longest Monologue", "value": rng.randrange(30, 240)},
                {"name": "Longest Customer Story", "value": rng.randrange(10, 200)},
                {"name": "Interactivity", "value": round(rng.uniform(2, 10), 1)},
                {"name": "Patience", "value": round(rng.uniform(0.3, 2.5), 2)},
            ]
        if sel.get("video"):
            out["video"] = (
                [
                    {"name": "Presentation", "duration": float(duration // 3)},
                    {"name": "WebcamPrimaryUser", "duration": float(duration // 2)},
                ]
                if rec.meta.get("media") == "Video"
                else []
            )
        if sel.get("questions"):
            out["questions"] = {"companyCount": rng.randrange(3, 20), "nonCompanyCount": rng.randrange(0, 12)}
        return out

    def _comments(self, rec: CallRecord, duration: int) -> list[JSON]:
        rng = _rng(rec.seed_key, "comments")
        out = []
        for k in range(rng.randrange(0, 3)):
            author = self.data.users[rng.randrange(len(self.data.users))]
            start = round(rng.uniform(0, max(1, duration - 30)), 1)
            out.append(
                {
                    "id": str(stable_hash(rec.id, "comment", k) % 10**18 + 10**18),
                    "audioStartTime": start,
                    "audioEndTime": start + 15,
                    "commenterUserId": author["id"],
                    "comment": "Nice handling of this objection.",
                    "posted": fmt(rec.key_ms / 1000 + duration + 3600 * (k + 1)),
                    "inReplyTo": None,
                    "duringCall": False,
                }
            )
        return out

    def transcripts(self, body: JSON) -> Page:
        flt = self.body_call_filter(body, owners=False, transcript=True)
        with self.lock:
            page = self._call_page(
                "transcript",
                flt,
                body.get("cursor"),
                self.config.transcript_page_size,
                lambda rec: {"callId": rec.id, "transcript": transcript(rec, self.duration_of(rec))},
            )
            return page

    # ----- POST /v2/calls, PUT /v2/calls/{id}/media ---------------------------------------------

    def create_call(self, body: JSON) -> JSON:
        unique = _req_str(body, "clientUniqueId")
        actual_start = _req_time(body, "actualStart")
        scheduled_start = _opt_time(body, "scheduledStart")
        _opt_time(body, "scheduledEnd")
        direction = _enum(body.get("direction"), "direction", DIRECTIONS)
        primary = _check_id(body.get("primaryUser"), "primaryUser")
        title = _opt_str(body, "title")
        purpose = _opt_str(body, "purpose", max_len=255)
        disposition = _opt_str(body, "disposition", max_len=255)
        custom = _opt_str(body, "customData")
        meeting_url = _opt_str(body, "meetingUrl")
        _opt_str(body, "callProviderCode")
        download_url = _opt_str(body, "downloadMediaUrl")
        language = body.get("languageCode")
        if language is not None and language not in LANGUAGE_CODES:
            raise bad_request("languageCode is not a supported language code")
        duration = body.get("duration")
        if duration is not None and (
            not isinstance(duration, int | float) or isinstance(duration, bool) or duration < 0
        ):
            raise bad_request("duration must be a non-negative number of seconds")
        parties_in = _list_of_dicts(body, "parties", required=True)
        if not parties_in:
            raise bad_request("parties must contain at least the primary user")
        context = _list_of_dicts(body, "context")
        _check_crm_context(context, "context", CALL_OBJECT_TYPES)
        timeline = body.get("speakersTimeline")
        segments: list[JSON] | None = None
        if timeline is not None:
            if not isinstance(timeline, dict):
                raise bad_request("speakersTimeline must be an object")
            segments = _list_of_dicts(timeline, "speechSegments")
            party_ids = {p.get("partyId") for p in parties_in if p.get("partyId")}
            for n, seg in enumerate(segments):
                if not isinstance(seg.get("fromTime"), int) or not isinstance(seg.get("toTime"), int):
                    raise bad_request(f"speakersTimeline.speechSegments[{n}] needs integer fromTime and toTime")
                ids = seg.get("partyIds")
                if not isinstance(ids, list) or not ids or any(i not in party_ids for i in ids):
                    raise bad_request(
                        f"speakersTimeline.speechSegments[{n}].partyIds must name partyIds given in parties"
                    )
        for n, p in enumerate(parties_in):
            if p.get("userId") is not None:
                _check_id(p["userId"], f"parties[{n}].userId")
            email = p.get("emailAddress")
            if email is not None and (not isinstance(email, str) or not EMAIL_RE.match(email)):
                raise bad_request(f"parties[{n}].emailAddress is not a valid e-mail address")
            channel = p.get("mediaChannelId")
            if channel is not None and not isinstance(channel, int):
                raise bad_request(f"parties[{n}].mediaChannelId must be an integer")
            _check_crm_context(_list_of_dicts(p, "context"), f"parties[{n}].context", PARTY_OBJECT_TYPES)
        workspace = body.get("workspaceId")
        with self.lock:
            user = self.data.users_by_id.get(primary)
            if user is None:
                raise bad_request(f"primaryUser {primary} is not a Gong user of this company")
            if all(p.get("userId") != primary for p in parties_in):
                raise bad_request("parties must include a party for the primaryUser (with its userId)")
            if workspace is not None:
                workspace = self._known_workspace(workspace)
            if unique in self.created_by_unique:
                raise conflict(
                    f"A call with clientUniqueId '{unique}' was already uploaded "
                    f"(callId {self.created_by_unique[unique]})"
                )
            index = len(self.created)
            call_id = self.created_ids.encode(index)
            now = self.clock.now()
            conference = direction == "Conference"
            key_s = scheduled_start if conference and scheduled_start is not None else actual_start
            parties = []
            for n, p in enumerate(parties_in):
                uid = p.get("userId")
                known = self.data.users_by_id.get(uid) if uid else None
                email = p.get("emailAddress") or (known["emailAddress"] if known else None)
                parties.append(
                    Party(
                        party_id=str(p.get("partyId") or self.data.party_ids.encode(10**9 + index * 64 + n)),
                        name=p.get("name")
                        or (f"{known['firstName']} {known['lastName']}" if known else (email or "Unknown speaker")),
                        email=email,
                        title=known["title"] if known else None,
                        user_id=uid,
                        speaker_id=str(stable_hash(call_id, "spk", n) % 10**16),
                        affiliation="Internal"
                        if uid or (email or "").lower() in self.data.users_by_email
                        else "External",
                        phone=p.get("phoneNumber"),
                        media_channel_id=p.get("mediaChannelId"),
                        context=p.get("context") or [],
                    )
                )
            meta = {
                "id": call_id,
                "url": f"https://app.gong.io/call?id={call_id}",
                "title": title or "",
                "scheduled": fmt(scheduled_start) if scheduled_start is not None else None,
                "started": fmt(actual_start),
                "duration": int(duration) if duration is not None else 0,
                "primaryUserId": primary,
                "direction": direction,
                "system": body.get("callProviderCode") or "API",
                "scope": "External" if any(p.affiliation == "External" for p in parties) else "Internal",
                "media": "Video" if conference else "Audio",
                "language": ISO_LANG.get(str(language or "en")[:2], "eng"),
                "workspaceId": workspace or self.data.workspaces[0]["id"],
                "sdrDisposition": disposition,
                "clientUniqueId": unique,
                "customData": custom,
                "purpose": purpose,
                "meetingUrl": meeting_url,
                "isPrivate": False,
                "calendarEventId": None,
            }
            record = CallRecord(
                id=call_id,
                key_ms=int(key_s * 1000),
                meta=meta,
                parties=parties,
                account_index=None,
                seed_key=f"{self.config.seed}:created:{call_id}",
                speech_segments=segments,
                crm_context=context or None,
            )
            created = CreatedCall(record=record, body=body, created_at=now)
            if download_url:
                created.media_at = now
                created.processed_at = now + self.config.processing_delay
            self.created[call_id] = created
            self.created_by_unique[unique] = call_id
            self.changed()
        self.tick()
        return {"callId": call_id, "url": meta["url"]}

    def media_precheck(self, call_id: str, content_length: int | None) -> None:
        """Reject a media upload before reading its body."""
        _check_id(call_id, "id")
        with self.lock:
            created = self.created.get(call_id)
            if created is None or call_id in self.deleted_calls:
                if self.find_call(call_id) is not None:
                    raise bad_request(
                        f"Call {call_id} already has media; media can be added only to calls created through the API"
                    )
                raise not_found(f"Call {call_id} was not found")
            if created.media_at is not None:
                raise bad_request(f"Media was already provided for call {call_id}")
        if content_length is not None and content_length > self.config.max_media_bytes + 1024 * 1024:
            raise GongHTTPError(413, "The media file exceeds the maximum size of 1.5GB")

    def media_path(self, call_id: str) -> Path:
        base = self.config.media_dir
        assert base is not None, "the server sets a media directory"
        return base / f"{call_id}.media"

    def media_done(self, info: MediaInfo) -> JSON:
        with self.lock:
            created = self.created.get(info.call_id)
            if created is None:
                raise not_found(f"Call {info.call_id} was not found")
            if created.media_at is not None:
                raise bad_request(f"Media was already provided for call {info.call_id}")
            now = self.clock.now()
            created.media_at = now
            created.processed_at = now + self.config.processing_delay
            self.media[info.call_id] = info
            self.changed()
        self.tick()
        return {"callId": info.call_id, "url": created.record.meta["url"]}

    # ----- users, workspaces ------------------------------------------------------------------

    def list_users(self, include_avatars: bool, cursor: str | None) -> Page:
        users = self.data.users + (self.data.avatars if include_avatars else [])
        fp = fingerprint("users", {"avatars": include_avatars})
        offset, page_number = (0, 0)
        if cursor is not None:
            offset, page_number = self.cursors.decode(cursor, fp)
        size = self.config.page_size
        chunk = users[offset : offset + size]
        if not chunk:
            raise not_found(EMPTY_USERS)
        more = offset + size < len(users)
        next_cursor = self.cursors.encode(fp, offset + size, page_number + 1) if more else None
        return Page([public_user(u) for u in chunk], len(users), page_number, next_cursor)

    def get_user(self, user_id: str) -> JSON:
        _check_id(user_id, "id")
        user = self.data.users_by_id.get(user_id)
        if user is None:
            raise not_found(f"User {user_id} was not found")
        return public_user(user)

    def list_workspaces(self) -> list[JSON]:
        return [dict(ws) for ws in self.data.workspaces]

    # ----- library ----------------------------------------------------------------------------

    def list_folders(self, workspace_id: str | None) -> list[JSON]:
        if workspace_id is not None:
            workspace_id = self._known_workspace(workspace_id)
        folders = [f for f in self.data.folders if workspace_id is None or f.workspace_id == workspace_id]
        if not folders:
            raise not_found(EMPTY_FOLDERS)
        return [
            {
                "id": f.id,
                "name": f.name,
                "parentFolderId": f.parent_id,
                "createdBy": f.created_by,
                "updated": fmt(f.updated),
            }
            for f in folders
        ]

    def folder_content(self, folder_id: str) -> JSON:
        _check_id(folder_id, "folderId")
        folder = next((f for f in self.data.folders if f.id == folder_id), None)
        if folder is None:
            raise not_found(f"Folder {folder_id} was not found")
        calls = []
        with self.lock:
            for item in folder.calls:
                rec = self.find_call(item.get("callId") or self.data.call_ids.encode(item["index"]))
                if rec is None:
                    continue  # erased since
                calls.append(
                    {
                        "id": rec.id,
                        "title": rec.meta["title"],
                        "note": item["note"],
                        "addedBy": item["addedBy"],
                        "created": fmt(item["created"]),
                        "url": rec.meta["url"],
                        "snippet": {"fromSec": item["fromSec"], "toSec": item["toSec"]},
                    }
                )
        return {
            "id": folder.id,
            "name": folder.name,
            "createdBy": folder.created_by,
            "updated": fmt(folder.updated),
            "calls": calls,
        }

    def add_to_folder(self, folder_id: str, call_id: str, note: str | None = None) -> JSON:
        """Put a call in a library folder, as a user would; the folder's ``updated`` moves."""
        with self.lock:
            folder = next((f for f in self.data.folders if f.id == folder_id), None)
            if folder is None:
                raise not_found(f"Folder {folder_id} was not found")
            if self.find_call(call_id, processed_only=True) is None:
                raise not_found(f"Call {call_id} was not found")
            now = self.clock.now()
            folder.calls.append(
                {
                    "callId": call_id,
                    "note": note,
                    "addedBy": self.data.users[0]["id"],
                    "created": now,
                    "fromSec": 0,
                    "toSec": 60,
                }
            )
            folder.updated = now
            self.changed(calls=False)
        return self.folder_content(folder_id)

    # ----- logs -------------------------------------------------------------------------------

    def logs(self, log_type: str | None, from_text: str | None, to_text: str | None, cursor: str | None) -> Page:
        if log_type is None:
            raise bad_request("logType is required")
        _enum(log_type, "logType", LOG_TYPES)
        if from_text is None:
            raise bad_request("fromDateTime is required")
        start = parse_iso(from_text)
        if start is None:
            raise bad_request("fromDateTime must be an ISO-8601 date-time with a time zone offset")
        end = parse_iso(to_text) if to_text is not None else None
        if to_text is not None and end is None:
            raise bad_request("toDateTime must be an ISO-8601 date-time with a time zone offset")
        start_ms = int(start.timestamp() * 1000)
        end_ms = int(end.timestamp() * 1000) if end else int(self.clock.now() * 1000)
        if end_ms <= start_ms:
            raise bad_request("toDateTime must be later than fromDateTime")
        fp = fingerprint("logs", {"t": log_type, "f": start_ms, "e": to_text and end_ms})
        lo = self.data.log_index_at_or_after(log_type, start_ms)
        hi = self.data.log_index_at_or_after(log_type, end_ms)
        position, page_number = (lo, 0)
        if cursor is not None:
            position, page_number = self.cursors.decode(cursor, fp)
        stop = min(hi, position + self.config.page_size)
        items = [self.data.log_entry(log_type, k) for k in range(position, stop)]
        if hi <= lo:
            raise not_found(EMPTY_LOGS)
        next_cursor = self.cursors.encode(fp, stop, page_number + 1) if stop < hi else None
        return Page(items, hi - lo, page_number, next_cursor)

    # ----- meetings ---------------------------------------------------------------------------

    def _meeting_body(self, body: JSON) -> JSON:
        start = _req_time(body, "startTime")
        end = _req_time(body, "endTime")
        if end <= start:
            raise bad_request("endTime must be later than startTime")
        organizer = _req_str(body, "organizerEmail")
        if not EMAIL_RE.match(organizer):
            raise bad_request("organizerEmail is not a valid e-mail address")
        invitees = body.get("invitees")
        if not isinstance(invitees, list):
            raise bad_request("invitees is required and must be a list of invitee objects")
        for n, inv in enumerate(invitees):
            if not isinstance(inv, dict):
                raise bad_request(f"invitees[{n}] must be an object with an email")
            email = inv.get("email")
            if not isinstance(email, str) or not EMAIL_RE.match(email):
                raise bad_request(f"invitees[{n}].email is not a valid e-mail address")
        _opt_str(body, "title")
        _opt_str(body, "externalId")
        return body

    def _organizer(self, email: str) -> JSON:
        user = self.data.users_by_email.get(email.lower())
        if user is None or user["_role"] == "avatar":
            raise not_found("No Gong user found corresponding to the provided organizer email")
        return user

    def _store_meeting(self, body: JSON) -> JSON:
        self.meeting_counter += 1
        meeting_id = self.data.meeting_ids.encode(self.meeting_counter)
        meeting = {
            "id": meeting_id,
            "startTime": body["startTime"],
            "endTime": body["endTime"],
            "title": body.get("title"),
            "organizerEmail": body["organizerEmail"],
            "invitees": body["invitees"],
            "externalId": body.get("externalId"),
            "meetingUrl": f"https://app.gong.io/meetings/join/{meeting_id}",
        }
        self.meetings[meeting_id] = meeting
        return meeting

    def create_meeting(self, body: JSON) -> JSON:
        self._meeting_body(body)
        with self.lock:
            self._organizer(body["organizerEmail"])
            meeting = self._store_meeting(body)
            self.changed(calls=False)
        return {
            "meetingId": meeting["id"],
            "meetingUrl": meeting["meetingUrl"],
            "additionalInvitees": [{"email": "recorder@gong.io", "displayName": "Gong Recorder"}],
        }

    def update_meeting(self, meeting_id: str, body: JSON) -> JSON:
        _check_id(meeting_id, "meetingId")
        self._meeting_body(body)
        with self.lock:
            meeting = self.meetings.get(meeting_id)
            if meeting is None:
                raise not_found("No meeting found corresponding to the provided meeting ID")
            self._organizer(body["organizerEmail"])
            meeting.update(
                {k: body.get(k) for k in ("startTime", "endTime", "title", "organizerEmail", "invitees", "externalId")}
            )
            self.changed(calls=False)
        return {"meetingId": meeting_id}

    def delete_meeting(self, meeting_id: str, body: JSON | None) -> JSON:
        _check_id(meeting_id, "meetingId")
        organizer = None
        if body:
            organizer = _opt_str(body, "organizerEmail")
        with self.lock:
            meeting = self.meetings.get(meeting_id)
            if meeting is None:
                raise not_found("No meeting found corresponding to the provided meeting ID")
            if organizer is not None and organizer.lower() != str(meeting["organizerEmail"]).lower():
                raise not_found("No Gong meeting found corresponding to the provided organizer email")
            del self.meetings[meeting_id]
            self.changed(calls=False)
        return {}

    # ----- customer engagement ----------------------------------------------------------------

    def report_event(self, kind: str, body: JSON) -> JSON:
        _req_str(body, "reportingSystem")
        _req_time(body, "eventTimestamp")
        if kind in ("shared", "viewed"):
            for name in ("contentId", "contentUrl", "contentTitle"):
                _req_str(body, name)
        for name in (
            "eventId",
            "contentId",
            "contentUrl",
            "contentTitle",
            "actionName",
            "shareId",
            "userAgent",
            "mobileAppId",
            "sharingMessageSubject",
            "sharingMessageBody",
            "moreInfoUrl",
            "eventInfoUrl",
            "shareInfoUrl",
            "viewInfoUrl",
            "viewActionTitle",
        ):
            _opt_str(body, name)
        if body.get("agentPlatform") is not None:
            _enum(body["agentPlatform"], "agentPlatform", AGENT_PLATFORMS)
        for name in ("contentProperties", "eventProperties"):
            for n, prop in enumerate(_list_of_dicts(body, name)):
                if not isinstance(prop.get("name"), str) or "value" not in prop:
                    raise bad_request(f"{name}[{n}] needs name and value")
                _enum(prop.get("dataType"), f"{name}[{n}].dataType", PROPERTY_TYPES)
        _check_crm_context(_list_of_dicts(body, "crmContext"), "crmContext", CALL_OBJECT_TYPES)
        for name in ("actor", "viewer", "sharer"):
            person = body.get(name)
            if person is not None:
                if not isinstance(person, dict):
                    raise bad_request(f"{name} must be an object")
                email = person.get("email")
                if email is not None and (not isinstance(email, str) or not EMAIL_RE.match(email)):
                    raise bad_request(f"{name}.email is not a valid e-mail address")
        for n, person in enumerate(_list_of_dicts(body, "recipients")):
            email = person.get("email")
            if not isinstance(email, str) or not EMAIL_RE.match(email):
                raise bad_request(f"recipients[{n}].email is required and must be a valid e-mail address")
        _list_of_dicts(body, "nonCompanyParticipants")
        if body.get("workspaceId") is not None:
            self._known_workspace(body["workspaceId"])
        with self.lock:
            event_id = body.get("eventId")
            if event_id:
                key = (kind, str(body["reportingSystem"]), str(event_id))
                if key in self.event_keys:
                    raise conflict("Event was already reported in the past")
                self.event_keys.add(key)
            self.events.append({"kind": kind, "body": body, "received": self.clock.now()})
            self.changed(calls=False)
        return {}

    # ----- data privacy -----------------------------------------------------------------------

    def _calls_referencing(self, emails: set[str], phones: set[str], contacts: set[int]) -> list[CallRecord]:
        """Visible calls where one of these addresses, numbers or contacts is a party."""
        found = []
        # Generated calls reach outsiders only through contacts, and a call's contacts all
        # belong to its account: unless a user is named, only those accounts need reading.
        named_users = [self.data.users_by_email[e] for e in emails if e in self.data.users_by_email]
        accounts = {self.data.contact(j).account_index for j in contacts}
        for i in range(self.data.n_calls):
            with_contact = self.data.account_of(i) in accounts and not self.data.is_internal_only(i)
            if not with_contact and not any(u in self.data.internal_users_of(i) for u in named_users):
                continue
            call_id = self.data.call_ids.encode(i)
            if call_id in self.deleted_calls:
                continue
            rec = self.data.call(i)
            if self._references(rec, emails, phones, contacts):
                found.append(rec)
        for created in self.created.values():
            rec = created.record
            if rec.id not in self.deleted_calls and self._references(rec, emails, phones, contacts):
                found.append(rec)
        return found

    @staticmethod
    def _references(rec: CallRecord, emails: set[str], phones: set[str], contacts: set[int]) -> bool:
        for p in rec.parties:
            if p.email and p.email.lower() in emails:
                return True
            if p.phone and normalize_phone(p.phone) in phones:
                return True
            if p.contact_index is not None and p.contact_index in contacts:
                return True
        return False

    def _live_contacts(self, found: list[Contact]) -> list[Contact]:
        return [c for c in found if c.index not in self.erased_contacts]

    def _call_refs(self, calls: list[CallRecord]) -> list[JSON]:
        return [
            {
                "id": r.id,
                "status": "COMPLETED",
                "externalSystems": [
                    {
                        "system": "Salesforce",
                        "objects": [{"objectType": "Conversation", "externalId": "00U" + r.id[-15:]}],
                    }
                ],
            }
            for r in calls
        ]

    def _emails_of(self, contacts: list[Contact]) -> list[JSON]:
        out: list[JSON] = []
        for c in contacts:
            out.extend(m for m in self.data.emails_of_contact(c) if m["id"] not in self.erased_emails)
        return out

    def _customer_data(self, contacts: list[Contact]) -> list[JSON]:
        if not contacts:
            return []
        return [
            {
                "system": "Salesforce",
                "objects": [
                    {
                        "id": str(stable_hash(self.config.seed, "crmobj", c.index) % 10**18 + 10**18),
                        "objectType": c.object_type,
                        "externalId": c.crm_id,
                        "mirrorId": _mirror_id(c.crm_id),
                        "fields": [
                            {"name": "Email", "value": c.email},
                            {"name": "Phone", "value": c.phone},
                            {"name": "Name", "value": c.name},
                        ],
                    }
                    for c in contacts
                ],
            }
        ]

    def _meetings_of(self, email: str) -> list[JSON]:
        email = email.lower()
        return [
            {"id": m["id"]}
            for m in self.meetings.values()
            if str(m["organizerEmail"]).lower() == email
            or any(str(i.get("email", "")).lower() == email for i in m["invitees"])
        ]

    def _events_of(self, email: str) -> list[JSON]:
        email = email.lower()
        out = []
        for e in self.events:
            body = e["body"]
            people = [
                body.get("actor"),
                body.get("viewer"),
                body.get("sharer"),
                *(body.get("recipients") or []),
                *(body.get("nonCompanyParticipants") or []),
            ]
            if any(isinstance(p, dict) and str(p.get("email", "")).lower() == email for p in people):
                out.append(
                    {
                        "eventType": {"action": "customEvent", "shared": "contentShared", "viewed": "contentViewed"}[
                            e["kind"]
                        ],
                        "timestamp": body.get("eventTimestamp"),
                        "contentId": body.get("contentId"),
                        "contentUrl": body.get("contentUrl"),
                        "reportingSystem": body.get("reportingSystem"),
                        "eventName": body.get("actionName") or body.get("viewActionTitle"),
                        "sourceEventId": body.get("eventId"),
                    }
                )
        return out

    def email_references(self, email: str | None) -> JSON:
        address = self._check_email(email)
        with self.lock:
            contacts = self._live_contacts(self.data.find_contacts_by_email(address))
            calls = self._calls_referencing({address}, set(), {c.index for c in contacts})
            user = self.data.users_by_email.get(address)
            emails = self._emails_of(contacts)
            if user is not None:
                emails += [
                    m
                    for c in self._contacts_emailed_by(address)
                    for m in self.data.emails_of_contact(c)
                    if m["id"] not in self.erased_emails and (m["from"] == address or m["mailbox"] == address)
                ]
            return {
                "emails": emails,
                "calls": self._call_refs(calls),
                "meetings": self._meetings_of(address),
                "customerData": self._customer_data(contacts),
                "customerEngagement": self._events_of(address),
            }

    def _contacts_emailed_by(self, rep_email: str) -> list[Contact]:
        reps = [r["emailAddress"] for r in self.data.reps]
        if rep_email not in reps:
            return []
        k = reps.index(rep_email)
        return [
            self.data.contact(j) for j in range(k, self.data.n_contacts, len(reps)) if j not in self.erased_contacts
        ][:50]

    def erase_email(self, email: str | None) -> JSON:
        address = self._check_email(email)
        with self.lock:
            contacts = self._live_contacts(self.data.find_contacts_by_email(address))
            calls = self._calls_referencing({address}, set(), {c.index for c in contacts})
            self._erase(calls, contacts)
            for c in self._contacts_emailed_by(address):
                for m in self.data.emails_of_contact(c):
                    if m["from"] == address or m["mailbox"] == address:
                        self.erased_emails.add(m["id"])
            self.events = [e for e in self.events if not self._event_mentions(e, address)]
            self.changed()
        return {}

    @staticmethod
    def _event_mentions(event: JSON, address: str) -> bool:
        body = event["body"]
        people = [
            body.get("actor"),
            body.get("viewer"),
            body.get("sharer"),
            *(body.get("recipients") or []),
            *(body.get("nonCompanyParticipants") or []),
        ]
        return any(isinstance(p, dict) and str(p.get("email", "")).lower() == address for p in people)

    def _erase(self, calls: list[CallRecord], contacts: list[Contact]) -> None:
        for rec in calls:
            self.deleted_calls.add(rec.id)
            if rec.id in self.created:
                key = rec.sort_key
                if key in self.processed_keys:
                    self.processed_keys.remove(key)
            info = self.media.pop(rec.id, None)
            if info is not None:
                info.path.unlink(missing_ok=True)
        for c in contacts:
            self.erased_contacts.add(c.index)
            for m in self.data.emails_of_contact(c):
                self.erased_emails.add(m["id"])

    def _contacts_by_phone(self, phone: str) -> list[Contact]:
        return [c for c in self.data.find_contacts_by_phone(phone) if c.index not in self.erased_contacts]

    def phone_references(self, phone: str | None) -> JSON:
        supplied, number = self._check_phone(phone)
        with self.lock:
            contacts = self._contacts_by_phone(number)
            calls = self._calls_referencing(set(), {number}, {c.index for c in contacts})
            return {
                "suppliedPhoneNumber": supplied,
                "matchingPhoneNumbers": sorted({c.phone for c in contacts}),
                "emailAddresses": sorted({c.email for c in contacts}),
                "emails": self._emails_of(contacts),
                "calls": self._call_refs(calls),
                "meetings": [m for c in contacts for m in self._meetings_of(c.email)],
                "customerData": self._customer_data(contacts),
            }

    def erase_phone(self, phone: str | None) -> JSON:
        _supplied, number = self._check_phone(phone)
        with self.lock:
            contacts = self._contacts_by_phone(number)
            calls = self._calls_referencing(set(), {number}, {c.index for c in contacts})
            self._erase(calls, contacts)
            self.changed()
        return {}

    @staticmethod
    def _check_email(email: str | None) -> str:
        if email is None or not email.strip():
            raise bad_request("emailAddress is required")
        if not EMAIL_RE.match(email.strip()):
            raise bad_request("emailAddress is not a valid e-mail address")
        return email.strip().lower()

    @staticmethod
    def _check_phone(phone: str | None) -> tuple[str, str]:
        if phone is None or not phone.strip():
            raise bad_request("phoneNumber is required")
        supplied = phone.strip()
        digits = normalize_phone(supplied)
        if not supplied.startswith("+") or len(digits) < 8 or len(digits) > 16:
            raise bad_request("phoneNumber must start with + followed by the country code and number")
        return supplied, digits

    # ----- admin helpers ----------------------------------------------------------------------

    def add_calls(
        self,
        count: int,
        *,
        started: float | None = None,
        processing_delay: float = 0.0,
        workspace_id: str | None = None,
    ) -> list[str]:
        """New calls as if recorded now (or at ``started``), visible after ``processing_delay``."""
        ids = []
        now = self.clock.now()
        for n in range(count):
            with self.lock:
                k = len(self.created)
            rng = _rng(self.config.seed, "added", k)
            rep = self.data.reps[rng.randrange(len(self.data.reps))]
            contact = self.data.contact(rng.randrange(self.data.n_contacts))
            start = (started if started is not None else now - 60 * (count - n)) - rng.randrange(0, 30)
            body = {
                "clientUniqueId": f"emulator-added-{self.config.seed}-{k}",
                "actualStart": fmt(start),
                "title": f"{v.ACCOUNTS[contact.account_index]} | {rng.choice(v.CALL_KINDS)}",
                "direction": rng.choice(("Outbound", "Inbound", "Conference")),
                "primaryUser": rep["id"],
                "duration": rng.randrange(300, 3600),
                "parties": [
                    {"userId": rep["id"], "emailAddress": rep["emailAddress"]},
                    {"emailAddress": contact.email, "name": contact.name, "phoneNumber": contact.phone},
                ],
                "downloadMediaUrl": f"https://media.example/recordings/{k}.mp3",
            }
            if workspace_id:
                body["workspaceId"] = workspace_id
            result = self.create_call(body)
            call_id = result["callId"]
            with self.lock:
                created = self.created[call_id]
                created.record.account_index = contact.account_index
                created.processed_at = now + processing_delay
            ids.append(call_id)
        self.tick()
        return ids

    def state_summary(self) -> JSON:
        with self.lock:
            return {
                "seed": self.config.seed,
                "generatedCalls": self.data.n_calls,
                "createdCalls": len(self.created),
                "processedCreatedCalls": len(self.processed_keys),
                "deletedCalls": len(self.deleted_calls),
                "users": len(self.data.users),
                "avatars": len(self.data.avatars),
                "workspaces": len(self.data.workspaces),
                "folders": len(self.data.folders),
                "meetings": len(self.meetings),
                "engagementEvents": len(self.events),
                "erasedContacts": len(self.erased_contacts),
                "mediaFiles": len(self.media),
                "requestsToday": self.rate_limiter.used_today,
                "clock": fmt(self.clock.now()),
                "clockFrozen": self.clock.frozen,
                "rateLimit": {
                    "perSecond": self.rate_limiter.limit.per_second,
                    "perDay": self.rate_limiter.limit.per_day,
                },
            }


def public_user(user: JSON) -> JSON:
    return {k: val for k, val in user.items() if not k.startswith("_")}


def _mirror_id(crm_id: str) -> str:
    return hashlib.sha1(crm_id.encode(), usedforsecurity=False).hexdigest()[:24]


def new_request_id() -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(19))
