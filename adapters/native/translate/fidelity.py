"""The field maps of source 1000, the native ledger (:mod:`adapters.common.fields`).

The ledger is its own source, so nearly every Xero field is populated from a column of its tables. Those columns
are read off the SQL field maps (:mod:`.fieldmaps`, the ``where``/``order`` push-down, which
``tests/adapters/native/query/test_field_maps.py`` checks against :mod:`.core` row by row): a path whose SQL
expression is a plain column is declared populated from ``table.column``. The fields those maps leave out (nested
lists, computed amounts) are declared here by hand, beside the same translators.

Read by ``adapters.registry.field_maps`` (``GET /1000/gateway/capabilities``, ``tools/gen_fields.py``).
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import Column

from adapters.common import fields
from gateway.xero import models as xm
from gateway.xero.models import (
    batch_payments,
    budgets,
    catalogue,
    documents,
    employees,
    expenses,
    repeating,
    services,
    workflow,
)

from .. import sqlquery
from . import fieldmaps

_ATTACHMENTS = "attachments table: true when the record has a file (adapters.native.ops_attachment_flags)"
_ATTACHMENT_LIST = "attachments table: the record's files (adapters.native.ops_attachment_flags)"


def _columns(sql: sqlquery.FieldMap) -> dict[str, fields.Field]:
    """Top-level paths of ``sql`` whose expression is a plain column, as populated fields (``table.column``)."""
    out = {}
    for path, field in sql.fields.items():
        expression = getattr(field.column, "expression", field.column)
        if "." not in path and isinstance(expression, Column) and expression.table is not None:
            out[path] = fields.populated(path, f"{expression.table.name}.{expression.name}")
    return out


def _declare(resource: str, model: type[BaseModel], sql: sqlquery.FieldMap | None,
             *explicit: fields.Field | list[fields.Field]) -> fields.FieldMap:
    """``resource``'s map: the SQL map's columns, with ``explicit`` declarations winning over them."""
    by_path = _columns(sql) if sql is not None else {}
    for item in explicit:
        for field in [item] if isinstance(item, fields.Field) else item:
            by_path[field.xero_path] = field
    return fields.FieldMap(resource, model, list(by_path.values()))


CONTACT_FIELDS = _declare(
    "Contacts", xm.Contact, fieldmaps.CONTACTS,
    fields.computed("IsSupplier", "the contact has ACCPAY documents"),
    fields.computed("IsCustomer", "the contact has ACCREC documents"),
    fields.populated("Addresses", "contacts.addresses", condition="not with summaryOnly"),
    fields.populated("Phones", "contacts.phones", condition="not with summaryOnly"),
    fields.populated("ContactPersons", "contacts.contact_persons", condition="not with summaryOnly"),
    fields.computed("Balances", "outstanding and overdue ACCREC/ACCPAY amount_due",
                    condition="single reads and paged lists"),
    fields.computed("HasAttachments", _ATTACHMENTS),
    fields.computed("Attachments", _ATTACHMENT_LIST, condition="single GETs"),
    fields.populated("FirstName", "contacts.first_name", condition="when set"),
    fields.populated("LastName", "contacts.last_name", condition="when set"),
    fields.populated("EmailAddress", "contacts.email", condition="when set"),
    fields.populated("AccountNumber", "contacts.account_number", condition="when set"),
    fields.populated("CompanyNumber", "contacts.company_number", condition="when set"),
    fields.populated("BankAccountDetails", "contacts.bank_account_details", condition="when set"),
    fields.populated("TaxNumber", "contacts.tax_number", condition="when set"),
    fields.populated("AccountsReceivableTaxType", "contacts.ar_tax_type", condition="when set"),
    fields.populated("AccountsPayableTaxType", "contacts.ap_tax_type", condition="when set"),
    fields.populated("DefaultCurrency", "contacts.default_currency", condition="when set"),
    fields.populated("SalesDefaultAccountCode", "contacts.sales_account_code", condition="when set"),
    fields.populated("PurchasesDefaultAccountCode", "contacts.purchases_account_code", condition="when set"),
    fields.write_outcome(xm.Contact),
)

INVOICE_FIELDS = _declare(
    "Invoices", documents.Invoice, fieldmaps.INVOICES,
    fields.populated("Contact", "invoices.contact_id (its contacts row)"),
    fields.populated("LineItems", "line_items rows", condition="single reads and paged lists"),
    fields.populated("InvoiceNumber", "invoices.number (\"\" when none)"),
    fields.populated("Reference", "invoices.reference (\"\" when none)"),
    fields.populated("DueDate", "invoices.due_date", condition="when set"),
    fields.populated("BrandingThemeID", "invoices.branding_theme_id", condition="when set"),
    fields.populated("Url", "invoices.url", condition="when set"),
    fields.populated("ExpectedPaymentDate", "invoices.expected_payment_date", condition="when set"),
    fields.populated("PlannedPaymentDate", "invoices.planned_payment_date", condition="when set"),
    fields.populated("TotalDiscount", "invoices.total_discount", condition="when not zero"),
    fields.computed("IsDiscounted", "invoices.total_discount is not zero"),
    fields.populated("FullyPaidOnDate", "invoices.fully_paid_on", condition="once PAID"),
    fields.populated("Payments", "payments rows (AUTHORISED)", condition="not with summaryOnly"),
    fields.computed("AmountPaid", "invoices.amount_paid less allocated credits"),
    fields.computed("AmountCredited", "allocations of credit notes, prepayments and overpayments"),
    fields.computed("CreditNotes", "allocated credit notes", condition="not with summaryOnly"),
    fields.computed("Prepayments", "allocated prepayments", condition="not with summaryOnly"),
    fields.computed("Overpayments", "allocated overpayments", condition="not with summaryOnly"),
    fields.computed("HasAttachments", _ATTACHMENTS),
    fields.computed("Attachments", _ATTACHMENT_LIST, condition="single GETs"),
    fields.write_outcome(documents.Invoice),
)

ACCOUNT_FIELDS = _declare(
    "Accounts", xm.Account, fieldmaps.ACCOUNTS,
    fields.computed("Class", "from Type (mappings/native_account_types.toml)"),
    fields.populated("Code", "accounts.code", condition="when set"),
    fields.populated("Description", "accounts.description", condition="when set"),
    fields.populated("TaxType", "accounts.tax_type", condition="when set"),
    fields.populated("SystemAccount", "accounts.system_account", condition="system accounts only"),
    fields.populated("ReportingCode", "accounts.reporting_code", condition="when set"),
    fields.populated("BankAccountNumber", "accounts.bank_account_number", condition="bank accounts only"),
    fields.populated("BankAccountType", "accounts.bank_account_type (BANK when empty)",
                     condition="bank accounts only"),
    fields.populated("CurrencyCode", "accounts.currency_code", condition="bank accounts only"),
    fields.computed("HasAttachments", _ATTACHMENTS),
    fields.lost("ReportingCodeName", reason="the ledger keeps reporting codes, not their names"),
    fields.write_outcome(xm.Account),
)

#: :func:`.documents.credit_note` (credit notes have no SQL field map: their list filters in memory).
CREDIT_NOTE_FIELDS = _declare(
    "CreditNotes", documents.CreditNote, None,
    fields.populated("CreditNoteID", "credit_notes.id"),
    fields.populated("Type", "credit_notes.type"),
    fields.populated("Contact", "credit_notes.contact_id (its contacts row)"),
    fields.populated("Date", "credit_notes.date"),
    fields.populated("DueDate", "credit_notes.due_date", condition="when set"),
    fields.populated("Status", "credit_notes.status"),
    fields.populated("LineAmountTypes", "credit_notes.line_amount_types"),
    fields.populated("LineItems", "credit_note_lines rows (empty in unpaged lists)"),
    fields.populated("SubTotal", "credit_notes.sub_total"),
    fields.populated("TotalTax", "credit_notes.total_tax"),
    fields.populated("Total", "credit_notes.total"),
    fields.populated("UpdatedDateUTC", "credit_notes.updated_utc"),
    fields.populated("CurrencyCode", "credit_notes.currency_code"),
    fields.populated("FullyPaidOnDate", "credit_notes.fully_paid_on", condition="once fully allocated"),
    fields.populated("CreditNoteNumber", "credit_notes.number (\"\" when none)"),
    fields.populated("Reference", "credit_notes.reference (\"\" when none)"),
    fields.populated("SentToContact", "credit_notes.sent_to_contact"),
    fields.populated("CurrencyRate", "credit_notes.currency_rate"),
    fields.populated("RemainingCredit", "credit_notes.remaining_credit"),
    fields.populated("Allocations", "allocations rows not deleted"),
    fields.populated("Payments", "refund_payments rows of the credit note"),
    fields.populated("BrandingThemeID", "credit_notes.branding_theme_id", condition="when set"),
    fields.computed("HasAttachments", _ATTACHMENTS),
    fields.lost("AppliedAmount", reason="not translated: the allocations are itemised in Allocations"),
    fields.write_outcome(documents.CreditNote),
)

#: :func:`.documents.bank_transaction` (no SQL field map: the list filters in memory).
BANK_TRANSACTION_FIELDS = _declare(
    "BankTransactions", documents.BankTransaction, None,
    fields.populated("BankTransactionID", "bank_transactions.id"),
    fields.populated("Type", "bank_transactions.type"),
    fields.populated("Contact", "bank_transactions.contact_id (its contacts row)", condition="when set"),
    fields.populated("LineItems", "bank_transaction_lines rows (empty in unpaged lists)"),
    fields.populated("BankAccount", "bank_transactions.bank_account_id (its accounts row)"),
    fields.populated("IsReconciled", "bank_transactions.is_reconciled"),
    fields.populated("Date", "bank_transactions.date"),
    fields.populated("Reference", "bank_transactions.reference (\"\" when none)"),
    fields.populated("CurrencyCode", "bank_transactions.currency_code"),
    fields.populated("CurrencyRate", "bank_transactions.currency_rate"),
    fields.populated("Url", "bank_transactions.url", condition="when set"),
    fields.populated("Status", "bank_transactions.status"),
    fields.populated("LineAmountTypes", "bank_transactions.line_amount_types"),
    fields.populated("SubTotal", "bank_transactions.sub_total"),
    fields.populated("TotalTax", "bank_transactions.total_tax"),
    fields.populated("Total", "bank_transactions.total"),
    fields.populated("PrepaymentID", "bank_transactions.credit_id", condition="the PREPAYMENT types"),
    fields.populated("OverpaymentID", "bank_transactions.credit_id", condition="the OVERPAYMENT types"),
    fields.populated("UpdatedDateUTC", "bank_transactions.updated_utc"),
    fields.computed("HasAttachments", _ATTACHMENTS),
    fields.write_outcome(documents.BankTransaction),
)

#: ``adapters/native/resources/contact_groups.py`` (the ledger's own tables).
CONTACT_GROUP_FIELDS = _declare(
    "ContactGroups", catalogue.ContactGroup, None,
    fields.populated("ContactGroupID", "contact_groups.id"),
    fields.populated("Name", "contact_groups.name"),
    fields.populated("Status", "contact_groups.status"),
    fields.populated("Contacts", "contact_group_members rows (their contacts)", condition="single reads"),
)

#: :func:`.core.payment`; the SQL field map gives the columns.
PAYMENT_FIELDS = _declare(
    "Payments", documents.Payment, fieldmaps.PAYMENTS,
    fields.populated("Invoice", "payments.invoice_id (its invoices and contacts rows)"),
    fields.populated("Account", "payments.account_id (its accounts row)"),
    fields.populated("Reference", "payments.reference", condition="when set"),
    fields.computed("HasAccount", "false: core.payment embeds the account in Account"),
    fields.populated("BatchPaymentID", "the batch_payments row that made the payment (ops_banking stamps it on reads)",
                     condition="when the payment belongs to a batch"),
    fields.lost("InvoiceNumber", "CreditNoteNumber", "Code",
                reason="Xero's flat write-side fields; reads carry them in Invoice and Account"),
    fields.lost("CreditNote", "Prepayment", "Overpayment",
                reason="refunds of credits are refund_payments, read on their credit (GET /CreditNotes)"),
    fields.write_outcome(documents.Payment),
)

#: ``adapters/native/resources/items.py`` ``to_model`` (items have no SQL field map: their list is not pushed down).
ITEM_FIELDS = _declare(
    "Items", catalogue.Item, None,
    fields.populated("ItemID", "items.id"),
    fields.populated("Code", "items.code"),
    fields.populated("Name", "items.name"),
    fields.populated("Description", "items.description", condition="when set"),
    fields.populated("PurchaseDescription", "items.purchase_description", condition="when set"),
    fields.populated("IsSold", "items.is_sold"),
    fields.populated("IsPurchased", "items.is_purchased"),
    fields.computed("IsTrackedAsInventory", "false: the ledger keeps no stock"),
    fields.populated("SalesDetails", "items.sales_unit_price, sales_account_id, sales_tax_type"),
    fields.populated("PurchaseDetails", "items.purchase_unit_price, purchase_account_id, purchase_tax_type"),
    fields.populated("UpdatedDateUTC", "items.updated_utc"),
    fields.lost("InventoryAssetAccountCode", "TotalCostPool", "QuantityOnHand",
                reason="the ledger keeps no stock (tracked inventory is not offered)"),
    fields.write_outcome(catalogue.Item),
)

#: :func:`.core.tax_rate` (one component per rate).
TAX_RATE_FIELDS = _declare(
    "TaxRates", xm.TaxRate, None,
    fields.populated("Name", "tax_rates.name"),
    fields.populated("TaxType", "tax_rates.tax_type"),
    fields.populated("TaxComponents", "tax_rates.component_name and rate (one component)"),
    fields.populated("Status", "tax_rates.status"),
    fields.populated("ReportTaxType", "tax_rates.report_tax_type"),
    fields.computed("CanApplyToAssets", "ASSET in tax_rates.applies_to"),
    fields.computed("CanApplyToEquity", "EQUITY in tax_rates.applies_to"),
    fields.computed("CanApplyToExpenses", "EXPENSE in tax_rates.applies_to"),
    fields.computed("CanApplyToLiabilities", "LIABILITY in tax_rates.applies_to"),
    fields.computed("CanApplyToRevenue", "REVENUE in tax_rates.applies_to"),
    fields.populated("DisplayTaxRate", "tax_rates.rate (4 dp)"),
    fields.populated("EffectiveRate", "tax_rates.rate (4 dp)"),
)

#: :func:`.core.currency`.
CURRENCY_FIELDS = _declare(
    "Currencies", xm.Currency, None,
    fields.populated("Code", "currencies.code"),
    fields.populated("Description", "currencies.description"),
)

#: ``adapters/native/resources/org_users.py`` ``users``.
USER_FIELDS = _declare(
    "Users", catalogue.User, None,
    fields.populated("UserID", "users.id"),
    fields.populated("EmailAddress", "users.email"),
    fields.populated("FirstName", "users.given_name", condition="when set"),
    fields.populated("LastName", "users.family_name", condition="when set"),
    fields.populated("UpdatedDateUTC", "users.created_utc (users are not edited after creation)"),
    fields.computed("IsSubscriber", "the company's first user (earliest created_utc, then id)"),
    fields.computed("OrganisationRole", "FINANCIALADVISER: every ledger user may do all the API offers"),
)

#: ``adapters/native/resources/branding_themes.py``: Xero's documented default theme only.
BRANDING_THEME_FIELDS = _declare(
    "BrandingThemes", catalogue.BrandingTheme, None,
    fields.computed("BrandingThemeID", "stable id of the company's Standard theme"),
    fields.computed("Name", "Standard, Xero's documented default theme"),
    fields.computed("Type", "INVOICE"),
    fields.computed("SortOrder", "0, the default theme's"),
    fields.populated("CreatedDateUTC", "companies.created_utc"),
    fields.lost("LogoUrl", reason="the ledger keeps no logo"),
)

#: ``adapters/native/resources/tracking_categories.py`` ``category_model``.
TRACKING_CATEGORY_FIELDS = _declare(
    "TrackingCategories", catalogue.TrackingCategory, None,
    fields.populated("TrackingCategoryID", "tracking_categories.id"),
    fields.populated("Name", "tracking_categories.name"),
    fields.populated("Status", "tracking_categories.status"),
    fields.populated("Options", "tracking_options rows (id, name, status)"),
    fields.lost("TrackingOptionID", "Option",
                reason="a document line's choice of option; a category as listed carries its Options instead"),
)

#: :func:`.documents.bank_transfer`.
BANK_TRANSFER_FIELDS = _declare(
    "BankTransfers", documents.BankTransfer, None,
    fields.populated("FromBankAccount", "bank_transfers.from_account_id (its accounts row: id, code, name)"),
    fields.populated("ToBankAccount", "bank_transfers.to_account_id (its accounts row: id, code, name)"),
    fields.populated("Amount", "bank_transfers.amount"),
    fields.populated("Date", "bank_transfers.date"),
    fields.populated("BankTransferID", "bank_transfers.id"),
    fields.populated("CurrencyRate", "bank_transfers.currency_rate"),
    fields.populated("FromBankTransactionID", "bank_transfers.from_transaction_id"),
    fields.populated("ToBankTransactionID", "bank_transfers.to_transaction_id"),
    fields.populated("FromIsReconciled", "bank_transactions.is_reconciled of the spend side"),
    fields.populated("ToIsReconciled", "bank_transactions.is_reconciled of the receive side"),
    fields.populated("Reference", "bank_transfers.reference (\"\" when none)"),
    fields.computed("HasAttachments", _ATTACHMENTS),
    fields.populated("CreatedDateUTC", "bank_transfers.created_utc"),
    fields.populated("Status", "bank_transfers.status"),
    fields.populated("FromTracking", "the spend side's bank transaction line tracking"),
    fields.populated("ToTracking", "the receive side's bank transaction line tracking"),
    fields.write_outcome(documents.BankTransfer),
)

#: :func:`.documents.manual_journal`.
MANUAL_JOURNAL_FIELDS = _declare(
    "ManualJournals", documents.ManualJournal, None,
    fields.populated("Narration", "manual_journals.narration"),
    fields.populated("JournalLines", "manual_journal_lines rows", condition="not on list pages without lines"),
    fields.populated("Date", "manual_journals.date"),
    fields.populated("LineAmountTypes", "manual_journals.line_amount_types"),
    fields.populated("Status", "manual_journals.status"),
    fields.populated("Url", "manual_journals.url", condition="when set"),
    fields.populated("ShowOnCashBasisReports", "manual_journals.show_on_cash_basis"),
    fields.computed("HasAttachments", _ATTACHMENTS),
    fields.populated("UpdatedDateUTC", "manual_journals.updated_utc"),
    fields.populated("ManualJournalID", "manual_journals.id"),
    fields.computed("Attachments", _ATTACHMENT_LIST, condition="single GETs"),
    fields.write_outcome(documents.ManualJournal),
)

#: :func:`.core.organisation` (the companies row).
ORGANISATION_FIELDS = _declare(
    "Organisation", xm.Organisation, None,
    fields.populated("OrganisationID", "companies.id"),
    fields.populated("Name", "companies.name"),
    fields.populated("LegalName", "companies.legal_name"),
    fields.computed("PaysTax", "true: the ledger always accounts for tax"),
    fields.populated("Version", "companies.version"),
    fields.populated("OrganisationType", "companies.organisation_type"),
    fields.populated("BaseCurrency", "companies.base_currency"),
    fields.populated("CountryCode", "companies.country_code"),
    fields.populated("IsDemoCompany", "companies.is_demo"),
    fields.computed("OrganisationStatus", "ACTIVE: the ledger serves active companies only"),
    fields.populated("RegistrationNumber", "companies.registration_number", condition="when set"),
    fields.populated("TaxNumber", "companies.tax_number", condition="when set"),
    fields.populated("FinancialYearEndDay", "companies.financial_year_end_day"),
    fields.populated("FinancialYearEndMonth", "companies.financial_year_end_month"),
    fields.populated("SalesTaxBasis", "companies.sales_tax_basis"),
    fields.populated("SalesTaxPeriod", "companies.sales_tax_period"),
    fields.computed("DefaultSalesTax", "Tax Exclusive, the ledger's default line amount type"),
    fields.computed("DefaultPurchasesTax", "Tax Exclusive, the ledger's default line amount type"),
    fields.populated("PeriodLockDate", "companies.period_lock_date", condition="when set"),
    fields.populated("EndOfYearLockDate", "companies.end_of_year_lock_date", condition="when set"),
    fields.populated("CreatedDateUTC", "companies.created_utc"),
    fields.populated("Timezone", "companies.timezone"),
    fields.populated("OrganisationEntityType", "companies.organisation_type"),
    fields.populated("ShortCode", "companies.short_code", condition="when set"),
    fields.populated("Class", "companies.org_class", condition="when set"),
    fields.populated("Edition", "companies.edition", condition="when set"),
    fields.populated("LineOfBusiness", "companies.line_of_business", condition="when set"),
    fields.populated("Addresses", "companies.addresses"),
    fields.populated("Phones", "companies.phones"),
    fields.lost("APIKey", reason="a key of Xero's retired API; the gateway issues OAuth2 tokens instead"),
)

#: ``adapters/native/resources/journals_feed.py`` ``journal_model`` (the posted journals feed).
JOURNAL_FIELDS = _declare(
    "Journals", catalogue.Journal, None,
    fields.populated("JournalID", "journals.id"),
    fields.populated("JournalDate", "journals.date"),
    fields.populated("JournalNumber", "journals.number"),
    fields.populated("CreatedDateUTC", "journals.created_utc"),
    fields.populated("Reference", "journals.reference", condition="when set"),
    fields.populated("SourceID", "journals.source_id", condition="when the journal has a source document"),
    fields.populated("SourceType", "journals.source_type"),
    fields.populated("JournalLines", "journal_lines rows (with their accounts and tax rates; cash lines with "
                                     "paymentsOnly)"),
)

#: ``adapters/native/resources/quotes.py`` ``to_model`` (workflow_documents rows of kind QUOTE).
QUOTE_FIELDS = _declare(
    "Quotes", workflow.Quote, None,
    fields.populated("QuoteID", "workflow_documents.id"),
    fields.populated("QuoteNumber", "workflow_documents.number"),
    fields.populated("Reference", "workflow_documents.reference", condition="when set"),
    fields.populated("Terms", "workflow_documents.terms"),
    fields.populated("Contact", "workflow_documents.contact_id (its contacts row: id, name, email)"),
    fields.populated("LineItems", "workflow_lines rows"),
    fields.populated("Date", "workflow_documents.date"),
    fields.populated("ExpiryDate", "workflow_documents.expiry_date"),
    fields.populated("Status", "workflow_documents.status"),
    fields.populated("CurrencyCode", "workflow_documents.currency_code"),
    fields.populated("CurrencyRate", "workflow_documents.currency_rate"),
    fields.populated("SubTotal", "workflow_documents.sub_total"),
    fields.populated("TotalTax", "workflow_documents.total_tax"),
    fields.populated("Total", "workflow_documents.total"),
    fields.populated("TotalDiscount", "workflow_documents.total_discount", condition="when not zero"),
    fields.populated("Title", "workflow_documents.title"),
    fields.populated("Summary", "workflow_documents.summary", condition="when set"),
    fields.populated("BrandingThemeID", "workflow_documents.branding_theme_id", condition="when set"),
    fields.populated("UpdatedDateUTC", "workflow_documents.updated_utc"),
    fields.populated("LineAmountTypes", "workflow_documents.line_amount_types (in Quote's own words)"),
    fields.write_outcome(workflow.Quote),
)

#: ``adapters/native/resources/purchase_orders.py`` ``to_model`` (workflow_documents rows of kind PURCHASEORDER).
PURCHASE_ORDER_FIELDS = _declare(
    "PurchaseOrders", workflow.PurchaseOrder, None,
    fields.populated("PurchaseOrderID", "workflow_documents.id"),
    fields.populated("PurchaseOrderNumber", "workflow_documents.number"),
    fields.populated("Contact", "workflow_documents.contact_id (its contacts row)"),
    fields.populated("LineItems", "workflow_lines rows"),
    fields.populated("Date", "workflow_documents.date"),
    fields.populated("DeliveryDate", "workflow_documents.delivery_date"),
    fields.populated("LineAmountTypes", "workflow_documents.line_amount_types"),
    fields.populated("Reference", "workflow_documents.reference (\"\" when none)"),
    fields.populated("BrandingThemeID", "workflow_documents.branding_theme_id", condition="when set"),
    fields.populated("CurrencyCode", "workflow_documents.currency_code"),
    fields.populated("Status", "workflow_documents.status"),
    fields.populated("SentToContact", "workflow_documents.sent_to_contact"),
    fields.populated("DeliveryAddress", "workflow_documents.delivery_address", condition="when set"),
    fields.populated("AttentionTo", "workflow_documents.attention_to"),
    fields.populated("Telephone", "workflow_documents.telephone", condition="when set"),
    fields.populated("DeliveryInstructions", "workflow_documents.delivery_instructions", condition="when set"),
    fields.populated("ExpectedArrivalDate", "workflow_documents.expected_arrival_date", condition="when set"),
    fields.populated("CurrencyRate", "workflow_documents.currency_rate"),
    fields.populated("SubTotal", "workflow_documents.sub_total"),
    fields.populated("TotalTax", "workflow_documents.total_tax"),
    fields.populated("Total", "workflow_documents.total"),
    fields.populated("TotalDiscount", "workflow_documents.total_discount", condition="when not zero"),
    fields.computed("HasAttachments", _ATTACHMENTS),
    fields.populated("UpdatedDateUTC", "workflow_documents.updated_utc"),
    fields.computed("Attachments", _ATTACHMENT_LIST, condition="single GETs"),
    fields.write_outcome(workflow.PurchaseOrder),
)

#: ``adapters/native/resources/repeating_invoices.py`` ``to_model`` (templates; their runs are invoices).
REPEATING_INVOICE_FIELDS = _declare(
    "RepeatingInvoices", repeating.RepeatingInvoice, None,
    fields.populated("Type", "repeating_invoices.type"),
    fields.populated("Contact", "repeating_invoices.contact_id (its contacts row)"),
    fields.populated("Schedule", "repeating_invoices.period, unit, due_date, due_date_type, start_date, "
                                 "next_scheduled_date, end_date"),
    fields.populated("LineItems", "repeating_invoices.line_items"),
    fields.populated("LineAmountTypes", "repeating_invoices.line_amount_types"),
    fields.populated("Reference", "repeating_invoices.reference (\"\" when none)"),
    fields.populated("BrandingThemeID", "repeating_invoices.branding_theme_id", condition="when set"),
    fields.populated("CurrencyCode", "repeating_invoices.currency_code"),
    fields.populated("Status", "repeating_invoices.status"),
    fields.populated("SubTotal", "repeating_invoices.sub_total"),
    fields.populated("TotalTax", "repeating_invoices.total_tax"),
    fields.populated("Total", "repeating_invoices.total"),
    fields.populated("RepeatingInvoiceID", "repeating_invoices.id"),
    fields.populated("ID", "repeating_invoices.id (Xero repeats the id under this name)"),
    fields.computed("HasAttachments", "attachments table: true when the template has a file (ops_repeating)"),
    fields.computed("Attachments", "attachments table: the template's files (ops_repeating)",
                    condition="single GETs"),
    fields.populated("ApprovedForSending", "repeating_invoices.approved_for_sending"),
    fields.populated("SendCopy", "repeating_invoices.send_copy"),
    fields.populated("MarkAsSent", "repeating_invoices.mark_as_sent"),
    fields.populated("IncludePDF", "repeating_invoices.include_pdf"),
)

#: :func:`.documents.overpayment` (the credit side of a bank transaction of an OVERPAYMENT type).
OVERPAYMENT_FIELDS = _declare(
    "Overpayments", documents.Overpayment, None,
    fields.populated("Type", "bank_transactions.type"),
    fields.populated("Contact", "bank_transactions.contact_id (its contacts row)"),
    fields.populated("Date", "bank_transactions.date"),
    fields.populated("Status", "bank_transactions.credit_status"),
    fields.populated("LineAmountTypes", "bank_transactions.line_amount_types"),
    fields.populated("LineItems", "bank_transaction_lines rows (empty in unpaged lists)"),
    fields.populated("SubTotal", "bank_transactions.sub_total"),
    fields.populated("TotalTax", "bank_transactions.total_tax"),
    fields.populated("Total", "bank_transactions.total"),
    fields.populated("UpdatedDateUTC", "bank_transactions.updated_utc"),
    fields.populated("CurrencyCode", "bank_transactions.currency_code"),
    fields.populated("OverpaymentID", "bank_transactions.credit_id"),
    fields.populated("CurrencyRate", "bank_transactions.currency_rate"),
    fields.computed("RemainingCredit", "total less live allocations and refunds (resources.credits.remaining)"),
    fields.populated("Allocations", "allocations rows not deleted"),
    fields.populated("Payments", "refund_payments rows (AUTHORISED)"),
    fields.computed("HasAttachments", "false: the spec gives overpayments no attachments operations"),
    fields.populated("Reference", "bank_transactions.reference (\"\" when none)"),
    fields.lost("AppliedAmount", reason="not translated: the allocations are itemised in Allocations"),
)

#: :func:`.documents.prepayment` (the credit side of a bank transaction of a PREPAYMENT type).
PREPAYMENT_FIELDS = _declare(
    "Prepayments", documents.Prepayment, None,
    fields.populated("Type", "bank_transactions.type"),
    fields.populated("Contact", "bank_transactions.contact_id (its contacts row)"),
    fields.populated("Date", "bank_transactions.date"),
    fields.populated("Status", "bank_transactions.credit_status"),
    fields.populated("LineAmountTypes", "bank_transactions.line_amount_types"),
    fields.populated("LineItems", "bank_transaction_lines rows (empty in unpaged lists)"),
    fields.populated("SubTotal", "bank_transactions.sub_total"),
    fields.populated("TotalTax", "bank_transactions.total_tax"),
    fields.populated("Total", "bank_transactions.total"),
    fields.populated("Reference", "bank_transactions.credit_number, else reference (\"\" when none)"),
    fields.populated("InvoiceNumber", "bank_transactions.credit_number", condition="receive prepayments"),
    fields.populated("UpdatedDateUTC", "bank_transactions.updated_utc"),
    fields.populated("CurrencyCode", "bank_transactions.currency_code"),
    fields.populated("PrepaymentID", "bank_transactions.credit_id"),
    fields.populated("CurrencyRate", "bank_transactions.currency_rate"),
    fields.computed("RemainingCredit", "total less live allocations and refunds (resources.credits.remaining)"),
    fields.populated("Allocations", "allocations rows not deleted"),
    fields.populated("Payments", "refund_payments rows (AUTHORISED)"),
    fields.computed("HasAttachments", "false: the spec gives prepayments no attachments operations"),
    fields.lost("BrandingThemeID", reason="the ledger keeps no theme on bank transactions"),
    fields.lost("AppliedAmount", reason="not translated: the allocations are itemised in Allocations"),
)

#: ``adapters/native/resources/receipts.py`` ``to_model`` (draft expense claim receipts).
RECEIPT_FIELDS = _declare(
    "Receipts", expenses.Receipt, None,
    fields.populated("Date", "receipts.date"),
    fields.populated("Contact", "receipts.contact_id (its contacts row)"),
    fields.populated("LineItems", "receipt_lines rows"),
    fields.populated("User", "receipts.user_id (its users row)"),
    fields.populated("Reference", "receipts.reference (\"\" when none)"),
    fields.populated("LineAmountTypes", "receipts.line_amount_types"),
    fields.populated("SubTotal", "receipts.sub_total"),
    fields.populated("TotalTax", "receipts.total_tax"),
    fields.populated("Total", "receipts.total"),
    fields.populated("ReceiptID", "receipts.id"),
    fields.populated("Status", "receipts.status"),
    fields.populated("ReceiptNumber", "receipts.number (per user)"),
    fields.populated("UpdatedDateUTC", "receipts.updated_utc"),
    fields.computed("HasAttachments", "attachments table: true when the receipt has a file (ops_receipt_reads)"),
    fields.lost("Url", reason="the ledger keeps no source URL for receipts"),
    fields.lost("Attachments", reason="not listed on reads: GET /Receipts/{ReceiptID}/Attachments lists them"),
    fields.write_outcome(expenses.Receipt),
)

#: ``adapters/native/resources/expense_claims.py`` ``to_model``.
EXPENSE_CLAIM_FIELDS = _declare(
    "ExpenseClaims", expenses.ExpenseClaim, None,
    fields.populated("ExpenseClaimID", "expense_claims.id"),
    fields.populated("Status", "expense_claims.status"),
    fields.computed("Payments", "empty: a claim's payments are kept as expense_claims.amount_paid"),
    fields.populated("User", "expense_claims.user_id (its users row)"),
    fields.populated("Receipts", "receipts rows of the claim (as GET /Receipts)"),
    fields.populated("UpdatedDateUTC", "expense_claims.updated_utc"),
    fields.computed("Total", "sum of the claim's receipts.total"),
    fields.computed("AmountDue", "Total less expense_claims.amount_paid (0 when VOIDED or DELETED)"),
    fields.populated("AmountPaid", "expense_claims.amount_paid"),
    fields.populated("PaymentDueDate", "expense_claims.payment_due_date", condition="when set"),
    fields.populated("ReportingDate", "expense_claims.reporting_date", condition="once AUTHORISED"),
    fields.lost("ReceiptID", reason="a write-side field; reads carry the claim's Receipts"),
    fields.write_outcome(expenses.ExpenseClaim),
)

#: ``adapters/native/resources/batch_payments.py`` ``to_model``.
BATCH_PAYMENT_FIELDS = _declare(
    "BatchPayments", batch_payments.BatchPayment, None,
    fields.populated("BatchPaymentID", "batch_payments.id"),
    fields.populated("Account", "batch_payments.account_id (its accounts row: id, code, name)"),
    fields.populated("Reference", "batch_payments.reference", condition="when set"),
    fields.populated("Particulars", "batch_payments.particulars", condition="when set"),
    fields.populated("Code", "batch_payments.code", condition="when set"),
    fields.populated("Details", "batch_payments.details", condition="when set"),
    fields.populated("Narrative", "batch_payments.narrative", condition="when set"),
    fields.populated("Date", "batch_payments.date"),
    fields.populated("Payments", "payments rows of the batch (batch_payment_members, in position order)"),
    fields.populated("Type", "batch_payments.type"),
    fields.populated("Status", "batch_payments.status"),
    fields.populated("TotalAmount", "batch_payments.total_amount"),
    fields.populated("UpdatedDateUTC", "batch_payments.updated_utc"),
    fields.populated("IsReconciled", "batch_payments.is_reconciled"),
    fields.lost("Amount", reason="a write-side field of Xero's; reads carry TotalAmount"),
    fields.write_outcome(batch_payments.BatchPayment),
)

#: ``adapters/native/resources/budgets.py`` ``to_model``.
BUDGET_FIELDS = _declare(
    "Budgets", budgets.Budget, None,
    fields.populated("BudgetID", "budgets.id"),
    fields.populated("Type", "budgets.type"),
    fields.populated("Description", "budgets.description"),
    fields.populated("UpdatedDateUTC", "budgets.updated_utc"),
    fields.populated("BudgetLines", "budget_balances rows per account", condition="single reads and date ranges"),
    fields.populated("Tracking", "budgets.tracking"),
)

#: ``adapters/native/resources/linked_transactions.py`` ``to_model``.
LINKED_TRANSACTION_FIELDS = _declare(
    "LinkedTransactions", workflow.LinkedTransaction, None,
    fields.populated("SourceTransactionID", "linked_transactions.source_transaction_id"),
    fields.populated("SourceLineItemID", "linked_transactions.source_line_item_id"),
    fields.populated("ContactID", "linked_transactions.contact_id", condition="once a customer is given"),
    fields.populated("TargetTransactionID", "linked_transactions.target_transaction_id",
                     condition="once linked to a sale"),
    fields.populated("TargetLineItemID", "linked_transactions.target_line_item_id", condition="once linked to a sale"),
    fields.populated("LinkedTransactionID", "linked_transactions.id"),
    fields.computed("Status", "from the source and target invoices' statuses (resources.linked_transactions)"),
    fields.populated("Type", "linked_transactions.type"),
    fields.populated("UpdatedDateUTC", "linked_transactions.updated_utc"),
    fields.populated("SourceTransactionTypeCode", "linked_transactions.source_transaction_type_code"),
    fields.write_outcome(workflow.LinkedTransaction),
)

#: ``adapters/native/resources/employees.py`` ``to_model`` (Employees as Xero's spec v12.0.2 had them).
EMPLOYEE_FIELDS = _declare(
    "Employees", employees.Employee, None,
    fields.populated("EmployeeID", "employees.id"),
    fields.populated("Status", "employees.status"),
    fields.populated("FirstName", "employees.first_name"),
    fields.populated("LastName", "employees.last_name"),
    fields.populated("ExternalLink", "employees.link_type, link_url, link_description", condition="when set"),
    fields.populated("UpdatedDateUTC", "employees.updated_utc"),
    fields.write_outcome(employees.Employee),
)

#: ``adapters/native/resources/payment_services.py`` ``to_model``.
PAYMENT_SERVICE_FIELDS = _declare(
    "PaymentServices", services.PaymentService, None,
    fields.populated("PaymentServiceID", "payment_services.id"),
    fields.populated("PaymentServiceName", "payment_services.name"),
    fields.populated("PaymentServiceUrl", "payment_services.url"),
    fields.populated("PayNowText", "payment_services.pay_now_text"),
    fields.populated("PaymentServiceType", "payment_services.service_type"),
    fields.write_outcome(services.PaymentService),
)

FIELD_MAPS = fields.collect(
    ACCOUNT_FIELDS, BANK_TRANSACTION_FIELDS, BANK_TRANSFER_FIELDS, BATCH_PAYMENT_FIELDS, BRANDING_THEME_FIELDS,
    BUDGET_FIELDS, CONTACT_GROUP_FIELDS, CONTACT_FIELDS, CREDIT_NOTE_FIELDS, CURRENCY_FIELDS, EMPLOYEE_FIELDS,
    EXPENSE_CLAIM_FIELDS, INVOICE_FIELDS, ITEM_FIELDS, JOURNAL_FIELDS, LINKED_TRANSACTION_FIELDS, MANUAL_JOURNAL_FIELDS,
    ORGANISATION_FIELDS, OVERPAYMENT_FIELDS, PAYMENT_FIELDS, PAYMENT_SERVICE_FIELDS, PREPAYMENT_FIELDS,
    PURCHASE_ORDER_FIELDS, QUOTE_FIELDS, RECEIPT_FIELDS, REPEATING_INVOICE_FIELDS, TAX_RATE_FIELDS,
    TRACKING_CATEGORY_FIELDS, USER_FIELDS)
