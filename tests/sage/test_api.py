"""The Accounting API over source 1009, in process: the real gateway app in front of the Sage emulator, every response
validated against Xero's spec (``xero_spec``) and every request body the adapter sends checked against Sage's spec by
the emulator (``validate_requests``)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from decimal import Decimal

from adapters.sage_accounting.ids import stable_guid
from tests.support.sage import CODE, adapter_of

LINE = {"Description": "Consulting", "Quantity": 2, "UnitAmount": 50, "AccountCode": "4000", "TaxType": "OUTPUT2"}


def by_name(session) -> dict[str, str]:
    return {t["tenantName"]: t["tenantId"] for t in session.tenants}


async def business_of(session, tenant: str) -> str:
    """The Sage business id (``X-Business``) behind a tenant, from the adapter's credentials provider."""
    return (await adapter_of(session.client).credentials.credentials(CODE, tenant)).tenant_key


async def test_business_switch_through_the_tenant_header(session, emulator):
    tenants = by_name(session)
    assert set(tenants) == {"Emulator Trading Ltd", "Emulator Services Ltd"}
    seen = {}
    for name, tenant in tenants.items():
        org = (await session.get("/Organisation", tenant))["Organisations"][0]
        assert org["Name"] == name and org["OrganisationID"] == tenant and org["BaseCurrency"] == "GBP"
        await emulator.reset_requests()
        invoices = (await session.get("/Invoices", tenant))["Invoices"]
        seen[name] = {i["InvoiceNumber"] for i in invoices if i["Type"] == "ACCREC"}
        businesses = {e["business"] for e in (await emulator.requests())["log"]}
        assert businesses == {await business_of(session, tenant)}
    assert seen["Emulator Trading Ltd"] == {"SI-1", "SI-2", "SI-3", "SI-4"}
    assert seen["Emulator Services Ltd"] == {"SI-1"}


