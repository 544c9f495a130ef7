"""The field maps of source 1010, one per resource it reads, as the translators (:mod:`adapters.partner.translate`)
fill them (:mod:`adapters.common.fields`).

Read by ``adapters.registry.field_maps`` (``GET /1010/gateway/capabilities``, ``tools/gen_fields.py``). Source
fields are named as the partner API's OpenAPI document names them (``adapters/native/partner/web/openapi.json``:
``Company``, ``Account``, ``BankTransaction``, ``JournalEntry``). ManualJournals, Payments and BankTransfers are
derived from journal entries and bank transactions (:mod:`adapters.partner.translate.derived`).
"""

from adapters.common import fields
from gateway.xero import models as xm
from gateway.xero.models import documents as xd
from gateway.xero.models.catalogue import Journal

#: Why the partner API's first version cannot give a field.
_NO_FIELD = "the Partner Bookkeeping API has no such field"
_NO_ATTACHMENTS = "the Partner Bookkeeping API has no attachments"

ORGANISATION_FIELDS = fields.FieldMap(
    "Organisation", xm.Organisation,
    fields.computed("OrganisationID", "the Xero tenant id of the company (uuid5 of the source code and Company.id)"),
    fields.populated("Name", "Company.name"),
    fields.populated("LegalName", "Company.legalName"),
    fields.populated("BaseCurrency", "Company.baseCurrency"),
    fields.populated("CountryCode", "Company.countryCode"),
    fields.populated("Timezone", "Company.timezone"),
    fields.populated("FinancialYearEndDay", "Company.financialYearEnd.day"),
    fields.populated("FinancialYearEndMonth", "Company.financialYearEnd.month"),
    fields.populated("PeriodLockDate", "Company.lockDate", condition="when the company has a lock date"),
    fields.computed("OrganisationStatus", "ACTIVE: the partner API lists reachable companies only"),
    fields.populated("CreatedDateUTC", "Company.createdAt"),
    fields.lost("APIKey", "PaysTax", "Version", "OrganisationType", "IsDemoCompany", "RegistrationNumber",
                "TaxNumber", "SalesTaxBasis", "SalesTaxPeriod", "DefaultSalesTax", "DefaultPurchasesTax",
                "EndOfYearLockDate", "OrganisationEntityType", "ShortCode", "Class", "Edition", "LineOfBusiness",
                "Addresses", "Phones", reason=_NO_FIELD),
)

ACCOUNT_FIELDS = fields.FieldMap(
    "Accounts", xm.Account,
    fields.populated("AccountID", "Account.id"),
    fields.populated("Code", "Account.code", condition="when the account has a code"),
    fields.populated("Name", "Account.name"),
    fields.populated("Type", "Account.type, upper case"),
    fields.populated("Status", "Account.status, upper case"),
    fields.populated("CurrencyCode", "Account.currency", condition="when the account has a currency"),
    fields.populated("Class", "Account.classification, upper case", condition="when the account has one"),
    fields.populated("UpdatedDateUTC", "Account.updatedAt"),
    fields.lost("BankAccountNumber", "Description", "BankAccountType", "TaxType", "EnablePaymentsToAccount",
                "ShowInExpenseClaims", "SystemAccount", "ReportingCode", "ReportingCodeName", "AddToWatchlist",
                reason=_NO_FIELD),
    fields.lost("HasAttachments", reason=_NO_ATTACHMENTS),
    fields.lost("ValidationErrors", reason="the partner API's accounts are read only"),
)

BANK_TRANSACTION_FIELDS = fields.FieldMap(
    "BankTransactions", xd.BankTransaction,
    fields.populated("BankTransactionID", "BankTransaction.id"),
    fields.populated("Type", "BankTransaction.type: purchase → SPEND, deposit → RECEIVE, transfer_out → "
                             "SPEND-TRANSFER, transfer_in → RECEIVE-TRANSFER"),
    fields.populated("Contact", "BankTransaction.contactId (ContactID only)", condition="when it has a contact"),
    fields.populated("LineItems", "BankTransaction.lines: accountId, amountCents, description, taxType"),
    fields.populated("BankAccount", "BankTransaction.bankAccountId (AccountID only)"),
    fields.populated("IsReconciled", "BankTransaction.isReconciled"),
    fields.populated("Date", "BankTransaction.date"),
    fields.populated("Reference", "BankTransaction.reference", condition="when it has a reference"),
    fields.populated("CurrencyCode", "BankTransaction.currency"),
    fields.populated("Status", "BankTransaction.status, upper case"),
    fields.populated("Total", "BankTransaction.totalCents / 100"),
    fields.populated("UpdatedDateUTC", "BankTransaction.updatedAt"),
    fields.lost("CurrencyRate", "LineAmountTypes", "SubTotal", "TotalTax", "Url", "PrepaymentID", "OverpaymentID",
                reason=_NO_FIELD),
    fields.lost("HasAttachments", reason=_NO_ATTACHMENTS),
    fields.write_outcome(xd.BankTransaction),
)

