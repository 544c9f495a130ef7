"""Online invoices: the ``OnlineInvoiceUrl`` of a sales invoice, a page the gateway serves without sign-in.

Rules (spec ``OnlineInvoice``; https://developer.xero.com/documentation/api/accounting/invoices, "Retrieving the
online invoice URL": only for sales invoices, ``ACCREC``, that are approved — ``AUTHORISED`` or ``PAID`` — Xero
answering a ``ValidationException`` otherwise): the URL holds a random token (256 bits, :func:`secrets.token_urlsafe`)
kept per invoice, so the same invoice always has the same URL and nobody can guess another's. The page is the
invoice's PDF (:mod:`adapters.native.ops_pdf`), served at ``{public_url}/{code}/online/invoice/{token}``
(:mod:`gateway.api.online`).
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..books import Books
from ..tables.core import Invoice
from ..tables.services import OnlineInvoiceLink
from ..validation import ElementInvalid

ONLINE_STATUSES = ("AUTHORISED", "PAID")
NOT_AVAILABLE = "An online invoice is only available for approved (AUTHORISED or PAID) sales invoices (ACCREC)."
#: The path of the online page below ``/{code}`` (the gateway's route, :mod:`gateway.api.online`).
PATH = "/online/invoice/{token}"


async def token_for(books: Books, invoice: Invoice) -> str:
    """The invoice's online token, made on first use.

    Raises:
        ElementInvalid: not an approved sales invoice.
    """
    if invoice.type != "ACCREC" or invoice.status not in ONLINE_STATUSES:
        raise ElementInvalid([NOT_AVAILABLE])
    link = await books.session.scalar(select(OnlineInvoiceLink).where(OnlineInvoiceLink.invoice_id == invoice.id))
    if link is None:
        link = OnlineInvoiceLink(token=secrets.token_urlsafe(32), company_id=books.company.id, invoice_id=invoice.id,
                                 created_utc=books.now())
        books.session.add(link)
        await books.session.flush()
    return link.token


async def find(session: AsyncSession, token: str) -> OnlineInvoiceLink | None:
    """The link of ``token``, or ``None`` (unknown or malformed)."""
    if not token or len(token) > 64:
        return None
    return await session.get(OnlineInvoiceLink, token)
