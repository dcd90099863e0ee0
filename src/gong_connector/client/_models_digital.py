"""The parts of a digital interaction (someone opened a page, clicked a link, filled a
survey...) as sent to Gong: strict pydantic models, checked before anything is sent."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from ._models import Email, RequestModel

__all__ = [
    "CompanyBusinessContext",
    "CustomField",
    "InteractionContent",
    "InteractionPerson",
    "NumericContentDetails",
    "PersonBusinessContext",
    "PersonCompany",
    "PersonLocation",
    "SearchObjectDetails",
    "StepContentDetails",
]


class CustomField(RequestModel):
    """Extra data about the event, its content or the person; the type defaults to STRING."""

    name: str
    value: str
    data_type: Literal["STRING", "NUMBER", "DATE", "URL", "BOOLEAN", "DURATION"] | None = None


class NumericContentDetails(RequestModel):
    """A numeric result (an NPS score, the share of a video watched) and its range."""

    value: int | None = None
    range_from: int
    range_to: int
    numeric_type: Literal["PERCENTAGE", "NPS", "RATING", "OTHER"] | None = None

    @model_validator(mode="after")
    def _range(self) -> NumericContentDetails:
        if self.range_to < self.range_from:
            raise ValueError("range_to must not be below range_from")
        if self.value is not None and not self.range_from <= self.value <= self.range_to:
            raise ValueError("value must lie between range_from and range_to")
        return self


class StepContentDetails(RequestModel):
    """Progress through steps (a course, a shipment): the current step and all of them."""

    value: str
    available_steps: list[str]


class SearchObjectDetails(RequestModel):
    """What the person searched for or compared: a vendor, product or category."""

    name: str
    object_type: Literal["VENDOR", "PRODUCT", "CATEGORY"]
    domain: str
    object_id: str | None = None
    url: str | None = None


class InteractionContent(RequestModel):
    """The content the person interacted with."""

    content_title: str
    content_id: str | None = None
    content_label: list[str] | None = None
    content_url: str | None = None
    content_additional_info_url: str | None = None
    numeric_content_details: NumericContentDetails | None = None
    step_content_details: StepContentDetails | None = None
    search_object_details: SearchObjectDetails | None = None
    content_custom_fields: list[CustomField] | None = None


class PersonBusinessContext(RequestModel):
    """The person's CRM contact or lead."""

    object_type: Literal["CONTACT", "LEAD"]
    object_id: str
    system_name: str | None = None


class CompanyBusinessContext(RequestModel):
    """The company's CRM account or opportunity."""

    object_type: Literal["ACCOUNT", "OPPORTUNITY"]
    object_id: str
    system_name: str | None = None


class PersonLocation(RequestModel):
    """Where the person is (ISO 3166 codes where there are some)."""

    country: str | None = None
    state: str | None = None
    region: str | None = None
    city: str | None = None


class PersonCompany(RequestModel):
    """The company the person works for; Gong ties the person to it by domain or CRM ids."""

    company_id: str | None = None
    name: str | None = None
    domain: str | None = None
    company_business_contexts: list[CompanyBusinessContext] | None = None


class InteractionPerson(RequestModel):
    """Who interacted. Someone anonymous (no name, e-mail, phone or CRM record) needs a
    ``person_id`` and their company's ``domain``, as Gong asks."""

    name: str | None = None
    email: Email | None = None
    phone_number: str | None = None
    person_id: str | None = None
    person_business_context: PersonBusinessContext | None = None
    location: PersonLocation | None = None
    company: PersonCompany | None = None
    person_custom_fields: list[CustomField] | None = None

    @model_validator(mode="after")
    def _anonymous(self) -> InteractionPerson:
        known = self.name or self.email or self.phone_number or self.person_business_context
        if not known and not (self.person_id and self.company and self.company.domain):
            raise ValueError(
                "give a name, email, phone_number or person_business_context, "
                "or else person_id and the company's domain"
            )
        return self