JOURNAL_FIELDS = fields.FieldMap(
    "Journals", Journal,
    fields.populated("JournalID", "JournalEntry.id"),
    fields.populated("JournalDate", "JournalEntry.date"),
    fields.populated("JournalNumber", "JournalEntry.number"),
    fields.populated("CreatedDateUTC", "JournalEntry.createdAt"),
    fields.populated("Reference", "JournalEntry.reference", condition="when the entry has a reference"),
    fields.populated("SourceID", "JournalEntry.sourceId", condition="when the entry has a source document"),
    fields.populated("SourceType", "JournalEntry.sourceType: purchase → CASHPAID, deposit → CASHREC, transfer → "
                                   "TRANSFER, bill_payment → ACCPAYPAYMENT, journal_entry → MANJOURNAL, others "
                                   "upper case"),
    fields.populated("JournalLines", "JournalEntry.lines: accountId, amountCents, taxAmountCents, description, "
                                     "taxType (JournalLineID: uuid5 of the entry and line ids)"),
)

MANUAL_JOURNAL_FIELDS = fields.FieldMap(
    "ManualJournals", xd.ManualJournal,
    fields.populated("ManualJournalID", "JournalEntry.sourceId (of an entry whose sourceType is journal_entry)"),
    fields.populated("Narration", "JournalEntry.reference (the memo it was posted with)"),
    fields.populated("Date", "JournalEntry.date"),
    fields.computed("Status", "POSTED: the partner API posts a journal entry when it is created (no drafts)"),
    fields.computed("LineAmountTypes", "Exclusive when a line has taxAmountCents, else NoTax"),
    fields.populated("JournalLines", "JournalEntry.lines: amountCents, accountId, description, taxType, "
                                     "taxAmountCents (when taxed)"),
    fields.populated("UpdatedDateUTC", "JournalEntry.createdAt (entries never change)",
                     condition="not on a write's answer"),
    fields.lost("Url", "ShowOnCashBasisReports", reason=_NO_FIELD),
    fields.lost("HasAttachments", "Attachments", reason=_NO_ATTACHMENTS),
    fields.write_outcome(xd.ManualJournal),
)

PAYMENT_FIELDS = fields.FieldMap(
    "Payments", xd.Payment,
    fields.populated("PaymentID", "JournalEntry.sourceId (of an entry whose sourceType is bill_payment)"),
    fields.populated("Account", "JournalEntry.lines: the accountId of the line on a bank account "
                                "(Account.isBankAccount)"),
    fields.populated("Amount", "minus that line's amountCents / 100"),
    fields.populated("Date", "JournalEntry.date"),
    fields.populated("Reference", "JournalEntry.reference", condition="when the payment has a reference"),
    fields.computed("Status", "AUTHORISED: a posted bill payment cannot be voided through the partner API"),
    fields.computed("PaymentType", "ACCPAYPAYMENT: the partner API pays bills only"),
    fields.populated("UpdatedDateUTC", "JournalEntry.createdAt (entries never change)",
                     condition="not on a write's answer"),
    fields.populated("Invoice", "JournalEntry.billId (InvoiceID only; on a write's answer the body's billId)",
                     condition="when the remote names the bill"),
    fields.lost("InvoiceNumber", "Code", "CurrencyRate", "BankAmount", "IsReconciled", "BatchPaymentID",
                "HasAccount", "CreditNote", "CreditNoteNumber", "Prepayment", "Overpayment", reason=_NO_FIELD),
    fields.write_outcome(xd.Payment),
)

BANK_TRANSFER_FIELDS = fields.FieldMap(
    "BankTransfers", xd.BankTransfer,
    fields.populated("BankTransferID", "BankTransaction.transferId (shared by its transfer_out and transfer_in)"),
    fields.populated("FromBankAccount", "the transfer_out's bankAccountId (AccountID only)"),
    fields.populated("ToBankAccount", "the transfer_in's bankAccountId (AccountID only)"),
    fields.populated("Amount", "the transfer_out's totalCents / 100"),
    fields.populated("Date", "the transfer_out's date"),
    fields.populated("FromBankTransactionID", "the transfer_out's id"),
    fields.populated("ToBankTransactionID", "the transfer_in's id"),
    fields.populated("FromIsReconciled", "the transfer_out's isReconciled", condition="not on a write's answer"),
    fields.populated("ToIsReconciled", "the transfer_in's isReconciled", condition="not on a write's answer"),
    fields.populated("Reference", "the transfer_out's reference", condition="when the transfer has a reference"),
    fields.lost("CurrencyRate", "CreatedDateUTC", "Status", "FromTracking", "ToTracking", reason=_NO_FIELD),
    fields.lost("HasAttachments", reason=_NO_ATTACHMENTS),
    fields.write_outcome(xd.BankTransfer),
)

FIELD_MAPS = fields.collect(ORGANISATION_FIELDS, ACCOUNT_FIELDS, BANK_TRANSACTION_FIELDS, JOURNAL_FIELDS,
                            MANUAL_JOURNAL_FIELDS, PAYMENT_FIELDS, BANK_TRANSFER_FIELDS)
