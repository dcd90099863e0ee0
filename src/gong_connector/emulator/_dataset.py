"""The generated company: users, workspaces, contacts, calls, transcripts, folders and logs.

Everything is a pure function of the seed and an index, computed when asked for. That is
how the emulator serves 100,000 calls with transcripts while holding only one page of
them at a time: a call, its parties and its transcript are rebuilt from ``(seed, index)``.
Small collections (users, workspaces, folders) are built once.
"""

from __future__ import annotations

import bisect
import hashlib
import random
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from . import _vocab as v
from ._config import EmulatorConfig
from ._ids import IdCodec, stable_hash
from ._timefmt import fmt

if TYPE_CHECKING:
    from ._scorecards import Scorecards

JSON = dict[str, Any]


@dataclass
class Party:
    party_id: str
    name: str
    email: str | None
    title: str | None
    user_id: str | None
    speaker_id: str | None
    affiliation: str
    phone: str | None = None
    methods: tuple[str, ...] = ("Invitee", "Attendee")
    contact_index: int | None = None
    media_channel_id: int | None = None
    context: list[JSON] | None = None

    def to_json(self) -> JSON:
        out: JSON = {
            "id": self.party_id,
            "emailAddress": self.email,
            "name": self.name,
            "title": self.title,
            "userId": self.user_id,
            "speakerId": self.speaker_id,
            "context": self.context or [],
            "affiliation": self.affiliation,
            "phoneNumber": self.phone,
            "methods": list(self.methods),
        }
        return out


@dataclass
class CallRecord:
    """A call as the backend sees it: Gong's metadata plus what extensive data needs."""

    id: str
    key_ms: int  # the time date filters use, in ms: scheduled for web conferences, else start
    meta: JSON
    parties: list[Party]
    account_index: int | None = None
    seed_key: str = ""
    speech_segments: list[JSON] | None = None
    crm_context: list[JSON] | None = None
    index: int | None = None  # position in the generated sequence; None for created calls

    @property
    def sort_key(self) -> tuple[int, str]:
        return (self.key_ms, self.id)


@dataclass
class Contact:
    index: int
    first: str
    last: str
    email: str
    phone: str
    title: str
    account_index: int
    crm_id: str
    object_type: str  # Lead or Contact

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(frozen=True)
class Folder:
    id: str
    name: str
    parent_id: str | None
    created_by: str
    updated: float
    workspace_id: str
    calls: list[JSON] = field(default_factory=list)  # {"index", "note", "addedBy", "created", ...}


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join(str(p) for p in parts))


