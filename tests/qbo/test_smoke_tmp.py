import json
import pytest
pytestmark = pytest.mark.slow

async def test_smoke(qbo):
    for path in ["/Organisation", "/Accounts", "/TaxRates", "/Contacts", "/Invoices", "/CreditNotes", "/Items",
                 "/TrackingCategories", "/Currencies", "/Payments", "/BankTransactions", "/BankTransfers",
                 "/ManualJournals"]:
        a = await qbo.api("GET", path, validate=True)
        print(path, a.status, json.dumps(a.body)[:300])
        print(qbo.adapter.recent_calls[-1])
