"""Gong Engage flows and the prospects assigned to them (``/v2/flows``, ``/v2/flows/prospects``).

Each workspace has three company flows; about half of the reps have a personal flow; each
manager has one flow shared with their team. A quarter of the generated contacts and leads
start in a flow, owned by the rep who e-mails them; assignments made through the API are
kept per prospect until the next reset. Prospects are named by the CRM ids the calls'
party context and the CRM integration use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _vocab as v
from ._checks import EMAIL_RE, check_id, required_str, string_list
from ._company import Company
from ._errors import bad_request
from ._ids import IdCodec, stable_hash
from ._paging import Page, fingerprint, keyed_page
from ._timefmt import fmt

JSON = dict[str, Any]

#: Gong assigns at most this many prospects in one request.
MAX_ASSIGN = 200
#: Share of generated contacts and leads that start in a flow, in percent.
SEEDED_PERCENT = 25
STATUSES = ("Running", "Running", "Pending", "Paused")


@dataclass(frozen=True)
class Flow:
    id: str
    name: str
    folder_id: str
    folder_name: str
    visibility: str  # Company, Personal or Shared
    created: float
    exclusive: bool
    workspace_id: str
    owner_id: str | None  # personal and shared flows
    shared_with: frozenset[str]

    def visible_to(self, user_id: str | None) -> bool:
        return self.visibility == "Company" or user_id == self.owner_id or user_id in self.shared_with

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "name": self.name,
            "folderId": self.folder_id,
            "folderName": self.folder_name,
            "visibility": self.visibility,
            "creationDate": fmt(self.created),
            "exclusive": self.exclusive,
        }


@dataclass
class FlowInstance:
    flow_id: str
    instance_id: str
    owner_id: str
    created: float
    status: str


class Flows(Company):
    flows: list[Flow]
    flows_by_id: dict[str, Flow]
    #: A prospect's flow instances, once the API has assigned it (keyed by CRM id).
    flow_assignments: dict[str, list[FlowInstance]]
    flow_instances_created: int
    _instance_ids: IdCodec

    def _load(self) -> None:
        super()._load()
        self._instance_ids = IdCodec(self.config.seed, "flow-instance")
        self.flows = self._make_flows()
        self.flows_by_id = {f.id: f for f in self.flows}
        self.flow_assignments = {}
        self.flow_instances_created = 0

    def _make_flows(self) -> list[Flow]:
        data = self.data
        ids = IdCodec(data.seed, "flow")
        folders = IdCodec(data.seed, "flow-folder")
        first_workspace = str(data.workspaces[0]["id"])
        flows = []
        for w, ws in enumerate(data.workspaces):
            for k in range(3):
                name, exclusive = v.COMPANY_FLOWS[(w + k) % len(v.COMPANY_FLOWS)]
                flows.append(
                    Flow(
                        id=ids.encode(w * 8 + k),
                        name=name,
                        folder_id=folders.encode(w),
                        folder_name=v.FLOW_FOLDERS["Company"],
                        visibility="Company",
                        created=data.start_ts - (30 + 40 * k + 7 * w) * 86_400,
                        exclusive=exclusive,
                        workspace_id=str(ws["id"]),
                        owner_id=None,
                        shared_with=frozenset(),
                    )
                )
        for user in data.users:
            index, role = int(user["_index"]), user["_role"]
            h = stable_hash(data.seed, "personal-flow", index)
            if role == "rep" and h % 2 == 0:
                flows.append(
                    Flow(
                        id=ids.encode(10_000 + index),
                        name=f"{user['firstName']}'s follow-ups",
                        folder_id=folders.encode(10_000 + index),
                        folder_name=v.FLOW_FOLDERS["Personal"],
                        visibility="Personal",
                        created=data.start_ts + (h >> 8) % 60 * 86_400,
                        exclusive=False,
                        workspace_id=first_workspace,
                        owner_id=str(user["id"]),
                        shared_with=frozenset(),
                    )
                )
            if role == "manager":
                team = frozenset(str(u["id"]) for u in data.users if u["managerId"] == user["id"])
                flows.append(
                    Flow(
                        id=ids.encode(20_000 + index),
                        name=f"Team {user['lastName']} sequence",
                        folder_id=folders.encode(20_000 + index),
                        folder_name=v.FLOW_FOLDERS["Shared"],
                        visibility="Shared",
                        created=data.start_ts + (h >> 8) % 30 * 86_400,
                        exclusive=False,
                        workspace_id=first_workspace,
                        owner_id=str(user["id"]),
                        shared_with=team,
                    )
                )
        return flows

    # ----- GET /v2/flows ----------------------------------------------------------------------

    def list_flows(self, owner_email: str | None, workspace_id: str | None, cursor: str | None) -> Page:
        if owner_email is None or not owner_email.strip():
            raise bad_request("flowOwnerEmail is required")
        if self.config.email_checks and not EMAIL_RE.match(owner_email.strip()):
            raise bad_request("flowOwnerEmail is not a valid e-mail address")
        if workspace_id is not None:
            check_id(workspace_id, "workspaceId")
            if self.config.reference_checks:
                self.known_workspace(workspace_id)
        owner = self._user_by_email(owner_email, "flowOwnerEmail")
        owner_id = str(owner["id"]) if owner is not None else None
        shown = [
            (n, f)
            for n, f in enumerate(self.flows)
            if f.visible_to(owner_id) and (workspace_id is None or f.workspace_id == workspace_id)
        ]
        return keyed_page(
            self.cursors,
            "flows",
            fingerprint("flows", {"o": owner_email.strip().lower(), "w": workspace_id}),
            [n for n, _ in shown],
            lambda n: shown[n][1].to_json(),
            cursor,
            self.config.page_size,
            bound_to_filter=self.config.cursor_bound_to_filter,
        )

    def _user_by_email(self, email: str, field: str) -> JSON | None:
        user = self.data.users_by_email.get(email.strip().lower())
        if user is not None and user["_role"] == "avatar":
            user = None
        if user is None and self.config.reference_checks:
            raise bad_request(f"{field} {email} is not a Gong user")
        return user

    # ----- prospects --------------------------------------------------------------------------

    def _seeded_instances(self, crm_id: str) -> list[FlowInstance]:
        data = self.data
        contact = data.find_contact_by_crm_id(crm_id)
        if contact is None:
            return []
        h = stable_hash(data.seed, "flow-prospect", contact.index)
        if h % 100 >= SEEDED_PERCENT:
            return []
        owner = data.reps[contact.index % len(data.reps)]
        choices = [f for f in self.flows if f.visible_to(str(owner["id"]))]
        flow = choices[(h >> 8) % len(choices)]
        created = max(flow.created, data.start_ts) + (h >> 20) % int(data.end_ts - data.start_ts + 1)
        return [
            FlowInstance(
                flow_id=flow.id,
                instance_id=self._instance_ids.encode(contact.index),
                owner_id=str(owner["id"]),
                created=min(created, data.end_ts),
                status=STATUSES[(h >> 40) % len(STATUSES)],
            )
        ]

    def _instances(self, crm_id: str) -> list[FlowInstance]:
        found = self.flow_assignments.get(crm_id)
        if found is not None:
            return found
        if self._prospect_erased(crm_id):
            return []
        return self._seeded_instances(crm_id)

    def _prospect_erased(self, crm_id: str) -> bool:
        contact = self.data.find_contact_by_crm_id(crm_id)
        return contact is not None and contact.index in self.erased_contacts

    def _assigned_json(self, crm_id: str, instance: FlowInstance) -> JSON:
        flow = self.flows_by_id[instance.flow_id]
        owner = self.data.users_by_id[instance.owner_id]
        return {
            "flowId": flow.id,
            "flowName": flow.name,
            "crmProspectId": crm_id,
            "flowInstanceId": instance.instance_id,
            "flowInstanceOwnerEmail": owner["emailAddress"],
            "flowInstanceOwnerFullName": f"{owner['firstName']} {owner['lastName']}",
            "flowInstanceCreateDate": fmt(instance.created),
            "flowInstanceStatus": instance.status,
            "workspaceId": flow.workspace_id,
            "exclusive": flow.exclusive,
        }

    def prospects_flows(self, body: JSON) -> JSON:
        ids = string_list(body, "crmProspectsIds", required=True)
        assert ids is not None
        with self.lock:
            return {
                "prospectsAssigned": [
                    self._assigned_json(crm_id, instance)
                    for crm_id in dict.fromkeys(ids)
                    for instance in self._instances(crm_id)
                ]
            }

    def assign_prospects(self, body: JSON) -> JSON:
        ids = string_list(body, "crmProspectsIds", required=True)
        assert ids is not None
        if len(ids) > MAX_ASSIGN:
            raise bad_request(f"crmProspectsIds may hold at most {MAX_ASSIGN} ids")
        flow_id = required_str(body, "flowId")
        owner_email = required_str(body, "flowInstanceOwnerEmail")
        if self.config.email_checks and not EMAIL_RE.match(owner_email):
            raise bad_request("flowInstanceOwnerEmail is not a valid e-mail address")
        assigned: list[JSON] = []
        failed: list[JSON] = []

        def fail(crm_id: str, code: str, message: str) -> None:
            failed.append({"flowId": flow_id, "crmProspectId": crm_id, "errorCode": code, "errorMessage": message})

        with self.lock:
            flow = self.flows_by_id.get(flow_id)
            owner = self.data.users_by_email.get(owner_email.lower())
            owner_id = str(owner["id"]) if owner is not None and owner["_role"] != "avatar" else None
            for crm_id in dict.fromkeys(ids):
                known = self.data.find_contact_by_crm_id(crm_id) is not None and not self._prospect_erased(crm_id)
                if not known:
                    fail(crm_id, "InvalidArgument", f"Invalid crmId {crm_id}")
                elif flow is None:
                    fail(crm_id, "InvalidArgument", f"Invalid flowId {flow_id}")
                elif owner_id is None:
                    fail(crm_id, "InvalidArgument", f"No Gong user has the e-mail address {owner_email}")
                elif not flow.visible_to(owner_id):
                    fail(crm_id, "InvalidArgument", f"Flow {flow_id} is not available to {owner_email}")
                else:
                    current = self._instances(crm_id)
                    same = next((i for i in current if i.flow_id == flow.id), None)
                    others = [self.flows_by_id[i.flow_id] for i in current if i.flow_id != flow.id]
                    if same is not None:
                        assigned.append(self._assigned_json(crm_id, same))
                    elif others and (flow.exclusive or any(f.exclusive for f in others)):
                        fail(crm_id, "InvalidState", f"Prospect {crm_id} is in an exclusive flow")
                    else:
                        self.flow_instances_created += 1
                        instance = FlowInstance(
                            flow_id=flow.id,
                            instance_id=self._instance_ids.encode(self.data.n_contacts + self.flow_instances_created),
                            owner_id=owner_id,
                            created=self.clock.now(),
                            status="Running",
                        )
                        self.flow_assignments[crm_id] = [*current, instance]
                        assigned.append(self._assigned_json(crm_id, instance))
        return {"prospectsAssigned": assigned, "prospectsNotAssigned": failed}
