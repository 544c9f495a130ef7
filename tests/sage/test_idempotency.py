"""A retried Xero write with the same ``Idempotency-Key`` never creates a second Sage record (Sage has no idempotency
key): the gateway's key record (:mod:`gateway.api.idempotency`) plus the adapter's write ledger
(:mod:`adapters.sage_accounting.ledger`), against the emulator with injected faults."""

from __future__ import annotations

from tests.support.sage import connect

INVOICE = {"Type": "ACCREC", "Date": "2025-05-01", "DueDate": "2025-05-31", "Status": "AUTHORISED",
           "LineItems": [{"Description": "Consulting", "Quantity": 2, "UnitAmount": 50, "AccountCode": "4000",
                          "TaxType": "OUTPUT2"}]}


async def posts(emulator, path: str = "/v3.1/sales_invoices") -> int:
    return (await emulator.requests())["by_path"].get(f"POST {path}", 0)


async def sales_invoices(session, tenant: str, reference: str) -> list[dict]:
    found = await session.get("/Invoices", tenant, params={"where": f'Reference=="{reference}"'})
    return found["Invoices"]


async def test_an_answer_lost_after_sage_wrote_is_reconciled_not_repeated(gateway, emulator, xero_spec):
    session = await connect(gateway, emulator, xero_spec=xero_spec)
    tenant = session.tenant()
    contact = (await session.get("/Contacts", tenant))["Contacts"][0]["ContactID"]
    body = {"Invoices": [{**INVOICE, "Contact": {"ContactID": contact}, "Reference": "IDEM-1"}]}
    await emulator.reset_requests()
    # Sage makes the invoice, then the answer arrives truncated: an unknown outcome for the gateway.
    await emulator.admin("PUT", "/_emulator/faults", {"faults": [
        {"kind": "malformed", "path": "/sales_invoices", "method": "POST", "count": 1}]})
    status, first, _ = await session.call("PUT", "/Invoices", tenant, json=body, headers={"Idempotency-Key": "k-1"})
    assert status == 503, first
    assert await posts(emulator) == 1 and len(await sales_invoices(session, tenant, "IDEM-1")) == 1

    status, second, _ = await session.call("PUT", "/Invoices", tenant, json=body, headers={"Idempotency-Key": "k-1"})
    assert status == 200, second
    made = await sales_invoices(session, tenant, "IDEM-1")
    assert len(made) == 1 and second["Invoices"][0]["InvoiceID"] == made[0]["InvoiceID"]
    assert await posts(emulator) == 1  # looked up, never posted again

    status, third, _ = await session.call("PUT", "/Invoices", tenant, json=body, headers={"Idempotency-Key": "k-1"})
    assert status == 200 and third["Invoices"][0]["InvoiceID"] == made[0]["InvoiceID"]
    assert await posts(emulator) == 1  # the gateway replays its stored answer


async def test_a_write_sage_never_saw_is_made_once_on_retry(gateway, emulator, xero_spec):
    session = await connect(gateway, emulator, xero_spec=xero_spec)
    tenant = session.tenant()
    contact = (await session.get("/Contacts", tenant))["Contacts"][0]["ContactID"]
    body = {"Invoices": [{**INVOICE, "Contact": {"ContactID": contact}, "Reference": "IDEM-2"}]}
    await emulator.reset_requests()
    await emulator.admin("PUT", "/_emulator/faults", {"faults": [
        {"kind": "server_error", "status": 503, "path": "/sales_invoices", "method": "POST", "count": 1}]})
    status, _, _ = await session.call("PUT", "/Invoices", tenant, json=body, headers={"Idempotency-Key": "k-2"})
    assert status == 503 and await sales_invoices(session, tenant, "IDEM-2") == []
    status, answer, _ = await session.call("PUT", "/Invoices", tenant, json=body, headers={"Idempotency-Key": "k-2"})
    assert status == 200, answer
    assert len(await sales_invoices(session, tenant, "IDEM-2")) == 1 and await posts(emulator) == 2


