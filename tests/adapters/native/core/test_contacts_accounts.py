"""Contacts and accounts writes: Xero's uniqueness and validity rules."""

from __future__ import annotations

import pytest

from adapters.native import messages
from gateway.xero.errors import NotFound, ValidationException

from .conftest import call


def _messages(exc: ValidationException, index: int = 0) -> list[str]:
    return [e["Message"] for e in exc.elements[index]["ValidationErrors"]]


async def test_create_contact_with_details(adapter) -> None:
    (contact,) = (await call(adapter, "createContacts", elements=[{
        "Name": "Quarry Hill Cafe", "ContactNumber": "EXT-1", "EmailAddress": "hello@quarryhill.example",
        "FirstName": "Ann", "LastName": "Lee", "CompanyNumber": "0999",
        "Addresses": [{"AddressType": "STREET", "City": "Leeds"}],
        "Phones": [{"PhoneType": "MOBILE", "PhoneNumber": "07700 900000"}],
        "ContactPersons": [{"FirstName": "Bo", "EmailAddress": "bo@quarryhill.example"}]}])).items
    assert contact.ContactStatus == "ACTIVE" and contact.StatusAttributeString == "OK"
    assert contact.IsCustomer is False and contact.IsSupplier is False
    (again,) = (await call(adapter, "getContactByContactNumber", path={"ContactNumber": "EXT-1"})).items
    assert again.Addresses[0].City == "Leeds" and again.Phones[0].PhoneType == "MOBILE"
    assert again.ContactPersons[0].FirstName == "Bo"
    assert (await call(adapter, "getContacts", search_term="0999")).items[0].ContactID == contact.ContactID


async def test_contact_name_rules(adapter) -> None:
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createContacts", elements=[{"Name": "  "}, {"Name": "meridian university"}])
    assert _messages(err.value, 0) == ["Contact Name cannot be empty."]
    assert _messages(err.value, 1) == ["The Contact Name already exists. Please enter a different Contact Name."]
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createContacts", elements=[{"Name": "X", "EmailAddress": "not-an-email"}])
    assert _messages(err.value) == [messages.EMAIL_INVALID]


async def test_update_and_archive_contact(adapter) -> None:
    (contact,) = (await call(adapter, "getContactByContactNumber", path={"ContactNumber": "CUST-001"})).items
    (updated,) = (await call(adapter, "updateContact", path={"ContactID": contact.ContactID},
                             elements=[{"EmailAddress": "accounts@abbey.example", "ContactStatus": "ARCHIVED"}])
                  ).items
    assert updated.Name == contact.Name and updated.EmailAddress == "accounts@abbey.example"
    assert updated.ContactStatus == "ARCHIVED" and updated.UpdatedDateUTC > contact.UpdatedDateUTC
    assert contact.ContactID not in {c.ContactID for c in (await call(adapter, "getContacts")).items}
    with pytest.raises(NotFound):
        await call(adapter, "updateContact", path={"ContactID": "00000000-0000-0000-0000-000000000000"},
                   elements=[{"Name": "x"}])


async def test_post_contacts_upserts(adapter) -> None:
    (existing,) = (await call(adapter, "getContactByContactNumber", path={"ContactNumber": "CUST-002"})).items
    result = await call(adapter, "updateOrCreateContacts", elements=[
        {"ContactNumber": "CUST-002", "AccountNumber": "A-2"},       # matched by ContactNumber
        {"ContactID": existing.ContactID, "LastName": "Bennett-Smith"},  # matched by ContactID
        {"Name": "Completely New Co"},
    ])
    first, second, third = result.items
    assert first.ContactID == second.ContactID == existing.ContactID
    assert second.AccountNumber == "A-2" and second.LastName == "Bennett-Smith"
    assert third.ContactID != existing.ContactID and third.Name == "Completely New Co"
    with pytest.raises(ValidationException):
        await call(adapter, "createContacts", elements=[{"ContactID": existing.ContactID, "Name": "Dup"}])


