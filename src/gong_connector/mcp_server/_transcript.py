"""Transcripts as compact text, cut at a size limit and resumed by an opaque cursor.

A model reads ``03:25 Kenji Lindqvist: Thanks for making the time today.`` far more cheaply
than Gong's JSON. The cursor holds everything needed to resume (the filter, the Gong cursor
of the page being read, and the call, turn and sentence to restart at), so no state is kept
between calls and the same position always gives the same cursor.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..actions import clock, label_calls
from ..client import (
    AsyncGongClient,
    CallTranscript,
    ContentSelector,
    PermissionDeniedError,
    ValidationError,
)

__all__ = ["FILTER_KEYS", "Position", "TranscriptText", "clock", "read_transcript_text"]

#: The transcript inputs that select calls; a cursor carries them.
FILTER_KEYS = ("from_date_time", "to_date_time", "workspace_id", "call_ids")

_PREFIX = "t1."


@dataclass(frozen=True)
class Position:
    """Where to resume: the page (by the Gong cursor that fetched it) and call/turn/sentence."""

    filters: dict[str, Any]
    page: str | None = None
    call: int = 0
    turn: int = 0
    sentence: int = 0

    def encode(self) -> str:
        data = {"f": self.filters, "p": self.page, "c": self.call, "m": self.turn, "s": self.sentence}
        raw = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
        return _PREFIX + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> Position:
        bad = ValidationError(
            "cursor",
            "invalid",
            "is not a cursor returned by this tool's text format; omit it to start from the beginning",
        )
        if not cursor.startswith(_PREFIX):
            raise bad
        body = cursor[len(_PREFIX) :]
        try:
            data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        except (binascii.Error, ValueError):
            raise bad from None
        if not isinstance(data, dict):
            raise bad
        filters, page = data.get("f"), data.get("p")
        numbers = [
            n for k in ("c", "m", "s") if isinstance(n := data.get(k), int) and not isinstance(n, bool) and n >= 0
        ]
        if (
            not isinstance(filters, dict)
            or set(filters) - set(FILTER_KEYS)
            or not (page is None or isinstance(page, str))
            or len(numbers) != 3
        ):
            raise bad
        return cls(filters, page, numbers[0], numbers[1], numbers[2])


@dataclass
class TranscriptText:
    """One bounded piece of transcript text and the cursor for the rest (``None``: done)."""

    text: str
    cursor: str | None
    call_ids: list[str] = field(default_factory=list)


def start_position(inputs: Mapping[str, Any]) -> Position:
    """From the tool's inputs: a fresh position, or the cursor's (whose filter wins; a
    different filter given with it is an error naming that input)."""
    given = {k: inputs[k] for k in FILTER_KEYS if inputs.get(k) is not None}
    cursor = inputs.get("cursor")
    if cursor is None:
        return Position(given)
    if not isinstance(cursor, str):
        raise ValidationError("cursor", "string", "must be a string")
    position = Position.decode(cursor)
    for key, value in given.items():
        if position.filters.get(key) != value:
            raise ValidationError(
                key,
                "cursor_filter",
                "differs from the filter the cursor was made for; pass the cursor alone to continue",
            )
    return position


class _Writer:
    """Lines up to a character budget; always takes one step (a sentence, or a call with no
    transcript), so each call of the tool advances."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.lines: list[str] = []
        self.size = 0
        self.steps = 0

    def fits(self, extra: int, pending: str = "") -> bool:
        """Whether ``extra`` more characters (after a line not yet added) stay in budget."""
        total = self.size + (1 if self.lines else 0) + len(pending) + extra
        return self.steps == 0 or total <= self.budget

    def add(self, line: str) -> None:
        self.size += len(line) + (1 if self.lines else 0)
        self.lines.append(line)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


async def speaker_names(client: AsyncGongClient, call_ids: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Speaker id to name (from the calls' parties) and call id to a header line.

    Without the extensive scope, speakers stay ids rather than failing the transcript."""
    if not call_ids:
        return {}, {}
    selector = ContentSelector(exposed_fields={"parties": True})
    try:
        calls = [c async for c in client.list_calls_extensive(call_ids=list(call_ids), content_selector=selector)]
    except PermissionDeniedError:
        return {}, {}
    return label_calls(calls)


async def read_transcript_text(client: AsyncGongClient, inputs: Mapping[str, Any], max_chars: int) -> TranscriptText:
    """Transcript text from the position the inputs give, at most ``max_chars`` long
    (one sentence more if a single sentence is longer)."""
    pos = start_position(inputs)
    out = _Writer(max_chars)
    seen: list[str] = []
    while True:
        page = await client.get_call_transcripts(**pos.filters, cursor=pos.page).first_page()
        items: list[CallTranscript] = list(page.items)
        names, headers = await speaker_names(client, [t.call_id for t in items[pos.call :] if t.call_id])
        for index in range(pos.call, len(items)):
            item = items[index]
            fresh = pos.turn == 0 and pos.sentence == 0
            call_id = item.call_id or "(no id)"
            header = "# " + headers.get(call_id, f"Call {call_id}")
            header = header if fresh else f"{header} (continued)"
            if not out.fits(len(header) + 41):
                return _stop(out, seen, Position(pos.filters, pos.page, index, pos.turn, pos.sentence))
            if out.lines:
                out.add("")
            out.add(header)
            seen.append(call_id)
            if not item.transcript:
                out.add("(no transcript)")
                out.steps += 1
            stop = _write_call(out, item, names, pos.turn, pos.sentence)
            if stop is not None:
                turn, sentence = stop
                return _stop(out, seen, Position(pos.filters, pos.page, index, turn, sentence))
            pos = Position(pos.filters, pos.page, index + 1)
        if page.cursor is None or page.cursor == pos.page:
            return TranscriptText(out.text, None, seen)
        pos = Position(pos.filters, page.cursor)
        if not out.fits(80):
            return _stop(out, seen, pos)


def _write_call(
    out: _Writer, item: CallTranscript, names: Mapping[str, str], turn: int, sentence: int
) -> tuple[int, int] | None:
    """Write the call's turns from (turn, sentence); where it stopped, or ``None`` if done.

    One line per speaker turn, stamped with the time of its first sentence written."""
    for t in range(turn, len(item.transcript)):
        mono = item.transcript[t]
        speaker = names.get(mono.speaker_id or "", f"Speaker {mono.speaker_id or '?'}")
        line = ""
        for s in range(sentence if t == turn else 0, len(mono.sentences)):
            sent = mono.sentences[s]
            text = " ".join((sent.text or "").split())
            piece = f" {text}" if line else f"{clock(sent.start)} {speaker}: {text}"
            if not out.fits(len(piece), line):
                if line:
                    out.add(line)
                return t, s
            line += piece
            out.steps += 1
        if line:
            out.add(line)
    return None


def _stop(out: _Writer, seen: list[str], pos: Position) -> TranscriptText:
    return TranscriptText(out.text, pos.encode(), seen)
