"""One emulator's whole state: the company, OAuth, automation rules, faults, limits, clock, log.

Everything a request can see or change hangs off ``EmulatorState``, so one ``reset`` puts
all of it back to the state of a new emulator, whether a Python test or the admin API asks.
The HTTP layer only reads and calls it.
"""

from __future__ import annotations

import tempfile
import threading
from collections import deque
from pathlib import Path
from typing import Any

from ._access import CallAccess
from ._clock import Clock
from ._config import EmulatorConfig
from ._crm import CrmData
from ._dataset import CallRecord
from ._directory import Directory
from ._errors import bad_request
from ._extensive import ExtensiveData
from ._flows import Flows
from ._limits import FaultInjector, RateLimiter
from ._oauth import OAuthServer
from ._partners import Partners
from ._permissions import PermissionProfiles
from ._privacy import PrivacyRequests
from ._settings import Settings
from ._stats import Stats
from ._timefmt import fmt
from ._webhooks import Webhooks

JSON = dict[str, Any]

REQUEST_LOG_SIZE = 100_000

#: A webhook carries every section of the call: CRM context extended, as of now.
WEBHOOK_SECTIONS: JSON = {
    "parties": True,
    "media": True,
    "content": {
        k: True
        for k in (
            "structure",
            "topics",
            "trackers",
            "pointsOfInterest",
            "brief",
            "outline",
            "highlights",
            "callOutcome",
            "keyPoints",
        )
    },
    "interaction": {k: True for k in ("speakers", "video", "personInteractionStats", "questions")},
    "collaboration": {"publicComments": True},
}


class EmulatorState(
    PrivacyRequests, ExtensiveData, Directory, Stats, Settings, CallAccess, CrmData, Flows, PermissionProfiles, Partners
):
    """The state root. The company's resources come from the mixins; the rest is owned here."""

    def __init__(self, config: EmulatorConfig, *, webhook_retry_delays: tuple[float, ...] = (1.0, 5.0)) -> None:
        self.lock = threading.RLock()
        self.base_url = "http://127.0.0.1"
        self._own_media_dir: tempfile.TemporaryDirectory[str] | None = None
        config = self._with_media_dir(config)
        self.clock = Clock(frozen=config.frozen_clock)
        self.rate_limiter = RateLimiter(config.rate_limit, self.clock)
        self.faults = FaultInjector()
        self.request_log: deque[JSON] = deque(maxlen=REQUEST_LOG_SIZE)
        self.oauth = OAuthServer(config.oauth_clients, self.clock, config.access_token_ttl)
        self.webhooks = Webhooks(self.clock, webhook_retry_delays)
        self.load(config)
        #: The settings it started with; ``Emulator.fresh`` returns to them.
        self.initial_config = self.config

    def reset(self, **changes: Any) -> None:
        """Become a new emulator with the current settings plus ``changes``.

        Drops the company's changes and media files, OAuth codes and tokens, automation rules
        and deliveries, faults, today's request count and any limit set since, the request
        log, and moves the clock back to real time. Only the webhook signing key is kept: a
        new emulator would draw another random key, and drawing one is slow.
        """
        config = self._with_media_dir(self.config.with_changes(**changes))
        # Outside the lock: it waits for deliveries in flight, whose receivers may call the API.
        self.webhooks.clear()
        with self.lock:
            self._delete_media_files()
            self.clock.reset(frozen=config.frozen_clock)
            self.load(config)
            self.rate_limiter.configure(config.rate_limit)
            self.rate_limiter.reset()
            self.faults.reset()
            self.request_log.clear()
            self.oauth.reset(config.oauth_clients, config.access_token_ttl)

    def close(self) -> None:
        self.webhooks.close()
        if self._own_media_dir is not None:
            self._own_media_dir.cleanup()

    def _with_media_dir(self, config: EmulatorConfig) -> EmulatorConfig:
        """Uploads need a directory: a private temporary one unless the settings name one."""
        if config.media_dir is not None:
            return config
        if self._own_media_dir is None:
            self._own_media_dir = tempfile.TemporaryDirectory(prefix="gong-emulator-media-")
        return config.with_changes(media_dir=Path(self._own_media_dir.name))

    def _delete_media_files(self) -> None:
        if self.config.media_dir is not None:
            for path in self.config.media_dir.glob("*.media*"):
                path.unlink(missing_ok=True)

    # ----- requests -------------------------------------------------------------------------

    def record_request(self, entry: JSON) -> None:
        self.request_log.append(entry)

    def oauth_user(self) -> str:
        """The user every OAuth grant acts as: the company's first user is "signed in"."""
        return str(self.data.users[0]["emailAddress"])

    # ----- webhooks -------------------------------------------------------------------------

    def call_processed(self, record: CallRecord) -> None:
        if not self.webhooks.rules:
            return
        with self.lock:
            data = self.extensive_call(record, "Extended", ["Now"], WEBHOOK_SECTIONS, True)
        self.webhooks.call_processed(record, data)

    def send_test(self, rule_id: str) -> None:
        """What a rule's Test button does: send seeded call 0 with ``isTest: true``."""
        rule = self.webhooks.rules[rule_id]
        with self.lock:
            if not self.data.n_calls:
                raise bad_request("no call to send as a test")
            data = self.extensive_call(self.data.call(0), "Extended", ["Now"], {"parties": True}, True)
        self.webhooks.send(rule, data, is_test=True)

    # ----- for the admin API and tests ------------------------------------------------------

    def advance_clock(self, seconds: float) -> float:
        now = self.clock.advance(seconds)
        self.tick()
        return now

    def state_summary(self) -> JSON:
        with self.lock:
            return {
                "seed": self.config.seed,
                "generatedCalls": self.data.n_calls,
                "createdCalls": len(self.created),
                "processedCreatedCalls": len(self.processed_keys),
                "deletedCalls": len(self.deleted_calls),
                "users": len(self.data.users),
                "avatars": len(self.data.avatars),
                "workspaces": len(self.data.workspaces),
                "folders": len(self.data.folders),
                "meetings": len(self.meetings),
                "engagementEvents": len(self.events),
                "erasedContacts": len(self.erased_contacts),
                "mediaFiles": len(self.media),
                "callsWithAccessChanged": len(self.call_access),
                "crmIntegrations": len(self.crm_integrations),
                "crmRequests": len(self.crm_requests),
                "prospectsAssignedThroughTheApi": len(self.flow_assignments),
                "permissionProfiles": len(self.permission_profiles),
                "digitalInteractions": len(self.digital_interactions),
                "integrationSettings": {k: list(val) for k, val in self.integration_origins.items()},
                "requestsToday": self.rate_limiter.used_today,
                "clock": fmt(self.clock.now()),
                "clockFrozen": self.clock.frozen,
                "rateLimit": {
                    "perSecond": self.rate_limiter.limit.per_second,
                    "perDay": self.rate_limiter.limit.per_day,
                },
            }
