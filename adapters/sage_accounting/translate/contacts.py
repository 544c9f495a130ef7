"""Contacts ↔ Sage ``contacts``.

Sage fits Xero's model: one contact whose ``contact_types`` say whether it is a customer (``CUSTOMER``), a supplier
(``VENDOR``) or both (upstream-contracts.md §2 "Resources", §4 hard case 1; ``mappings/sage_documents.toml``).

Read (swagger ``Contact``): ``ContactID`` ← GUID; ``Name`` ← ``name``; ``AccountNumber`` ← ``reference`` (Sage's
"unique reference for the contact", the number a user gives it, as Xero's AccountNumber is); ``ContactStatus`` ←
``ACTIVE`` unless ``is_active`` is false (``ARCHIVED``); ``EmailAddress`` ← ``email`` or the main contact person's;
``FirstName``/``LastName`` ← the main contact person's ``name`` (its first word, then the rest: the write joins them
with a space) unless that name is the contact's own (the person Sage names after the contact); ``TaxNumber`` ←
``tax_number``; ``IsCustomer``/``IsSupplier`` ← ``contact_types``; ``Addresses`` ← ``main_address``
(``POBOX``, the postal/billing address) and ``delivery_address`` (``STREET``) — inferred pairing; ``Phones`` ← the
main contact person's ``telephone`` (``DEFAULT``), ``mobile`` (``MOBILE``), ``fax`` (``FAX``); ``DefaultCurrency`` ←
``currency.id``; ``SalesDefaultAccountCode``/``PurchasesDefaultAccountCode`` ← the default ledger accounts'
nominal codes; ``AccountsReceivableTaxType``/``AccountsPayableTaxType`` ← ``default_sales_tax_rate`` (output); the
bank details' ``account_number`` → ``BankAccountDetails``; ``UpdatedDateUTC`` ← ``updated_at``.

Write (swagger ``postContacts``/``putContacts``): the reverse, with ``contact_type_ids`` from ``IsCustomer``/
``IsSupplier`` (a new contact that is neither is made a customer: Sage requires a type); e-mail and phones go to
``main_contact_person`` (the post body has no top-level ``email``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models import Address, Contact, Phone

from .. import messages
from ..codes import tables
from .accounts import account_code
from .common import Tx, ref_id, sage_datetime, xero_bool, xero_text

_PHONES = (("telephone", "DEFAULT"), ("mobile", "MOBILE"), ("fax", "FAX"))


def _address(value: Any, kind: str) -> Address | None:
    if not isinstance(value, Mapping):
        return None
    fields = {"AddressLine1": value.get("address_line_1") or None, "AddressLine2": value.get("address_line_2") or None,
              "City": value.get("city") or None, "Region": value.get("region") or None,
              "PostalCode": value.get("postal_code") or None, "Country": ref_id(value.get("country"))}
    if not any(fields.values()):
        return None
    return Address(AddressType=kind, **fields)


def contact_ref(value: Any, tx: Tx, *, name: str | None = None) -> Contact | None:
    """The short contact a document shows (``ContactID`` and ``Name``) from a nested Sage reference."""
    sage_id = ref_id(value)
    if sage_id is None:
        return None
    display = name or (value.get("displayed_as") if isinstance(value, Mapping) else None)
    return Contact(ContactID=tx.guid("contacts", sage_id), Name=display)


def _person_names(person: Any, contact: Any) -> tuple[str | None, str | None]:
    """``(FirstName, LastName)`` of a main contact person's ``name``: ``(None, None)`` when it is empty or the
    contact's own name (Sage's default person, not one the write named)."""
    words = str(person or "").split()
    if not words or " ".join(words) == " ".join(str(contact or "").split()):
        return None, None
    return words[0], " ".join(words[1:]) or None


def contact_from_sage(row: Mapping[str, Any], tx: Tx) -> Contact:
    """One Sage contact as a Xero Contact (module docstring)."""
    t = tables()
    types = {ref_id(v) for v in row.get("contact_types") or []}
    person = row.get("main_contact_person") if isinstance(row.get("main_contact_person"), Mapping) else {}
    addresses = [a for a in (_address(row.get("main_address"), "POBOX"),
                             _address(row.get("delivery_address"), "STREET")) if a is not None]
    phones = [Phone(PhoneType=kind, PhoneNumber=str(person[key])) for key, kind in _PHONES if person.get(key)]
    sales_ledger = tx.refs.ledger_account(ref_id(row.get("default_sales_ledger_account"))) or \
        row.get("default_sales_ledger_account")
    purchase_ledger = tx.refs.ledger_account(ref_id(row.get("default_purchase_ledger_account"))) or \
        row.get("default_purchase_ledger_account")
    name = row.get("name") or row.get("displayed_as")
    first, last = _person_names(person.get("name"), name)
    return Contact(
        ContactID=tx.guid("contacts", row["id"]),
        Name=name,
        FirstName=first,
        LastName=last,
        ContactStatus="ARCHIVED" if row.get("is_active") is False else "ACTIVE",
        EmailAddress=row.get("email") or person.get("email") or None,
        IsCustomer=t.contact_types["customer"] in types,
        IsSupplier=t.contact_types["supplier"] in types,
        Addresses=addresses or None,
        Phones=phones or None,
        DefaultCurrency=ref_id(row.get("currency")),
        SalesDefaultAccountCode=account_code(sales_ledger) if isinstance(sales_ledger, Mapping) else None,
        PurchasesDefaultAccountCode=account_code(purchase_ledger) if isinstance(purchase_ledger, Mapping) else None,
        AccountsReceivableTaxType=t.xero_tax_type(ref_id(row.get("default_sales_tax_rate")), "output"),
        **CONTACT_FIELDS.read(row),  # AccountNumber, TaxNumber, BankAccountDetails, UpdatedDateUTC
    )



# Writes -----------------------------------------------------------------------------------------------------------

def _address_body(address: Mapping[str, Any]) -> dict[str, Any]:
    body = {key: address.get(name) for key, name in (("address_line_1", "AddressLine1"),
                                                    ("address_line_2", "AddressLine2"), ("city", "City"),
                                                    ("region", "Region"), ("postal_code", "PostalCode"))
            if address.get(name)}
    country = str(address.get("Country") or "").strip()
    if len(country) == 2 and country.isalpha():
        body["country_id"] = country.upper()
    return body


def contact_type_ids(element: Mapping[str, Any], *, current: set[str] | None = None,
                     needed: str | None = None) -> list[str] | None:
    """Sage ``contact_type_ids`` for an element (``None``: leave the contact's types as they are).

    Args:
        current: the contact's present types (updates).
        needed: a type a document needs the contact to have (``VENDOR`` for a bill).
    """
    t = tables()
    types = set(current or ())
    changed = False
    for flag, sage_type in (("IsCustomer", t.contact_types["customer"]), ("IsSupplier", t.contact_types["supplier"])):
        value = xero_bool(element, flag)
        if value is True and sage_type not in types:
            types.add(sage_type)
            changed = True
        elif value is False and sage_type in types:
            types.discard(sage_type)
            changed = True
    if needed and needed not in types:
        types.add(needed)
        changed = True
    if current is None and not types:
        types.add(t.contact_types["customer"])
        changed = True
    return sorted(types) if changed or current is None else None


def contact_body(element: Mapping[str, Any], tx: Tx, *, creating: bool, current_types: set[str] | None = None,
                 needed_type: str | None = None) -> dict[str, Any]:
    """The Sage body (unwrapped) of a create or an update.

    Raises:
        ValidationException: no Name on a create; unknown account codes or tax type; ARCHIVED (Sage's contact
            bodies have no active flag).
    """
    body: dict[str, Any] = {}
    name = xero_text(element, "Name")
    if name is None and creating:
        raise ValidationException.single(messages.CONTACT_NAME_EMPTY, dict(element))
    if name:
        body["name"] = name
    types = contact_type_ids(element, current=None if creating else current_types, needed=needed_type)
    if types is not None:
        body["contact_type_ids"] = types
    status = xero_text(element, "ContactStatus")
    if status and status.upper() not in ("ACTIVE",):
        raise ValidationException.single(messages.CONTACT_STATUS_INVALID if status.upper() != "ARCHIVED" else
                                         "Contacts of this organisation cannot be archived through the API.",
                                         dict(element))
    for key, name_ in (("reference", "AccountNumber"), ("tax_number", "TaxNumber")):
        value = xero_text(element, name_)
        if value is not None:
            body[key] = value
    currency = xero_text(element, "DefaultCurrency")
    if currency:
        body["currency_id"] = currency.upper()
    person: dict[str, Any] = {}
    email = xero_text(element, "EmailAddress")
    if email:
        person["email"] = email
    first, last = xero_text(element, "FirstName"), xero_text(element, "LastName")
    if first or last:
        person["name"] = " ".join(p for p in (first, last) if p)
    for phone in element.get("Phones") or []:
        if not isinstance(phone, Mapping) or not phone.get("PhoneNumber"):
            continue
        number = " ".join(str(p) for p in (phone.get("PhoneCountryCode"), phone.get("PhoneAreaCode"),
                                            phone.get("PhoneNumber")) if p)
        key = {"MOBILE": "mobile", "FAX": "fax"}.get(str(phone.get("PhoneType") or "").upper(), "telephone")
        person.setdefault(key, number)
    if person:
        person.setdefault("name", name or "")
        person["is_main_contact"] = True
        body["main_contact_person"] = person
    addresses = {str(a.get("AddressType") or "").upper(): a for a in element.get("Addresses") or []
                 if isinstance(a, Mapping)}
    main = addresses.get("POBOX") or addresses.get("STREET")
    if main is not None and _address_body(main):
        body["main_address"] = _address_body(main)
    if "POBOX" in addresses and "STREET" in addresses and _address_body(addresses["STREET"]):
        body["delivery_address"] = _address_body(addresses["STREET"])
    for key, name_ in (("default_sales_ledger_account_id", "SalesDefaultAccountCode"),
                       ("default_purchase_ledger_account_id", "PurchasesDefaultAccountCode")):
        code = xero_text(element, name_)
        if code:
            ledger = tx.refs.ledger_account_by_code(code)
            if ledger is None:
                raise ValidationException.single(messages.ACCOUNT_CODE_INVALID.format(code=code), dict(element))
            body[key] = ledger["id"]
    tax_type = xero_text(element, "AccountsReceivableTaxType")
    if tax_type:
        sage_id = tables().sage_tax_rate(tax_type)
        if tx.refs.tax_rate(sage_id) is None:
            raise ValidationException.single(messages.TAX_TYPE_INVALID.format(tax_type=tax_type), dict(element))
        body["default_sales_tax_rate_id"] = sage_id
    bank = xero_text(element, "BankAccountDetails")
    if bank:
        body["bank_account_details"] = {"account_number": bank}
    return body


_OWN_PERSON = "when the main person is not named after the contact"
#: What :func:`contact_from_sage` makes of every Xero Contact field (docs/fields-1009.md).
CONTACT_FIELDS = fields.FieldMap(
    "Contacts", Contact,
    fields.lost("Attachments", reason="not served: GET …/Attachments lists the record's files"),
    fields.computed("ContactID", "uuid5 of business_id/contacts/id (adapters/sage_accounting/ids.py)"),
    fields.read("AccountNumber", "reference", fields.or_none, record="contacts"),
    fields.populated("ContactStatus", "contacts.is_active (false ARCHIVED)"),
    fields.populated("Name", "contacts.name (else displayed_as)"),
    fields.populated("FirstName", "main_contact_person.name (first word)", condition=_OWN_PERSON),
    fields.populated("LastName", "main_contact_person.name (the rest)", condition=_OWN_PERSON),
    fields.populated("EmailAddress", "contacts.email, else main_contact_person.email", condition="when set"),
    fields.read("BankAccountDetails", "bank_account_details.account_number", fields.or_none, condition="when set"),
    fields.read("TaxNumber", "tax_number", fields.or_none, record="contacts", condition="when set"),
    fields.populated("AccountsReceivableTaxType", "default_sales_tax_rate (mappings/sage_tax.toml, output)",
                     condition="when set"),
    fields.populated("Addresses", "main_address (POBOX), delivery_address (STREET)", condition="when set"),
    fields.populated("Phones", "main_contact_person.telephone, mobile, fax", condition="when set"),
    fields.populated("IsSupplier", "contact_types VENDOR"),
    fields.populated("IsCustomer", "contact_types CUSTOMER"),
    fields.populated("DefaultCurrency", "contacts.currency.id"),
    fields.populated("SalesDefaultAccountCode", "default_sales_ledger_account.nominal_code", condition="when set"),
    fields.populated("PurchasesDefaultAccountCode", "default_purchase_ledger_account.nominal_code",
                     condition="when set"),
    fields.read("UpdatedDateUTC", "updated_at", sage_datetime, record="contacts"),
    fields.computed("HasAttachments", "attachments whose attachment_context is the record", condition="single reads"),
    fields.lost("ContactNumber", reason="Sage has one reference per contact, served as AccountNumber"),
    fields.lost("CompanyNumber", reason="not translated: Sage's registered_number is not read"),
    fields.lost("ContactPersons", reason="not translated: Sage's contact_persons beyond the main one are not read"),
    fields.lost("AccountsPayableTaxType", reason="Sage has one default tax rate per contact (served as the sales one)"),
    fields.lost("Balances", reason="not translated: Sage's contact balance is not read"),
    fields.write_outcome(Contact),
)