async def test_reads_of_every_resource(session):
    tenant = by_name(session)["Emulator Trading Ltd"]
    accounts = {a["Code"]: a for a in (await session.get("/Accounts", tenant))["Accounts"]}
    assert accounts["1200"]["Type"] == "BANK" and accounts["4000"]["Type"] == "REVENUE"
    one = await session.get(f"/Accounts/{accounts['4000']['AccountID']}", tenant)
    assert one["Accounts"][0]["Code"] == "4000"
    sales = await session.get("/Accounts", tenant, params={"where": 'Type=="REVENUE"', "order": "Code DESC"})
    assert [a["Code"] for a in sales["Accounts"]] == sorted((c for c, a in accounts.items()
                                                             if a["Type"] == "REVENUE"), reverse=True)
    rates = {r["TaxType"] for r in (await session.get("/TaxRates", tenant))["TaxRates"]}
    assert {"OUTPUT2", "INPUT2", "ZERORATEDOUTPUT", "NONE"} <= rates
    assert (await session.get("/TaxRates/INPUT2", tenant))["TaxRates"][0]["Name"] == "20% (VAT on Expenses)"
    contacts = {c["Name"]: c for c in (await session.get("/Contacts", tenant))["Contacts"]}
    assert contacts["Northwind Traders"]["IsCustomer"] and contacts["Northwind Traders"]["IsSupplier"]
    one = await session.get(f"/Contacts/{contacts['Acme Retail Ltd']['ContactID']}", tenant)
    assert one["Contacts"][0]["AccountNumber"] == "ACME001"
    wanted = [contacts["Acme Retail Ltd"]["ContactID"], contacts["Northwind Traders"]["ContactID"]]
    by_ids = await session.get("/Contacts", tenant, params={"IDs": ",".join(wanted)})
    assert sorted(c["ContactID"] for c in by_ids["Contacts"]) == sorted(wanted)
    summary = await session.get("/Invoices", tenant, params={"summaryOnly": "true"})
    assert summary["Invoices"] and all("LineItems" not in i for i in summary["Invoices"])
    invoices = {i["InvoiceNumber"]: i for i in (await session.get("/Invoices", tenant))["Invoices"]}
    assert invoices["SI-2"]["Status"] == "AUTHORISED" and invoices["SI-2"]["AmountPaid"] == 500
    assert invoices["SI-3"]["AmountCredited"] == 20 and invoices["SI-4"]["Status"] == "DRAFT"
    for invoice in invoices.values():
        assert Decimal(str(invoice["Total"])) == sum(Decimal(str(invoice[k]))
                                                     for k in ("AmountDue", "AmountPaid", "AmountCredited"))
    single = await session.get(f"/Invoices/{invoices['SI-1']['InvoiceID']}", tenant)
    assert single["Invoices"][0]["Status"] == "PAID" and single["Invoices"][0]["Payments"]
    notes = (await session.get("/CreditNotes", tenant))["CreditNotes"]
    assert notes and all(n["Type"] in ("ACCRECCREDIT", "ACCPAYCREDIT") for n in notes)
    payments = (await session.get("/Payments", tenant))["Payments"]
    one = await session.get(f"/Payments/{payments[0]['PaymentID']}", tenant)
    assert one["Payments"][0]["Amount"] == payments[0]["Amount"]
    spend = (await session.get("/BankTransactions", tenant, params={"where": 'Type=="SPEND"'}))["BankTransactions"]
    assert spend and {t["Type"] for t in spend} == {"SPEND"}
    assert (await session.get(f"/BankTransactions/{spend[0]['BankTransactionID']}", tenant))["BankTransactions"]
    transfers = (await session.get("/BankTransfers", tenant))["BankTransfers"]
    assert (await session.get(f"/BankTransfers/{transfers[0]['BankTransferID']}", tenant))["BankTransfers"]
    journals = (await session.get("/ManualJournals", tenant))["ManualJournals"]
    assert (await session.get(f"/ManualJournals/{journals[0]['ManualJournalID']}", tenant))["ManualJournals"]
    items = {i["Code"]: i for i in (await session.get("/Items", tenant))["Items"]}
    assert set(items) >= {"WID-1", "CONS-1"}
    assert (await session.get("/Items/WID-1", tenant))["Items"][0]["ItemID"] == items["WID-1"]["ItemID"]
    assert [c["Code"] for c in (await session.get("/Currencies", tenant))["Currencies"]] == ["GBP"]
    status, _, _ = await session.call("GET", "/Invoices/00000000-0000-0000-0000-000000000001", tenant)
    assert status == 404


async def test_paging_and_pushdown_keep_xero_semantics(session, emulator):
    tenant = by_name(session)["Emulator Trading Ltd"]
    everything = (await session.get("/Invoices", tenant))["Invoices"]
    ids = [i["InvoiceID"] for i in everything]
    assert [i["Type"] for i in everything] == sorted(i["Type"] for i in everything)[::-1]  # ACCREC then ACCPAY
    pages = []
    for page in (1, 2, 3):
        answer = await session.get("/Invoices", tenant, params={"page": str(page), "pageSize": "2"})
        assert answer["pagination"] == {"page": page, "pageSize": 2, "pageCount": 3, "itemCount": len(ids)}
        pages += [i["InvoiceID"] for i in answer["Invoices"]]
    assert pages == ids
    bills = await session.get("/Invoices", tenant, params={"where": 'Type=="ACCPAY"', "page": "1"})
    assert {i["Type"] for i in bills["Invoices"]} == {"ACCPAY"} and bills["pagination"]["itemCount"] == 2
    acme = next(c for c in (await session.get("/Contacts", tenant))["Contacts"] if c["Name"] == "Acme Retail Ltd")
    await emulator.reset_requests()
    mine = await session.get("/Invoices", tenant, params={
        "where": f'Contact.ContactID==Guid("{acme["ContactID"]}") AND Date>=DateTime(2025,1,1)'})
    log = (await emulator.requests())["log"]
    assert all("contact_id=" in e["query"] and "from_date=2025-01-01" in e["query"] for e in log)
    assert {i["Contact"]["ContactID"] for i in mine["Invoices"]} == {acme["ContactID"]}
    authorised = await session.get("/Invoices", tenant, params={"where": 'Status=="AUTHORISED"',
                                                                "order": "Total DESC", "page": "1", "pageSize": "2"})
    totals = [i["Total"] for i in authorised["Invoices"]]
    assert totals == sorted(totals, reverse=True) and {i["Status"] for i in authorised["Invoices"]} == {"AUTHORISED"}
    searched = await session.get("/Contacts", tenant, params={"searchTerm": "acme"})
    assert [c["Name"] for c in searched["Contacts"]] == ["Acme Retail Ltd"]
    since = await session.get("/Invoices", tenant, headers={"If-Modified-Since": "2100-01-01T00:00:00"})
    assert since["Invoices"] == []
    status, body, _ = await session.call("GET", "/Invoices", tenant, params={"where": "Nope==1"})
    assert status == 400 and body["Type"] == "QueryParseException"


