"""Users, workspaces, the call library and the audit logs."""

# Action bodies are never run: the declaration is the definition (see _define.py).
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from ._define import Cursor, Filter, Path, Query, action, list_action
from ._kinds import BOOL, DATETIME, ID, IDS, LOG_TYPES, Choice
from ._models import DateTimeLike, LibraryCall, LibraryFolder, LogEntry, User, Workspace
from ._models_users import UserSettingsHistory
from ._paging import Pager

__all__ = ["Directory"]

LogType = Literal[
    "AccessLog",
    "UserActivityLog",
    "UserCallPlay",
    "ExternallySharedCallAccess",
    "ExternallySharedCallPlay",
]


class Directory:
    """The user, workspace, library and log actions, shared by both clients."""

    @list_action(
        "GET",
        "/v2/logs",
        scope="api:logs:read",
        items="logEntries",
        window=("from_date_time", "to_date_time"),
        title="Get Logs Data by Type and Time Range",
    )
    def get_logs(
        self,
        *,
        log_type: Annotated[LogType, Query(Choice(LOG_TYPES), help="Which audit log to read.")],
        from_date_time: Annotated[DateTimeLike, Query(DATETIME, help="Start of the time window, inclusive.")],
        to_date_time: Annotated[DateTimeLike | None, Query(DATETIME, help="End of the time window, exclusive.")] = None,
        cursor: Annotated[str | None, Cursor()] = None,
    ) -> Pager[LogEntry]:
        """Audit log entries of one type in a window, paged lazily."""

    @action("GET", "/v2/users/{id}", scope="api:users:read", result="user")
    def get_user(self, *, user_id: Annotated[str, Path(ID, wire="id", help="The user's Gong id.")]) -> User:
        """One user by id."""

    @list_action("GET", "/v2/users", scope="api:users:read", items="users")
    def list_users(
        self,
        *,
        include_avatars: Annotated[
            bool | None,
            Query(BOOL, default=False, help="Also list the avatars of Gong staff who access the account."),
        ] = None,
        cursor: Annotated[str | None, Cursor()] = None,
    ) -> Pager[User]:
        """All users, paged lazily; Gong staff avatars only when asked for."""

    @list_action(
        "POST",
        "/v2/users/extensive",
        scope="api:users:read",
        items="users",
        title="List Users (extensive)",
        window=("created_from_date_time", "created_to_date_time"),
        in_spec=False,
    )
    def list_users_extensive(
        self,
        *,
        user_ids: Annotated[Sequence[str] | None, Filter(IDS, help="Only these users (Gong ids).")] = None,
        created_from_date_time: Annotated[
            DateTimeLike | None, Filter(DATETIME, help="Only users created at or after this moment.")
        ] = None,
        created_to_date_time: Annotated[
            DateTimeLike | None,
            Filter(DATETIME, help="Only users created before this moment.", example="2026-11-01T00:00:00Z"),
        ] = None,
        include_avatars: Annotated[
            bool | None,
            Filter(BOOL, default=False, help="Also list the avatars of Gong staff who access the account."),
        ] = None,
        cursor: Annotated[str | None, Cursor()] = None,
    ) -> Pager[User]:
        """Users chosen by id or by when they were created, paged lazily.

        A creation window Gong refuses as too long is listed in pieces.
        """

    @action("GET", "/v2/users/{id}/settings-history", scope="api:users:read", in_spec=False)
    def get_user_settings_history(
        self, *, user_id: Annotated[str, Path(ID, wire="id", help="The user's Gong id.")]
    ) -> UserSettingsHistory:
        """Every recorded change of one user's settings (recording, imports, active...), with its time."""

    @list_action("GET", "/v2/workspaces", scope="api:workspaces:read", items="workspaces")
    def list_workspaces(self) -> Pager[Workspace]:
        """All workspaces (one page)."""

    @list_action("GET", "/v2/library/folders", scope="api:library:read", items="folders")
    def list_library_folders(
        self, *, workspace_id: Annotated[str | None, Query(ID, help="Restrict to one workspace.")] = None
    ) -> Pager[LibraryFolder]:
        """Public library folders (one page)."""

    @list_action(
        "GET", "/v2/library/folder-content", scope="api:library:read", items="calls", title="List Calls in Folder"
    )
    def list_folder_calls(
        self,
        *,
        folder_id: Annotated[str, Query(ID, help="The library folder's Gong id.")],
        cursor: Annotated[str | None, Cursor()] = None,
    ) -> Pager[LibraryCall]:
        """Calls saved in a library folder."""
