"""The emulated company: generated data plus what the API changed; state and rules, no HTTP.

Each Gong resource (calls, created calls, extensive data, directory, meetings, privacy) is a
mixin over ``Company`` in its own module, holding that resource's state and behaviour, the
way moto assembles its larger backends; ``EmulatorState`` combines them. Methods return
JSON-ready dicts or raise ``GongHTTPError``.

``_load`` is cooperative: every mixin extends it to drop its own changes, so regenerating
the company cannot forget a part.
"""

from __future__ import annotations

import threading
from typing import Any

from ._checks import check_id
from ._clock import Clock
from ._config import EmulatorConfig
from ._dataset import Dataset
from ._errors import bad_request
from ._paging import CursorCodec

JSON = dict[str, Any]


class Company:
    config: EmulatorConfig
    clock: Clock
    #: Where the emulator is served; media URLs in extensive data point here.
    base_url: str
    #: One lock for the company's data; handlers run in worker threads.
    lock: threading.RLock
    data: Dataset
    cursors: CursorCodec
    #: Moves whenever the set of visible calls changes; cached call counts go stale with it.
    calls_version: int
    deleted_calls: set[str]
    #: Contacts erased through data privacy (their calls are in ``deleted_calls``).
    erased_contacts: set[int]

    def load(self, config: EmulatorConfig) -> None:
        """(Re)generate the company from ``config``, dropping every change made through the API."""
        with self.lock:
            self.config = config
            self._load()

    def _load(self) -> None:
        # The dataset follows from the config alone and is never changed in place (every
        # change is layered over it), so a reset with the same config keeps it, caches and all.
        if getattr(self, "data", None) is None or self.data.config != self.config:
            self.data = Dataset(self.config)
        # A new key: cursors from before a reload are refused as invalid.
        self.cursors = CursorCodec(self.clock, self.config.cursor_ttl)
        self.calls_version = 0
        self.deleted_calls = set()
        self.erased_contacts = set()
        if self.config.media_dir is not None:
            self.config.media_dir.mkdir(parents=True, exist_ok=True)

    def calls_changed(self) -> None:
        self.calls_version += 1

    def known_workspace(self, workspace_id: object) -> str:
        wid = check_id(workspace_id, "workspaceId")
        if self.config.reference_checks and all(ws["id"] != wid for ws in self.data.workspaces):
            raise bad_request(f"workspaceId {wid} does not exist")
        return wid
