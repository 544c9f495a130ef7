"""The field maps of source 1000, the native ledger (:mod:`adapters.common.fields`).

The ledger is its own source, so nearly every Xero field is populated from a column of its tables. Those columns
are read off the SQL field maps (:mod:`.fieldmaps`, the ``where``/``order`` push-down, which
``tests/adapters/native/query/test_field_maps.py`` checks against :mod:`.core` row by row): a path whose SQL
expression is a plain column is declared populated from ``table.column``. The fields those maps leave out (nested
lists, computed amounts) are declared by hand: the core resources here, the other documents in
:mod:`.fidelity_documents`, the organisation-wide records in :mod:`.fidelity_organisation` (helpers in
:mod:`.declare`).

Read by ``adapters.registry.field_maps`` (``GET /1000/gateway/capabilities``, ``tools/gen_fields.py``).
"""

from __future__ import annotations

from adapters.common import fields
from gateway.xero import models as xm
from gateway.xero.models import catalogue, documents

from . import fieldmaps
from .declare import ATTACHMENT_LIST, ATTACHMENTS, declare
from .fidelity_documents import (
    EXPENSE_CLAIM_FIELDS,
    LINKED_TRANSACTION_FIELDS,
    OVERPAYMENT_FIELDS,
    PREPAYMENT_FIELDS,
    PURCHASE_ORDER_FIELDS,
    QUOTE_FIELDS,
    RECEIPT_FIELDS,
    REPEATING_INVOICE_FIELDS,
)
from .fidelity_organisation import (
    BATCH_PAYMENT_FIELDS,
    BUDGET_FIELDS,
    EMPLOYEE_FIELDS,
    JOURNAL_FIELDS,
    ORGANISATION_FIELDS,
    PAYMENT_SERVICE_FIELDS,
)