async def test_a_warm_page_of_100_invoices_is_one_list_call(session, emulator):
    tenant = by_name(session)["Emulator Services Ltd"]
    contact = (await session.get("/Contacts", tenant, params={"where": "IsCustomer==true"}))["Contacts"][0]
    batch = [{"Type": "ACCREC", "Contact": {"ContactID": contact["ContactID"]}, "Date": "2025-05-01",
              "Status": "AUTHORISED", "Reference": f"BULK-{n}", "LineItems": [LINE]} for n in range(105)]
    for start in range(0, 105, 35):
        status, body, _ = await session.call("PUT", "/Invoices", tenant, json={"Invoices": batch[start:start + 35]})
        assert status == 200, body
    first = await session.get("/Invoices", tenant, params={"page": "1", "pageSize": "100"})  # warms the caches
    await emulator.reset_requests()
    again = await session.get("/Invoices", tenant, params={"page": "1", "pageSize": "100"})
    calls = (await emulator.requests())["by_path"]
    assert calls == {"GET /v3.1/sales_invoices": 1}
    assert len(again["Invoices"]) == 100 and again["Invoices"] == first["Invoices"]
    assert again["pagination"]["itemCount"] == 107  # 106 sales invoices + 1 purchase invoice


async def test_writes_of_every_resource(session):
    tenant = by_name(session)["Emulator Trading Ltd"]

    async def put(tail, body, status=200):
        code, answer, _ = await session.call("PUT", tail, tenant, json=body)
        assert code == status, answer
        return answer

    async def post(tail, body, status=200):
        code, answer, _ = await session.call("POST", tail, tenant, json=body)
        assert code == status, answer
        return answer

    contact = (await put("/Contacts", {"Contacts": [{"Name": "Writer Ltd",
                                                     "EmailAddress": "w@x.test"}]}))["Contacts"][0]
    updated = (await post(f"/Contacts/{contact['ContactID']}", {"Contacts": [{"AccountNumber": "WRT1",
                                                                             "IsSupplier": True}]}))["Contacts"][0]
    assert updated["AccountNumber"] == "WRT1" and updated["IsSupplier"] and updated["IsCustomer"]

    draft = (await put("/Invoices", {"Invoices": [{"Type": "ACCREC", "Contact": {"ContactID": contact["ContactID"]},
                                                   "Date": "2025-06-01", "LineItems": [LINE]}]}))["Invoices"][0]
    assert draft["Status"] == "DRAFT" and draft["Total"] == 120
    edited = (await post(f"/Invoices/{draft['InvoiceID']}", {"Invoices": [{"Reference": "EDIT"}]}))["Invoices"][0]
    assert edited["Reference"] == "EDIT" and edited["Status"] == "DRAFT"
    posted = (await post(f"/Invoices/{draft['InvoiceID']}", {"Invoices": [{"Status": "AUTHORISED"}]}))["Invoices"][0]
    assert posted["Status"] == "AUTHORISED" and posted["AmountDue"] == 120
    payment = (await put("/Payments", {"Payments": [{"Invoice": {"InvoiceID": posted["InvoiceID"]},
                                                     "Account": {"Code": "1200"}, "Date": "2025-06-05",
                                                     "Amount": 20, "Reference": "PAY-1"}]}))["Payments"][0]
    assert payment["Amount"] == 20 and payment["Invoice"]["InvoiceID"] == posted["InvoiceID"]
    status, refused, _ = await session.call("PUT", "/Payments", tenant, json={"Payments": [
        {"Invoice": {"InvoiceID": posted["InvoiceID"]}, "Account": {"Code": "1200"}, "Date": "2025-06-05",
         "Amount": 500}]})
    assert status == 400
    assert "exceeds the amount outstanding" in refused["Elements"][0]["ValidationErrors"][0]["Message"]
    status, kept, _ = await session.call("POST", f"/Invoices/{posted['InvoiceID']}", tenant,
                                         json={"Invoices": [{"Status": "VOIDED"}]})
    assert status == 400
    assert "cannot be voided" in kept["Elements"][0]["ValidationErrors"][0]["Message"]  # Sage's own words, kept
    deleted = (await post(f"/Payments/{payment['PaymentID']}", {"Status": "DELETED"}))["Payments"][0]
    assert deleted["Status"] == "DELETED"
    voided = (await post(f"/Invoices/{posted['InvoiceID']}", {"Invoices": [{"Status": "VOIDED"}]}))["Invoices"][0]
    assert voided["Status"] == "VOIDED"

    gone = (await put("/Invoices", {"Invoices": [{"Type": "ACCREC", "Contact": {"ContactID": contact["ContactID"]},
                                                  "LineItems": [LINE]}]}))["Invoices"][0]
    assert (await post(f"/Invoices/{gone['InvoiceID']}", {"Invoices": [{"Status": "DELETED"}]}))["Invoices"][0][
        "Status"] == "DELETED"
    bill = (await put("/Invoices", {"Invoices": [{"Type": "ACCPAY", "Contact": {"ContactID": contact["ContactID"]},
                                                  "Status": "AUTHORISED", "InvoiceNumber": "B-77",
                                                  "LineItems": [{**LINE, "AccountCode": "5000",
                                                                 "TaxType": "INPUT2"}]}]}))["Invoices"][0]
    assert bill["InvoiceNumber"] == "B-77" and bill["Status"] == "AUTHORISED"
    assert (await post(f"/Invoices/{bill['InvoiceID']}", {"Invoices": [{"Status": "VOIDED"}]}))["Invoices"][0][
        "Status"] == "VOIDED"

    invoice = (await put("/Invoices", {"Invoices": [{"Type": "ACCREC", "Status": "AUTHORISED", "LineItems": [LINE],
                                                     "Contact": {"ContactID": contact["ContactID"]}}]}))["Invoices"][0]
    note = (await put("/CreditNotes", {"CreditNotes": [{"Type": "ACCRECCREDIT", "Status": "AUTHORISED",
                                                        "Contact": {"ContactID": contact["ContactID"]},
                                                        "LineItems": [{**LINE, "Quantity": 1}]}]}))["CreditNotes"][0]
    assert note["Total"] == 60 and note["RemainingCredit"] == 60
    allocation = (await put(f"/CreditNotes/{note['CreditNoteID']}/Allocations",
                            {"Allocations": [{"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": 60,
                                              "Date": "2025-06-02"}]}))["Allocations"][0]
    assert allocation["Invoice"]["AmountCredited"] == 60 and allocation["CreditNote"]["RemainingCredit"] == 0

    spend = (await put("/BankTransactions", {"BankTransactions": [{
        "Type": "SPEND", "BankAccount": {"Code": "1200"}, "Contact": {"ContactID": contact["ContactID"]},
        "LineItems": [{"Description": "Taxi", "UnitAmount": 12, "AccountCode": "7100", "TaxType": "INPUT2"}]}]}))
    spend = spend["BankTransactions"][0]
    assert spend["Total"] == 14.4 and spend["Type"] == "SPEND"
    changed = (await post(f"/BankTransactions/{spend['BankTransactionID']}", {"BankTransactions": [
        {"Reference": "CAB", "LineItems": [{"Description": "Taxi", "UnitAmount": 20, "AccountCode": "7100",
                                            "TaxType": "INPUT2"}]}]}))["BankTransactions"][0]
    assert changed["Reference"] == "CAB" and changed["Total"] == 24
    assert (await post(f"/BankTransactions/{spend['BankTransactionID']}", {"BankTransactions": [
        {"Status": "DELETED"}]}))["BankTransactions"][0]["Status"] == "DELETED"

    transfer = (await put("/BankTransfers", {"BankTransfers": [{"FromBankAccount": {"Code": "1200"},
                                                                "ToBankAccount": {"Code": "1210"},
                                                                "Amount": 75}]}))["BankTransfers"][0]
    assert (await post(f"/BankTransfers/{transfer['BankTransferID']}", {"Status": "DELETED"}))["BankTransfers"][0][
        "Status"] == "DELETED"
    journal = (await put("/ManualJournals", {"ManualJournals": [{"Narration": "Reclass", "JournalLines": [
        {"LineAmount": 40, "AccountCode": "7100"}, {"LineAmount": -40, "AccountCode": "4000"}]}]}))["ManualJournals"][0]
    status, refused, _ = await session.call("POST", f"/ManualJournals/{journal['ManualJournalID']}", tenant,
                                            json={"ManualJournals": [{"Narration": "Changed"}]})
    assert status == 400
    assert (await post(f"/ManualJournals/{journal['ManualJournalID']}", {"ManualJournals": [
        {"Status": "DELETED"}]}))["ManualJournals"][0]["Status"] == "DELETED"

    item = (await put("/Items", {"Items": [{"Code": "GAD-9", "Name": "Gadget", "Description": "Boxed",
                                            "SalesDetails": {"AccountCode": "4000", "TaxType": "OUTPUT2"},
                                            "PurchaseDetails": {"UnitPrice": 4, "AccountCode": "5000"}}]}))["Items"][0]
    assert item["PurchaseDetails"]["UnitPrice"] == 4 and item["Description"] == "Boxed"
    renamed = (await post(f"/Items/{item['ItemID']}", {"Items": [{"Code": "GAD-9", "Name": "Gizmo"}]}))["Items"][0]
    assert renamed["Name"] == "Gizmo" and renamed["ItemID"] == item["ItemID"]
    status, _, _ = await session.call("DELETE", f"/Items/{item['ItemID']}", tenant)
    assert status == 204
    status, duplicate, _ = await session.call("PUT", "/Items", tenant, json={"Items": [{"Code": "WID-1"}]})
    assert status == 400 and "already exists" in duplicate["Elements"][0]["ValidationErrors"][0]["Message"]

    account = (await put("/Accounts", {"Code": "7300", "Name": "Training", "Type": "OVERHEADS"}))["Accounts"][0]
    assert account["Class"] == "EXPENSE"
    renamed = (await post(f"/Accounts/{account['AccountID']}", {"Accounts": [{"Name": "Training & CPD"}]}))
    assert renamed["Accounts"][0]["Name"] == "Training & CPD"
    bank = (await put("/Accounts", {"Code": "1230", "Name": "Petty Cash", "Type": "BANK",
                                    "BankAccountNumber": "1"}))["Accounts"][0]
    assert bank["Type"] == "BANK" and bank["Code"] == "1230"
    listed = {a["AccountID"] for a in (await session.get("/Accounts", tenant))["Accounts"]}
    assert {account["AccountID"], bank["AccountID"]} <= listed


