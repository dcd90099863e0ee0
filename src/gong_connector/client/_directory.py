"""Users, workspaces, the call library and the audit logs."""

# Action bodies are never run: the declaration is the definition (see _define.py).
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from typing import Annotated, Literal

from ._define import Cursor, Path, Query, action, list_action
from ._kinds import BOOL, DATETIME, ID, LOG_TYPES, Choice
from ._models import DateTimeLike, LibraryCall, LibraryFolder, LogEntry, User, Workspace
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
