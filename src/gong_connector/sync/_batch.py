"""What a stream yields: rows for some tables plus the state they complete.

A batch is the unit of commit: its deletes, upserts and watermark go to the database in one
transaction, so after a crash either all of a batch is there or none of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["Batch", "Record", "Row", "Watermark"]

Row = dict[str, Any]


@dataclass(frozen=True)
class Watermark:
    """Everything in ``stream``/``partition`` up to ``value`` is in the batch or before it."""

    stream: str
    partition: str
    value: datetime


@dataclass
class Batch:
    #: Rows to upsert, by unprefixed table name.
    rows: dict[str, list[Row]] = field(default_factory=dict)
    #: ``(table, column, values)``: delete these rows first (children re-read in full, days
    #: of stats re-read, calls Gong no longer has).
    replace: list[tuple[str, str, list[Any]]] = field(default_factory=list)
    #: ``table -> (column, values)``: after a full listing, delete rows not in it.
    keep_only: dict[str, tuple[str, set[str]]] = field(default_factory=dict)
    #: Rows written with the batch but not records of their own (markers of what was read).
    state_rows: dict[str, list[Row]] = field(default_factory=dict)
    watermarks: list[Watermark] = field(default_factory=list)
    #: Calls Gong no longer has: removed with every row that is theirs (``--reconcile``).
    delete_calls: list[str] = field(default_factory=list)
    #: Gong requests (pages) this batch cost.
    requests: int = 0

    def add(self, table: str, rows: list[Row]) -> None:
        self.rows.setdefault(table, []).extend(rows)

    @property
    def record_count(self) -> int:
        return sum(len(r) for r in self.rows.values())


@dataclass(frozen=True)
class Record:
    """One row of one table, for users who write records to their own destination."""

    stream: str
    table: str
    row: Row
