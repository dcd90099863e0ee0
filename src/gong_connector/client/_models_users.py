"""What Gong says about single users beyond their profile: how their settings changed, and
whether their meeting integration works (lazy, tolerant views; see ``_record.py``)."""

from __future__ import annotations

from datetime import datetime

from ._models import BaseResponse
from ._record import GongModel

__all__ = ["MeetingIntegrationStatus", "UserIntegrationStatus", "UserSettingsChange", "UserSettingsHistory"]


class UserSettingsChange(GongModel):
    """One change of a user's setting (``webConferencesRecorded``, ``active``...) and when."""

    setting: str | None
    value: bool | None
    time: datetime | str | None


class UserSettingsHistory(BaseResponse):
    """Every recorded change of a user's settings."""

    user_settings_history: list[UserSettingsChange]


class UserIntegrationStatus(GongModel):
    """Whether Gong knows a meeting organiser and their integration is connected; if not,
    a message to show and where to fix it."""

    email: str | None
    exists: bool | None
    valid: bool | None
    user_facing_error: str | None
    fix_url: str | None
    help_url: str | None


class MeetingIntegrationStatus(BaseResponse):
    """The meeting integration status of each user asked about."""

    users: list[UserIntegrationStatus]
