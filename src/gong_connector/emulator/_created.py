"""Calls created through the API (``POST /v2/calls``), their media, and their processing.

A created call stays invisible until Gong has "processed" it: ``processing_delay`` seconds
after its media arrived. ``tick`` finishes the calls whose time has come and hands each to
``call_processed``, where the state root fires webhooks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import _vocab as v
from ._checks import (
    CALL_OBJECT_TYPES,
    EMAIL_RE,
    PARTY_OBJECT_TYPES,
    check_crm_context,
    check_id,
    list_of_objects,
    one_of,
    optional_str,
    optional_time,
    required_str,
    required_time,
)
from ._company import Company
from ._dataset import CallRecord, Party, _rng, insert_sorted
from ._errors import GongHTTPError, bad_request, conflict, not_found
from ._ids import IdCodec, stable_hash
from ._timefmt import fmt

JSON = dict[str, Any]

DIRECTIONS = ("Inbound", "Outbound", "Conference", "Unknown")
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
#: Gong's ``languageCode`` (BCP 47) to the ISO 639-2 code its call metadata reports.
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
TOO_BIG = "The media file exceeds the maximum size of 1.5GB"


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


def _check_timeline(timeline: object, parties: list[JSON]) -> list[JSON] | None:
    if timeline is None:
        return None
    if not isinstance(timeline, dict):
        raise bad_request("speakersTimeline must be an object")
    segments = list_of_objects(timeline, "speechSegments")
    party_ids = {p["partyId"] for p in parties if isinstance(p.get("partyId"), str) and p["partyId"]}
    for n, seg in enumerate(segments):
        if not isinstance(seg.get("fromTime"), int) or not isinstance(seg.get("toTime"), int):
            raise bad_request(f"speakersTimeline.speechSegments[{n}] needs integer fromTime and toTime")
        ids = seg.get("partyIds")
        if not isinstance(ids, list) or not ids or any(not isinstance(i, str) or i not in party_ids for i in ids):
            raise bad_request(f"speakersTimeline.speechSegments[{n}].partyIds must name partyIds given in parties")
    return segments


def _check_parties(parties: list[JSON], *, email_form: bool) -> None:
    for n, p in enumerate(parties):
        if p.get("userId") is not None:
            check_id(p["userId"], f"parties[{n}].userId")
        email = p.get("emailAddress")
        if email is not None and (not isinstance(email, str) or (email_form and not EMAIL_RE.match(email))):
            raise bad_request(f"parties[{n}].emailAddress is not a valid e-mail address")
        for name in ("partyId", "name", "title", "phoneNumber"):  # kept, and searched, as text
            if p.get(name) is not None and not isinstance(p[name], str):
                raise bad_request(f"parties[{n}].{name} must be a string")
        channel = p.get("mediaChannelId")
        if channel is not None and not isinstance(channel, int):
            raise bad_request(f"parties[{n}].mediaChannelId must be an integer")
        check_crm_context(list_of_objects(p, "context"), f"parties[{n}].context", PARTY_OBJECT_TYPES)


class CreatedCalls(Company):
    created_ids: IdCodec
    created: dict[str, CreatedCall]
    created_by_unique: dict[str, str]
    #: Sort keys of processed created calls, kept sorted for merging with generated calls.
    processed_keys: list[tuple[int, str]]
    media: dict[str, MediaInfo]

    def _load(self) -> None:
        super()._load()
        self.created_ids = IdCodec(self.config.seed, "created-call")
        self.created = {}
        self.created_by_unique = {}
        self.processed_keys = []
        self.media = {}

    # ----- processing -------------------------------------------------------------------------

    def tick(self) -> list[CallRecord]:
        """Finish processing calls whose time has come; returns them."""
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
                self.calls_changed()
        for record in done:  # outside the lock: webhooks build their payload under it
            self.call_processed(record)
        return done

    def call_processed(self, record: CallRecord) -> None:
        """Called once per call when it finishes processing."""

    def has_media(self, rec: CallRecord) -> bool:
        if rec.index is not None or rec.id in self.media:
            return True
        created = self.created.get(rec.id)
        return created is not None and created.media_at is not None

    # ----- POST /v2/calls ---------------------------------------------------------------------

    def create_call(self, body: JSON) -> JSON:
        unique = required_str(body, "clientUniqueId")
        strict_time = self.config.require_utc_offset
        actual_start = required_time(body, "actualStart", offset_required=strict_time)
        scheduled_start = optional_time(body, "scheduledStart", offset_required=strict_time)
        optional_time(body, "scheduledEnd", offset_required=strict_time)
        direction = one_of(body.get("direction"), "direction", DIRECTIONS)
        primary = check_id(body.get("primaryUser"), "primaryUser")
        title = optional_str(body, "title")
        purpose = optional_str(body, "purpose", max_len=255)
        disposition = optional_str(body, "disposition", max_len=255)
        custom = optional_str(body, "customData")
        meeting_url = optional_str(body, "meetingUrl")
        optional_str(body, "callProviderCode")
        download_url = optional_str(body, "downloadMediaUrl")
        language = body.get("languageCode")
        if language is not None and (not isinstance(language, str) or language not in LANGUAGE_CODES):
            raise bad_request("languageCode is not a supported language code")
        duration = body.get("duration")
        if duration is not None and (
            not isinstance(duration, int | float) or isinstance(duration, bool) or not math.isfinite(duration)
        ):
            raise bad_request("duration must be a number of seconds")
        if duration is not None and duration < 0 and self.config.range_checks:
            raise bad_request("duration must be a non-negative number of seconds")
        parties_in = list_of_objects(body, "parties", required=True)
        if not parties_in:
            raise bad_request("parties must contain at least the primary user")
        context = list_of_objects(body, "context")
        check_crm_context(context, "context", CALL_OBJECT_TYPES)
        segments = _check_timeline(body.get("speakersTimeline"), parties_in)
        _check_parties(parties_in, email_form=self.config.email_checks)
        workspace = body.get("workspaceId")
        with self.lock:
            if self.config.reference_checks and self.data.users_by_id.get(primary) is None:
                raise bad_request(f"primaryUser {primary} is not a Gong user of this company")
            if all(p.get("userId") != primary for p in parties_in):
                raise bad_request("parties must include a party for the primaryUser (with its userId)")
            if workspace is not None:
                workspace = self.known_workspace(workspace)
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
            parties = [self._party(call_id, index, n, p) for n, p in enumerate(parties_in)]
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
            self.calls_changed()
        self.tick()
        return {"callId": call_id, "url": meta["url"]}

    def _party(self, call_id: str, index: int, n: int, given: JSON) -> Party:
        uid = given.get("userId")
        known = self.data.users_by_id.get(uid) if uid else None
        email = given.get("emailAddress") or (known["emailAddress"] if known else None)
        return Party(
            party_id=str(given.get("partyId") or self.data.party_ids.encode(10**9 + index * 64 + n)),
            name=given.get("name")
            or (f"{known['firstName']} {known['lastName']}" if known else (email or "Unknown speaker")),
            email=email,
            title=known["title"] if known else None,
            user_id=uid,
            speaker_id=str(stable_hash(call_id, "spk", n) % 10**16),
            affiliation="Internal" if uid or (email or "").lower() in self.data.users_by_email else "External",
            phone=given.get("phoneNumber"),
            media_channel_id=given.get("mediaChannelId"),
            context=given.get("context") or [],
        )

    # ----- PUT /v2/calls/{id}/media -----------------------------------------------------------

    def media_precheck(self, call_id: str, content_length: int | None) -> None:
        """Refuse a media upload before its body is read."""
        check_id(call_id, "id")
        with self.lock:
            if call_id in self.deleted_calls:
                raise not_found(f"Call {call_id} was not found")
            created = self.created.get(call_id)
            if created is None:
                if self.data.call_index(call_id) is None:
                    raise not_found(f"Call {call_id} was not found")
                if self.config.media_upload_checks:
                    raise bad_request(
                        f"Call {call_id} already has media; media can be added only to calls created through the API"
                    )
            elif self._takes_no_media(created):
                raise bad_request(f"Media was already provided for call {call_id}")
        if content_length is not None and content_length > self.config.max_media_bytes + 1024 * 1024:
            raise GongHTTPError(413, TOO_BIG)

    def media_path(self, call_id: str) -> Path:
        base = self.config.media_dir
        assert base is not None, "the state root sets a media directory"
        return base / f"{call_id}.media"

    def _takes_no_media(self, created: CreatedCall) -> bool:
        """Gong documents ``downloadMediaUrl`` *or* an upload; refusing a second upload is
        our guess, made only under ``media_upload_checks``."""
        if created.media_at is None:
            return False
        return self.config.media_upload_checks or created.record.id not in self.media

    def media_done(self, info: MediaInfo) -> JSON:
        call_id = info.call_id
        with self.lock:
            created = self.created.get(call_id)
            index = self.data.call_index(call_id)
            if call_id in self.deleted_calls or (created is None and index is None):
                raise not_found(f"Call {call_id} was not found")
            if created is None:  # a call Gong recorded: the upload replaces its media
                assert index is not None and not self.config.media_upload_checks
                self.media[call_id] = info
                return {"callId": call_id, "url": self.data.call(index).meta["url"]}
            if self._takes_no_media(created):
                raise bad_request(f"Media was already provided for call {call_id}")
            self.media[call_id] = info
            if created.media_at is None:  # a repeated upload replaces the file, not the timing
                now = self.clock.now()
                created.media_at = now
                created.processed_at = now + self.config.processing_delay
                self.calls_changed()
        self.tick()
        return {"callId": call_id, "url": created.record.meta["url"]}

    # ----- calls added by tests ---------------------------------------------------------------

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
            call_id = self.create_call(body)["callId"]
            with self.lock:
                created = self.created[call_id]
                created.record.account_index = contact.account_index
                created.processed_at = now + processing_delay
            ids.append(call_id)
        self.tick()
        return ids
