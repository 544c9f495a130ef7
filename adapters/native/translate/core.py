"""Native rows → Xero canonical models (pure functions).

Shapes follow the spec's ``components.schemas`` (Organisation, Account, TaxRate, Currency, Contact, Invoice,
LineItem, Payment). Money is ``Decimal`` rounded to 2 dp (``UnitAmount`` to ``unitdp``: 2, or 4 when the client
asked ``unitdp=4``), in the document's currency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gateway.xero import models as xm
from gateway.xero.models import documents
from gateway.xero.models.catalogue import ContactGroup, GroupedContact

from .. import codes
from ..ledger import invoice_credits
from ..ledger.taxmath import round2, round_dp
from ..tables.core import Account, Company, Contact, Currency, Invoice, LineItem, Payment, TaxRate

if TYPE_CHECKING:  # translation stays pure: the list's rows are read in resources.invoice_page
    from ..resources.invoice_page import InvoiceChildren

#: Xero's ``DefaultSalesTax`` / ``DefaultPurchasesTax`` wording (spec example "Tax Exclusive").
DEFAULT_LINE_AMOUNT_TAX = "Tax Exclusive"


def organisation(company: Company) -> xm.Organisation:
    """``GET /Organisation`` element (spec ``components.schemas.Organisation``)."""
    return xm.Organisation(
        OrganisationID=company.id, Name=company.name, LegalName=company.legal_name,
        PaysTax=True, Version=company.version, OrganisationType=company.organisation_type,
        BaseCurrency=company.base_currency, CountryCode=company.country_code, IsDemoCompany=company.is_demo,
        OrganisationStatus="ACTIVE", RegistrationNumber=company.registration_number, TaxNumber=company.tax_number,
        FinancialYearEndDay=company.financial_year_end_day,
        FinancialYearEndMonth=company.financial_year_end_month, SalesTaxBasis=company.sales_tax_basis,
        SalesTaxPeriod=company.sales_tax_period, DefaultSalesTax=DEFAULT_LINE_AMOUNT_TAX,
        DefaultPurchasesTax=DEFAULT_LINE_AMOUNT_TAX, CreatedDateUTC=company.created_utc,
        Timezone=company.timezone, OrganisationEntityType=company.organisation_type,
        ShortCode=company.short_code, Class=company.org_class, Edition=company.edition,
        LineOfBusiness=company.line_of_business, PeriodLockDate=company.period_lock_date,
        EndOfYearLockDate=company.end_of_year_lock_date,
        Addresses=[xm.Address(**a) for a in company.addresses or []],
        Phones=[xm.Phone(**p) for p in company.phones or []])


def account(row: Account) -> xm.Account:
    """``GET /Accounts`` element; ``Class`` derived from ``Type``."""
    is_bank = row.type == "BANK"
    return xm.Account(
        AccountID=row.id, Code=row.code, Name=row.name, Type=row.type, Status=row.status,
        Description=row.description, TaxType=row.tax_type, Class=codes.class_by_type()[row.type],
        EnablePaymentsToAccount=row.enable_payments, ShowInExpenseClaims=row.show_in_expense_claims,
        SystemAccount=row.system_account or None, ReportingCode=row.reporting_code,
        BankAccountNumber=row.bank_account_number if is_bank else None,
        BankAccountType=(row.bank_account_type or "BANK") if is_bank else "",
        CurrencyCode=row.currency_code if is_bank else None, HasAttachments=False,
        AddToWatchlist=row.add_to_watchlist, UpdatedDateUTC=row.updated_utc)


def tax_rate(row: TaxRate) -> xm.TaxRate:
    """``GET /TaxRates`` element with one component; rates in percent to 4 dp."""
    rate = round_dp(row.rate, 4)
    applies = set(row.applies_to or [])
    return xm.TaxRate(
        Name=row.name, TaxType=row.tax_type, Status=row.status, ReportTaxType=row.report_tax_type,
        TaxComponents=[xm.TaxComponent(Name=row.component_name, Rate=rate, IsCompound=False,
                                       IsNonRecoverable=False)],
        CanApplyToAssets="ASSET" in applies, CanApplyToEquity="EQUITY" in applies,
        CanApplyToExpenses="EXPENSE" in applies, CanApplyToLiabilities="LIABILITY" in applies,
        CanApplyToRevenue="REVENUE" in applies, DisplayTaxRate=rate, EffectiveRate=rate)


def currency(row: Currency) -> xm.Currency:
    """``GET /Currencies`` element."""
    return xm.Currency(Code=row.code, Description=row.description)


def contact(row: Contact, *, is_customer: bool, is_supplier: bool, balances: xm.Balances | None = None,
            summary: bool = False) -> xm.Contact:
    """``GET /Contacts`` element.

    Args:
        is_customer, is_supplier: whether the contact has ACCREC / ACCPAY documents (spec Contact.IsCustomer:
            "automatically set when an invoice is created").
        balances: ``Balances`` (AR/AP outstanding and overdue), when computed.
        summary: ``summaryOnly``: omit the heavy fields (addresses, phones, persons, balances).

    With ``balances`` (a single contact, or a paged list) the contact also carries the spec's ``ContactGroups``
    (``ContactGroupID``, ``Name``, ``Status``) when the row's groups were loaded with it
    (``Contact.contact_groups``, :mod:`adapters.native.tables.catalogue`).
    """
    groups = row.__dict__.get("contact_groups") if balances is not None and not summary else None
    model = (xm.Contact if groups is None else GroupedContact)(
        ContactID=row.id, ContactNumber=row.contact_number, AccountNumber=row.account_number,
        ContactStatus=row.status, Name=row.name, FirstName=row.first_name, LastName=row.last_name,
        CompanyNumber=row.company_number, EmailAddress=row.email, BankAccountDetails=row.bank_account_details,
        TaxNumber=row.tax_number, AccountsReceivableTaxType=row.ar_tax_type,
        AccountsPayableTaxType=row.ap_tax_type, IsSupplier=is_supplier, IsCustomer=is_customer,
        DefaultCurrency=row.default_currency, SalesDefaultAccountCode=row.sales_account_code,
        PurchasesDefaultAccountCode=row.purchases_account_code, UpdatedDateUTC=row.updated_utc,
        HasAttachments=False, HasValidationErrors=False)
    if not summary:
        model.Addresses = [xm.Address(**a) for a in row.addresses or []]
        model.Phones = [xm.Phone(**p) for p in row.phones or []]
        model.ContactPersons = [xm.ContactPerson(**p) for p in row.contact_persons or []]
        model.Balances = balances
    if groups is not None:
        model.ContactGroups = [ContactGroup(ContactGroupID=g.id, Name=g.name, Status=g.status)  # type: ignore[attr-defined]
                               for g in groups]
    return model


def contact_ref(row: Contact) -> xm.Contact:
    """The contact as embedded in an invoice (``ContactID``, ``ContactNumber``, ``Name``, status)."""
    return xm.Contact(ContactID=row.id, ContactNumber=row.contact_number, Name=row.name,
                      ContactStatus=row.status, HasValidationErrors=False)


def line_item(row: LineItem, *, unitdp: int = 2) -> xm.LineItem:
    """An invoice line; ``UnitAmount`` to ``unitdp`` decimal places (2 or 4)."""
    return xm.LineItem(
        LineItemID=row.id, Description=row.description, Quantity=round_dp(row.quantity, 4),
        UnitAmount=round_dp(row.unit_amount, 4 if unitdp == 4 else 2), ItemCode=row.item_code,
        AccountCode=row.account_code, AccountID=row.account_id, TaxType=row.tax_type,
        TaxAmount=round2(row.tax_amount), LineAmount=round2(row.line_amount),
        DiscountRate=round2(row.discount_rate) if row.discount_rate is not None else None,
        DiscountAmount=round2(row.discount_amount) if row.discount_amount is not None else None,
        Tracking=[xm.LineItemTracking(**t) for t in row.tracking or []])


def payment_ref(row: Payment) -> xm.Payment:
    """A payment as listed in ``Invoice.Payments``."""
    return xm.Payment(PaymentID=row.id, Date=row.date, Amount=round2(row.amount), Reference=row.reference,
                      CurrencyRate=row.currency_rate, HasAccount=False, HasValidationErrors=False)


def invoice(row: Invoice, *, with_lines: bool = True, unitdp: int = 2, summary: bool = False,
            children: InvoiceChildren | None = None) -> xm.Invoice:
    """``GET /Invoices`` element.

    Args:
        with_lines: include ``LineItems`` (Xero returns them for a single invoice and for paged lists only).
        unitdp: decimal places of ``UnitAmount``.
        summary: ``summaryOnly``: omit line items and payments.
        children: a list's contact, line and payment rows (:mod:`adapters.native.resources.invoice_page`), read
            instead of the row's relationships.
    """
    if children is None:
        contact, lines, payments = row.contact, row.lines, row.payments
    else:
        contact = children.contacts[row.contact_id]
        lines, payments = children.lines.get(row.id, ()), children.payments.get(row.id, ())
    live_payments = [p for p in payments if p.status == "AUTHORISED"]
    credited = invoice_credits.of(row)  # allocated credit notes, prepayments, overpayments (AmountCredited)
    model = documents.Invoice(
        InvoiceID=row.id, Type=row.type, Contact=contact_ref(contact), Date=row.date, DueDate=row.due_date,
        LineAmountTypes=row.line_amount_types, InvoiceNumber=row.number or "", Reference=row.reference or "",
        BrandingThemeID=row.branding_theme_id, Url=row.url, CurrencyCode=row.currency_code,
        CurrencyRate=row.currency_rate, Status=row.status, SentToContact=row.sent_to_contact,
        ExpectedPaymentDate=row.expected_payment_date, PlannedPaymentDate=row.planned_payment_date,
        SubTotal=round2(row.sub_total), TotalTax=round2(row.total_tax), Total=round2(row.total),
        TotalDiscount=round2(row.total_discount) if row.total_discount else None,
        IsDiscounted=bool(row.total_discount), HasAttachments=False, AmountDue=round2(row.amount_due),
        AmountPaid=round2(row.amount_paid - credited.amount), AmountCredited=credited.amount,
        FullyPaidOnDate=row.fully_paid_on,
        UpdatedDateUTC=row.updated_utc, HasErrors=False)
    if not summary:
        model.Payments = [payment_ref(p) for p in live_payments]
        model.CreditNotes, model.Prepayments = credited.credit_notes, credited.prepayments
        model.Overpayments = credited.overpayments
        if with_lines:
            model.LineItems = [line_item(line, unitdp=unitdp) for line in lines]
    return model


def payment(row: Payment) -> xm.Payment:
    """``GET /Payments`` element (spec ``components.schemas.Payment``); the invoice and account embedded."""
    inv = row.invoice
    return xm.Payment(
        PaymentID=row.id, Date=row.date, Amount=round2(row.amount), BankAmount=round2(row.amount),
        CurrencyRate=row.currency_rate, Reference=row.reference, IsReconciled=row.is_reconciled,
        Status=row.status, PaymentType=row.payment_type, UpdatedDateUTC=row.updated_utc, HasAccount=False,
        HasValidationErrors=False,
        Invoice=xm.InvoiceRef(InvoiceID=inv.id, InvoiceNumber=inv.number or "", Type=inv.type,
                              Contact=xm.Contact(ContactID=inv.contact.id, Name=inv.contact.name),
                              CurrencyCode=inv.currency_code),
        Account=xm.AccountRef(AccountID=row.account.id, Code=row.account.code, Name=row.account.name))
