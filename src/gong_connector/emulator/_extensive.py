"""Extensive call data and transcripts (``POST /v2/calls/extensive``, ``/v2/calls/transcript``).

Sections are rebuilt from the call record on each request, never stored: at 100,000 calls
the emulator holds only the page it is serving.
"""

from __future__ import annotations

from typing import Any

from . import _vocab as v
from ._calls import CallIndex
from ._checks import one_of
from ._dataset import (
    CallRecord,
    _rng,
    host_interaction,
    public_comments,
    speaking_parties,
    topics,
    trackers,
    transcript,
)
from ._errors import bad_request
from ._ids import stable_hash
from ._paging import Page

JSON = dict[str, Any]

CONTEXT_LEVELS = ("None", "Basic", "Extended")
CONTEXT_TIMINGS = ("Now", "TimeOfCall")


class ExtensiveData(CallIndex):
    def extensive(self, body: JSON, can_media: bool) -> Page:
        flt = self.body_call_filter(body, owners=True, transcript=False)
        selector = body.get("contentSelector")
        selector = {} if selector is None else selector
        if not isinstance(selector, dict):
            raise bad_request("contentSelector must be an object")
        context = selector.get("context", "None")
        one_of(context, "contentSelector.context", CONTEXT_LEVELS)
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
            return self.call_page(
                "extensive",
                flt,
                body.get("cursor"),
                self.config.page_size,
                lambda rec: self.extensive_call(rec, context, timing, exposed, can_media),
            )

    def duration_of(self, rec: CallRecord) -> int:
        return max(0, int(rec.meta.get("duration") or 0))  # a negative duration is stored as given

    def extensive_call(self, rec: CallRecord, context: str, timing: list[str], exposed: JSON, can_media: bool) -> JSON:
        """One call's extensive data with the sections ``exposed`` asks for."""
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
            url = f"{self.base_url}/_emulator/media/{rec.id}" if self.has_media(rec) else None
            out["media"] = {"audioUrl": url, "videoUrl": url if rec.meta.get("media") == "Video" else None}
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
        # Speakers and the host's statistics have their own generators, so what one request
        # selects never changes another's values (stats average the host's statistics).
        speakers = speaking_parties(rec)
        out: JSON = {}
        if sel.get("speakers"):
            rng = _rng(rec.seed_key, "speakers")
            shares = [rng.randrange(1, 10) for _ in speakers]
            total = sum(shares) or 1
            out["speakers"] = [
                {"id": p.party_id, "userId": p.user_id, "talkTime": round(duration * 0.9 * s / total, 1)}
                for p, s in zip(speakers, shares, strict=True)
            ]
        if sel.get("personInteractionStats"):
            out["interactionStats"] = host_interaction(rec.seed_key)[0]
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
            out["questions"] = host_interaction(rec.seed_key)[1]
        return out

    def _comments(self, rec: CallRecord, duration: int) -> list[JSON]:
        return public_comments(self.data.users, rec.seed_key, rec.id, rec.key_ms, duration)

    def transcripts(self, body: JSON) -> Page:
        flt = self.body_call_filter(body, owners=False, transcript=True)
        with self.lock:
            page = self.call_page(
                "transcript",
                flt,
                body.get("cursor"),
                self.config.transcript_page_size,
                lambda rec: {
                    "callId": rec.id,
                    "transcript": transcript(rec, self.duration_of(rec), self.config.max_transcript_sentences),
                },
            )
            return page
