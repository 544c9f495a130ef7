"""End to end, in process: every Xero read the QBO adapter serves, over the emulator seeded with the recorded samples
(Intuit's sample companies, references to records that do not exist included); every answer is validated against
Xero's spec by the ``qbo`` fixture."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from adapters.base import upstream_tenant_id
from tests.support.qbo import load_sample

pytestmark = pytest.mark.slow

LISTS = {"/Accounts": ("Accounts", "AccountID"), "/Contacts": ("Contacts", "ContactID"),
         "/Invoices": ("Invoices", "InvoiceID"), "/CreditNotes": ("CreditNotes", "CreditNoteID"),
         "/Items": ("Items", "ItemID"), "/TrackingCategories": ("TrackingCategories", "TrackingCategoryID"),
         "/Payments": ("Payments", "PaymentID"), "/BankTransactions": ("BankTransactions", "BankTransactionID"),
         "/BankTransfers": ("BankTransfers", "BankTransferID"),
         "/ManualJournals": ("ManualJournals", "ManualJournalID")}


async def test_organisation_from_company_info_and_preferences(qbo):
    answer = await qbo.api("GET", "/Organisation")
    organisation = answer.body["Organisations"][0]
    info = load_sample("CompanyInfo")["object_sample"]["CompanyInfo"]
    assert organisation["OrganisationID"] == qbo.tenant_id == upstream_tenant_id("1004", "9341452000000001")
    assert organisation["Name"] == info["CompanyName"] and organisation["CountryCode"] == "US"
    assert organisation["BaseCurrency"] == "USD" and organisation["Version"] == "US"
    assert (organisation["FinancialYearEndDay"], organisation["FinancialYearEndMonth"]) == (31, 12)
    connections = await (await qbo.gateway.get("/1004/connections", headers={
        "Authorization": f"Bearer {qbo.access_token}"})).json()
    assert connections[0]["tenantName"] == organisation["Name"]


@pytest.mark.parametrize("path", sorted(LISTS))
async def test_every_list_and_one_of_each(qbo, path):
    key, id_field = LISTS[path]
    listed = await qbo.api("GET", path)
    assert listed.status == 200, listed.body
    items = listed.body[key]
    assert items, f"the seeded samples give {key}"
    ids = [item[id_field] for item in items]
    assert len(set(ids)) == len(ids)
    again = await qbo.api("GET", path)
    assert [item[id_field] for item in again.body[key]] == ids  # stable GUIDs, stable default order
    one = await qbo.api("GET", f"{path}/{ids[0]}")
    assert one.status == 200, one.body
    assert one.body[key][0][id_field] == ids[0]
    missing = await qbo.api("GET", f"{path}/{uuid.uuid4()}")
    assert missing.status == 404


async def test_tax_rates_currencies_and_lookups(qbo):
    rates = (await qbo.api("GET", "/TaxRates")).body["TaxRates"]
    by_type = {r["TaxType"]: r for r in rates}
    assert {"OUTPUT", "INPUT", "NONE", "TAX002", "TAX003"} <= set(by_type)
    assert by_type["TAX003"]["EffectiveRate"] == 9.1  # Tucson: AZ State tax 7.1 + Tucson City 2
    assert (await qbo.api("GET", "/TaxRates/TAX002")).body["TaxRates"][0]["Name"] == "California"
    currencies = (await qbo.api("GET", "/Currencies")).body["Currencies"]
    assert currencies[0] == {"Code": "USD", "Description": "United States Dollar"}


async def test_where_order_paging_and_if_modified_since(qbo):
    everything = (await qbo.api("GET", "/Invoices")).body["Invoices"]
    sales = [i for i in everything if i["Type"] == "ACCREC"]
    assert [i["InvoiceID"] for i in everything[:len(sales)]] == [i["InvoiceID"] for i in sales]  # ACCREC first
    page = await qbo.api("GET", "/Invoices", params={"page": "1", "pageSize": "2"})
    assert [i["InvoiceID"] for i in page.body["Invoices"]] == [i["InvoiceID"] for i in everything[:2]]
    assert page.body["pagination"] == {"page": 1, "pageSize": 2, "pageCount": (len(everything) + 1) // 2,
                                       "itemCount": len(everything)}
    last = await qbo.api("GET", "/Invoices", params={"page": str((len(everything) + 1) // 2), "pageSize": "2"})
    assert [i["InvoiceID"] for i in last.body["Invoices"]] == [i["InvoiceID"] for i in everything[-(
        len(everything) % 2 or 2):]]
    beyond = await qbo.api("GET", "/Invoices", params={"page": "99", "pageSize": "2"})
    assert beyond.body["Invoices"] == []
    ordered = await qbo.api("GET", "/Invoices", params={"order": "Total DESC"})
    totals = [i["Total"] for i in ordered.body["Invoices"]]
    assert totals == sorted(totals, reverse=True)
    bills = await qbo.api("GET", "/Invoices", params={"where": 'Type=="ACCPAY" AND Total>100'})
    assert bills.body["Invoices"] and all(i["Type"] == "ACCPAY" and i["Total"] > 100
                                          for i in bills.body["Invoices"])
    either = await qbo.api("GET", "/Invoices", params={"where": 'Type=="ACCPAY" OR Reference!=null'})
    assert either.status == 200
    newest = max((i["UpdatedDateUTC"] for i in everything if "UpdatedDateUTC" in i), key=lambda v: int(v[6:-7]))
    stamp = int(newest[6:-7]) // 1000
    since = (datetime.fromtimestamp(stamp, UTC) - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")
    changed = await qbo.api("GET", "/Invoices", headers={"If-Modified-Since": since})
    assert [i["UpdatedDateUTC"] for i in changed.body["Invoices"]] == [newest]
    ids = ",".join(i["InvoiceID"] for i in everything[:2])
    chosen = await qbo.api("GET", "/Invoices", params={"IDs": ids})
    assert {i["InvoiceID"] for i in chosen.body["Invoices"]} == {i["InvoiceID"] for i in everything[:2]}
    bad = await qbo.api("GET", "/Invoices", params={"where": "Nonsense==1"})
    assert bad.status == 400 and bad.body["Type"] == "QueryParseException"


async def test_contacts_search_and_archived(qbo):
    contacts = (await qbo.api("GET", "/Contacts")).body["Contacts"]
    assert any(c["IsSupplier"] for c in contacts) and any(c["IsCustomer"] for c in contacts)
    found = await qbo.api("GET", "/Contacts", params={"searchTerm": "bessie"})
    assert [c["Name"] for c in found.body["Contacts"]] == ["Books by Bessie"]
    suppliers = await qbo.api("GET", "/Contacts", params={"where": "IsSupplier==true", "page": "1"})
    assert suppliers.body["Contacts"] and all(c["IsSupplier"] for c in suppliers.body["Contacts"])
