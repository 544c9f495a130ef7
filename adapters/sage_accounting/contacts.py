"""The contact of a document or bank transaction: found by ``ContactID`` or by name, created when a name matches
none, and given the contact type a document needs.

Xero creates the contact of a document that names it by ``Name`` only; Sage needs a ``contact_id`` and a contact of
the right type (a customer for sales, a supplier for purchases; one contact may be both, upstream-contracts.md §2).
:func:`find_contact` runs while an element is prepared (before any write), :func:`ensure_contact` when it is written
(:mod:`adapters.sage_accounting.batch`). Used by :mod:`.ops_documents` and :mod:`.ops_banking`, so that no operation
mixin imports another.
"""

from __future__ import annotations

from typing import Any

from gateway.xero.errors import ValidationException

from . import messages
from .translate.common import ref_id, xero_text
from .translate.contacts import contact_body
from .unit import SageUnit

#: Reference kinds a contact translation needs.
CONTACT_KINDS = ("ledger_accounts", "tax_rates")

#: ``(Sage contact record or None, the name the element gave)``, as :func:`find_contact` answers.
FoundContact = tuple[dict[str, Any] | None, str]


def names_contact(element: dict[str, Any]) -> bool:
    """Whether ``element`` has a ``Contact`` with a ``ContactID`` or a ``Name`` (optional on bank transactions)."""
    contact = element.get("Contact")
    return isinstance(contact, dict) and bool(contact.get("ContactID") or contact.get("Name"))


async def find_contact(unit: SageUnit, element: dict[str, Any]) -> FoundContact:
    """The Sage contact a document's ``Contact`` names: by ``ContactID``, else by exact ``Name`` (case-insensitive,
    through Sage's ``search`` on ``GET /contacts``).

    Returns:
        ``(record or None, name)``; ``None`` when a name matches no contact (the caller then creates it, as Xero
        creates the contact of a document named by ``Name`` only).

    Raises:
        ValidationException: no contact at all, or an unknown ContactID.
    """
    contact = element.get("Contact") if isinstance(element.get("Contact"), dict) else {}
    guid = xero_text(contact, "ContactID")
    name = xero_text(contact, "Name")
    if guid:
        ref = await unit.find(guid, ("contacts",))
        if ref is None:
            raise ValidationException.single(messages.CONTACT_ID_NOT_FOUND.format(id=guid), element)
        return await unit.read("contacts", ref.sage_id), name or ""
    if not name:
        raise ValidationException.single(messages.CONTACT_REQUIRED, element)
    return await contact_named(unit, name), name


async def contact_named(unit: SageUnit, name: str) -> dict[str, Any] | None:
    """The Sage contact whose ``name`` is ``name`` (case-insensitive, as Xero compares contact names), found through
    Sage's ``search`` on ``GET /contacts`` (archived contacts included), or ``None``."""
    candidates = await unit.list_all("/contacts", {"search": name, "attributes": "all"}, max_pages=5)
    return next((c for c in candidates if str(c.get("name") or "").lower() == name.lower()), None)


async def ensure_contact(unit: SageUnit, found: FoundContact, *, needed_type: str, label: str,
                         element: dict[str, Any]) -> str:
    """The Sage contact id for a document being written.

    The contact found, given ``needed_type`` when it lacks it (``PUT /contacts/{id}`` with ``contact_type_ids``: a
    customer on a bill becomes a supplier too), or a new contact of that type (``POST /contacts``, through the
    write ledger under ``{label}:contact``).

    Args:
        unit: the Xero call's unit of work.
        found: what :func:`find_contact` answered while the element was prepared.
        needed_type: the Sage contact type id (``CUSTOMER``/``VENDOR``) the document needs.
        label: the write's label within the call (write-ledger scope).
        element: the Xero element being written (echoed in errors).

    Raises:
        ValidationException: Sage refused the contact write.
    """
    row, name = found
    if row is None:
        tx = await unit.tx(*CONTACT_KINDS)
        body = contact_body({"Name": name}, tx, creating=True, needed_type=needed_type)
        made = await unit.create("contacts", "contact", body, label=f"{label}:contact", element=element)
        return str(made["id"])
    types = {ref_id(t) for t in row.get("contact_types") or []} - {None}
    if needed_type not in types:
        await unit.update("contacts", "contact", str(row["id"]),
                          {"contact_type_ids": sorted(types | {needed_type})}, element=element)  # type: ignore[type-var]
    return str(row["id"])
