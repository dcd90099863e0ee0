"""Company settings: scorecard definitions, keyword trackers, and users' settings history.

Trackers are the keyword trackers extensive data reports on calls, with the same ids (each
workspace has its own); a user's settings history ends in the settings ``GET /v2/users``
shows for them.
"""

from __future__ import annotations

from typing import Any

from . import _vocab as v
from ._checks import check_id
from ._company import Company
from ._dataset import _rng, tracker_id
from ._errors import not_found
from ._ids import stable_hash
from ._timefmt import fmt

JSON = dict[str, Any]

EMPTY_SCORECARDS = "Scorecards not found"
#: The settings a user's history tracks, and the field of ``settings`` (or the user) each one is.
HISTORY_SETTINGS = (
    ("webConferencesRecorded", "webConferencesRecorded"),
    ("preventWebConferenceRecording", "preventWebConferenceRecording"),
    ("emailsImported", "emailsImported"),
    ("preventEmailImport", "preventEmailImport"),
    ("active", "active"),
    ("nonRecordedMeetingsImported", "nonRecordedMeetingsImported"),
    ("gongConnectEnabled", "gongConnectEnabled"),
    ("callsImported", "telephonyCallsImported"),
)
TRACKER_AFFILIATION = {"Competitors": "NonCompany", "Pricing": "Anyone"}


class Settings(Company):
    # ----- GET /v2/settings/scorecards --------------------------------------------------------

    def list_scorecards(self) -> JSON:
        cards = self.data.scorecards.definitions
        if not cards and self.config.empty_results_404:
            raise not_found(EMPTY_SCORECARDS)
        return {"scorecards": cards}

    # ----- GET /v2/settings/trackers ----------------------------------------------------------

    def list_trackers(self, workspace_id: str | None) -> JSON:
        workspaces = self.data.workspaces
        if workspace_id is not None:
            check_id(workspace_id, "workspaceId")
            workspaces = [ws for ws in workspaces if ws["id"] == workspace_id]
            if not workspaces:
                raise not_found(f"Workspace {workspace_id} was not found")
        return {"keywordTrackers": [t for ws in workspaces for t in self._keyword_trackers(ws)]}

    def _keyword_trackers(self, workspace: JSON) -> list[JSON]:
        data = self.data
        editors = [u for u in data.users if u["_role"] in ("head", "manager")] or data.users
        out = []
        for k, (name, kind, phrases) in enumerate(v.TRACKERS):
            if kind != "KEYWORD":
                continue  # smart trackers are not keyword trackers
            rng = _rng(data.seed, "tracker", workspace["id"], k)
            created = data.start_ts - rng.randrange(60, 500) * 86_400
            creator = editors[rng.randrange(len(editors))]["id"]
            out.append(
                {
                    "trackerId": tracker_id(workspace["id"], k),
                    "trackerName": name,
                    "workspaceId": workspace["id"],
                    "languageKeywords": [{"language": "eng", "keywords": list(phrases), "includeRelatedForms": False}],
                    "affiliation": TRACKER_AFFILIATION.get(name, "Anyone"),
                    "partOfQuestion": False,
                    "saidAt": "Anytime",
                    "saidAtInterval": None,
                    "saidAtUnit": None,
                    "saidInTopics": [],
                    "saidInCallParts": [],
                    "filterQuery": None,
                    "created": fmt(created),
                    "creatorUserId": creator,
                    "updated": fmt(created + rng.randrange(0, 60) * 86_400),
                    "updaterUserId": creator,
                }
            )
        return out

    # ----- GET /v2/users/{id}/settings-history ------------------------------------------------

    def settings_history(self, user_id: str) -> JSON:
        check_id(user_id, "id")
        user = self.data.users_by_id.get(user_id)
        if user is None:
            raise not_found(f"User {user_id} was not found")
        changes: list[tuple[float, str, bool]] = []
        created = float(user["_created"])
        span = max(1, int(self.data.end_ts - created) - 3600)
        for name, field in HISTORY_SETTINGS:
            now = bool(user[field] if field == "active" else user["settings"][field])
            h = stable_hash(self.data.seed, "settings-history", user_id, name)
            if h % 10 < 3:  # changed once since the user was created
                changes.append((created, name, not now))
                changes.append((created + 3600 + (h >> 8) % span, name, now))
            else:
                changes.append((created, name, now))
        changes.sort()
        return {"userSettingsHistory": [{"setting": s, "value": val, "time": fmt(t)} for t, s, val in changes]}