CONTACT_FIELDS = declare(
    "Contacts", xm.Contact, fieldmaps.CONTACTS,
    fields.computed("IsSupplier", "the contact has ACCPAY documents"),
    fields.computed("IsCustomer", "the contact has ACCREC documents"),
    fields.populated("Addresses", "contacts.addresses", condition="not with summaryOnly"),
    fields.populated("Phones", "contacts.phones", condition="not with summaryOnly"),
    fields.populated("ContactPersons", "contacts.contact_persons", condition="not with summaryOnly"),
    fields.computed("Balances", "outstanding and overdue ACCREC/ACCPAY amount_due",
                    condition="single reads and paged lists"),
    fields.computed("HasAttachments", ATTACHMENTS),
    fields.computed("Attachments", ATTACHMENT_LIST, condition="single GETs"),
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

INVOICE_FIELDS = declare(
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
    fields.computed("HasAttachments", ATTACHMENTS),
    fields.computed("Attachments", ATTACHMENT_LIST, condition="single GETs"),
    fields.write_outcome(documents.Invoice),
)

ACCOUNT_FIELDS = declare(
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
    fields.computed("HasAttachments", ATTACHMENTS),
    fields.lost("ReportingCodeName", reason="the ledger keeps reporting codes, not their names"),
    fields.write_outcome(xm.Account),
)

#: :func:`.documents.credit_note` (credit notes have no SQL field map: their list filters in memory).
CREDIT_NOTE_FIELDS = declare(
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
    fields.computed("HasAttachments", ATTACHMENTS),
    fields.lost("AppliedAmount", reason="not translated: the allocations are itemised in Allocations"),
    fields.write_outcome(documents.CreditNote),
)

#: :func:`.documents.bank_transaction` (no SQL field map: the list filters in memory).
BANK_TRANSACTION_FIELDS = declare(
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
    fields.computed("HasAttachments", ATTACHMENTS),
    fields.write_outcome(documents.BankTransaction),
)

#: ``adapters/native/resources/contact_groups.py`` (the ledger's own tables).
CONTACT_GROUP_FIELDS = declare(
    "ContactGroups", catalogue.ContactGroup, None,
    fields.populated("ContactGroupID", "contact_groups.id"),
    fields.populated("Name", "contact_groups.name"),
    fields.populated("Status", "contact_groups.status"),
    fields.populated("Contacts", "contact_group_members rows (their contacts)", condition="single reads"),
)

#: :func:`.core.payment`; the SQL field map gives the columns.
PAYMENT_FIELDS = declare(
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
ITEM_FIELDS = declare(
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
TAX_RATE_FIELDS = declare(
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
CURRENCY_FIELDS = declare(
    "Currencies", xm.Currency, None,
    fields.populated("Code", "currencies.code"),
    fields.populated("Description", "currencies.description"),
)

#: ``adapters/native/resources/org_users.py`` ``users``.
USER_FIELDS = declare(
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
BRANDING_THEME_FIELDS = declare(
    "BrandingThemes", catalogue.BrandingTheme, None,
    fields.computed("BrandingThemeID", "stable id of the company's Standard theme"),
    fields.computed("Name", "Standard, Xero's documented default theme"),
    fields.computed("Type", "INVOICE"),
    fields.computed("SortOrder", "0, the default theme's"),
    fields.populated("CreatedDateUTC", "companies.created_utc"),
    fields.lost("LogoUrl", reason="the ledger keeps no logo"),
)

#: ``adapters/native/resources/tracking_categories.py`` ``category_model``.
TRACKING_CATEGORY_FIELDS = declare(
    "TrackingCategories", catalogue.TrackingCategory, None,
    fields.populated("TrackingCategoryID", "tracking_categories.id"),
    fields.populated("Name", "tracking_categories.name"),
    fields.populated("Status", "tracking_categories.status"),
    fields.populated("Options", "tracking_options rows (id, name, status)"),
    fields.lost("TrackingOptionID", "Option",
                reason="a document line's choice of option; a category as listed carries its Options instead"),
)

#: :func:`.documents.bank_transfer`.
BANK_TRANSFER_FIELDS = declare(
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
    fields.computed("HasAttachments", ATTACHMENTS),
    fields.populated("CreatedDateUTC", "bank_transfers.created_utc"),
    fields.populated("Status", "bank_transfers.status"),
    fields.populated("FromTracking", "the spend side's bank transaction line tracking"),
    fields.populated("ToTracking", "the receive side's bank transaction line tracking"),
    fields.write_outcome(documents.BankTransfer),
)

#: :func:`.documents.manual_journal`.
MANUAL_JOURNAL_FIELDS = declare(
    "ManualJournals", documents.ManualJournal, None,
    fields.populated("Narration", "manual_journals.narration"),
    fields.populated("JournalLines", "manual_journal_lines rows", condition="not on list pages without lines"),
    fields.populated("Date", "manual_journals.date"),
    fields.populated("LineAmountTypes", "manual_journals.line_amount_types"),
    fields.populated("Status", "manual_journals.status"),
    fields.populated("Url", "manual_journals.url", condition="when set"),
    fields.populated("ShowOnCashBasisReports", "manual_journals.show_on_cash_basis"),
    fields.computed("HasAttachments", ATTACHMENTS),
    fields.populated("UpdatedDateUTC", "manual_journals.updated_utc"),
    fields.populated("ManualJournalID", "manual_journals.id"),
    fields.computed("Attachments", ATTACHMENT_LIST, condition="single GETs"),
    fields.write_outcome(documents.ManualJournal),
)

FIELD_MAPS = fields.collect(
    ACCOUNT_FIELDS, BANK_TRANSACTION_FIELDS, BANK_TRANSFER_FIELDS, BATCH_PAYMENT_FIELDS, BRANDING_THEME_FIELDS,
    BUDGET_FIELDS, CONTACT_GROUP_FIELDS, CONTACT_FIELDS, CREDIT_NOTE_FIELDS, CURRENCY_FIELDS, EMPLOYEE_FIELDS,
    EXPENSE_CLAIM_FIELDS, INVOICE_FIELDS, ITEM_FIELDS, JOURNAL_FIELDS, LINKED_TRANSACTION_FIELDS, MANUAL_JOURNAL_FIELDS,
    ORGANISATION_FIELDS, OVERPAYMENT_FIELDS, PAYMENT_FIELDS, PAYMENT_SERVICE_FIELDS, PREPAYMENT_FIELDS,
    PURCHASE_ORDER_FIELDS, QUOTE_FIELDS, RECEIPT_FIELDS, REPEATING_INVOICE_FIELDS, TAX_RATE_FIELDS,
    TRACKING_CATEGORY_FIELDS, USER_FIELDS)