async def test_sage_errors_and_limits_reach_the_client_as_xero_would_answer(session, emulator):
    tenant = by_name(session)["Emulator Trading Ltd"]
    status, body, _ = await session.call("PUT", "/Invoices", tenant, json={"Invoices": [
        {"Type": "ACCREC", "Contact": {"Name": "Acme Retail Ltd"}, "LineItems": [{**LINE, "AccountCode": "42"}]}]})
    assert status == 400 and body["Elements"][0]["ValidationErrors"][0]["Message"] == \
        "Account code '42' is not a valid code for this document."
    await emulator.admin("PUT", "/_emulator/faults", {"faults": [{"kind": "throttle", "path": "/contacts",
                                                                  "count": 1}]})
    status, body, headers = await session.call("GET", "/Contacts", tenant)
    assert status == 429 and headers["Retry-After"] == "60" and headers["X-Rate-Limit-Problem"] == "minute"
    assert (await session.call("GET", "/Contacts", tenant))[0] == 200
    # An operation Sage cannot express (Sage has no expense receipts) answers Xero's 501 naming the source.
    status, body, _ = await session.call("GET", "/Receipts", tenant)
    assert status == 501 and "1009" in body["Message"]


async def ledger_sums(session, tenant: str, *, start: str, end: str) -> dict[str, Decimal]:
    """Σ debit − credit of the emulator's ledger entries per ledger account, read straight from Sage's API."""
    client = adapter_of(session.client).client
    sums: dict[str, Decimal] = defaultdict(lambda: Decimal("0"))
    page = 1
    while True:
        answer = await client.list_page(client.auth(tenant), "/ledger_entries",
                                        {"attributes": "all", "from_date": start, "to_date": end}, page=page,
                                        items_per_page=200)
        for entry in answer.items:
            sums[entry["ledger_account"]["id"]] += Decimal(str(entry["debit"])) - Decimal(str(entry["credit"]))
        if page * 200 >= (answer.total or 0):
            return sums
        page += 1