async def test_a_batch_interrupted_midway_completes_without_duplicates(gateway, emulator, xero_spec):
    session = await connect(gateway, emulator, xero_spec=xero_spec)
    tenant = session.tenant()
    contact = (await session.get("/Contacts", tenant))["Contacts"][0]["ContactID"]
    body = {"Invoices": [{**INVOICE, "Contact": {"ContactID": contact}, "Reference": "IDEM-3"},
                         {**INVOICE, "Contact": {"Name": "Brand New Customer"}, "Reference": "IDEM-3"}]}
    await emulator.reset_requests()
    await emulator.admin("PUT", "/_emulator/faults", {"faults": [
        {"kind": "malformed", "path": "/contacts", "method": "POST", "count": 1}]})
    status, _, _ = await session.call("PUT", "/Invoices", tenant, json=body, headers={"Idempotency-Key": "k-3"})
    assert status == 503  # the first invoice was made, the new contact's answer was lost
    assert len(await sales_invoices(session, tenant, "IDEM-3")) == 1
    status, answer, _ = await session.call("PUT", "/Invoices", tenant, json=body, headers={"Idempotency-Key": "k-3"})
    assert status == 200, answer
    made = await sales_invoices(session, tenant, "IDEM-3")
    assert len(made) == 2 and {i["InvoiceID"] for i in answer["Invoices"]} == {i["InvoiceID"] for i in made}
    contacts = await session.get("/Contacts", tenant, params={"where": 'Name=="Brand New Customer"'})
    assert len(contacts["Contacts"]) == 1
    assert await posts(emulator) == 2 and await posts(emulator, "/v3.1/contacts") == 1


async def test_without_a_key_a_refused_batch_leaves_nothing_behind(gateway, emulator, xero_spec):
    session = await connect(gateway, emulator, xero_spec=xero_spec)
    tenant = session.tenant()
    contact = (await session.get("/Contacts", tenant))["Contacts"][0]["ContactID"]
    good = {**INVOICE, "Contact": {"ContactID": contact}, "Reference": "ROLLBACK"}
    bad = {**good, "Date": "2025-05-10", "DueDate": "2025-05-01"}  # Sage refuses a due date before the date
    status, answer, _ = await session.call("PUT", "/Invoices", tenant, json={"Invoices": [good, bad]})
    assert status == 400 and answer["Type"] == "ValidationException"
    assert "must be on or after the date (due_date)" in answer["Elements"][0]["ValidationErrors"][0]["Message"]
    left = await sales_invoices(session, tenant, "ROLLBACK")
    assert [i["Status"] for i in left] == ["VOIDED"]  # the first was made, then voided again (Sage keeps voids)
    status, partial, _ = await session.call("PUT", "/Invoices?summarizeErrors=false", tenant,
                                            json={"Invoices": [good, bad]})
    assert status == 200
    flags = [(i.get("StatusAttributeString"), i.get("HasErrors")) for i in partial["Invoices"]]
    assert flags == [("OK", False), ("ERROR", True)]


async def test_a_retried_contact_create_is_reconciled_not_refused_as_a_duplicate_name(gateway, emulator, xero_spec):
    session = await connect(gateway, emulator, xero_spec=xero_spec)
    tenant = session.tenant()
    body = {"Contacts": [{"Name": "Retried Contact Ltd"}]}
    await emulator.admin("PUT", "/_emulator/faults", {"faults": [
        {"kind": "malformed", "path": "/contacts", "method": "POST", "count": 1}]})
    status, _, _ = await session.call("PUT", "/Contacts", tenant, json=body, headers={"Idempotency-Key": "k-4"})
    assert status == 503  # Sage made the contact, its answer was lost
    status, answer, _ = await session.call("PUT", "/Contacts", tenant, json=body, headers={"Idempotency-Key": "k-4"})
    assert status == 200, answer
    found = await session.get("/Contacts", tenant, params={"where": 'Name=="Retried Contact Ltd"'})
    assert [c["ContactID"] for c in found["Contacts"]] == [answer["Contacts"][0]["ContactID"]]
    status, again, _ = await session.call("PUT", "/Contacts", tenant, json=body)
    assert status == 400 and again["Elements"][0]["ValidationErrors"][0]["Message"].startswith(
        "The Contact Name already exists")
