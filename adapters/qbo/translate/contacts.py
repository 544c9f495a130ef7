"""Xero Contacts ↔ QBO Customer and Vendor.

One ContactID per upstream record (upstream-contracts.md §4 hard case 1): a Customer is a contact with
``IsCustomer``, a Vendor one with ``IsSupplier``. When the gateway had to create a counterpart (a Vendor for a
customer that receives a bill, or the reverse), the pair shares the original's ContactID (an alias,
:mod:`adapters.qbo.ids`) and reads as one contact that is both (:func:`merge`).

Fields: ``Name`` ↔ ``DisplayName`` (unique across Customer, Vendor and Employee, Fault 6240); ``FirstName`` ↔
``GivenName``; ``LastName`` ↔ ``FamilyName``; ``EmailAddress`` ↔ ``PrimaryEmailAddr.Address``; ``AccountNumber`` ↔
``AcctNum``; ``ContactStatus`` ACTIVE/ARCHIVED ↔ ``Active``; ``DefaultCurrency`` ↔ ``CurrencyRef``; addresses
``BillAddr`` ↔ POBOX (billing/postal) and ``ShipAddr`` ↔ STREET; phones ``PrimaryPhone`` ↔ DEFAULT, ``Mobile`` ↔
MOBILE, ``Fax`` ↔ FAX, ``AlternatePhone`` ↔ DDI (``FreeFormNumber`` ↔ the Xero parts joined with spaces);
``Balances.AccountsReceivable.Outstanding`` ← Customer ``Balance``, ``AccountsPayable.Outstanding`` ← Vendor
``Balance``; ``UpdatedDateUTC`` ← ``MetaData.LastUpdatedTime`` (the later of a pair).
"""

from __future__ import annotations

from typing import Any

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models import Balance, Balances, Contact, Phone

from .. import codes
from .common import Tx, compact, money, ref, ref_id, text, updated
from .organisation import address_to_xero

CUSTOMER = "Customer"
VENDOR = "Vendor"
ADDRESSES = {"BillAddr": "POBOX", "ShipAddr": "STREET"}
PHONES = {"PrimaryPhone": "DEFAULT", "Mobile": "MOBILE", "Fax": "FAX", "AlternatePhone": "DDI"}
MAX_NAME = 255  # Xero: "Full name of contact/organisation (max length = 255)" (spec Contact.Name)


def contact_to_xero(row: dict[str, Any], entity: str, t: Tx) -> Contact:
    """One Customer or Vendor as a Xero Contact."""
    active = row.get("Active", True) is not False
    addresses = [a for key, kind in ADDRESSES.items() if (a := address_to_xero(row.get(key), kind)) is not None]
    phones = [Phone(PhoneType=kind, PhoneNumber=number) for key, kind in PHONES.items()
              if (number := text((row.get(key) or {}).get("FreeFormNumber")))]
    balance = money(row.get("Balance"))
    balances = None
    if balance is not None:
        zero = Balance(Outstanding=money(0), Overdue=money(0))
        mine = Balance(Outstanding=balance)
        balances = Balances(AccountsReceivable=mine if entity == CUSTOMER else zero,
                            AccountsPayable=mine if entity == VENDOR else zero)
    return Contact(
        ContactID=t.guid(entity, row["Id"]),
        ContactStatus=codes.statuses().name_list["active" if active else "inactive"],
        Addresses=addresses or None,
        Phones=phones or None,
        IsCustomer=entity == CUSTOMER,
        IsSupplier=entity == VENDOR,
        Balances=balances,
        HasAttachments=None,  # known on single reads only (adapters/qbo/attachments.py)
        UpdatedDateUTC=updated(row),
        **CONTACT_FIELDS.read(row),  # Name, FirstName, LastName, EmailAddress, AccountNumber, DefaultCurrency
    )


def merge(primary: Contact, twin: Contact) -> Contact:
    """One contact from a record and its alias counterpart (the primary's id, name and fields win)."""
    data = primary.model_dump(exclude_none=True)
    for key, value in twin.model_dump(exclude_none=True).items():
        data.setdefault(key, value)
    data["IsCustomer"] = bool(primary.IsCustomer or twin.IsCustomer)
    data["IsSupplier"] = bool(primary.IsSupplier or twin.IsSupplier)
    if primary.Balances and twin.Balances:
        data["Balances"] = {
            "AccountsReceivable": (primary if primary.IsCustomer else twin).Balances.AccountsReceivable.model_dump(),
            "AccountsPayable": (primary if primary.IsSupplier else twin).Balances.AccountsPayable.model_dump()}
    stamps = [s for s in (primary.UpdatedDateUTC, twin.UpdatedDateUTC) if s is not None]
    data["UpdatedDateUTC"] = max(stamps) if stamps else None
    return Contact.model_validate(data)


def _phone_number(phone: dict[str, Any]) -> str | None:
    parts = [text(phone.get(k)) for k in ("PhoneCountryCode", "PhoneAreaCode", "PhoneNumber")]
    joined = " ".join(p for p in parts if p)
    return joined or None


def _address(addr: dict[str, Any]) -> dict[str, Any]:
    return compact({"Line1": text(addr.get("AddressLine1")), "Line2": text(addr.get("AddressLine2")),
                    "Line3": text(addr.get("AddressLine3")), "Line4": text(addr.get("AddressLine4")),
                    "City": text(addr.get("City")), "CountrySubDivisionCode": text(addr.get("Region")),
                    "PostalCode": text(addr.get("PostalCode")), "Country": text(addr.get("Country"))})


