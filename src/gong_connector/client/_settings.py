"""Company settings: scorecards, keyword trackers, coaching metrics, and the origins Gong
accepts for embedded integrations."""

# Action bodies are never run: the declaration is the definition (see _define.py).
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from ._define import Body, Query, action, list_action
from ._kinds import DATETIME, ID, Models
from ._models import BaseResponse, DateTimeLike, ModelInput
from ._models_settings import CoachingMetrics, IntegrationTypeSetting, Scorecard, Tracker
from ._paging import Pager

__all__ = ["Settings"]


class Settings:
    """The settings actions, shared by both clients."""

    @list_action(
        "GET", "/v2/settings/scorecards", scope="api:settings:scorecards:read", items="scorecards", in_spec=False
    )
    def list_scorecards(self) -> Pager[Scorecard]:
        """Every scorecard defined in Gong, with its questions (one page)."""

    @list_action(
        "GET", "/v2/settings/trackers", scope="api:settings:trackers:read", items="keywordTrackers", in_spec=False
    )
    def list_trackers(
        self,
        *,
        workspace_id: Annotated[
            str | None, Query(ID, help="Only the trackers of this workspace; every workspace's if left out.")
        ] = None,
    ) -> Pager[Tracker]:
        """Keyword trackers: their words per language and where in a call they count (one page)."""

    @list_action("GET", "/v2/coaching", scope="api:coaching:read", items="coachingData", in_spec=False)
    def list_coaching_metrics(
        self,
        *,
        workspace_id: Annotated[str, Query(ID, wire="workspace-id", help="The workspace to read.")],
        manager_id: Annotated[str, Query(ID, wire="manager-id", help="The manager's Gong user id.")],
        from_date_time: Annotated[
            DateTimeLike, Query(DATETIME, wire="from", help="Start of the period the metrics cover.")
        ],
        to_date_time: Annotated[
            DateTimeLike,
            Query(DATETIME, wire="to", help="End of the period the metrics cover.", example="2026-11-01T00:00:00Z"),
        ],
    ) -> Pager[CoachingMetrics]:
        """A manager's coaching metrics for each direct report over a period (one page).

        The period is not cut into pieces if Gong finds it too long: the metrics add up over
        all of it.
        """

    @action("POST", "/v2/integration-settings", scope="api:integration-settings:write", in_spec=False)
    def set_integration_settings(
        self,
        *,
        integration_type_settings: Annotated[
            Sequence[ModelInput[IntegrationTypeSetting]],
            Body(
                Models(IntegrationTypeSetting, min_items=1),
                help="For each kind of embedded integration, an origin Gong should accept as its frame source.",
                example=[{"integrationType": "DIALER", "allowedOrigin": "https://acme.partner.example"}],
            ),
        ],
    ) -> BaseResponse:
        """Tell Gong which origins may frame its embedded integrations (e-mail composer,
        account pages, dialer), e.g. a partner's per-customer subdomains."""