def rows_of(report: dict) -> list[dict]:
    out = []
    for row in report["Rows"]:
        out.extend(row.get("Rows") or [])
    return out


def account_values(report: dict, column: int = 1) -> dict[str, Decimal]:
    out = {}
    for row in rows_of(report):
        cells = row["Cells"]
        attrs = {a["Id"]: a["Value"] for a in cells[0].get("Attributes") or []}
        if row["RowType"] == "Row" and "account" in attrs and cells[column]["Value"]:
            out[attrs["account"]] = Decimal(cells[column]["Value"])
    return out


def labelled(report: dict, label: str) -> list[Decimal]:
    row = next(r for r in rows_of(report) if r["Cells"][0]["Value"] == label)
    return [Decimal(c["Value"]) for c in row["Cells"][1:] if c["Value"]]


async def test_reports_reconcile_with_the_ledger_entries(session):
    tenant = by_name(session)["Emulator Trading Ltd"]
    business = await business_of(session, tenant)
    accounts = {a["AccountID"]: a for a in (await session.get("/Accounts", tenant))["Accounts"]}
    guid_of = {}
    for guid in accounts:
        refs = await adapter_of(session.client).ids.resolve(business, guid)
        guid_of[guid] = refs[0].sage_id
    assert all(stable_guid(business, "ledger_accounts", sid) == g for g, sid in guid_of.items())
    as_at = await ledger_sums(session, tenant, start="1900-01-01", end="2025-12-31")
    year = await ledger_sums(session, tenant, start="2025-01-01", end="2025-12-31")
    profit_classes = ("REVENUE", "EXPENSE")
    natural = {guid: (1 if accounts[guid]["Class"] in ("ASSET", "EXPENSE") else -1) for guid in accounts}

    pl = (await session.get("/Reports/ProfitAndLoss", tenant, params={"fromDate": "2025-01-01",
                                                                      "toDate": "2025-12-31"}))["Reports"][0]
    for guid, value in account_values(pl).items():
        assert value == natural[guid] * year[guid_of[guid]], accounts[guid]["Name"]
    net_profit = -sum(v for sid, v in year.items()
                      if any(guid_of[g] == sid and accounts[g]["Class"] in profit_classes for g in accounts))
    assert labelled(pl, "Net Profit") == [net_profit] and net_profit != 0

    bs = (await session.get("/Reports/BalanceSheet", tenant, params={"date": "2025-12-31"}))["Reports"][0]
    for guid, value in account_values(bs).items():
        if guid in accounts:
            assert value == natural[guid] * as_at[guid_of[guid]], accounts[guid]["Name"]
    assert labelled(bs, "Total Assets")[0] - labelled(bs, "Total Liabilities")[0] == labelled(bs, "Net Assets")[0]
    assert labelled(bs, "Net Assets") == labelled(bs, "Total Equity")
    assert labelled(bs, "Current Year Earnings") == [net_profit]

    tb = (await session.get("/Reports/TrialBalance", tenant, params={"date": "2025-12-31"}))["Reports"][0]
    debit, credit, ytd_debit, ytd_credit = labelled(tb, "Total")
    assert debit == credit and ytd_debit == ytd_credit and ytd_debit > 0
    for row in rows_of(tb):
        attrs = {a["Id"]: a["Value"] for a in row["Cells"][0].get("Attributes") or []}
        guid = attrs.get("account")
        if row["RowType"] != "Row" or guid not in accounts:
            continue
        ytd = Decimal(row["Cells"][3]["Value"] or "0") - Decimal(row["Cells"][4]["Value"] or "0")
        source = year if accounts[guid]["Class"] in profit_classes else as_at
        assert ytd == source[guid_of[guid]], accounts[guid]["Name"]

    bank = (await session.get("/Reports/BankSummary", tenant, params={"fromDate": "2025-01-01",
                                                                      "toDate": "2025-12-31"}))["Reports"][0]
    closing = {r["Cells"][0]["Attributes"][0]["Value"]: Decimal(r["Cells"][4]["Value"])
               for r in rows_of(bank) if r["RowType"] == "Row"}
    assert closing and all(value == as_at[guid_of[g]] for g, value in closing.items())
    opening, received, spent, total_closing = labelled(bank, "Total")
    assert opening + received - spent == total_closing

    acme = next(c for c in (await session.get("/Contacts", tenant))["Contacts"] if c["Name"] == "Acme Retail Ltd")
    aged = (await session.get("/Reports/AgedReceivablesByContact", tenant,
                              params={"contactId": acme["ContactID"], "date": "2025-12-31"}))["Reports"][0]
    owing = [i for i in (await session.get("/Invoices", tenant, params={
        "where": f'Contact.ContactID==Guid("{acme["ContactID"]}") AND Status=="AUTHORISED"'}))["Invoices"]]
    assert labelled(aged, "Closing Balance")[-1] == sum(Decimal(str(i["AmountDue"])) for i in owing)


async def test_concurrent_calls_share_reference_loads(session, emulator):
    tenant = by_name(session)["Emulator Services Ltd"]
    await emulator.reset_requests()
    results = await asyncio.gather(*(session.call("GET", "/Accounts", tenant) for _ in range(8)))
    assert {r[0] for r in results} == {200}
    calls = (await emulator.requests())["by_path"]
    assert calls["GET /v3.1/ledger_accounts"] == 1 and calls["GET /v3.1/bank_accounts"] == 1


async def test_an_item_code_twice_in_one_request_is_refused_once_made(session):
    tenant = by_name(session)["Emulator Services Ltd"]
    status, body, _ = await session.call("PUT", "/Items?summarizeErrors=false", tenant,
                                         json={"Items": [{"Code": "TWICE-1"}, {"Code": "twice-1"}]})
    assert status == 200, body
    assert [i.get("StatusAttributeString") for i in body["Items"]] == ["OK", "ERROR"]
    assert body["Items"][1]["ValidationErrors"][0]["Message"] == "Price List Item with Code ''twice-1'' already exists"
