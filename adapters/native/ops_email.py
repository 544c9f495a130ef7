"""Native-ledger operations: ``emailInvoice`` (``POST /Invoices/{InvoiceID}/Email``).

Mixed into :class:`adapters.native.adapter.NativeLedgerAdapter` (:mod:`adapters.native.ops_base`). The invoice is read
through ``getInvoice`` and rendered through :meth:`adapters.native.ops_pdf.PdfOperations._pdf`, so the attachment is
exactly what ``GET /Invoices/{InvoiceID}/pdf`` answers; the rules and the SMTP exchange are in
:mod:`adapters.native.resources.invoice_email`. The mail is sent outside any ledger transaction (a slow mail server
never holds the write lock); only marking the invoice ``SentToContact`` is a write.
"""

from __future__ import annotations

from gateway.xero import models as xm
from gateway.xero.errors import NotFound
from gateway.xero.request import RequestContext, Result, XeroRequest

from .books import Books
from .ops_base import OperationsBase
from .resources import history
from .resources import invoice_email as mail
from .tables.core import Invoice


class EmailOperations(OperationsBase):
    """E-mailing sales invoices to their contacts."""

    async def email_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Invoices/{InvoiceID}/Email``: send the invoice, its PDF attached, to the contact's
        ``EmailAddress`` through the operator's SMTP server (``[smtp]`` settings), then mark it
        ``SentToContact``. Answers 204 with no body (spec).

        Raises:
            NotFound: no such invoice.
            ValidationException: no SMTP server configured, not a sales invoice, a status that cannot be sent, a
                contact without an e-mail address, or a recipient the server refused
                (:mod:`adapters.native.resources.invoice_email`).
            MailServerUnavailable: the mail server could not be reached or failed (503).
        """
        invoice: xm.Invoice = (await self.get_invoice(ctx, req)).items[0]  # type: ignore[attr-defined]
        contact: xm.Contact | None = None
        if invoice.Contact is not None and invoice.Contact.ContactID:
            contact = (await self.get_contact(ctx, XeroRequest(  # type: ignore[attr-defined]
                operation_id="getContact", path_params={"ContactID": invoice.Contact.ContactID}))).items[0]
        smtp = self.settings.smtp
        recipient = mail.check_sendable(smtp, invoice, contact)
        organisation = (await self.get_organisations(  # type: ignore[attr-defined]
            ctx, XeroRequest(operation_id="getOrganisations"))).items[0]
        pdf = (await self._pdf(ctx, "ACCREC", invoice)).content  # type: ignore[attr-defined]
        message = mail.build_message(smtp, invoice=invoice, organisation=organisation, recipient=recipient, pdf=pdf)
        await mail.send(smtp, message)

        async def mark_sent(books: Books) -> Result:
            row = await books.get(Invoice, invoice.InvoiceID or "")
            if row is None:  # deleted by someone else while the mail was out
                raise NotFound()
            now = books.now()
            row.sent_to_contact, row.updated_utc = True, now
            await history.record(books.session, company_id=books.company.id, resource="Invoices", record_id=row.id,
                                 changes=history.SENT, details=f"This invoice has been emailed to {recipient}.",
                                 when=now)
            return Result(status=204)
        return await self._write(ctx, req, mark_sent)
