"""The field maps of source 1000's documents beyond invoices and credit notes: quotes, purchase orders, repeating
invoices, linked transactions, overpayments and prepayments, receipts and expense claims (:mod:`.fidelity` lists
them all in ``FIELD_MAPS``)."""

from __future__ import annotations

from adapters.common import fields
from gateway.xero.models import documents, expenses, repeating, workflow

from .declare import ATTACHMENT_LIST, ATTACHMENTS, declare

#: ``adapters/native/resources/quotes.py`` ``to_model`` (workflow_documents rows of kind QUOTE).
QUOTE_FIELDS = declare(
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
PURCHASE_ORDER_FIELDS = declare(
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
    fields.computed("HasAttachments", ATTACHMENTS),
    fields.populated("UpdatedDateUTC", "workflow_documents.updated_utc"),
    fields.computed("Attachments", ATTACHMENT_LIST, condition="single GETs"),
    fields.write_outcome(workflow.PurchaseOrder),
)

#: ``adapters/native/resources/repeating_invoices.py`` ``to_model`` (templates; their runs are invoices).
REPEATING_INVOICE_FIELDS = declare(
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
OVERPAYMENT_FIELDS = declare(
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
PREPAYMENT_FIELDS = declare(
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
RECEIPT_FIELDS = declare(
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
EXPENSE_CLAIM_FIELDS = declare(
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

#: ``adapters/native/resources/linked_transactions.py`` ``to_model``.
LINKED_TRANSACTION_FIELDS = declare(
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