def contact_to_qbo(element: dict[str, Any], entity: str, *, create: bool) -> dict[str, Any]:
    """A Xero Contact element as a Customer/Vendor body (create, or the fields of a sparse update).

    Raises:
        ValidationException: no Name on create, too long a Name, an unknown ContactStatus.
    """
    name = text(element.get("Name"))
    if create and name is None:
        raise ValidationException.single("The contact name must be specified", element)
    if name is not None and len(name) > MAX_NAME:
        raise ValidationException.single(f"The contact name must be at most {MAX_NAME} characters", element)
    body: dict[str, Any] = {"DisplayName": name, "GivenName": text(element.get("FirstName")),
                            "FamilyName": text(element.get("LastName")),
                            "AcctNum": text(element.get("AccountNumber"))}
    if create and name is not None:
        body["CompanyName"] = name
    email = text(element.get("EmailAddress"))
    if email is not None:
        body["PrimaryEmailAddr"] = {"Address": email}
    status = text(element.get("ContactStatus"))
    if status is not None:
        if status.upper() not in ("ACTIVE", "ARCHIVED"):
            raise ValidationException.single(f"'{status}' is not a valid contact status for a write", element)
        body["Active"] = status.upper() == "ACTIVE"
    currency = text(element.get("DefaultCurrency"))
    if currency is not None:
        body["CurrencyRef"] = ref(currency)
    for addr in element.get("Addresses") or []:
        if not isinstance(addr, dict):
            continue
        key = next((k for k, kind in ADDRESSES.items() if kind == str(addr.get("AddressType") or "").upper()),
                   None)
        value = _address(addr)
        if key is not None and value:
            body[key] = value
    for phone in element.get("Phones") or []:
        if not isinstance(phone, dict):
            continue
        key = next((k for k, kind in PHONES.items() if kind == str(phone.get("PhoneType") or "").upper()), None)
        number = _phone_number(phone)
        if key is not None and number:
            body[key] = {"FreeFormNumber": number}
    return compact(body)


def party_entity(element: dict[str, Any]) -> str:
    """The QBO entity a new Xero contact becomes: Vendor when it says only ``IsSupplier``, else Customer."""
    if element.get("IsSupplier") is True and element.get("IsCustomer") is not True:
        return VENDOR
    return CUSTOMER


def search_fields(contact: Contact) -> tuple[str | None, ...]:
    """The fields Xero's ``searchTerm`` looks in (Name, FirstName, LastName, EmailAddress, AccountNumber)."""
    return (contact.Name, contact.FirstName, contact.LastName, contact.EmailAddress, contact.AccountNumber)



_PARTIES = ("Customer", "Vendor")
#: What :func:`contact_to_xero` and :func:`merge` make of every Xero Contact field (docs/fields-1004.md).
CONTACT_FIELDS = fields.FieldMap(
    "Contacts", Contact,
    fields.lost("Attachments", reason="not served: GET …/Attachments lists the record's files"),
    fields.computed("ContactID", "uuid5 of realmId/Customer|Vendor/Id (adapters/qbo/ids.py); an alias pair shares one"),
    fields.read("AccountNumber", "AcctNum", text, record=_PARTIES, condition="when the record has one"),
    fields.populated("ContactStatus", "Customer.Active / Vendor.Active (true ACTIVE, false ARCHIVED)"),
    fields.read("Name", "DisplayName", text, record=_PARTIES),
    fields.read("FirstName", "GivenName", text, record=_PARTIES, condition="when the record has one"),
    fields.read("LastName", "FamilyName", text, record=_PARTIES, condition="when the record has one"),
    fields.read("EmailAddress", "PrimaryEmailAddr.Address", text, condition="when the record has one"),
    fields.populated("Addresses", "BillAddr (POBOX), ShipAddr (STREET)", condition="when the record has one"),
    fields.populated("Phones", "PrimaryPhone (DEFAULT), Mobile, Fax, AlternatePhone (DDI): FreeFormNumber",
                     condition="when the record has one"),
    fields.computed("IsSupplier", "the record is a Vendor, or has a Vendor alias"),
    fields.computed("IsCustomer", "the record is a Customer, or has a Customer alias"),
    fields.read("DefaultCurrency", "CurrencyRef", ref_id, condition="multicurrency companies only"),
    fields.populated("UpdatedDateUTC", "MetaData.LastUpdatedTime (the later of an alias pair)"),
    fields.populated("Balances", "Customer.Balance (AccountsReceivable), Vendor.Balance (AccountsPayable)"),
    fields.computed("HasAttachments", "an Attachable linked to the record",
                    condition="single reads of a record with files"),
    fields.lost("ContactNumber", reason="QBO has no external contact number field"),
    fields.lost("CompanyNumber", "BankAccountDetails", reason="QBO's Customer and Vendor have no such field"),
    fields.lost("ContactPersons", reason="QBO keeps one person per Customer/Vendor (GivenName, FamilyName)"),
    fields.lost("TaxNumber", reason="QBO's API masks PrimaryTaxIdentifier on reads"),
    fields.lost("AccountsReceivableTaxType", "AccountsPayableTaxType", "SalesDefaultAccountCode",
                "PurchasesDefaultAccountCode",
                reason="not translated: QBO's DefaultTaxCodeRef and Vendor APAccountRef are not read by the adapter"),
    fields.write_outcome(Contact),
)
