"""Users beyond the spec over real HTTP: the extensive listing (by id, by creation window,
paged) and a user's settings history, on the sync and the async client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest

from gong_connector import NotFoundError
from gong_connector.client import User, UserSettingsChange, UserSettingsHistory
from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit

from .conftest import Facade, api_requests


@pytest.fixture(scope="module")
def small_pages() -> Iterator[Emulator]:
    cfg = EmulatorConfig(seed=4, calls=60, users=13, page_size=5, rate_limit=RateLimit.off(), frozen_clock=True)
    with Emulator(cfg) as emu:
        yield emu


def test_users_extensive_lists_everyone_by_default(ro_api: Facade, shared_emu: Emulator) -> None:
    everyone = ro_api.list_users().to_list()
    extensive = ro_api.list_users_extensive().to_list()
    assert all(isinstance(u, User) and not u.problems() for u in extensive)
    assert [u.id for u in extensive] == [u.id for u in everyone]
    assert next(r["body"] for r in api_requests(shared_emu) if r["path"] == "/v2/users/extensive") == {"filter": {}}


def test_users_extensive_by_id(ro_api: Facade) -> None:
    wanted = [u.id for u in ro_api.list_users().to_list()[:3]]
    found = ro_api.list_users_extensive(user_ids=wanted).to_list()
    assert sorted(u.id for u in found) == sorted(wanted)


def test_users_extensive_by_creation_window(ro_api: Facade, shared_emu: Emulator) -> None:
    users = ro_api.list_users().to_list()
    created = sorted(u.created for u in users if isinstance(u.created, datetime))
    middle = created[len(created) // 2]
    before = ro_api.list_users_extensive(created_to_date_time=middle).to_list()
    after = ro_api.list_users_extensive(created_from_date_time=middle).to_list()
    assert before and after and len(before) + len(after) == len(users)
    assert all(u.created < middle for u in before) and all(u.created >= middle for u in after)
    sent = [r["body"]["filter"] for r in api_requests(shared_emu) if r["path"] == "/v2/users/extensive"]
    assert set(sent[-2]) == {"createdToDateTime"} and set(sent[-1]) == {"createdFromDateTime"}


def test_users_extensive_pages_in_the_body(make_api: Callable[..., Facade], small_pages: Emulator) -> None:
    api = make_api(small_pages)
    small_pages.clear_requests()
    pages = api.list_users_extensive().pages()
    assert len(pages) >= 3 and pages[-1].cursor is None
    ids = [u.id for p in pages for u in p.items]
    assert len(ids) == len(set(ids)) == pages[0].records.total_records
    bodies = [r["body"] for r in api_requests(small_pages) if r["path"] == "/v2/users/extensive"]
    assert "cursor" not in bodies[0] and all(b["cursor"] for b in bodies[1:])
    resumed = api.list_users_extensive(cursor=pages[0].cursor).first_page()
    assert [u.id for u in resumed.items] == [u.id for u in pages[1].items]


def test_user_settings_history(ro_api: Facade, shared_emu: Emulator) -> None:
    user = ro_api.list_users().first_page().items[0]
    history = ro_api.get_user_settings_history(user_id=user.id)
    assert isinstance(history, UserSettingsHistory) and history.request_id and not history.problems()
    changes = history.user_settings_history
    assert changes and all(isinstance(c, UserSettingsChange) for c in changes)
    assert all(isinstance(c.value, bool) and isinstance(c.time, datetime) and c.setting for c in changes)
    assert api_requests(shared_emu)[-1]["path"] == f"/v2/users/{user.id}/settings-history"


def test_user_settings_history_of_an_unknown_user(ro_api: Facade) -> None:
    with pytest.raises(NotFoundError):
        ro_api.get_user_settings_history(user_id="99999999999999999999")


def test_creation_window_refused_as_too_long_is_cut(make_api: Callable[..., Facade], small_pages: Emulator) -> None:
    """The declared window lets the pager cut a creation window Gong refuses; here nothing is
    refused, so one request covers it."""
    api = make_api(small_pages)
    small_pages.clear_requests()
    end = small_pages.config.anchor
    users = api.list_users_extensive(
        created_from_date_time=end - timedelta(days=3650), created_to_date_time=end
    ).to_list()
    assert users
    assert all("createdFromDateTime" in r["body"]["filter"] for r in api_requests(small_pages))
