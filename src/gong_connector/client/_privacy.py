"""Data privacy: what Gong holds about an e-mail address or phone number, and erasing it."""

# Action bodies are never run: the declaration is the definition (see _define.py).
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from typing import Annotated

from ._define import Query, action
from ._kinds import EMAIL, PHONE
from ._models import BaseResponse, EmailReferences, PhoneReferences

__all__ = ["Privacy"]

EMAIL_ADDRESS = Query(EMAIL, help="The e-mail address to look up or erase.")
PHONE_NUMBER = Query(PHONE, help="Phone number starting with + and the country code.")


class Privacy:
    """The data-privacy actions, shared by both clients."""

    @action(
        "GET",
        "/v2/data-privacy/data-for-email-address",
        scope="api:data-privacy:read",
        title="List References to an Email Address",
    )
    def list_email_references(self, *, email_address: Annotated[str, EMAIL_ADDRESS]) -> EmailReferences:
        """What Gong holds that references an e-mail address (for access requests)."""

    @action(
        "POST",
        "/v2/data-privacy/erase-data-for-email-address",
        scope="api:data-privacy:delete",
        title="Delete Email Address and Associated Elements",
        destructive=True,
    )
    def erase_email_data(self, *, email_address: Annotated[str, EMAIL_ADDRESS]) -> BaseResponse:
        """Erase calls and e-mails that reference an address (asynchronous in Gong).

        Not retried: it is destructive.
        """

    @action(
        "GET",
        "/v2/data-privacy/data-for-phone-number",
        scope="api:data-privacy:read",
        title="List References to a Phone Number",
    )
    def list_phone_references(self, *, phone_number: Annotated[str, PHONE_NUMBER]) -> PhoneReferences:
        """What Gong holds that references a phone number (``+`` and the country code)."""

    @action(
        "POST",
        "/v2/data-privacy/erase-data-for-phone-number",
        scope="api:data-privacy:delete",
        title="Delete Phone Number and Associated Elements",
        destructive=True,
    )
    def erase_phone_data(self, *, phone_number: Annotated[str, PHONE_NUMBER]) -> BaseResponse:
        """Erase leads/contacts with a phone number and what references them (asynchronous in Gong).

        Not retried: it is destructive.
        """
