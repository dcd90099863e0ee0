"""Pages and lazy pagers over Gong's cursor paging.

A pager does nothing until iterated. Iterating yields items across all pages;
``pages()`` yields whole pages; ``first_page()`` fetches one page, whose ``cursor`` can be
passed back later (``cursor=``) to resume. Cursors expire within minutes, so resume soon.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from ._models import GongModel, Records

__all__ = ["AsyncPager", "Page", "Pager"]

T = TypeVar("T", bound=GongModel)


@dataclass
class Page(Generic[T]):
    """One page of a list: its items, the cursor to the next page (None at the end)."""

    items: list[T]
    cursor: str | None
    records: Records | None = None
    request_id: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    #: For date-window listings: every item before this instant has now been yielded
    #: (set on the last page of the window, or of each piece when the window was cut).
    #: A sync may commit it as its watermark.
    complete_until: datetime | None = None

    @property
    def has_more(self) -> bool:
        return self.cursor is not None

    def __len__(self) -> int:
        return len(self.items)


class Pager(Generic[T]):
    """Lazy iterator over every item of a sync list call."""

    def __init__(self, fetch: Callable[[str | None], Page[T]], cursor: str | None = None):
        self._fetch = fetch
        self._cursor = cursor

    def pages(self) -> Iterator[Page[T]]:
        cursor = self._cursor
        while True:
            page = self._fetch(cursor)
            yield page
            if page.cursor is None or page.cursor == cursor:
                return
            cursor = page.cursor

    def first_page(self) -> Page[T]:
        return self._fetch(self._cursor)

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items

    def to_list(self) -> list[T]:
        return list(self)


class AsyncPager(Generic[T]):
    """Lazy async iterator over every item of an async list call."""

    def __init__(self, fetch: Callable[[str | None], Awaitable[Page[T]]], cursor: str | None = None):
        self._fetch = fetch
        self._cursor = cursor

    async def pages(self) -> AsyncIterator[Page[T]]:
        cursor = self._cursor
        while True:
            page = await self._fetch(cursor)
            yield page
            if page.cursor is None or page.cursor == cursor:
                return
            cursor = page.cursor

    async def first_page(self) -> Page[T]:
        return await self._fetch(self._cursor)

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item

    async def to_list(self) -> list[T]:
        return [item async for item in self]
