"""The built-in deterministic demo data and ``--seed DIR`` loading (round trip through the API's own format)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulators.sage_accounting import create_app
from emulators.sage_accounting.state import STATE
from tests.emulators.sage_accounting.conftest import CLIENT_ID, CLIENT_SECRET, connect

CLIENTS = [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}]
EXPORTED = ("ledger_accounts", "bank_accounts", "contacts", "products", "services", "sales_invoices",
            "sales_credit_notes", "purchase_invoices", "purchase_credit_notes", "contact_payments",
            "contact_allocations", "other_payments", "bank_transfers", "journals")


def _fingerprint(app) -> dict:
    store = app[STATE].store
    out = {"user": store.user["id"], "businesses": list(store.businesses)}
    for business in store.businesses.values():
        for name in ("contacts", "sales_invoices", "contact_payments", "ledger_entries"):
            out[f"{business.id}:{name}"] = sorted(
                (r["id"], str(r.get("total_amount", r.get("debit", ""))), r.get("created_at")) for r in
                business.all(name))
    return out


def test_demo_data_is_deterministic():
    assert _fingerprint(create_app({})) == _fingerprint(create_app({}))


async def test_demo_data_without_documents(aiohttp_client):
    client = await aiohttp_client(create_app({"clients": CLIENTS, "demo_data": False}))
    sage = await connect(client)
    assert (await sage.get("/sales_invoices"))["$total"] == 0
    assert (await sage.get("/ledger_accounts"))["$total"] > 10
    assert (await sage.get("/tax_rates"))["$total"] == 5


async def _export(sage) -> dict[str, object]:
    """The lead business as Sage answers it: ``{file name: JSON}``."""
    files: dict[str, object] = {"user.json": await sage.get("/user"),
                                "financial_settings.json": await sage.get("/financial_settings"),
                                "business_settings.json": await sage.get("/business_settings")}
    for name in EXPORTED:
        records = await sage.all(name)
        if name == "journals":  # one file per record in a collection folder
            files.update({f"{name}/{record['id']}.json": record for record in records})
        else:  # a list envelope
            files[f"{name}.json"] = {"$total": len(records), "$items": records}
    return files


def _write(folder: Path, files: dict[str, object]) -> None:
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(json.dumps(content))


async def test_seed_round_trip_reproduces_the_business(aiohttp_client, tmp_path):
    source = await connect(await aiohttp_client(create_app({"clients": CLIENTS})))
    _write(tmp_path, await _export(source))
    client = await aiohttp_client(create_app({"clients": CLIENTS, "seed_dir": str(tmp_path)}))
    seeded = await connect(client)
    report = await (await client.get("/_emulator/seed")).json()
    assert report["skipped"] == []
    assert report["loaded"]["sales_invoices"] == 4 and report["loaded"]["contact_payments"] == 3
    for name in ("sales_invoices", "purchase_invoices", "contacts", "contact_payments", "bank_accounts"):
        before = {r["id"]: r for r in await source.all(name)}
        after = {r["id"]: r for r in await seeded.all(name)}
        assert set(after) == set(before), name
        for record_id, record in before.items():
            for member in ("displayed_as", "total_amount", "outstanding_amount", "status", "created_at",
                           "balance"):
                assert after[record_id].get(member) == record.get(member), (name, member)
    before_ledger = {a["nominal_code"]: a["id"] for a in await source.all("ledger_accounts")}
    after_ledger = {a["nominal_code"]: a["id"] for a in await seeded.all("ledger_accounts")}
    assert after_ledger == before_ledger
    for code in (1100, 1200, 4000, 2200):
        params = {"show_balance_details": "true", "from_date": "2025-01-01", "to_date": "2025-12-31"}
        one = await source.get(f"/ledger_accounts/{before_ledger[code]}", **params)
        two = await seeded.get(f"/ledger_accounts/{after_ledger[code]}", **params)
        assert one["balance_details"] == two["balance_details"], code
    assert (await seeded.get("/user"))["id"] == (await source.get("/user"))["id"]
    fresh = await seeded.post("/sales_invoices", {"sales_invoice": {
        "contact_id": (await seeded.all("contacts"))[0]["id"], "date": "2025-06-01",
        "invoice_lines": [{"description": "x", "ledger_account_id": before_ledger[4000], "unit_price": 10,
                           "tax_rate_id": "GB_ZERO"}]}})
    assert fresh["invoice_number"] == "SI-5"  # numbering continues after the seeded SI-4


async def test_seed_directory_with_businesses(aiohttp_client, tmp_path):
    lead, other = "a" * 32, "b" * 32
    (tmp_path / "businesses.json").write_text(json.dumps([
        {"id": lead, "name": "Seeded Lead Ltd", "city": "Bath"}, {"id": other, "name": "Seeded Other Ltd"}]))
    (tmp_path / lead).mkdir()
    contact = {"id": "c" * 32, "name": "Seeded Customer", "reference": "SEED1",
               "contact_types": [{"id": "CUSTOMER", "displayed_as": "Customer", "$path": "/contact_types/CUSTOMER"}]}
    (tmp_path / lead / "contacts.json").write_text(json.dumps({"$items": [contact]}))
    (tmp_path / lead / "sales_invoices").mkdir()
    invoice = {"id": "d" * 32, "contact": {"id": "c" * 32}, "date": "2025-02-01", "invoice_number": "INV-100",
               "status": {"id": "VOID"}, "void_reason": "Test void",
               "invoice_lines": [{"description": "Seeded", "ledger_account": {"id": "e" * 32}, "quantity": 1,
                                  "unit_price": 10, "tax_rate": {"id": "GB_ZERO"}}]}
    broken = {"id": "f" * 32, "date": "2025-02-01"}
    (tmp_path / lead / "sales_invoices" / "one.json").write_text(json.dumps(invoice))
    (tmp_path / lead / "sales_invoices" / "broken.json").write_text(json.dumps(broken))
    (tmp_path / lead / "ledger_accounts.json").write_text(json.dumps([
        {"id": "e" * 32, "name": "Seeded Sales", "display_name": "Seeded Sales", "nominal_code": 4100,
         "included_in_chart": True, "ledger_account_type": {"id": "SALES"}}]))
    (tmp_path / other / "contacts").mkdir(parents=True)
    (tmp_path / other / "contacts" / "x.json").write_text(json.dumps(
        {"id": "9" * 32, "name": "Other's Supplier", "contact_types": [{"id": "VENDOR"}]}))
    (tmp_path / "notes.txt").write_text("ignored")
    client = await aiohttp_client(create_app({"clients": CLIENTS, "seed_dir": str(tmp_path)}))
    sage = await connect(client)
    businesses = await sage.get("/businesses")
    assert [b["id"] for b in businesses["$items"]] == [lead, other]
    assert sage.business_id == lead
    assert [c["name"] for c in await sage.all("contacts")] == ["Seeded Customer"]
    voided = await sage.get(f"/sales_invoices/{'d' * 32}")
    assert voided["status"]["id"] == "VOID" and voided["void_reason"] == "Test void"
    assert voided["displayed_as"] == "INV-100"
    accounts = {a["nominal_code"] for a in await sage.all("ledger_accounts")}
    assert accounts == {4100, 1100, 2100, 2200, 2201}  # the seeded chart plus the control accounts it lacked
    report = await (await client.get("/_emulator/seed")).json()
    assert any("f" * 32 in line for line in report["skipped"])
    status, body = await sage.call("GET", "/contacts", params={"attributes": "all"}, business=other)
    assert [c["name"] for c in body["$items"]] == ["Other's Supplier"]


def test_missing_seed_directory(tmp_path):
    with pytest.raises(FileNotFoundError):
        create_app({"seed_dir": str(tmp_path / "absent")})
