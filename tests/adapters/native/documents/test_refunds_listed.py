"""Refunds of credits are payments in Xero's GET /Payments list (PaymentType ARCREDITPAYMENT…)."""

from tests.adapters.native.documents.conftest import call


async def test_payments_list_includes_refunds(adapter):
    everything = (await call(adapter, "getPayments")).items
    kinds = {p.PaymentType for p in everything}
    assert "ACCRECPAYMENT" in kinds and "ARCREDITPAYMENT" in kinds  # the demo refunds one credit note
    refunds = (await call(adapter, "getPayments", where='PaymentType=="ARCREDITPAYMENT"')).items
    assert refunds and all(p.PaymentType == "ARCREDITPAYMENT" for p in refunds)
    first_page = await call(adapter, "getPayments", page=1, page_size=5, order="Amount DESC")
    assert first_page.pagination.itemCount == len(everything) and len(first_page.items) == 5
    amounts = [p.Amount for p in first_page.items]
    assert amounts == sorted(amounts, reverse=True)
