"""The lines of invoices, quotes and purchase orders (spec ``LineItem`` with discounts): validation, amounts and
writing (https://developer.xero.com/documentation/api/accounting/invoices#line-items).

Rules: ``Quantity`` defaults to 1; ``UnitAmount`` keeps 2 dp unless ``unitdp=4``; ``LineAmount`` alone derives
``UnitAmount`` (:func:`adapters.native.resources.doclines.amounts`); ``AccountCode`` must be an active account that is
neither a bank nor a system account (:func:`adapters.native.resources.doclines.line_account`); ``TaxType`` defaults
to the account's and must be a rate that can apply to the account's class and suit the document's side
(:mod:`adapters.native.ledger.taxrules`); bills take no discounts; a ``LineAmount`` sent with ``Quantity`` and
``UnitAmount`` must agree with them within 0.01. Credit notes and bank transactions, which have no discounts, use
:mod:`adapters.native.resources.doclines`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gateway.xero import models as xm
from gateway.xero.guids import normalise_guid

from .. import messages
from ..books import Books
from ..ledger import taxrules
from ..ledger.taxmath import compute_line, round2
from ..tables.core import Invoice, LineItem
from ..tables.workflow import WorkflowDocument, WorkflowLine
from ..validation import provided, text
from . import doclines

ZERO = Decimal("0.00")


@dataclass
class LineDraft(doclines.LineDraft):
    """A line of an invoice, quote or purchase order after validation, before writing: a document line
    (:class:`adapters.native.resources.doclines.LineDraft`) with its discount and the client's ``TaxAmount``."""

    discount_rate: Decimal | None = None
    discount_amount: Decimal | None = None
    tax_override: Decimal | None = None


def line_draft(books: Books, item: xm.LineItem, *, inv_type: str, line_amount_types: str, unitdp: int,
               errors: list[str]) -> LineDraft:
    """Validate one line (the rules of the module docstring) and compute its amounts.

    Args:
        inv_type: the document's type (``ACCREC``, ``ACCPAY``; ``""`` for quotes and purchase orders, whose side
            their caller checks).
        line_amount_types: ``Exclusive``, ``Inclusive`` or ``NoTax``.
        unitdp: decimal places kept on ``UnitAmount`` (2 or 4).
        errors: what is wrong is appended here.

    Returns:
        The draft, with :attr:`LineDraft.result` computed (with a zero rate when the tax type is unknown).
    """
    account = doclines.line_account(books, item, errors)
    tax_type = text(item.TaxType)
    if tax_type is None:
        tax_type = (account.tax_type if account is not None and account.tax_type else None) or "NONE"
    rate = books.tax_rates.get(tax_type)
    if rate is None or rate.status != "ACTIVE":
        errors.append(messages.TAX_TYPE_INVALID.format(tax_type=tax_type))
    elif account is not None and books.account_class(account) not in (rate.applies_to or []):
        errors.append(messages.TAX_TYPE_ACCOUNT.format(tax_type=tax_type, code=account.code))
    elif not taxrules.usable_on(rate, taxrules.document_side(inv_type)):  # output VAT on sales, input on bills
        errors.append(messages.TAX_TYPE_INVALID.format(tax_type=tax_type))
    if inv_type == "ACCPAY" and (item.DiscountRate or item.DiscountAmount):
        errors.append(messages.DISCOUNT_ACCPAY)
    quantity, unit = doclines.amounts(item, unitdp)
    tax_override = item.TaxAmount if provided(item, "TaxAmount") else None
    draft = LineDraft(
        line_item_id=normalise_guid(item.LineItemID) if item.LineItemID else None,
        description=item.Description, quantity=quantity, unit_amount=unit, item_code=text(item.ItemCode),
        account=account, tax_type=tax_type, discount_rate=item.DiscountRate, discount_amount=item.DiscountAmount,
        tax_override=tax_override,
        tracking=[t.model_dump(mode="json", exclude_none=True) for t in item.Tracking or []],
        account_given=bool(text(item.AccountCode) or text(item.AccountID)),
        result=compute_line(quantity=quantity, unit_amount=unit, rate=rate.rate if rate is not None else ZERO,
                            line_amount_types=line_amount_types, discount_rate=item.DiscountRate,
                            discount_amount=item.DiscountAmount, tax_override=tax_override))
    if (item.LineAmount is not None and item.Quantity is not None and item.UnitAmount is not None
            and abs(round2(item.LineAmount) - draft.result.line_amount) > Decimal("0.01")):
        errors.append(messages.LINE_AMOUNT_MISMATCH)
    return draft


def existing_line_items(row: Invoice | WorkflowDocument) -> list[xm.LineItem]:
    """The stored lines as request line items (to re-validate them when other fields change)."""
    return [xm.LineItem(LineItemID=ln.id, Description=ln.description, Quantity=ln.quantity,
                        UnitAmount=ln.unit_amount, ItemCode=ln.item_code, AccountCode=ln.account_code,
                        AccountID=ln.account_id, TaxType=ln.tax_type, DiscountRate=ln.discount_rate,
                        DiscountAmount=ln.discount_amount, Tracking=[xm.LineItemTracking(**t) for t in ln.tracking])
            for ln in row.lines]


def write_lines(books: Books, current: Sequence[LineItem | WorkflowLine], drafts: Sequence[LineDraft],
                make: Callable[[str], LineItem | WorkflowLine]) -> list[Any]:
    """The stored lines after a write (:func:`adapters.native.resources.doclines.write_lines`), with their
    discounts."""
    kept = doclines.write_lines(books, current, drafts, make)
    for line, ld in zip(kept, drafts, strict=True):
        line.discount_rate = ld.discount_rate
        line.discount_amount = ld.discount_amount
    return kept
