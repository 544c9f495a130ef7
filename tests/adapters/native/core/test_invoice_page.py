"""An invoice list reads each invoice's contact, lines and payments as plain rows
(adapters/native/resources/invoice_page.py, issue 10): every invoice of a page is the invoice its own read gives
(the ORM relationships' path), lines and payments in the same order."""

from __future__ import annotations

from gateway.xero import models as xm

from .conftest import call


async def test_a_page_shows_each_invoice_as_its_own_read_does(adapter) -> None:
    page = (await call(adapter, "getInvoices", page=1, page_size=100)).items
    assert len(page) > 50
    assert any(len(i.LineItems or []) > 1 for i in page) and any(i.Payments for i in page)
    for listed in page:
        (alone,) = (await call(adapter, "getInvoice", path={"InvoiceID": listed.InvoiceID})).items
        # Only a single GET carries the Attachments array (issue 12: as Xero's single reads do); the rest is equal.
        assert listed.Attachments is None and alone.Attachments is not None
        assert xm.dump(listed) == {k: v for k, v in xm.dump(alone).items() if k != "Attachments"}


async def test_summary_and_unpaged_lists_leave_out_what_they_leave_out(adapter) -> None:
    summary = (await call(adapter, "getInvoices", page=1, summary_only=True)).items
    unpaged = (await call(adapter, "getInvoices")).items
    assert summary and all(i.LineItems is None and i.Payments is None and i.Contact.Name for i in summary)
    assert unpaged and all(i.LineItems is None and i.Contact.Name for i in unpaged)
    assert any(i.Payments for i in unpaged)
