"""Every validation message the native ledger answers, worded as Xero words it, in one place.

Each constant notes its source. "(seen)" marks a message observed in a real Xero response quoted in a public
issue thread or in the brief of this adapter; "(unconfirmed)" marks wording chosen to read like Xero's where
no real response was found — change it here when one is.
"""

from __future__ import annotations

# Invoices ----------------------------------------------------------------------------------------------------

#: (seen) Xero staff, https://github.com/XeroAPI/Xero-NetStandard/issues/79: "If it's `Invoice not of valid
#: status for modification` then you're trying to perform an invalid status change".
INVOICE_STATUS_MODIFICATION = "Invoice not of valid status for modification"
#: (unconfirmed) creating an invoice in a status other than DRAFT/SUBMITTED/AUTHORISED.
INVOICE_STATUS_CREATION = "Invoice not of valid status for creation"
#: (seen) brief.
INVOICE_NUMBER_UNIQUE = "Invoice # must be unique."
#: (seen) brief.
CONTACT_REQUIRED = "A Contact must be specified for this type of transaction"
#: (seen) brief. Format with the code.
ACCOUNT_CODE_INVALID = "Account code '{code}' is not a valid code for this document."
#: (seen) brief. Format with the tax type.
TAX_TYPE_INVALID = "The TaxType code '{tax_type}' does not exist or cannot be used with this type of transaction."
#: (unconfirmed) a valid tax type on an account whose class the rate cannot apply to (TaxRate.CanApplyTo*).
TAX_TYPE_ACCOUNT = "The TaxType code '{tax_type}' cannot be used with account code '{code}'."
#: (unconfirmed)
INVOICE_TYPE_INVALID = "Invoice Type must be ACCREC or ACCPAY."
#: (unconfirmed)
DUE_DATE_REQUIRED = "Due Date is required for an approved invoice."
#: (unconfirmed)
LINE_ITEMS_REQUIRED = "An approved invoice must have at least one line item."
#: (unconfirmed)
LINE_ACCOUNT_REQUIRED = "Line items on an approved invoice must have an AccountCode."
#: (unconfirmed)
LINE_AMOUNT_MISMATCH = "The LineAmount must equal Quantity multiplied by UnitAmount less any discount."
#: (unconfirmed) Xero allows discounts on sales invoices only (spec LineItem.DiscountRate).
DISCOUNT_ACCPAY = "Discounts are only supported on sales invoices (ACCREC)."
#: (unconfirmed)
LINE_AMOUNT_TYPES_INVALID = "LineAmountTypes must be Exclusive, Inclusive or NoTax."
#: (unconfirmed) Format with the code.
CURRENCY_NOT_SUBSCRIBED = "Organisation is not subscribed to currency {code}"
#: (unconfirmed)
INVOICE_TOTAL_NEGATIVE = "The invoice total cannot be negative."
#: (unconfirmed) editing amounts, contact or lines of an invoice that has payments.
INVOICE_HAS_PAYMENTS = "This document cannot be edited as it has a payment or credit note allocated to it."
#: (unconfirmed) voiding an invoice that has payments.
INVOICE_VOID_PAYMENTS = "This document cannot be voided as it has a payment or credit note allocated to it."
#: (unconfirmed) PUT /Invoices with the InvoiceID of an existing invoice.
INVOICE_EXISTS = "An invoice with InvoiceID '{id}' already exists. Use POST to update it."
#: (unconfirmed)
INVOICE_NOT_FOUND = "Invoice could not be found"
#: (unconfirmed) Format with the id.
CONTACT_ID_NOT_FOUND = "Contact with ContactID '{id}' could not be found"
#: (unconfirmed) Format with the number.
CONTACT_NUMBER_NOT_FOUND = "Contact with ContactNumber '{number}' could not be found"

# Contacts ----------------------------------------------------------------------------------------------------

#: (seen) brief.
CONTACT_NAME_EXISTS = "The Contact Name already exists. Please enter a different Contact Name."
#: (seen) https://github.com/waynerobinson/xeroizer/pull/380 (real API response).
CONTACT_NAME_EMPTY = "Contact Name cannot be empty."
#: (seen) https://github.com/waynerobinson/xeroizer/issues/477 ("a contact will always require a valid email").
EMAIL_INVALID = "Email address must be valid."
#: (unconfirmed)
CONTACT_STATUS_INVALID = "ContactStatus must be ACTIVE or ARCHIVED."
#: (unconfirmed)
CONTACT_EXISTS = "A contact with ContactID '{id}' already exists. Use POST to update it."
#: (unconfirmed)
CONTACT_NUMBER_EXISTS = "The ContactNumber '{number}' is already used by another contact."

# Accounts ----------------------------------------------------------------------------------------------------

#: (seen) Xero's chart-of-accounts validation ("Please enter a unique Code." / "... Name.").
ACCOUNT_CODE_UNIQUE = "Please enter a unique Code."
ACCOUNT_NAME_UNIQUE = "Please enter a unique Name."
#: (unconfirmed)
ACCOUNT_NAME_REQUIRED = "Please enter a Name."
ACCOUNT_CODE_REQUIRED = "Please enter a Code."
ACCOUNT_CODE_TOO_LONG = "The Code must be 10 characters or less."
ACCOUNT_TYPE_INVALID = "Account Type '{type}' is not valid."
ACCOUNT_TAX_TYPE_INVALID = "The TaxType code '{tax_type}' does not exist or cannot be used with this account."
BANK_ACCOUNT_NUMBER_REQUIRED = "Bank Account Number is required for a bank account."
SYSTEM_ACCOUNT_EDIT = "The Code and Type of a system account cannot be changed."
SYSTEM_ACCOUNT_ARCHIVE = "System accounts cannot be archived."
ACCOUNT_STATUS_INVALID = "Account Status must be ACTIVE or ARCHIVED."
ACCOUNT_TYPE_CHANGE_BANK = "The Type of an account cannot be changed to or from BANK."
ACCOUNT_CURRENCY_INVALID = "Organisation is not subscribed to currency {code}"

# Payments ----------------------------------------------------------------------------------------------------

#: (seen) brief.
PAYMENT_EXCEEDS = "Payment amount exceeds the amount outstanding on this document."
#: (unconfirmed)
PAYMENT_AMOUNT_POSITIVE = "Payment amount must be greater than zero."
PAYMENT_INVOICE_REQUIRED = "An Invoice must be specified for this payment (InvoiceID or InvoiceNumber)."
PAYMENT_INVOICE_NOT_FOUND = "Invoice could not be found"
PAYMENT_INVOICE_STATUS = "Payments can only be made against Authorised documents."
PAYMENT_ACCOUNT_REQUIRED = "An Account must be specified for this payment (AccountID or Code)."
PAYMENT_ACCOUNT_NOT_FOUND = "Account could not be found"
PAYMENT_ACCOUNT_TYPE = ("Payments can only be made to or from a bank account or an account with payments "
                        "enabled (EnablePaymentsToAccount).")
PAYMENT_DATE_REQUIRED = "A Date must be specified for this payment."
PAYMENT_STATUS_INVALID = "Payment Status must be AUTHORISED when a payment is created."
PAYMENT_DELETE_STATUS = "Payments can only be deleted by setting Status to DELETED."
PAYMENT_ALREADY_DELETED = "This payment has already been deleted."
PAYMENT_EXISTS = "A payment with PaymentID '{id}' already exists."

# Values ------------------------------------------------------------------------------------------------------

#: (unconfirmed) a value of the wrong format in the body (e.g. a date that parses as none of Xero's forms).
VALUE_INVALID = "The value '{value}' of {field} is not valid."
