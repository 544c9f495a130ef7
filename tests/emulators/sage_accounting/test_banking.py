"""Bank accounts, other payments and receipts, bank transfers, journals, and the ledger they post."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from tests.emulators.sage_accounting.conftest import bank_id, ledger_id


async def test_bank_account_creates_its_ledger_account(sage):
    account = await sage.post("/bank_accounts", {"bank_account": {
        "bank_account_type_id": "CREDIT_CARD", "bank_account_details": {"account_name": "Company Card"}}})
    assert account["displayed_as"] == f"Company Card ({account['nominal_code']})"
    ledger = await sage.get(f"/ledger_accounts/{account['ledger_account']['id']}")
    assert ledger["ledger_account_type"]["id"] == "LINE_OF_CREDIT"
    assert ledger["nominal_code"] == account["nominal_code"] and ledger["visible_in_banking"] is True
    assert account["balance"] == 0 and account["deletable"] is True
    status, body = await sage.call("POST", "/bank_accounts", body={"bank_account": {
        "bank_account_type_id": "CHECKING", "nominal_code": 1200, "bank_account_details": {"account_name": "Dup"}}})
    assert status == 422 and body[0]["$source"] == "nominal_code"
    status, body = await sage.call("POST", "/bank_accounts",
                                   body={"bank_account": {"bank_account_type_id": "CHECKING"}})
    assert status == 422 and body[0]["$source"] == "bank_account_details.account_name"
    renamed = await sage.put(f"/bank_accounts/{account['id']}", {"bank_account": {
        "bank_account_details": {"account_name": "Card 2"}}})
    assert renamed["displayed_as"].startswith("Card 2 (")
    assert (await sage.get(f"/ledger_accounts/{account['ledger_account']['id']}"))["name"] == "Card 2"
    await sage.delete(f"/bank_accounts/{account['id']}")
    status, body = await sage.call("DELETE", f"/bank_accounts/{await bank_id(sage)}")
    assert status == 422  # it has transactions


async def test_current_account_balance_from_the_demo(sage):
    current = await sage.get(f"/bank_accounts/{await bank_id(sage)}")
    # capital 10000 + receipts 120 + 500 - supplier payment 180 - rent 1000 + grant 250 - transfer 2000
    assert current["balance"] == 10000 + 120 + 500 - 180 - 1000 + 250 - 2000
    deposit = await sage.get(f"/bank_accounts/{await bank_id(sage, 'Deposit Account')}")
    assert deposit["balance"] == 2000


async def test_other_payment_and_receipt(sage):
    office, bank = await ledger_id(sage, 7500), await bank_id(sage)
    payment = await sage.post("/other_payments", {"other_payment": {
        "transaction_type_id": "OTHER_PAYMENT", "date": "2025-05-05", "total_amount": "36",
        "bank_account_id": bank, "reference": "STAT-1",
        "payment_lines": [{"ledger_account_id": office, "total_amount": "24", "tax_rate_id": "GB_STANDARD"},
                          {"ledger_account_id": office, "total_amount": "12", "net_amount": "11",
                           "tax_rate_id": "GB_STANDARD", "details": "Stamps"}]}})
    assert [(ln["net_amount"], ln["tax_amount"]) for ln in payment["payment_lines"]] == [(20, 4), (11, 1)]
    assert payment["net_amount"] == 31 and payment["tax_amount"] == 5 and payment["total_amount"] == 36
    entries = await sage.all("ledger_entries", transaction_id=payment["transaction"]["id"])
    bank_ledger = (await sage.get(f"/bank_accounts/{bank}"))["ledger_account"]["id"]
    assert next(e for e in entries if e["ledger_account"]["id"] == bank_ledger)["credit"] == 36
    status, body = await sage.call("POST", "/other_payments", body={"other_payment": {
        "transaction_type_id": "OTHER_RECEIPT", "date": "2025-05-05", "total_amount": "10",
        "bank_account_id": bank, "payment_lines": [{"ledger_account_id": office, "total_amount": "9"}]}})
    assert status == 422 and body[0]["$source"] == "total_amount"
    status, body = await sage.call("POST", "/other_payments", body={"other_payment": {
        "transaction_type_id": "OTHER_RECEIPT", "date": "2025-05-05", "total_amount": "10",
        "payment_lines": [{"ledger_account_id": office, "total_amount": "10"}]}})
    assert status == 422 and body[0]["$source"] == "bank_account_id"
    edited = await sage.put(f"/other_payments/{payment['id']}", {"other_payment": {
        "total_amount": "24", "payment_lines": [{"ledger_account_id": office, "total_amount": "24",
                                                 "tax_rate_id": "GB_STANDARD"}]}})
    assert edited["tax_amount"] == 4 and edited["reference"] == "STAT-1"
    await sage.delete(f"/other_payments/{payment['id']}")
    assert all(e["deleted"] for e in await sage.all("ledger_entries", transaction_id=payment["transaction"]["id"]))


async def test_bank_transfer(sage):
    current, deposit = await bank_id(sage), await bank_id(sage, "Deposit Account")
    transfer = await sage.post("/bank_transfers", {"bank_transfer": {
        "from_bank_account_id": deposit, "to_bank_account_id": current, "date": "2025-05-06", "amount": "500"}})
    assert transfer["from_bank_account"]["id"] == deposit and transfer["amount"] == 500
    assert (await sage.get(f"/bank_accounts/{deposit}"))["balance"] == 1500
    status, body = await sage.call("POST", "/bank_transfers", body={"bank_transfer": {
        "from_bank_account_id": current, "to_bank_account_id": current, "date": "2025-05-06", "amount": "1"}})
    assert status == 422
    await sage.put(f"/bank_transfers/{transfer['id']}", {"bank_transfer": {"amount": "700"}})
    assert (await sage.get(f"/bank_accounts/{deposit}"))["balance"] == 1300
    await sage.delete(f"/bank_transfers/{transfer['id']}")
    assert (await sage.get(f"/bank_accounts/{deposit}"))["balance"] == 2000


async def test_journals_must_balance(sage):
    rent, capital = await ledger_id(sage, 7100), await ledger_id(sage, 3000)
    status, body = await sage.call("POST", "/journals", body={"journal": {
        "date": "2025-05-07", "reference": "J-BAD", "journal_lines": [
            {"ledger_account_id": rent, "debit": 10, "credit": 0},
            {"ledger_account_id": capital, "debit": 0, "credit": 9}]}})
    assert status == 422 and body[0]["$source"] == "journal_lines"
    journal = await sage.post("/journals", {"journal": {
        "date": "2025-05-07", "reference": "J-1", "journal_lines": [
            {"ledger_account_id": rent, "debit": 10, "credit": 0, "details": "Accrual"},
            {"ledger_account_id": capital, "debit": 0, "credit": 10}]}})
    assert journal["total"] == 10 and journal["transaction_type"]["id"] == "JOURNAL"
    status, _ = await sage.call("PUT", f"/journals/{journal['id']}", body={"journal": {}})
    assert status == 405
    await sage.delete(f"/journals/{journal['id']}")


async def test_every_transaction_balances_and_the_trial_balance_is_zero(sage):
    entries = await sage.all("ledger_entries")
    per_transaction: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        per_transaction[entry["transaction"]["id"]] += Decimal(str(entry["debit"])) - Decimal(str(entry["credit"]))
    assert per_transaction and all(v == 0 for v in per_transaction.values())
    transactions = await sage.all("transactions")
    assert {t["id"] for t in transactions} >= set(per_transaction)
    # Profit and loss computed from the ledger, as a report-less Sage client must: sales 4000/4010 etc.
    sales = await ledger_id(sage, 4000)
    details = await sage.get(f"/ledger_accounts/{sales}", show_balance_details="true", from_date="2025-01-01",
                             to_date="2025-12-31")
    # SI-1 100 + SI-2 100 + SI-3 50 (draft SI-4 posts nothing) less the credit note SCN-1 20
    assert details["balance_details"] == {"balance": 230, "credit_or_debit": "credit", "credits": 250,
                                          "debits": 20, "from_date": "2025-01-01", "to_date": "2025-12-31"}
    status, body = await sage.call("GET", f"/ledger_accounts/{sales}", params={"show_balance_details": "true"})
    assert status == 422
