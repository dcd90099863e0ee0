"""Errors of the sync."""

from __future__ import annotations

__all__ = ["SyncInputError"]


class SyncInputError(ValueError):
    """A bad input (database URL, stream name, date): one line naming it, raised before
    anything is written."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(f"{name}: {message}")
