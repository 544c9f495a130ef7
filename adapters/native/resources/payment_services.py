"""Custom payment services and their branding themes.

Rules (spec ``PaymentService``; https://developer.xero.com/documentation/api/accounting/paymentservices):

- ``PaymentServiceName`` and ``PaymentServiceUrl`` are required; ``PayNowText`` is optional (Xero then shows its
  own "Pay Now"); ``PaymentServiceType`` is always ``CUSTOM`` for a service created through the API.
- ``POST /BrandingThemes/{BrandingThemeID}/PaymentServices`` attaches existing services (by ``PaymentServiceID``)
  to a theme; attaching one twice keeps one link.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gateway.xero.guids import normalise_guid
from gateway.xero.models.services import PaymentService

from ..books import Books
from ..tables.services import BrandingThemePaymentService, PaymentServiceRow
from ..validation import ElementInvalid, parse_element, text

NAME_REQUIRED = "PaymentServiceName is required."
URL_REQUIRED = "PaymentServiceUrl is required."
ID_REQUIRED = "A PaymentServiceID must be specified."
NOT_FOUND = "Payment service could not be found"
#: Longest ``PaymentServiceName``/``PayNowText`` kept (the columns' size; Xero documents no limit).
MAX_TEXT = 255


def to_model(row: PaymentServiceRow) -> PaymentService:
    """The stored service as Xero shows it."""
    return PaymentService(PaymentServiceID=row.id, PaymentServiceName=row.name, PaymentServiceUrl=row.url,
                          PayNowText=row.pay_now_text, PaymentServiceType=row.service_type)


async def all_rows(books: Books) -> list[PaymentServiceRow]:
    """The organisation's services, oldest first."""
    return list(await books.session.scalars(select(PaymentServiceRow).where(
        PaymentServiceRow.company_id == books.company.id).order_by(PaymentServiceRow.created_utc,
                                                                   PaymentServiceRow.id)))


async def create(books: Books, element: dict[str, Any]) -> PaymentServiceRow:
    """Store one new service.

    Raises:
        ElementInvalid: no name or no URL, or a name or button text longer than 255 characters.
    """
    model = parse_element(PaymentService, element)
    errors: list[str] = []
    name, url, pay_now = text(model.PaymentServiceName), text(model.PaymentServiceUrl), text(model.PayNowText)
    if not name:
        errors.append(NAME_REQUIRED)
    if not url:
        errors.append(URL_REQUIRED)
    for field, value in (("PaymentServiceName", name), ("PayNowText", pay_now)):
        if value and len(value) > MAX_TEXT:
            errors.append(f"{field} must be {MAX_TEXT} characters or less.")
    if errors:
        raise ElementInvalid(errors)
    row = PaymentServiceRow(id=books.new_id("paymentservice"), company_id=books.company.id, name=name, url=url,
                            pay_now_text=pay_now, service_type="CUSTOM", created_utc=books.now())
    books.session.add(row)
    await books.session.flush()
    return row


async def for_theme(books: Books, theme_id: str) -> list[PaymentServiceRow]:
    """The services attached to a branding theme, oldest first."""
    return list(await books.session.scalars(
        select(PaymentServiceRow).join(BrandingThemePaymentService,
                                       BrandingThemePaymentService.payment_service_id == PaymentServiceRow.id)
        .where(BrandingThemePaymentService.company_id == books.company.id,
               BrandingThemePaymentService.branding_theme_id == theme_id)
        .order_by(PaymentServiceRow.created_utc, PaymentServiceRow.id)))


async def attach(books: Books, theme_id: str, element: dict[str, Any]) -> PaymentServiceRow:
    """Attach the element's ``PaymentServiceID`` to the theme.

    Raises:
        ElementInvalid: no id, or no such service of the organisation.
    """
    model = parse_element(PaymentService, element)
    service_id = normalise_guid(model.PaymentServiceID or "")
    if not service_id:
        raise ElementInvalid([ID_REQUIRED])
    row = await books.get(PaymentServiceRow, service_id)
    if row is None:
        raise ElementInvalid([NOT_FOUND])
    linked = await books.session.scalar(select(BrandingThemePaymentService).where(
        BrandingThemePaymentService.company_id == books.company.id,
        BrandingThemePaymentService.branding_theme_id == theme_id,
        BrandingThemePaymentService.payment_service_id == service_id))
    if linked is None:
        books.session.add(BrandingThemePaymentService(id=books.new_id("themeservice"), company_id=books.company.id,
                                                      branding_theme_id=theme_id, payment_service_id=service_id))
        await books.session.flush()
    return row
