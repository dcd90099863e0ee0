"""The company's directory and history: users, workspaces, library folders and audit logs."""

from __future__ import annotations

from typing import Any

from ._calls import CallIndex
from ._checks import check_id, filter_object, id_list, one_of, optional_bool, optional_time, time_ms
from ._dataset import LOG_TYPES, Folder
from ._errors import bad_request, not_found
from ._paging import Page, fingerprint, keyed_page
from ._timefmt import fmt

JSON = dict[str, Any]

EMPTY_USERS = "No users found corresponding to the provided filters"
EMPTY_LOGS = "No log records found corresponding to the provided log type and time range"
EMPTY_FOLDERS = "No folders found corresponding to the provided filters"


def public_user(user: JSON) -> JSON:
    """A user as the API shows it: without the generator's ``_`` fields."""
    return {k: val for k, val in user.items() if not k.startswith("_")}


class Directory(CallIndex):
    #: Calls put in library folders through the API, per folder: layered over the generated
    #: folders, which stay as generated.
    folder_additions: dict[str, list[JSON]]

    def _load(self) -> None:
        super()._load()
        self.folder_additions = {}

    def _folder_updated(self, folder: Folder) -> float:
        """A folder changes when a call is added to it: its last addition, else as generated."""
        added = self.folder_additions.get(folder.id)
        return float(added[-1]["created"]) if added else folder.updated

    # ----- users, workspaces ------------------------------------------------------------------

    def list_users(self, include_avatars: bool, cursor: str | None) -> Page:
        users = self.data.users + (self.data.avatars if include_avatars else [])
        fp = fingerprint("users", {"avatars": include_avatars})
        offset, page_number = (0, 0)
        if cursor is not None:
            offset, page_number = self.cursors.decode(
                cursor, "users", fp, bound_to_filter=self.config.cursor_bound_to_filter
            )
        size = self.config.page_size
        chunk = users[offset : offset + size]
        if not chunk:
            raise not_found(EMPTY_USERS)
        more = offset + size < len(users)
        next_cursor = self.cursors.encode("users", fp, offset + size, page_number + 1) if more else None
        return Page([public_user(u) for u in chunk], len(users), page_number, next_cursor)

    def users_extensive(self, body: JSON) -> Page:
        """``POST /v2/users/extensive``: users by id and creation time, avatars if asked for."""
        flt = filter_object(body)
        strict_time = self.config.require_utc_offset
        created_from = optional_time(flt, "createdFromDateTime", offset_required=strict_time)
        created_to = optional_time(flt, "createdToDateTime", offset_required=strict_time)
        avatars = optional_bool(flt, "includeAvatars", prefix="filter.") or False
        ids = id_list(flt, "userIds")
        users = [
            u
            for u in self.data.users + (self.data.avatars if avatars else [])
            if (ids is None or u["id"] in ids)
            and (created_from is None or u["_created"] >= created_from)
            and (created_to is None or u["_created"] < created_to)
        ]
        filters = {"a": avatars, "u": ids, "f": created_from, "t": created_to}
        page = keyed_page(
            self.cursors,
            "users-extensive",
            fingerprint("users-extensive", filters),
            [u["_index"] for u in users],
            lambda n: public_user(users[n]),
            body.get("cursor"),
            self.config.page_size,
            bound_to_filter=self.config.cursor_bound_to_filter,
        )
        if not page.items and page.page_number == 0 and self.config.empty_results_404:
            raise not_found(EMPTY_USERS)
        return page

    def get_user(self, user_id: str) -> JSON:
        check_id(user_id, "id")
        user = self.data.users_by_id.get(user_id)
        if user is None:
            raise not_found(f"User {user_id} was not found")
        return public_user(user)

    def list_workspaces(self) -> list[JSON]:
        return [dict(ws) for ws in self.data.workspaces]

    # ----- library ----------------------------------------------------------------------------

    def list_folders(self, workspace_id: str | None) -> list[JSON]:
        if workspace_id is not None:
            workspace_id = self.known_workspace(workspace_id)
        folders = [f for f in self.data.folders if workspace_id is None or f.workspace_id == workspace_id]
        if not folders:
            raise not_found(EMPTY_FOLDERS)
        return [
            {
                "id": f.id,
                "name": f.name,
                "parentFolderId": f.parent_id,
                "createdBy": f.created_by,
                "updated": fmt(self._folder_updated(f)),
            }
            for f in folders
        ]

    def folder_content(self, folder_id: str) -> JSON:
        check_id(folder_id, "folderId")
        folder = next((f for f in self.data.folders if f.id == folder_id), None)
        if folder is None:
            raise not_found(f"Folder {folder_id} was not found")
        calls = []
        with self.lock:
            for item in [*folder.calls, *self.folder_additions.get(folder.id, ())]:
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
            "updated": fmt(self._folder_updated(folder)),
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
            self.folder_additions.setdefault(folder.id, []).append(
                {
                    "callId": call_id,
                    "note": note,
                    "addedBy": self.data.users[0]["id"],
                    "created": now,
                    "fromSec": 0,
                    "toSec": 60,
                }
            )
        return self.folder_content(folder_id)

    # ----- logs -------------------------------------------------------------------------------

    def logs(self, log_type: str | None, from_text: str | None, to_text: str | None, cursor: str | None) -> Page:
        if log_type is None:
            raise bad_request("logType is required")
        one_of(log_type, "logType", LOG_TYPES)
        if from_text is None:
            raise bad_request("fromDateTime is required")
        strict_time = self.config.require_utc_offset
        start_ms = time_ms(from_text, "fromDateTime", offset_required=strict_time)
        if to_text is not None:
            end_ms = time_ms(to_text, "toDateTime", offset_required=strict_time)
            if self.config.range_checks and end_ms <= start_ms:
                raise bad_request("toDateTime must be later than fromDateTime")
        else:  # "the logs end with the latest recorded log"
            end_ms = int(self.clock.now() * 1000)
        end_ms = max(end_ms, start_ms)  # a window that ends before it starts is empty
        kind = f"logs:{log_type}"  # positions index one log type's entries
        fp = fingerprint("logs", {"t": log_type, "f": start_ms, "e": to_text and end_ms})
        lo = self.data.log_index_at_or_after(log_type, start_ms)
        hi = self.data.log_index_at_or_after(log_type, end_ms)
        position, page_number = (lo, 0)
        if cursor is not None:
            position, page_number = self.cursors.decode(
                cursor, kind, fp, bound_to_filter=self.config.cursor_bound_to_filter
            )
            position = min(max(int(position), lo), hi)  # a cursor of another time range
        stop = min(hi, position + self.config.page_size)
        items = [self.data.log_entry(log_type, k) for k in range(position, stop)]
        if hi <= lo:
            raise not_found(EMPTY_LOGS)
        next_cursor = self.cursors.encode(kind, fp, stop, page_number + 1) if stop < hi else None
        return Page(items, hi - lo, page_number, next_cursor)
