"""Every date option takes the same forms (date-time with an offset, a date, an age),
errors name the option, and a reversed window is refused before anything is sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ..actions.cases import World
from .conftest import Cli


def _sent(cli: Cli, path: str) -> dict:
    return next(r for r in reversed(cli.api_requests()) if r["path"] == path)


def test_a_plain_date_and_an_age_are_taken(cli: Cli) -> None:
    assert isinstance(cli.ok("calls", "list", "--from", "2026-10-01", "--to", "2026-11-01"), list)
    assert _sent(cli, "/v2/calls")["query"] == {
        "fromDateTime": "2026-10-01T00:00:00Z",
        "toDateTime": "2026-11-01T00:00:00Z",
    }
    before = datetime.now(UTC).replace(microsecond=0)
    cli.ok("calls", "list", "--from", "30d", "--limit", "1")
    sent = datetime.fromisoformat(_sent(cli, "/v2/calls")["query"]["fromDateTime"])
    assert (
        before - timedelta(days=30, seconds=5) <= sent <= datetime.now(UTC) - timedelta(days=30) + timedelta(seconds=5)
    )
    cli.ok("calls", "list", "--from", "2026-10-01T09:00:00+02:00", "--to", "2026-10-02", "--limit", "1")
    assert _sent(cli, "/v2/calls")["query"]["fromDateTime"] == "2026-10-01T09:00:00+02:00"


@pytest.mark.parametrize(
    "args",
    [
        ["calls", "list"],
        ["calls", "transcript"],
        ["logs", "--type", "AccessLog"],
    ],
)
def test_errors_name_the_option_and_reversed_windows_send_nothing(cli: Cli, args: list[str]) -> None:
    stderr = cli.fails(2, *args, "--from", "last week")
    assert "error: --from: 'last week' is not a date-time with an offset" in stderr
    assert "from_date_time" not in stderr
    assert "error: --to: 'soon' is not" in cli.fails(2, *args, "--from", "2026-10-01", "--to", "soon")
    assert "error: --to: must be later than --from" in cli.fails(2, *args, "--from", "2026-11-01", "--to", "2026-10-01")
    assert "error: --to: must be later than --from" in cli.fails(2, *args, "--from", "1d", "--to", "2d")
    assert cli.api_requests() == []


def test_other_date_options_take_the_same_forms(cli: Cli, world: World) -> None:
    event = ["--reporting-system", "docs", "--content-id", "d-1", "--content-url", "https://docs.example/1"]
    event += ["--content-title", "Proposal", "--event-id", "dates-1", "--timestamp", "2026-11-20"]
    assert cli.ok("events", "viewed", *event)["requestId"]
    assert "error: --timestamp: 'tomorrow' is not" in cli.fails(
        2, "events", "viewed", *event[:-2], "--timestamp", "tomorrow"
    )
    meeting = ["--organizer", world.user_email, "--invitee", "a@customer.example"]
    made = cli.ok("meetings", "create", "--start", "2026-12-01", "--end", "2026-12-02", *meeting)
    assert made["meetingId"]
    reversed_ = cli.fails(2, "meetings", "create", "--start", "2026-12-02", "--end", "2026-12-01", *meeting)
    assert "error: --end: must be later than --start" in reversed_
    assert "error: --actual-start" in cli.fails(
        2,
        "calls",
        "create",
        "--client-unique-id",
        "d-1",
        "--primary-user",
        world.user_id,
        "--party",
        world.user_id,
        "--direction",
        "Inbound",
        "--actual-start",
        "noon",
    )
