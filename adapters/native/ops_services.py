"""Native-ledger operations: organisation services and settings — invoice reminder settings, a contact's CIS
settings, payment services (and those of branding themes), online invoices, the 1099 report and the setup of a new
organisation (``POST /Setup``, :mod:`adapters.native.resources.conversion`).

Mixed into :class:`adapters.native.adapter.NativeLedgerAdapter` (:mod:`adapters.native.ops_base`); the payment
service rules are in :mod:`adapters.native.resources.payment_services`.
"""

from __future__ import annotations

from typing import Any

from gateway.xero.errors import NotFound, OperationNotSupported
from gateway.xero.guids import normalise_guid
from gateway.xero.models.services import CISSetting, InvoiceReminder, OnlineInvoice, PaymentService
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import batch
from .books import Books
from .ops_base import OperationsBase, all_or_nothing, single_element
from .resources import branding_themes, conversion, online_invoices, payment_services
from .tables.core import Contact, Invoice
from .tables.services import InvoiceReminderSetting


class ServiceOperations(OperationsBase):
    """InvoiceReminders, CISSettings of contacts, PaymentServices and the TenNinetyNine report."""

    async def get_invoice_reminders(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /InvoiceReminders/Settings``: one ``InvoiceReminder`` with ``Enabled``, the organisation's
        setting (off until turned on: a new Xero organisation sends no reminders,
        https://central.xero.com/s/article/Set-up-invoice-reminders)."""
        async def work(books: Books) -> Result:
            setting = await books.session.get(InvoiceReminderSetting, books.company.id)
            return Result(items=[InvoiceReminder(Enabled=bool(setting.enabled) if setting else False)])
        return await self._read(ctx, work)

    async def get_contact_cis_settings(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts/{ContactID}/CISSettings``: ``CISEnabled`` false — the native ledger keeps no
        Construction Industry Scheme subcontractors, and the spec returns no ``Rate`` for a contact that is not
        CIS enabled (spec ``CISSetting.Rate``). Raises ``NotFound`` (no such contact)."""
        contact_id = req.path_params.get("ContactID", "")

        async def work(books: Books) -> Result:
            if await books.get(Contact, contact_id) is None:
                raise NotFound()
            return Result(items=[CISSetting(CISEnabled=False)])
        return await self._read(ctx, work)

    # Payment services -------------------------------------------------------------------------------------------------

    async def get_payment_services(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PaymentServices``: the organisation's custom payment services, oldest first."""
        async def work(books: Books) -> Result:
            return Result(items=[payment_services.to_model(r) for r in await payment_services.all_rows(books)])
        return await self._read(ctx, work)

    async def create_payment_service(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /PaymentServices``: create each element (``PaymentServiceName``, ``PaymentServiceUrl``,
        ``PayNowText``). Raises ``ValidationException`` (``summarizeErrors``)."""
        async def apply(books: Books, el: Any) -> PaymentService:
            return payment_services.to_model(await payment_services.create(books, el))
        return await self._write_batch(ctx, req, apply, model=PaymentService)

    def _theme_id(self, books: Books, req: XeroRequest) -> str:
        theme_id = normalise_guid(req.path_params.get("BrandingThemeID", "")) or ""
        if branding_themes.find(books.company, theme_id) is None:
            raise NotFound()
        return theme_id

    async def get_branding_theme_payment_services(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BrandingThemes/{BrandingThemeID}/PaymentServices``: the services attached to the theme (spec
        ``PaymentServices``). Raises ``NotFound``."""
        async def work(books: Books) -> Result:
            theme_id = self._theme_id(books, req)
            return Result(items=[payment_services.to_model(r)
                                 for r in await payment_services.for_theme(books, theme_id)])
        return await self._read(ctx, work)

    async def create_branding_theme_payment_services(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BrandingThemes/{BrandingThemeID}/PaymentServices``: attach existing services (by
        ``PaymentServiceID``) to the theme; answers them. Raises ``NotFound`` (theme), ``ValidationException``."""
        async def work(books: Books) -> Result:
            theme_id = self._theme_id(books, req)

            async def apply(el: Any) -> PaymentService:
                return payment_services.to_model(await payment_services.attach(books, theme_id, el))
            return Result(items=await all_or_nothing(req.elements, apply))
        return await self._write(ctx, req, work)

    # Online invoices --------------------------------------------------------------------------------------------------

    async def get_online_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices/{InvoiceID}/OnlineInvoice``: the invoice's ``OnlineInvoiceUrl``, a page the gateway serves
        (:meth:`online_invoice`). Raises ``NotFound``, ``ValidationException`` (not an approved sales invoice)."""
        invoice_id = req.path_params.get("InvoiceID", "")

        async def work(books: Books) -> Result:
            invoice = await books.get(Invoice, invoice_id)
            if invoice is None:
                raise NotFound()

            async def apply(_el: Any) -> OnlineInvoice:
                token = await online_invoices.token_for(books, invoice)
                path = online_invoices.PATH.format(token=token)
                return OnlineInvoice(OnlineInvoiceUrl=f"{self.settings.public_url}/{self.code}{path}")
            return Result(items=[await batch.run_single({"InvoiceID": invoice.id}, apply)])
        return await self._write(ctx, req, work)

    async def online_invoice(self, token: str) -> Result | None:
        """The online page of the invoice behind ``token`` (its PDF), or ``None`` for an unknown token or an invoice
        no longer approved (:class:`adapters.base.SourceAdapter.online_invoice`)."""
        async with self._session() as session:
            link = await online_invoices.find(session, token)
            if link is None:
                return None
            invoice = await session.get(Invoice, link.invoice_id)
            if invoice is None or invoice.status not in online_invoices.ONLINE_STATUSES:
                return None
            company_id, invoice_id = link.company_id, link.invoice_id
        ctx = RequestContext(source_code=self.code, tenant_id=company_id, client_id="online-invoice",
                             app_name="Online invoice", user_id=None, scopes=frozenset())
        return await self.get_invoice_as_pdf(ctx, XeroRequest(  # type: ignore[attr-defined]
            operation_id="getInvoiceAsPdf", path_params={"InvoiceID": invoice_id}, accept="application/pdf"))

    # Setup ------------------------------------------------------------------------------------------------------------

    async def post_setup(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Setup``: chart of accounts, conversion date and balances of an organisation without transactions
        (:mod:`adapters.native.resources.conversion`); answers the spec's ``ImportSummaryObject``. Raises
        ``ValidationException`` naming why (the organisation has transactions, an invalid account or balance);
        nothing is written then."""
        element = single_element(req)

        async def work(books: Books) -> Result:
            return Result(items=[await batch.run_single(element, lambda el: conversion.setup(books, el))])
        return await self._write(ctx, req, work)

    # The 1099 report --------------------------------------------------------------------------------------------------

    async def get_report_ten_ninety_nine(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/TenNinetyNine``: the 1099 forms are a US tax return ("1099 reports are only available
        for US organisations", https://developer.xero.com/documentation/api/accounting/reports#1099-report): an
        organisation outside the US has none, answered as an empty ``Reports`` list (spec ``Reports``, 200).

        Raises:
            OperationNotSupported: a US organisation (the native ledger keeps no 1099 box per contact, so it
                cannot fill the forms honestly).
        """
        async def work(books: Books) -> Result:
            if (books.company.country_code or "").upper() == "US":
                raise OperationNotSupported(req.operation_id, self.code,
                                            "the native ledger keeps no 1099 boxes for contacts")
            return Result(items=[])
        return await self._read(ctx, work)