def _weighted(rng: random.Random, items: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def _phone(rng: random.Random) -> str:
    return f"+1 (555) 01{rng.randrange(10)}{rng.randrange(10)}-{rng.randrange(1000, 9999)}"


def _hex(seed: object, length: int) -> str:
    return hashlib.blake2b(str(seed).encode(), digest_size=(length + 1) // 2).hexdigest()[:length]


LOG_TYPES = (
    "AccessLog",
    "UserActivityLog",
    "UserCallPlay",
    "ExternallySharedCallAccess",
    "ExternallySharedCallPlay",
)


class Dataset:
    """The seeded company. Read-only: the backend layers changes over it."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.seed = config.seed
        self.call_ids = IdCodec(self.seed, "call")
        self.user_ids = IdCodec(self.seed, "user")
        self.workspace_ids = IdCodec(self.seed, "workspace")
        self.folder_ids = IdCodec(self.seed, "folder")
        self.meeting_ids = IdCodec(self.seed, "meeting")
        self.party_ids = IdCodec(self.seed, "party")
        self.n_calls = max(0, config.calls)
        self.end_ts = config.anchor.timestamp()
        self.start_ts = self.end_ts - config.history_days * 86_400
        self.slot = (self.end_ts - self.start_ts) / max(1, self.n_calls)
        self.workspaces = self._make_workspaces(max(1, config.workspaces))
        self.users, self.avatars = self._make_users(max(2, config.users))
        self.users_by_id = {u["id"]: u for u in self.users + self.avatars}
        self.users_by_email = {u["emailAddress"].lower(): u for u in self.users + self.avatars}
        self.reps = [u for u in self.users if u["_role"] == "rep"] or self.users
        self.n_accounts = len(v.ACCOUNTS)
        self.n_contacts = max(60, self.n_calls // 2)
        self.folders = self._make_folders()
        self.n_logs = max(50, self.n_calls)
        self.call = lru_cache(maxsize=4096)(self._make_call)
        self.contact = lru_cache(maxsize=4096)(self._make_contact)
        self._phone_index: dict[str, list[int]] | None = None
        self._crm_index: dict[str, int] | None = None

    @cached_property
    def scorecards(self) -> Scorecards:
        """The workspaces' scorecards and the answers given on generated calls."""
        from ._scorecards import Scorecards  # it builds on this module

        return Scorecards(self)

    # ----- workspaces and users -------------------------------------------------------------

    def _make_workspaces(self, count: int) -> list[JSON]:
        out = []
        for i in range(count):
            name, description = v.WORKSPACES[i % len(v.WORKSPACES)]
            if i >= len(v.WORKSPACES):
                name = f"{name} {i // len(v.WORKSPACES) + 1}"
            out.append({"id": self.workspace_ids.encode(i), "name": name, "description": description})
        return out

    def _make_users(self, count: int) -> tuple[list[JSON], list[JSON]]:
        users: list[JSON] = []
        n_managers = max(1, count // 8)
        used_emails: set[str] = set()
        for i in range(count):
            rng = _rng(self.seed, "user", i)
            first = rng.choice(v.FIRST_NAMES)
            last = rng.choice(v.LAST_NAMES)
            email = f"{first}.{last}".lower() + f"@{v.COMPANY_DOMAIN}"
            if email in used_emails:
                email = f"{first}.{last}{i}".lower() + f"@{v.COMPANY_DOMAIN}"
            used_emails.add(email)
            if i == 0:
                role, title, manager = "head", "Chief Revenue Officer", None
            elif i <= n_managers:
                role, title, manager = "manager", rng.choice(v.MANAGER_TITLES), 0
            else:
                role, title = "rep", rng.choice(v.REP_TITLES)
                manager = 1 + (i % n_managers)
            created = self.start_ts - rng.randrange(30, 900) * 86_400
            active = rng.random() > 0.06 or i == 0
            user_id = self.user_ids.encode(i)
            users.append(
                {
                    "id": user_id,
                    "emailAddress": email,
                    "created": fmt(created),
                    "active": active,
                    "emailAliases": [f"{first[0]}{last}".lower() + f"@{v.COMPANY_DOMAIN}"]
                    if rng.random() < 0.3
                    else [],
                    "trustedEmailAddress": email,
                    "firstName": first,
                    "lastName": last,
                    "title": title,
                    "phoneNumber": _phone(rng),
                    "extension": str(rng.randrange(100, 999)) if rng.random() < 0.4 else None,
                    "personalMeetingUrls": [f"https://zoom.example/j/{rng.randrange(10**9, 10**10)}"],
                    "settings": {
                        "webConferencesRecorded": active,
                        "preventWebConferenceRecording": False,
                        "telephonyCallsImported": role == "rep",
                        "emailsImported": True,
                        "preventEmailImport": False,
                        "nonRecordedMeetingsImported": rng.random() < 0.5,
                        "gongConnectEnabled": rng.random() < 0.7,
                    },
                    "managerId": None if manager is None else self.user_ids.encode(manager),
                    "meetingConsentPageUrl": f"https://join.gong.io/northwind/{first.lower()}.{last.lower()}",
                    "spokenLanguages": [{"language": "en-US", "primary": True}]
                    + ([{"language": "es-ES", "primary": False}] if rng.random() < 0.15 else []),
                    "_role": role,
                    "_index": i,
                    "_created": created,
                }
            )
        avatars = []
        for k in range(2):
            idx = count + k
            avatars.append(
                {
                    "id": self.user_ids.encode(idx),
                    "emailAddress": f"support-avatar-{k + 1}@gong.io",
                    "created": fmt(self.start_ts),
                    "active": True,
                    "emailAliases": [],
                    "trustedEmailAddress": None,
                    "firstName": "Gong",
                    "lastName": f"Support {k + 1}",
                    "title": "Customer Success (Gong)",
                    "phoneNumber": None,
                    "extension": None,
                    "personalMeetingUrls": [],
                    "settings": {
                        "webConferencesRecorded": False,
                        "preventWebConferenceRecording": False,
                        "telephonyCallsImported": False,
                        "emailsImported": False,
                        "preventEmailImport": False,
                        "nonRecordedMeetingsImported": False,
                        "gongConnectEnabled": False,
                    },
                    "managerId": None,
                    "meetingConsentPageUrl": None,
                    "spokenLanguages": [],
                    "_role": "avatar",
                    "_index": idx,
                    "_created": self.start_ts,
                }
            )
        return users, avatars

    # ----- external contacts ------------------------------------------------------------------

    def _make_contact(self, j: int) -> Contact:
        rng = _rng(self.seed, "contact", j)
        first = rng.choice(v.FIRST_NAMES)
        last = rng.choice(v.LAST_NAMES)
        account = j % self.n_accounts
        domain = v.ACCOUNTS[account].lower().replace(" ", "") + ".example"
        kind = "Contact" if rng.random() < 0.7 else "Lead"
        prefix = "003" if kind == "Contact" else "00Q"
        return Contact(
            index=j,
            first=first,
            last=last,
            email=f"{first}.{last}.{j}".lower() + f"@{domain}",
            phone=_phone(rng),
            title=rng.choice(v.CONTACT_TITLES),
            account_index=account,
            crm_id=prefix + _hex(("crm", self.seed, j), 15).upper(),
            object_type=kind,
        )

    def account_crm_id(self, account: int) -> str:
        return "001" + _hex(("acct", self.seed, account), 15).upper()

    def opportunity_crm_id(self, account: int) -> str:
        return "006" + _hex(("opp", self.seed, account), 15).upper()

    def contacts_of_account(self, account: int) -> range:
        return range(account, self.n_contacts, self.n_accounts)

    def find_contacts_by_phone(self, number: str) -> list[Contact]:
        """Contacts whose number, as ``+`` and digits, is ``number``; indexed on first use."""
        if self._phone_index is None:
            index: dict[str, list[int]] = {}
            for j in range(self.n_contacts):
                phone = self.contact(j).phone
                index.setdefault("+" + "".join(ch for ch in phone if ch.isdigit()), []).append(j)
            self._phone_index = index
        return [self.contact(j) for j in self._phone_index.get(number, [])]

    def find_contact_by_crm_id(self, crm_id: str) -> Contact | None:
        """The contact or lead with this CRM id; the ids' hashed part is indexed on first use."""
        if self._crm_index is None:
            self._crm_index = {_hex(("crm", self.seed, j), 15).upper(): j for j in range(self.n_contacts)}
        j = self._crm_index.get(crm_id[3:]) if len(crm_id) == 18 else None
        if j is None or self.contact(j).crm_id != crm_id:
            return None
        return self.contact(j)

    def find_contacts_by_email(self, email: str) -> list[Contact]:
        """Contacts whose address is ``email``; the index is part of the address."""
        local = email.lower().split("@", 1)[0]
        tail = local.rsplit(".", 1)[-1]
        if not tail.isdigit():
            return []
        j = int(tail)
        if 0 <= j < self.n_contacts and self.contact(j).email == email.lower():
            return [self.contact(j)]
        return []

    def emails_of_contact(self, contact: Contact) -> list[JSON]:
        rep = self.reps[contact.index % len(self.reps)]
        out = []
        for k in range(2):
            ts = self.start_ts + (
                stable_hash(self.seed, "mail", contact.index, k) % int(self.end_ts - self.start_ts + 1)
            )
            inbound = k == 1
            out.append(
                {
                    "from": contact.email if inbound else rep["emailAddress"],
                    "id": _hex(("email", self.seed, contact.index, k), 32),
                    "sentTime": fmt(ts),
                    "mailbox": rep["emailAddress"],
                    "messageHash": _hex(("hash", self.seed, contact.index, k), 40),
                }
            )
        return out

    # ----- calls ------------------------------------------------------------------------------

    def key_ms(self, i: int) -> int:
        """The filter time of generated call ``i``; strictly increasing in ``i``."""
        jitter = (stable_hash(self.seed, "t", i) % 1000) / 1000 * 0.8
        return int((self.start_ts + (i + jitter) * self.slot) * 1000)

    def index_at_or_after(self, ts_ms: int) -> int:
        """The first generated call index whose filter time is at or after ``ts_ms``."""
        lo, hi = 0, self.n_calls
        while lo < hi:
            mid = (lo + hi) // 2
            if self.key_ms(mid) < ts_ms:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def call_index(self, call_id: str) -> int | None:
        i = self.call_ids.decode(call_id)
        return i if i is not None and 0 <= i < self.n_calls else None

    def workspace_of(self, i: int) -> str:
        n = len(self.workspaces)
        weights = stable_hash(self.seed, "ws", i) % 100
        # The first workspace holds most calls, as a main sales team would.
        pick = 0 if weights < 60 or n == 1 else 1 + weights % (n - 1)
        return str(self.workspaces[pick]["id"])

    def primary_rep_of(self, i: int) -> JSON:
        return self.reps[stable_hash(self.seed, "rep", i) % len(self.reps)]

    def is_internal_only(self, i: int) -> bool:
        return stable_hash(self.seed, "internal", i) % 10 == 0

    def internal_users_of(self, i: int, host: JSON | None = None, internal_only: bool | None = None) -> list[JSON]:
        """The company's people on generated call ``i``, host first (cheap: no call is built).

        ``host`` and ``internal_only``, when the caller has them, save recomputing them.
        """
        h = stable_hash(self.seed, "others", i)
        users = [host if host is not None else self.primary_rep_of(i)]
        if internal_only is None:
            internal_only = self.is_internal_only(i)
        for k in range(h % 3 + (1 if internal_only else 0)):
            other = self.users[(h >> (8 + 12 * k)) % len(self.users)]
            if all(other is not u for u in users):
                users.append(other)
        return users

    def account_of(self, i: int) -> int:
        """The customer account a generated call is with (cheap: no call is built)."""
        return stable_hash(self.seed, "account", i) % self.n_accounts

    def _call_head(self, i: int) -> tuple[random.Random, bool, int]:
        """The first draws of call ``i``: its generator, whether it is a web conference, its length."""
        rng = _rng(self.seed, "call", i)
        conference = rng.random() < 0.7
        duration = rng.randrange(4, 61) * 60 + rng.randrange(60)
        return rng, conference, duration

    def call_duration(self, i: int) -> int:
        """Seconds of generated call ``i`` without building it (stats read thousands)."""
        return self._call_head(i)[2]

    def call_seed_key(self, i: int) -> str:
        return f"{self.seed}:call:{i}"

    def _make_call(self, i: int) -> CallRecord:
        rng, conference, duration = self._call_head(i)
        key_ms = self.key_ms(i)
        internal_only = self.is_internal_only(i)
        rep = self.primary_rep_of(i)
        account = self.account_of(i)
        call_id = self.call_ids.encode(i)
        kind = rng.choice(v.CALL_KINDS)
        parties: list[Party] = []

        def add_user(user: JSON) -> None:
            parties.append(
                Party(
                    party_id=self.party_ids.encode(i * 16 + len(parties)),
                    name=f"{user['firstName']} {user['lastName']}",
                    email=user["emailAddress"],
                    title=user["title"],
                    user_id=user["id"],
                    speaker_id=str(stable_hash(self.seed, "spk", i, len(parties)) % 10**16),
                    affiliation="Internal",
                    phone=None,
                )
            )

        for user in self.internal_users_of(i):
            add_user(user)
        if not internal_only:
            pool = self.contacts_of_account(account)
            for k in range(rng.randrange(1, 4)):
                j = pool[(i + k) % len(pool)] if len(pool) else k
                c = self.contact(j)
                if any(p.contact_index == j for p in parties):
                    continue
                parties.append(
                    Party(
                        party_id=self.party_ids.encode(i * 16 + len(parties)),
                        name=c.name,
                        email=c.email,
                        title=c.title,
                        user_id=None,
                        speaker_id=str(stable_hash(self.seed, "spk", i, len(parties)) % 10**16),
                        affiliation="External",
                        phone=c.phone if not conference else None,
                        contact_index=j,
                        context=[
                            {
                                "system": "Salesforce",
                                "objects": [
                                    {
                                        "objectType": c.object_type,
                                        "objectId": c.crm_id,
                                        "fields": [{"name": "Title", "value": c.title}],
                                        "timing": "Now",
                                    }
                                ],
                            }
                        ],
                    )
                )
        if rng.random() < 0.15 and len(parties) > 2:
            parties[-1].methods = ("Invitee",)  # invited, never joined
            parties[-1].speaker_id = None
        key_s = key_ms / 1000
        if conference:
            system = rng.choice(v.CONFERENCE_SYSTEMS)
            scheduled, started = key_s, key_s + rng.randrange(0, 180)
            direction, media = "Conference", "Video"
            sdr, client_unique, meeting_url = None, None, f"https://meet.example/{_hex((i, 'm'), 10)}"
            calendar = _hex(("cal", self.seed, i), 26)
        else:
            system = rng.choice(v.TELEPHONY_SYSTEMS)
            scheduled = started = key_s
            direction = "Outbound" if rng.random() < 0.75 else "Inbound"
            media = "Audio"
            sdr = rng.choice(v.SDR_DISPOSITIONS)
            client_unique = f"{system.lower()}-{_hex(('cu', self.seed, i), 16)}"
            meeting_url, calendar = None, None
        account_name = v.ACCOUNTS[account]
        title = f"{v.COMPANY_NAME} team sync" if internal_only else f"{account_name} | {kind}"
        meta = {
            "id": call_id,
            "url": f"https://app.gong.io/call?id={call_id}",
            "title": title,
            "scheduled": fmt(scheduled),
            "started": fmt(started),
            "duration": duration,
            "primaryUserId": rep["id"],
            "direction": direction,
            "system": system,
            "scope": "Internal" if internal_only else "External",
            "media": media,
            "language": _weighted(rng, v.LANGUAGES),
            "workspaceId": self.workspace_of(i),
            "sdrDisposition": sdr,
            "clientUniqueId": client_unique,
            "customData": None,
            "purpose": None if internal_only else kind,
            "meetingUrl": meeting_url,
            "isPrivate": rng.random() < 0.03,
            "calendarEventId": calendar,
        }
        return CallRecord(
            id=call_id,
            key_ms=key_ms,
            meta=meta,
            parties=parties,
            account_index=None if internal_only else account,
            seed_key=self.call_seed_key(i),
            index=i,
        )

    # ----- folders ----------------------------------------------------------------------------

    def _make_folders(self) -> list[Folder]:
        folders: list[Folder] = []
        per_ws = max(2, min(len(v.FOLDERS), 2 + self.n_calls // 150))
        k = 0
        for ws in self.workspaces:
            root_id: str | None = None
            for j in range(per_ws):
                rng = _rng(self.seed, "folder", k)
                fid = self.folder_ids.encode(k)
                creator = self.users[rng.randrange(len(self.users))]
                folder = Folder(
                    id=fid,
                    name=v.FOLDERS[j % len(v.FOLDERS)],
                    parent_id=root_id,
                    created_by=creator["id"],
                    updated=self.end_ts - rng.randrange(1, 90) * 86_400,
                    workspace_id=ws["id"],
                )
                if self.n_calls:
                    picks = sorted({rng.randrange(self.n_calls) for _ in range(rng.randrange(4, 16))})
                    for index in picks:
                        adder = self.users[rng.randrange(len(self.users))]
                        start = rng.randrange(0, 600)
                        folder.calls.append(
                            {
                                "index": index,
                                "note": rng.choice(v.FOLDER_NOTES) or None,
                                "addedBy": adder["id"],
                                "created": self.key_ms(index) / 1000 + rng.randrange(1, 30) * 86_400,
                                "fromSec": start,
                                "toSec": start + rng.randrange(30, 300),
                            }
                        )
                folders.append(folder)
                if root_id is None:
                    root_id = fid
                k += 1
        return folders

    # ----- logs -------------------------------------------------------------------------------

    def log_time_ms(self, log_type: str, k: int) -> int:
        slot = (self.end_ts - self.start_ts) / self.n_logs
        jitter = (stable_hash(self.seed, log_type, k) % 1000) / 1000 * 0.8
        return int((self.start_ts + (k + jitter) * slot) * 1000)

    def log_index_at_or_after(self, log_type: str, ts_ms: int) -> int:
        lo, hi = 0, self.n_logs
        while lo < hi:
            mid = (lo + hi) // 2
            if self.log_time_ms(log_type, mid) < ts_ms:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def log_actor(self, log_type: str, k: int) -> tuple[JSON, int | None]:
        """The user of log entry ``k`` and the generated call it names (a hash: stats read thousands).

        For ``UserCallPlay`` this is who listened to which call, as activity stats count it.
        """
        h = stable_hash(self.seed, "log-actor", log_type, k)
        call_index = (h >> 16) % self.n_calls if self.n_calls else None
        return self.users[h % len(self.users)], call_index

    def log_entry(self, log_type: str, k: int) -> JSON:
        rng = _rng(self.seed, "log", log_type, k)
        user, call_index = self.log_actor(log_type, k)
        ts = self.log_time_ms(log_type, k) / 1000
        call_id = self.call_ids.encode(call_index) if call_index is not None else None
        ip = f"198.51.100.{rng.randrange(1, 255)}"
        record: JSON
        if log_type == "AccessLog":
            record = {
                "eventName": rng.choice(("Login", "Logout", "ApiKeyUsed")),
                "ipAddress": ip,
                "userAgent": "Mozilla/5.0 (Macintosh)",
            }
        elif log_type == "UserActivityLog":
            record = {
                "activityType": rng.choice(("CallViewed", "SearchPerformed", "DealViewed", "SettingsChanged")),
                "callId": call_id,
                "ipAddress": ip,
            }
        elif log_type == "UserCallPlay":
            record = {
                "callId": call_id,
                "playedFromSec": rng.randrange(0, 900),
                "playedDurationSec": rng.randrange(5, 600),
            }
        elif log_type == "ExternallySharedCallAccess":
            c = self.contact(rng.randrange(self.n_contacts))
            record = {"callId": call_id, "accessedByEmailAddress": c.email, "ipAddress": ip}
        else:
            c = self.contact(rng.randrange(self.n_contacts))
            record = {"callId": call_id, "playedByEmailAddress": c.email, "playedFromSec": rng.randrange(0, 900)}
        entry: JSON = {
            "userId": user["id"],
            "userEmailAddress": user["emailAddress"],
            "userFullName": f"{user['firstName']} {user['lastName']}",
            "eventTime": fmt(ts),
            "logRecord": record,
        }
        if rng.random() < 0.03:
            entry.update(
                {
                    "impersonatorUserId": self.avatars[0]["id"],
                    "impersonatorEmailAddress": self.avatars[0]["emailAddress"],
                    "impersonatorFullName": "Gong Support 1",
                    "impersonatorCompanyId": str(stable_hash("gong-company") % 10**18 + 10**18),
                }
            )
        return entry


# ----- per-call derived content (transcripts, extensive sections) -----------------------------


def speaking_parties(call: CallRecord) -> list[Party]:
    return [p for p in call.parties if p.speaker_id] or call.parties[:1]


def transcript(call: CallRecord, duration_s: int, max_sentences: int) -> list[JSON]:
    """Monologues with timed sentences; deterministic for a call."""
    rng = _rng(call.seed_key, "transcript")
    speakers = speaking_parties(call)
    if not speakers:
        return []
    account = v.ACCOUNTS[call.account_index] if call.account_index is not None else "our team"
    total_ms = max(60_000, duration_s * 1000)
    n_sentences = max(4, min(max_sentences, duration_s // 15))
    step = total_ms // n_sentences
    monologues: list[JSON] = []
    t = rng.randrange(500, 3000)
    s = 0
    speaker_index = 0
    segments = sorted(call.speech_segments or [], key=lambda seg: seg.get("fromTime", 0))
    decks: dict[str, list[str]] = {}

    def next_line(topic: str) -> str:
        deck = decks.get(topic)
        if not deck:
            deck = decks[topic] = list(v.TOPIC_LINES[topic])
            rng.shuffle(deck)
        return deck.pop()

    while s < n_sentences:
        topic = v.TOPICS[min(len(v.TOPICS) - 1, s * len(v.TOPICS) // n_sentences)]
        run = min(n_sentences - s, rng.randrange(1, 5))
        speaker = speakers[speaker_index % len(speakers)]
        if segments:
            seg = segments[len(monologues) % len(segments)]
            ids = seg.get("partyIds") or []
            match = [p for p in speakers if p.party_id in ids]
            speaker = match[0] if match else speaker
        sentences = []
        for _ in range(run):
            text = next_line(topic).format(account=account)
            length = max(800, min(step - 100, 400 + len(text) * 60))
            sentences.append({"start": t, "end": t + length, "text": text})
            t += step
            s += 1
        monologues.append({"speakerId": speaker.speaker_id, "topic": topic, "sentences": sentences})
        speaker_index += rng.randrange(1, max(2, len(speakers)))
    return monologues


def topics(call: CallRecord, duration_s: int) -> list[JSON]:
    rng = _rng(call.seed_key, "topics")
    weights = [rng.randrange(1, 10) for _ in v.TOPICS]
    total = sum(weights)
    return [{"name": name, "duration": duration_s * w // total} for name, w in zip(v.TOPICS, weights, strict=True)]


def tracker_id(workspace_id: str, k: int) -> str:
    """Tracker ``k`` of a workspace: the id extensive data and ``/v2/settings/trackers`` share."""
    return str(stable_hash("tracker", workspace_id, k) % 10**18 + 10**18)


def trackers(call: CallRecord, with_occurrences: bool) -> list[JSON]:
    rng = _rng(call.seed_key, "trackers")
    speakers = speaking_parties(call)
    workspace_id = str(call.meta.get("workspaceId") or "")
    out = []
    for k, (name, kind, phrases) in enumerate(v.TRACKERS):
        count = rng.randrange(0, 5)
        item: JSON = {
            "id": tracker_id(workspace_id, k),
            "name": name,
            "count": count,
            "type": kind,
        }
        occurrences = (
            [
                {
                    "startTime": round(rng.uniform(5, 1800), 1),
                    "speakerId": speakers[rng.randrange(len(speakers))].speaker_id,
                }
                for _ in range(count)
            ]
            if speakers
            else []
        )
        if with_occurrences:
            item["occurrences"] = occurrences
        item["phrases"] = (
            [
                {
                    "count": 1,
                    "phrase": phrases[n % len(phrases)],
                    "occurrences": [occurrences[n]] if with_occurrences else [],
                }
                for n in range(count)
            ]
            if phrases
            else []
        )
        out.append(item)
    return out


def host_interaction(seed_key: str) -> tuple[list[JSON], JSON]:
    """The host's interaction statistics on a call and its question counts.

    Extensive data shows them (``interactionStats``, ``questions``) whatever else is
    selected, and interaction stats average them, so they come from their own generator.
    """
    rng = _rng(seed_key, "host-interaction")
    stats = [
        {"name": "Talk Ratio", "value": round(rng.uniform(0.3, 0.7), 2)},
        {"name": "Longest Monologue", "value": rng.randrange(30, 240)},
        {"name": "Longest Customer Story", "value": rng.randrange(10, 200)},
        {"name": "Interactivity", "value": round(rng.uniform(2, 10), 1)},
        {"name": "Patience", "value": round(rng.uniform(0.3, 2.5), 2)},
    ]
    return stats, {"companyCount": rng.randrange(3, 20), "nonCompanyCount": rng.randrange(0, 12)}


def comment_plan(users: list[JSON], seed_key: str, key_ms: int) -> list[tuple[float, JSON, float]]:
    """``(posted, commenter, where in the call as a fraction)`` of a call's public comments.

    A hash, not a generator: stats count the comments of thousands of calls. Comments are
    posted two hours apart from two hours after the call's start, after any call has ended.
    """
    h = stable_hash(seed_key, "comments")
    return [
        (key_ms / 1000 + 7200 * (k + 1), users[(h >> (4 + 12 * k)) % len(users)], ((h >> (30 + 10 * k)) % 1000) / 1000)
        for k in range(h % 3)
    ]


def public_comments(users: list[JSON], seed_key: str, call_id: str, key_ms: int, duration: int) -> list[JSON]:
    """A call's public comments: extensive ``collaboration`` shows them, stats count them."""
    out = []
    for k, (posted, author, where) in enumerate(comment_plan(users, seed_key, key_ms)):
        start = round(where * max(1, duration - 30), 1)
        out.append(
            {
                "id": str(stable_hash(call_id, "comment", k) % 10**18 + 10**18),
                "audioStartTime": start,
                "audioEndTime": start + 15,
                "commenterUserId": author["id"],
                "comment": "Nice handling of this objection.",
                "posted": fmt(posted),
                "inReplyTo": None,
                "duringCall": False,
            }
        )
    return out


def insert_sorted(items: list[tuple[int, str]], key: tuple[int, str]) -> None:
    bisect.insort(items, key)
