"""Organisation services on the native ledger: invoice reminder settings, contact CIS settings, payment services
(and those of branding themes) and the 1099 report of a UK organisation, through the adapter and the real app
(every JSON answer validated against Xero's spec)."""

from __future__ import annotations

import json

import pytest

from adapters.native.tables.services import InvoiceReminderSetting
from gateway.xero.errors import NotFound, OperationNotSupported, ValidationException

from .conftest import TENANT, call


async def test_invoice_reminders_answer_the_stored_setting(adapter) -> None:
    assert [r.Enabled for r in (await call(adapter, "getInvoiceReminders")).items] == [False]
    async with adapter._session() as session, session.begin():
        session.add(InvoiceReminderSetting(company_id=TENANT, enabled=True))
    assert [r.Enabled for r in (await call(adapter, "getInvoiceReminders")).items] == [True]


async def test_contact_cis_settings(adapter) -> None:
    contact = (await call(adapter, "getContacts", where='Name=="Meridian University"')).items[0]
    settings = (await call(adapter, "getContactCISSettings", path={"ContactID": contact.ContactID})).items
    assert [(s.CISEnabled, s.Rate) for s in settings] == [(False, None)]
    with pytest.raises(NotFound):
        await call(adapter, "getContactCISSettings", path={"ContactID": "00000000-0000-0000-0000-000000000009"})


async def test_payment_services_are_stored_and_attached_to_themes(adapter) -> None:
    assert (await call(adapter, "getPaymentServices")).items == []
    made = (await call(adapter, "createPaymentService", elements=[{
        "PaymentServiceName": "PayUp", "PaymentServiceUrl": "https://pay.example/?inv=[INVOICENUMBER]",
        "PayNowText": "Pay now"}])).items[0]
    assert made.PaymentServiceID and made.PaymentServiceType == "CUSTOM"
    assert [s.PaymentServiceName for s in (await call(adapter, "getPaymentServices")).items] == ["PayUp"]
    with pytest.raises(ValidationException):
        await call(adapter, "createPaymentService", elements=[{"PayNowText": "no name, no url"}])

    theme = (await call(adapter, "getBrandingThemes")).items[0]
    path = {"BrandingThemeID": theme.BrandingThemeID}
    assert (await call(adapter, "getBrandingThemePaymentServices", path=path)).items == []
    for _ in range(2):  # attaching twice keeps one link
        attached = (await call(adapter, "createBrandingThemePaymentServices", path=path,
                               elements=[{"PaymentServiceID": made.PaymentServiceID}])).items
        assert [s.PaymentServiceID for s in attached] == [made.PaymentServiceID]
    listed = (await call(adapter, "getBrandingThemePaymentServices", path=path)).items
    assert [s.PaymentServiceID for s in listed] == [made.PaymentServiceID]
    with pytest.raises(ValidationException):
        await call(adapter, "createBrandingThemePaymentServices", path=path,
                   elements=[{"PaymentServiceID": "00000000-0000-0000-0000-000000000009"}])
    with pytest.raises(NotFound):
        await call(adapter, "createBrandingThemePaymentServices",
                   path={"BrandingThemeID": "00000000-0000-0000-0000-000000000009"},
                   elements=[{"PaymentServiceID": made.PaymentServiceID}])


async def test_ten_ninety_nine_outside_the_us_is_empty(adapter) -> None:
    assert (await call(adapter, "getReportTenNinetyNine")).items == []
    async with adapter._session() as session, session.begin():
        from adapters.native.tables.core import Company
        company = await session.get(Company, TENANT)
        company.country_code = "US"
    with pytest.raises(OperationNotSupported):
        await call(adapter, "getReportTenNinetyNine")


async def test_services_through_http(api) -> None:
    resp, body = await api.call("GET", "/InvoiceReminders/Settings")
    assert resp.status == 200 and json.loads(body)["InvoiceReminders"] == [{"Enabled": False}]
    resp, body = await api.call("PUT", "/PaymentServices", json={"PaymentServices": [
        {"PaymentServiceName": "PayUp", "PaymentServiceUrl": "https://pay.example/", "PayNowText": "Pay"}]})
    assert resp.status == 200, body
    service = json.loads(body)["PaymentServices"][0]
    resp, body = await api.call("GET", "/PaymentServices")
    assert [s["PaymentServiceID"] for s in json.loads(body)["PaymentServices"]] == [service["PaymentServiceID"]]
    resp, body = await api.call("GET", "/BrandingThemes")
    theme_id = json.loads(body)["BrandingThemes"][0]["BrandingThemeID"]
    resp, body = await api.call("POST", f"/BrandingThemes/{theme_id}/PaymentServices",
                                json={"PaymentServices": [{"PaymentServiceID": service["PaymentServiceID"]}]})
    assert resp.status == 200, body
    resp, body = await api.call("GET", "/Reports/TenNinetyNine", params={"reportYear": "2025"})
    assert resp.status == 200 and json.loads(body)["Reports"] == []
    resp, body = await api.call("GET", "/Contacts")
    contact_id = json.loads(body)["Contacts"][0]["ContactID"]
    resp, body = await api.call("GET", f"/Contacts/{contact_id}/CISSettings")
    assert resp.status == 200 and json.loads(body)["CISSettings"] == [{"CISEnabled": False}]
