"""Users, branding themes, currencies, tax rates, account deletion, organisation actions and CIS settings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.native.demo import company as demo
from adapters.native.resources import settings_writes
from gateway.xero.errors import NotFound, ValidationException

from .conftest import TENANT, call, invoice_element


def _messages(exc: ValidationException, index: int = 0) -> list[str]:
    return [e["Message"] for e in exc.elements[index]["ValidationErrors"]]


async def test_users_are_the_ledger_users_of_the_tenant(adapter) -> None:
    added = await adapter.create_user(email="second@example.com", password="pw-2", tenant_ids=[TENANT],
                                      given_name="Second", family_name="User")
    await adapter.create_user(email="elsewhere@example.com", password="pw-3", tenant_ids=[])
    users = (await call(adapter, "getUsers")).items
    assert [u.UserID for u in users] == [demo.DEMO_USER_ID, added.user_id]
    assert [u.IsSubscriber for u in users] == [True, False]
    assert {u.OrganisationRole for u in users} == {"FINANCIALADVISER"}
    assert users[1].EmailAddress == "second@example.com" and users[1].FirstName == "Second"
    (one,) = (await call(adapter, "getUser", path={"UserID": added.user_id.upper()})).items
    assert one.UserID == added.user_id
    with pytest.raises(NotFound):
        await call(adapter, "getUser", path={"UserID": "00000000-0000-0000-0000-000000000000"})
    assert (await call(adapter, "getUsers", where='EmailAddress.StartsWith("second")')).items[0].UserID == added.user_id
    # the sign-in hook (get_ledger_user) and the getUser operation (get_user) are distinct
    assert (await adapter.get_ledger_user(added.user_id)) == added


async def test_branding_theme(adapter) -> None:
    (theme,) = (await call(adapter, "getBrandingThemes")).items
    assert (theme.Name, theme.SortOrder, theme.Type) == ("Standard", 0, "INVOICE")
    (same,) = (await call(adapter, "getBrandingTheme", path={"BrandingThemeID": theme.BrandingThemeID})).items
    assert same == theme
    services = await call(adapter, "getBrandingThemePaymentServices",
                          path={"BrandingThemeID": theme.BrandingThemeID})
    assert services.items == []
    with pytest.raises(NotFound):
        await call(adapter, "getBrandingTheme", path={"BrandingThemeID": "00000000-0000-0000-0000-000000000000"})


async def test_create_currency(adapter) -> None:
    (usd,) = (await call(adapter, "createCurrency", elements=[{"Code": "usd"}])).items
    assert (usd.Code, usd.Description) == ("USD", "United States Dollar")
    assert "USD" in {c.Code for c in (await call(adapter, "getCurrencies")).items}
    (again,) = (await call(adapter, "createCurrency", elements=[{"Code": "USD"}])).items
    assert again == usd
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "createCurrency", elements=[{"Code": "XXX"}])
    assert _messages(exc.value) == ["The currency code 'XXX' is not valid."]


async def test_create_and_update_tax_rates(adapter) -> None:
    (rate,) = (await call(adapter, "createTaxRates", elements=[{
        "Name": "Special 2.25%", "ReportTaxType": "INPUT", "TaxComponents": [{"Name": "VAT", "Rate": 2.25}]}])).items
    assert (rate.TaxType, rate.Status, rate.EffectiveRate) == ("TAX001", "ACTIVE", Decimal("2.25"))
    assert (rate.CanApplyToExpenses, rate.CanApplyToRevenue, rate.CanApplyToAssets) == (True, False, True)
    bill = invoice_element(Type="ACCPAY", InvoiceNumber="B-9", Contact={"Name": "Swift Couriers"},
                           LineItems=[{"Description": "x", "Quantity": 1, "UnitAmount": 100, "AccountCode": "425",
                                       "TaxType": "TAX001"}])
    (inv,) = (await call(adapter, "createInvoices", elements=[bill])).items
    assert inv.TotalTax == Decimal("2.25")
    (second,) = (await call(adapter, "createTaxRates", elements=[{
        "Name": "Special outputs", "ReportTaxType": "OUTPUT", "TaxComponents": [{"Name": "VAT", "Rate": 7}]}])).items
    assert second.TaxType == "TAX002" and second.CanApplyToRevenue and not second.CanApplyToExpenses
    (renamed,) = (await call(adapter, "updateTaxRate", elements=[{
        "TaxType": "TAX001", "Name": "Special 3%", "TaxComponents": [{"Name": "VAT", "Rate": 3}]}])).items
    assert (renamed.Name, renamed.EffectiveRate) == ("Special 3%", Decimal("3"))
    (deleted,) = (await call(adapter, "updateTaxRate", elements=[{"Name": "special outputs",
                                                                  "Status": "DELETED"}])).items
    assert deleted.TaxType == "TAX002" and deleted.Status == "DELETED"
    with pytest.raises(ValidationException):  # a deleted rate cannot be used any more
        await call(adapter, "createInvoices", elements=[invoice_element(LineItems=[
            {"Description": "x", "Quantity": 1, "UnitAmount": 1, "AccountCode": "200", "TaxType": "TAX002"}])])


@pytest.mark.parametrize(("element", "message"), [
    ({"ReportTaxType": "INPUT", "TaxComponents": [{"Name": "VAT", "Rate": 1}]}, "A tax rate Name must be specified."),
    ({"Name": "20% (VAT on Income)", "ReportTaxType": "OUTPUT", "TaxComponents": [{"Name": "VAT", "Rate": 1}]},
     "A tax rate with the name '20% (VAT on Income)' already exists."),
    ({"Name": "R", "ReportTaxType": "INPUT"}, "At least one TaxComponent must be specified."),
    ({"Name": "R", "ReportTaxType": "INPUT", "TaxComponents": [{"Name": "A", "Rate": 1, "IsNonRecoverable": True},
                                                               {"Name": "B", "Rate": 1}]},
     "Non-recoverable tax components are not supported."),  # several components are kept (issue 12)
    ({"Name": "R", "ReportTaxType": "INPUT", "TaxComponents": [{"Name": "A", "Rate": 1},
                                                               {"Name": "", "Rate": 1, "IsCompound": True}]},
     "The TaxComponent Name must be specified."),
    ({"Name": "R", "ReportTaxType": "INPUT", "TaxComponents": [{"Name": "A", "Rate": -1}]},
     "The TaxComponent Rate must be zero or more."),
    ({"Name": "R", "TaxComponents": [{"Name": "A", "Rate": 1}]}, "A ReportTaxType must be specified."),
    ({"Name": "R", "ReportTaxType": "USSALESTAX", "TaxComponents": [{"Name": "A", "Rate": 1}]},
     "The ReportTaxType 'USSALESTAX' is not valid for this organisation."),
])
async def test_invalid_tax_rates_write_nothing(adapter, element, message) -> None:
    before = len((await call(adapter, "getTaxRates")).items)
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "createTaxRates", elements=[
            {"Name": "Fine", "ReportTaxType": "INPUT", "TaxComponents": [{"Name": "VAT", "Rate": 1}]}, element])
    assert message in _messages(exc.value, 1) and _messages(exc.value, 0) == []
    assert len((await call(adapter, "getTaxRates")).items) == before


async def test_system_rates_cannot_be_edited(adapter) -> None:
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "updateTaxRate", elements=[{"TaxType": "OUTPUT2", "Status": "DELETED"}])
    assert _messages(exc.value) == ["System tax rates cannot be edited."]
    with pytest.raises(ValidationException):
        await call(adapter, "updateTaxRate", elements=[{"TaxType": "OUTPUT2",
                                                        "TaxComponents": [{"Name": "VAT", "Rate": 17.5}]}])
    (same,) = (await call(adapter, "updateTaxRate", elements=[{"TaxType": "OUTPUT2",
                                                               "Name": "20% (VAT on Income)"}])).items
    assert same.Status == "ACTIVE" and same.EffectiveRate == Decimal("20")
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "updateTaxRate", elements=[{"Name": "No such rate", "Status": "DELETED"}])
    assert _messages(exc.value) == ["Tax rate could not be found"]


async def test_delete_account(adapter) -> None:
    (fresh,) = (await call(adapter, "createAccount", elements=[{"Code": "4998", "Name": "Unused", "Type": "EXPENSE"}])
                ).items
    (gone,) = (await call(adapter, "deleteAccount", path={"AccountID": fresh.AccountID})).items
    assert gone.Status == "DELETED" and gone.Code == "4998"
    with pytest.raises(NotFound):
        await call(adapter, "getAccount", path={"AccountID": fresh.AccountID})
    accounts = {a.Code: a for a in (await call(adapter, "getAccounts")).items}
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "deleteAccount", path={"AccountID": accounts["200"].AccountID})
    assert _messages(exc.value) == ["This account has transactions and cannot be deleted. Archive it instead."]
    assert exc.value.elements[0]["Code"] == "200"
    debtors = next(a for a in accounts.values() if a.SystemAccount == "DEBTORS")
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "deleteAccount", path={"AccountID": debtors.AccountID})
    assert _messages(exc.value) == ["System accounts cannot be deleted."]
    (used_by_item,) = (await call(adapter, "createAccount", elements=[{"Code": "4997", "Name": "Item sales",
                                                                       "Type": "REVENUE"}])).items
    await call(adapter, "createItems", elements=[{"Code": "NEW", "SalesDetails": {"AccountCode": "4997"}}])
    with pytest.raises(ValidationException):
        await call(adapter, "deleteAccount", path={"AccountID": used_by_item.AccountID})


async def test_organisation_actions(adapter) -> None:
    actions = {a.Name: a.Status for a in (await call(adapter, "getOrganisationActions")).items}
    assert set(actions) == set(settings_writes.action_table())
    assert actions["CreateApprovedInvoice"] == actions["CreateInvoicePayment"] == "ALLOWED"
    assert actions["UseMulticurrency"] == "ALLOWED"
    for name, ops in settings_writes.action_table().items():
        assert actions[name] == ("ALLOWED" if all(adapter.operation(op) for op in ops) else "NOT-ALLOWED")
    only_invoices = {a.Name: a.Status for a in settings_writes.actions(lambda op: op == "createInvoices")}
    assert only_invoices["CreateDraftBill"] == "ALLOWED" and only_invoices["CreateDraftQuote"] == "NOT-ALLOWED"


async def test_cis_settings(adapter) -> None:
    (cis,) = (await call(adapter, "getOrganisationCISSettings", path={"OrganisationID": TENANT.upper()})).items
    assert (cis.CISContractorEnabled, cis.CISSubContractorEnabled, cis.Rate) == (False, False, None)
    with pytest.raises(NotFound):
        await call(adapter, "getOrganisationCISSettings",
                   path={"OrganisationID": "00000000-0000-0000-0000-000000000000"})
