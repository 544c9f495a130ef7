"""Document PDFs (``getInvoiceAsPdf``, ``getCreditNoteAsPdf``, ``getQuoteAsPdf``, ``getPurchaseOrderAsPdf``),
rendered with fpdf2 from the documents' canonical models.

The spec answers these operations with ``application/pdf`` bytes (``…/{id}/pdf`` paths, and the plain document
GET with ``Accept: application/pdf``). Xero renders them with the organisation's branding theme; this ledger
draws one plain A4 layout: the document title, the organisation (name and address), the contact (name and
address), the number, dates and reference, one row per line (description, quantity, unit price, discount, tax
type, tax, amount), then the sub-total, tax and total (and, for invoices and credit notes, what is paid,
credited or still due).

Fonts: fpdf2's core Helvetica, whose encoding is Latin-1 (``£`` included); characters outside it are shown as
``?``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fpdf import FPDF

from gateway.xero import models as xm

#: (title, number field, date fields, extra total fields) per document kind; field names are the spec's.
LAYOUTS: dict[str, tuple[str, str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {
    "ACCREC": ("INVOICE", "InvoiceNumber", (("Invoice Date", "Date"), ("Due Date", "DueDate")),
               (("Amount Paid", "AmountPaid"), ("Amount Credited", "AmountCredited"), ("Amount Due", "AmountDue"))),
    "ACCPAY": ("BILL", "InvoiceNumber", (("Bill Date", "Date"), ("Due Date", "DueDate")),
               (("Amount Paid", "AmountPaid"), ("Amount Credited", "AmountCredited"), ("Amount Due", "AmountDue"))),
    "ACCRECCREDIT": ("CREDIT NOTE", "CreditNoteNumber", (("Credit Note Date", "Date"),),
                     (("Remaining Credit", "RemainingCredit"),)),
    "ACCPAYCREDIT": ("SUPPLIER CREDIT NOTE", "CreditNoteNumber", (("Credit Note Date", "Date"),),
                     (("Remaining Credit", "RemainingCredit"),)),
    "QUOTE": ("QUOTE", "QuoteNumber", (("Date", "Date"), ("Expiry", "ExpiryDate")), ()),
    "PURCHASEORDER": ("PURCHASE ORDER", "PurchaseOrderNumber",
                      (("Date", "Date"), ("Delivery Date", "DeliveryDate")), ()),
}
_NOTE_FIELDS = (("Title", "Title"), ("Summary", "Summary"), ("Delivery Address", "DeliveryAddress"),
                ("Attention", "AttentionTo"), ("Telephone", "Telephone"),
                ("Delivery Instructions", "DeliveryInstructions"), ("Terms", "Terms"))


@dataclass
class PdfDocument:
    """What a document PDF shows (built by :func:`from_model`).

    Money is ``Decimal`` in the document's currency.
    """

    title: str
    number: str
    organisation_name: str
    organisation_address: list[str]
    contact_name: str
    contact_address: list[str]
    dates: list[tuple[str, dt.date]]
    reference: str | None
    currency: str
    line_amount_types: str
    lines: list[xm.LineItem]
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    extra_totals: list[tuple[str, Decimal]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    status: str | None = None
    updated: dt.datetime | None = None


def _address(addresses: list[xm.Address] | None) -> list[str]:
    """The first address with content, as lines (street lines, city/region/post code, country)."""
    for address in addresses or []:
        parts = [address.AddressLine1, address.AddressLine2, address.AddressLine3, address.AddressLine4,
                 " ".join(p for p in (address.City, address.Region, address.PostalCode) if p), address.Country]
        lines = [p for p in parts if p]
        if lines:
            return lines
    return []


def from_model(kind: str, model: Any, *, organisation: xm.Organisation, contact: xm.Contact | None = None
               ) -> PdfDocument:
    """Build the PDF content of a canonical document.

    Args:
        kind: a key of :data:`LAYOUTS` (the invoice or credit note ``Type``, ``"QUOTE"``, ``"PURCHASEORDER"``).
        model: the canonical document (``Invoice``, ``CreditNote``, ``Quote``, ``PurchaseOrder``).
        organisation: the tenant's organisation.
        contact: the full contact (for its address); the document's embedded contact otherwise.

    Raises:
        KeyError: unknown ``kind``.
    """
    title, number_field, date_fields, total_fields = LAYOUTS[kind]
    embedded = getattr(model, "Contact", None)
    who = contact or embedded
    zero = Decimal("0.00")
    return PdfDocument(
        title=title, number=getattr(model, number_field, None) or "",
        organisation_name=organisation.Name or "", organisation_address=_address(organisation.Addresses),
        contact_name=(who.Name if who is not None else "") or "",
        contact_address=_address(who.Addresses if who is not None else None),
        dates=[(label, value) for label, name in date_fields if (value := getattr(model, name, None))],
        reference=getattr(model, "Reference", None) or None,
        currency=getattr(model, "CurrencyCode", None) or organisation.BaseCurrency or "",
        line_amount_types=str(getattr(model, "LineAmountTypes", None) or ""),
        lines=list(getattr(model, "LineItems", None) or []),
        sub_total=getattr(model, "SubTotal", None) or zero, total_tax=getattr(model, "TotalTax", None) or zero,
        total=getattr(model, "Total", None) or zero,
        extra_totals=[(label, value) for label, name in total_fields
                      if (value := getattr(model, name, None)) is not None],
        notes=[(label, value) for label, name in _NOTE_FIELDS if (value := getattr(model, name, None))],
        status=getattr(model, "Status", None), updated=getattr(model, "UpdatedDateUTC", None))


def _latin1(value: object) -> str:
    return str(value).encode("latin-1", "replace").decode("latin-1")


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _quantity(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:,.4f}".rstrip("0")


class _Pdf(FPDF):
    def footer(self) -> None:  # fpdf2 hook: page numbers
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 6, f"Page {self.page_no()}/{{nb}}", align="C")


_COLUMNS = (("Description", 70, "L"), ("Quantity", 18, "R"), ("Unit Price", 22, "R"), ("Disc.", 14, "R"),
            ("Tax", 22, "L"), ("Tax Amount", 20, "R"), ("Amount", 24, "R"))


def render(doc: PdfDocument) -> bytes:
    """Draw ``doc`` as an A4 PDF.

    Returns:
        The PDF bytes (``%PDF-…``).
    """
    pdf = _Pdf(format="A4")
    pdf.set_title(_latin1(f"{doc.title} {doc.number}".strip()))
    pdf.set_author(_latin1(doc.organisation_name))
    pdf.set_creator("xero-gateway native ledger")
    if doc.updated is not None:
        pdf.set_creation_date(doc.updated)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 10, _latin1(doc.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, _latin1(doc.organisation_name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for line in doc.organisation_address:
        pdf.cell(0, 4.5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    top = pdf.get_y()
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(95, 5, _latin1(doc.contact_name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for line in doc.contact_address:
        pdf.cell(95, 4.5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    left_bottom = pdf.get_y()
    pdf.set_xy(120, top)
    facts: list[tuple[str, str]] = [("Number", doc.number)]
    facts += [(label, value.strftime("%d %b %Y")) for label, value in doc.dates]
    if doc.reference:
        facts.append(("Reference", doc.reference))
    if doc.status:
        facts.append(("Status", doc.status))
    for label, value in facts:
        pdf.set_x(120)
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(30, 4.5, _latin1(label))
        pdf.set_font("Helvetica", "", 9)
        pdf.cell(0, 4.5, _latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(left_bottom, pdf.get_y()) + 6)

    pdf.set_font("Helvetica", "B", 9)
    pdf.set_fill_color(235, 235, 235)
    for name, width, align in _COLUMNS:
        pdf.cell(width, 6, name, border="B", align=align, fill=True)
    pdf.ln()
    pdf.set_font("Helvetica", "", 9)
    for line in doc.lines:
        discount = f"{line.DiscountRate:.2f}%" if line.DiscountRate else ""
        values = (line.Description or line.ItemCode or "", _quantity(line.Quantity), _money(line.UnitAmount),
                  discount, line.TaxType or "", _money(line.TaxAmount), _money(line.LineAmount))
        y = pdf.get_y()
        pdf.multi_cell(_COLUMNS[0][1], 5, _latin1(values[0]), new_x="RIGHT", new_y="TOP")
        height = max(pdf.get_y() - y, 5)
        x = pdf.l_margin + _COLUMNS[0][1]
        pdf.set_xy(x, y)
        for (_, width, align), value in zip(_COLUMNS[1:], values[1:], strict=True):
            pdf.cell(width, 5, _latin1(value), align=align)
        pdf.set_y(y + height)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())

    pdf.ln(3)
    amounts = "" if doc.line_amount_types.upper() in ("", "EXCLUSIVE") else f" ({doc.line_amount_types})"
    totals = [(f"Subtotal{amounts}", doc.sub_total), ("Total Tax", doc.total_tax),
              (f"TOTAL {doc.currency}".strip(), doc.total), *doc.extra_totals]
    for index, (label, value) in enumerate(totals):
        bold = index == 2
        pdf.set_x(120)
        pdf.set_font("Helvetica", "B" if bold else "", 10 if bold else 9)
        pdf.cell(50, 6, _latin1(label), border="T" if bold else 0)
        pdf.cell(0, 6, _money(value), align="R", border="T" if bold else 0, new_x="LMARGIN", new_y="NEXT")

    for label, value in doc.notes:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(0, 5, _latin1(label), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(0, 4.5, _latin1(value), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