async def test_contacts_partial_success(adapter) -> None:
    result = await call(adapter, "createContacts", summarize_errors=False,
                        elements=[{"Name": "Fresh One"}, {"Name": "Meridian University"}])
    ok, failed = result.items
    assert (ok.StatusAttributeString, ok.HasValidationErrors) == ("OK", False)
    assert (failed.StatusAttributeString, failed.HasValidationErrors) == ("ERROR", True)
    assert failed.ValidationErrors[0].Message == messages.CONTACT_NAME_EXISTS
    assert (await call(adapter, "getContacts", search_term="Fresh One")).items


async def test_create_account(adapter) -> None:
    (acc,) = (await call(adapter, "createAccount", elements=[
        {"Code": "201", "Name": "Online Sales", "Type": "SALES", "TaxType": "OUTPUT2"}])).items
    assert (acc.Class, acc.Status, acc.TaxType) == ("REVENUE", "ACTIVE", "OUTPUT2")
    (inv,) = (await call(adapter, "createInvoices", elements=[{
        "Type": "ACCREC", "Contact": {"Name": "Meridian University"}, "DueDate": "2026-04-30",
        "Status": "AUTHORISED", "LineItems": [{"Description": "Web", "UnitAmount": 10, "AccountCode": "201"}]}]
    )).items
    assert inv.Total == 12
    (bank,) = (await call(adapter, "createAccount", elements=[
        {"Name": "Card Account", "Type": "BANK", "BankAccountNumber": "11-22-33 4444"}])).items
    assert bank.Code is None and bank.CurrencyCode == "GBP" and bank.BankAccountType == "BANK"


@pytest.mark.parametrize(("element", "message"), [
    ({"Code": "200", "Name": "Another", "Type": "REVENUE"}, messages.ACCOUNT_CODE_UNIQUE),
    ({"Code": "299", "Name": "sales", "Type": "REVENUE"}, messages.ACCOUNT_NAME_UNIQUE),
    ({"Code": "299", "Name": "Odd", "Type": "NOTATYPE"}, messages.ACCOUNT_TYPE_INVALID.format(type="NOTATYPE")),
    ({"Name": "No Number", "Type": "BANK"}, messages.BANK_ACCOUNT_NUMBER_REQUIRED),
    ({"Code": "12345678901", "Name": "Long", "Type": "EXPENSE"}, messages.ACCOUNT_CODE_TOO_LONG),
    ({"Code": "298", "Name": "Taxed", "Type": "REVENUE", "TaxType": "INPUT2"},
     messages.ACCOUNT_TAX_TYPE_INVALID.format(tax_type="INPUT2")),
])
async def test_invalid_accounts(adapter, element: dict, message: str) -> None:
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createAccount", elements=[element])
    assert message in _messages(err.value)


async def test_update_account_and_system_accounts(adapter) -> None:
    accounts = {a.Code: a for a in (await call(adapter, "getAccounts")).items}
    (renamed,) = (await call(adapter, "updateAccount", path={"AccountID": accounts["429"].AccountID},
                             elements=[{"Name": "Sundry Expenses", "Status": "ARCHIVED"}])).items
    assert (renamed.Name, renamed.Status, renamed.Code) == ("Sundry Expenses", "ARCHIVED", "429")
    with pytest.raises(ValidationException) as err:  # archived accounts take no lines
        await call(adapter, "createInvoices", elements=[{
            "Type": "ACCPAY", "Contact": {"Name": "Swift Couriers"}, "Status": "DRAFT",
            "LineItems": [{"Description": "x", "UnitAmount": 1, "AccountCode": "429"}]}])
    assert _messages(err.value) == ["Account code '429' is not a valid code for this document."]
    for change in ({"Code": "611X"}, {"Type": "EXPENSE"}, {"Status": "ARCHIVED"}):
        with pytest.raises(ValidationException):
            await call(adapter, "updateAccount", path={"AccountID": accounts["610"].AccountID}, elements=[change])
    (ok,) = (await call(adapter, "updateAccount", path={"AccountID": accounts["610"].AccountID},
                        elements=[{"Description": "Trade debtors"}])).items
    assert ok.Description == "Trade debtors" and ok.SystemAccount == "DEBTORS"
    with pytest.raises(NotFound):
        await call(adapter, "updateAccount", path={"AccountID": "00000000-0000-0000-0000-000000000000"},
                   elements=[{"Name": "x"}])
