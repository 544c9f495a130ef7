"""A small in-memory :class:`SourceAdapter` for the front-end tests.

It implements a handful of operations (invoices, a PDF, organisation, payments, contacts, two reports, an
attachment upload, a delete) with objects that conform to Xero's spec, and records every :class:`XeroRequest` it
receives in :attr:`FakeAdapter.calls` so tests can check what the front end parsed. Everything else is
unsupported, which the front end must answer with a 501.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from adapters.base import SourceAdapter, Tenant
from gateway.xero.errors import NotFound, ValidationException, element_with_errors
from gateway.xero.models import (
    Contact,
    Invoice,
    LineItem,
    Organisation,
    Pagination,
    Payment,
    ValidationError,
    XeroModel,
)
from gateway.xero.request import RequestContext, Result, XeroRequest

TENANT_ID = "6f4b1d7e-2c3a-4e5f-9a8b-0c1d2e3f4a5b"
INVOICE_ID = "4c1e9b1a-2d9f-4c8e-8a61-3e1a5b0c6f7d"
INVOICE_2_ID = "0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a"
CONTACT_ID = "9f1c2d3e-0000-4000-8000-000000000001"
UPDATED = datetime(2024, 3, 16, 10, 0, tzinfo=UTC)
PDF_BYTES = b"%PDF-1.4\n% fake invoice\n"


class Report(XeroModel):
    """Spec ``ReportWithRow`` (just what the tests need)."""

    ReportID: str | None = None
    ReportName: str | None = None
    ReportType: str | None = None
    ReportTitles: list[str] | None = None


class Attachment(XeroModel):
    """Spec ``Attachment``."""

    AttachmentID: str | None = None
    FileName: str | None = None
    Url: str | None = None
    MimeType: str | None = None
    ContentLength: int | None = None


def _invoice(invoice_id: str, number: str, total: str) -> Invoice:
    return Invoice(
        InvoiceID=invoice_id, InvoiceNumber=number, Type="ACCREC", Status="AUTHORISED",
        Contact=Contact(ContactID=CONTACT_ID, Name="Bayside Club"),
        Date=date(2024, 3, 15), DueDate=date(2024, 4, 14), LineAmountTypes="Exclusive",
        LineItems=[LineItem(LineItemID=str(uuid.uuid5(uuid.NAMESPACE_URL, invoice_id)), Description="Consulting",
                            Quantity=Decimal("1"), UnitAmount=Decimal(total), AccountCode="200",
                            LineAmount=Decimal(total))],
        SubTotal=Decimal(total), TotalTax=Decimal("0"), Total=Decimal(total), AmountDue=Decimal(total),
        AmountPaid=Decimal("0"), CurrencyCode="GBP", UpdatedDateUTC=UPDATED)


class FakeAdapter(SourceAdapter):
    """Serves a fixed organisation with two invoices; see the module docstring."""

    system_name = "Fake ledger (tests)"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.calls: list[XeroRequest] = []
        self.invoices = [_invoice(INVOICE_ID, "INV-001", "120.00"), _invoice(INVOICE_2_ID, "INV-002", "80.50")]

    async def list_tenants(self) -> list[Tenant]:
        return [Tenant(TENANT_ID, "Fake Org")]

    def _record(self, req: XeroRequest) -> None:
        self.calls.append(req)

    async def get_organisations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        self._record(req)
        return Result(items=[Organisation(
            OrganisationID=ctx.tenant_id, Name="Fake Org", BaseCurrency="GBP", CountryCode="GB",
            OrganisationType="COMPANY", IsDemoCompany=False, PaysTax=True, Version="UK",
            CreatedDateUTC=datetime(2020, 1, 1, tzinfo=UTC), FinancialYearEndDay=31, FinancialYearEndMonth=3)])

    async def get_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        self._record(req)
        items = list(self.invoices)
        if req.query.page is None:
            return Result(items=items)
        size = req.query.page_size
        start = (req.query.page - 1) * size
        pages = max(1, -(-len(items) // size))
        return Result(items=items[start:start + size],
                      pagination=Pagination(page=req.query.page, pageSize=size, pageCount=pages,
                                            itemCount=len(items)))

    def _find(self, req: XeroRequest) -> Invoice:
        key = req.path_params.get("InvoiceID") or req.path_params.get("InvoiceNumber")
        for invoice in self.invoices:
            if key in (invoice.InvoiceID, invoice.InvoiceNumber):
                return invoice
        raise NotFound()

    async def get_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        self._record(req)
        return Result(items=[self._find(req)])

    async def get_invoice_as_pdf(self, ctx: RequestContext, req: XeroRequest) -> Result:
        self._record(req)
        self._find(req)
        return Result(content=PDF_BYTES, content_type="application/pdf")

    async def create_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """Creates the elements that have a Contact; honours ``summarizeErrors`` as the contract says."""
        self._record(req)
        made: list[Invoice] = []
        failed: list[dict] = []
        for element in req.elements:
            if not element.get("Contact"):
                failed.append(element_with_errors(element, ["A Contact must be specified"]))
                made.append(Invoice(Type=element.get("Type"), HasErrors=True, StatusAttributeString="ERROR",
                                    ValidationErrors=[ValidationError(Message="A Contact must be specified")]))
                continue
            invoice = Invoice.model_validate(element)
            invoice.InvoiceID = str(uuid.uuid4())
            invoice.Status = invoice.Status or "DRAFT"
            invoice.StatusAttributeString = "OK"
            made.append(invoice)
        if failed and req.query.summarize_errors:
            raise ValidationException(failed)
        return Result(items=made)

    async def create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """Echoes the contacts; raises ValidationException for a nameless one (whatever summarizeErrors)."""
        self._record(req)
        bad = [element_with_errors(e, ["The contact name must be specified"]) for e in req.elements
               if not e.get("Name")]
        if bad:
            raise ValidationException(bad)
        contacts = [Contact.model_validate(e) for e in req.elements]
        for contact in contacts:
            contact.ContactID = str(uuid.uuid4())
        return Result(items=contacts)

    async def create_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        self._record(req)
        payment = Payment.model_validate(req.elements[0])
        payment.PaymentID = str(uuid.uuid4())
        payment.Status = "AUTHORISED"
        return Result(items=[payment])

    async def get_report_balance_sheet(self, ctx: RequestContext, req: XeroRequest) -> Result:
        self._record(req)
        return Result(items=[Report(ReportID="BalanceSheet", ReportName="Balance Sheet", ReportType="BalanceSheet",
                                    ReportTitles=["Balance Sheet", "Fake Org"])])

    async def get_report_from_id(self, ctx: RequestContext, req: XeroRequest) -> Result:
        self._record(req)
        report_id = req.path_params["ReportID"]
        return Result(items=[Report(ReportID=report_id, ReportName=f"Published {report_id}")])

    async def create_invoice_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        self._record(req)
        element = req.elements[0]
        return Result(items=[Attachment(
            AttachmentID=str(uuid.uuid4()), FileName=element["FileName"], MimeType=element["MimeType"],
            ContentLength=len(element["Content"]),
            Url=f"https://api.xero.com/api.xro/2.0/Invoices/{req.path_params['InvoiceID']}/Attachments/"
                f"{element['FileName']}")])

    async def delete_item(self, ctx: RequestContext, req: XeroRequest) -> Result:
        self._record(req)
        return Result(status=204)
