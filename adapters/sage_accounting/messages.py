"""The validation messages the Sage adapter answers itself (before Sage is called), in one place.

"(seen)" marks wording observed in real Xero responses (sources as cited by the native ledger's messages, which the
gateway's reference adapter answers identically); "(unconfirmed)" marks wording chosen to read like Xero's;
"(ours)" marks situations Xero cannot have (what Sage cannot do). Messages from Sage itself are passed through
verbatim (:mod:`adapters.sage_accounting.errors`).
"""

from __future__ import annotations

#: (seen) Xero staff, XeroAPI/Xero-NetStandard#79.
INVOICE_STATUS_MODIFICATION = "Invoice not of valid status for modification"
#: (unconfirmed)
INVOICE_STATUS_CREATION = "Invoice not of valid status for creation"
#: (seen)
CONTACT_REQUIRED = "A Contact must be specified for this type of transaction"
#: (seen) Format with the code.
ACCOUNT_CODE_INVALID = "Account code '{code}' is not a valid code for this document."
#: (seen) Format with the tax type.
TAX_TYPE_INVALID = "The TaxType code '{tax_type}' does not exist or cannot be used with this type of transaction."
#: (unconfirmed)
INVOICE_TYPE_INVALID = "Invoice Type must be ACCREC or ACCPAY."
#: (unconfirmed)
CREDIT_NOTE_TYPE_INVALID = "CreditNote Type must be ACCRECCREDIT or ACCPAYCREDIT."
#: (unconfirmed)
LINE_ITEMS_REQUIRED = "An approved invoice must have at least one line item."
#: (unconfirmed)
LINE_ACCOUNT_REQUIRED = "Line items on an approved invoice must have an AccountCode."
#: (unconfirmed)
LINE_AMOUNT_TYPES_INVALID = "LineAmountTypes must be Exclusive, Inclusive or NoTax."
#: (unconfirmed) Format with the code.
ITEM_CODE_INVALID = "Item code '{code}' is not valid."
#: (unconfirmed)
DOCUMENT_NOT_FOUND = "Invoice could not be found"
#: (unconfirmed) Format with the id.
CONTACT_ID_NOT_FOUND = "Contact with ContactID '{id}' could not be found"
#: (seen) as the native ledger answers it (adapters/native/messages.py).
CONTACT_NAME_EXISTS = "The Contact Name already exists. Please enter a different Contact Name."
#: (seen) https://github.com/waynerobinson/xeroizer/pull/380.
CONTACT_NAME_EMPTY = "Contact Name cannot be empty."
#: (unconfirmed)
CONTACT_STATUS_INVALID = "ContactStatus must be ACTIVE or ARCHIVED."
#: (unconfirmed)
ACCOUNT_NAME_REQUIRED = "Please enter a Name."
#: (unconfirmed)
ACCOUNT_CODE_REQUIRED = "Please enter a Code."
#: (ours) Sage nominal codes are whole numbers (swagger LedgerAccount.nominal_code: integer).
ACCOUNT_CODE_NUMERIC = "The Code must be a number for this organisation's ledger."
#: (unconfirmed) Format with the type.
ACCOUNT_TYPE_INVALID = "Account Type '{type}' is not valid."
#: (unconfirmed)
ACCOUNT_STATUS_INVALID = "Account Status must be ACTIVE or ARCHIVED."
#: (seen)
PAYMENT_EXCEEDS = "Payment amount exceeds the amount outstanding on this document."
#: (unconfirmed)
PAYMENT_AMOUNT_POSITIVE = "Payment amount must be greater than zero."
#: (unconfirmed)
PAYMENT_INVOICE_REQUIRED = "An Invoice must be specified for this payment (InvoiceID or InvoiceNumber)."
#: (unconfirmed)
PAYMENT_INVOICE_STATUS = "Payments can only be made against Authorised documents."
#: (unconfirmed)
PAYMENT_ACCOUNT_REQUIRED = "An Account must be specified for this payment (AccountID or Code)."
#: (ours) Sage contact payments go to a bank account (swagger postContactPayments: bank_account_id required).
PAYMENT_ACCOUNT_NOT_BANK = "Payments can only be made to or from a bank account."
#: (unconfirmed)
PAYMENT_DATE_REQUIRED = "A Date must be specified for this payment."
#: (unconfirmed)
PAYMENT_DELETE_STATUS = "Payments can only be deleted by setting Status to DELETED."
#: (unconfirmed)
BANK_ACCOUNT_REQUIRED = "A bank account must be specified (BankAccount.AccountID or Code)."
#: (unconfirmed)
BANK_TRANSACTION_TYPE_INVALID = "BankTransaction Type must be SPEND or RECEIVE."
#: (unconfirmed)
BANK_TRANSFER_AMOUNT = "The Amount of a bank transfer must be greater than zero."
#: (unconfirmed)
BANK_TRANSFER_SAME = "A bank transfer needs two different bank accounts."
#: (unconfirmed)
JOURNAL_UNBALANCED = "The total debits must equal the total credits."
#: (unconfirmed)
JOURNAL_NARRATION = "Narration must be specified."
#: (ours) Sage journals are posted when made and cannot be edited (swagger: no PUT /journals/{key}).
JOURNAL_DRAFT = "Manual journals of this organisation are posted when created: only POSTED can be used."
#: (ours) Sage journals cannot be edited, only deleted.
JOURNAL_EDIT = "A posted manual journal cannot be edited; it can only be deleted (Status DELETED or VOIDED)."
#: (unconfirmed) Format with the code.
ITEM_CODE_UNIQUE = "Price List Item with Code ''{code}'' already exists"
#: (unconfirmed)
ITEM_CODE_REQUIRED = "Item Code must be specified."
#: (unconfirmed)
ALLOCATION_AMOUNT = "The Amount of an allocation must be greater than zero."
#: (unconfirmed)
ALLOCATION_INVOICE = "An Invoice must be specified for this allocation."
#: (ours) Format with the currency.
CURRENCY_UNKNOWN = "Organisation is not subscribed to currency {code}"
#: (unconfirmed) deleteBankTransfers takes only deletions.
TRANSFER_DELETE_ONLY = "Bank transfers can only be deleted here: send Status DELETED."
