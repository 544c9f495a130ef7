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

# Tracking (catalogue developer) ------------------------------------------------------------------------------

#: (seen) https://github.com/calcinai/xero-php/pull/386 (real API response). Format with the category name.
TRACKING_CATEGORY_NOT_ACTIVE = "There is no ACTIVE tracking category with the name '{name}'"
#: (unconfirmed; patterned on the message above) Format with the id.
TRACKING_CATEGORY_ID_NOT_ACTIVE = "There is no ACTIVE tracking category with the TrackingCategoryID '{id}'"
#: (unconfirmed) Format with the option and the category names.
TRACKING_OPTION_NOT_ACTIVE = "There is no ACTIVE tracking option '{option}' in the tracking category '{category}'"
#: (unconfirmed) Format with the category name.
TRACKING_OPTION_REQUIRED = "A tracking option must be specified for the tracking category '{category}'"
#: (unconfirmed) spec JournalLine.TrackingCategories: "a maximum of 2 <TrackingCategory> elements".
TRACKING_TOO_MANY = "A line can have a maximum of 2 tracking categories."
#: (unconfirmed) Format with the category name.
TRACKING_CATEGORY_TWICE = "The tracking category '{category}' can only be used once on a line."

# Items (catalogue developer) ---------------------------------------------------------------------------------

#: (seen) spec example of createItems ("Price List Item with Code ''abc'' already exists"). Format with the code.
ITEM_CODE_UNIQUE = "Price List Item with Code ''{code}'' already exists"
#: (unconfirmed) spec Item.required: Code.
ITEM_CODE_REQUIRED = "Item Code must be specified."
#: (unconfirmed) spec Item.Code maxLength 30.
ITEM_CODE_TOO_LONG = "Item Code must be 30 characters or less."
#: (unconfirmed) spec Item.Name maxLength 50.
ITEM_NAME_TOO_LONG = "Item Name must be 50 characters or less."
#: (unconfirmed) spec Item.Description / PurchaseDescription maxLength 4000.
ITEM_DESCRIPTION_TOO_LONG = "Item descriptions must be 4000 characters or less."
#: (unconfirmed) Format with the code.
ITEM_ACCOUNT_INVALID = "Account code '{code}' is not a valid code for this item."
#: (ours) this ledger keeps untracked items only (InventoryAssetAccountCode / COGSAccountCode refused).
ITEM_TRACKED_INVENTORY = "Tracked inventory items are not supported by this organisation's ledger."
#: (unconfirmed) PUT /Items with the ItemID of an existing item. Format with the id.
ITEM_EXISTS = "An item with ItemID '{id}' already exists. Use POST to update it."
#: (unconfirmed)
ITEM_NOT_FOUND = "Item could not be found"
#: (unconfirmed) a document line naming an unknown ItemCode. Format with the code.
ITEM_CODE_INVALID = "Item code '{code}' is not valid."

# Money documents: credit notes, allocations, refunds, bank transactions and transfers, manual journals ---------

#: (seen) spec example of createBankTransactions. A Contact element naming none of its identifiers.
CONTACT_IDENTIFIER_REQUIRED = ("The Contact must contain at least 1 of the following elements to identify the "
                               "contact: Name, ContactID, ContactNumber")
#: (unconfirmed) Format with the element name (BankAccount, FromBankAccount, ToBankAccount).
BANK_ACCOUNT_REQUIRED = "A {field} must be specified (AccountID or Code)."
#: (unconfirmed) Format with the element name and the code or id sent.
BANK_ACCOUNT_INVALID = "{field} '{code}' is not an active bank account."
#: (seen) spec example of createCreditNotes (a POST naming an unknown CreditNoteID).
CREDIT_NOTE_NOT_FOUND = "An existing Credit Note with the specified CreditNoteID could not be found"
#: (unconfirmed) PUT /CreditNotes with the CreditNoteID of an existing credit note. Format with the id.
CREDIT_NOTE_EXISTS = "A credit note with CreditNoteID '{id}' already exists. Use POST to update it."
#: (unconfirmed) spec CreditNote.Type enum.
CREDIT_NOTE_TYPE_INVALID = "Credit Note Type must be ACCRECCREDIT or ACCPAYCREDIT."
#: (unconfirmed; patterned on the seen INVOICE_STATUS_MODIFICATION)
CREDIT_NOTE_STATUS_MODIFICATION = "Credit Note not of valid status for modification"
#: (unconfirmed)
CREDIT_NOTE_STATUS_CREATION = "Credit Note not of valid status for creation"
#: (unconfirmed; patterned on the seen INVOICE_NUMBER_UNIQUE)
CREDIT_NOTE_NUMBER_UNIQUE = "Credit Note # must be unique."
#: (unconfirmed)
CREDIT_NOTE_LINES_REQUIRED = "An approved credit note must have at least one line item."
#: (unconfirmed)
CREDIT_NOTE_LINE_ACCOUNT_REQUIRED = "Line items on an approved credit note must have an AccountCode."
#: (unconfirmed)
CREDIT_NOTE_TOTAL_NEGATIVE = "The credit note total cannot be negative."
#: (unconfirmed) Format with the credit's name ("credit note", "overpayment", "prepayment").
ALLOCATION_CREDIT_STATUS = "Only an approved {credit} with remaining credit can be allocated."
#: (unconfirmed)
ALLOCATION_INVOICE_REQUIRED = "An Invoice must be specified for this allocation (InvoiceID or InvoiceNumber)."
#: (unconfirmed)
ALLOCATION_INVOICE_STATUS = "Credit can only be allocated to an approved invoice with an amount due."
#: (unconfirmed) Format with the credit's name and the invoice type it settles.
ALLOCATION_INVOICE_TYPE = "A {credit} of this type can only be allocated to invoices of type {type}."
#: (unconfirmed) Format with the credit's name.
ALLOCATION_CONTACT = "The invoice and the {credit} must be for the same contact."
#: (unconfirmed) Format with the credit's name.
ALLOCATION_CURRENCY = "The invoice and the {credit} must be in the same currency."
#: (unconfirmed)
ALLOCATION_AMOUNT_POSITIVE = "The amount allocated must be greater than zero."
#: (unconfirmed) Format with the amounts.
ALLOCATION_EXCEEDS_CREDIT = "The amount allocated ({amount}) exceeds the remaining credit ({remaining})."
#: (unconfirmed) Format with the amounts.
ALLOCATION_EXCEEDS_DUE = "The amount allocated ({amount}) exceeds the amount due on the invoice ({due})."
#: (unconfirmed) spec Allocation.required: Date.
ALLOCATION_DATE_REQUIRED = "A Date must be specified for this allocation."
#: (unconfirmed) Format with the credit's name ("Credit note", "Overpayment", "Prepayment").
CREDIT_NOT_FOUND = "{credit} could not be found"
#: (unconfirmed)
PAYMENT_TARGET_AMBIGUOUS = "A payment can be made against only one of Invoice, CreditNote, Prepayment or Overpayment."
#: (unconfirmed; patterned on the seen CREDIT_NOTE_NOT_FOUND)
BANK_TRANSACTION_NOT_FOUND = "An existing Bank Transaction with the specified BankTransactionID could not be found"
#: (unconfirmed) Format with the id.
BANK_TRANSACTION_EXISTS = "A bank transaction with BankTransactionID '{id}' already exists. Use POST to update it."
#: (unconfirmed) spec BankTransaction.Type enum. Format with the type sent.
BANK_TRANSACTION_TYPE_INVALID = "'{type}' is not a valid bank transaction Type."
#: (unconfirmed) the -TRANSFER types are the two sides of a BankTransfer. Format with the type.
BANK_TRANSACTION_TYPE_READ_ONLY = ("Bank transactions of type {type} belong to a bank transfer; create or delete "
                                   "them with BankTransfers.")
#: (unconfirmed)
BANK_TRANSACTION_TYPE_CHANGE = "The Type of a bank transaction cannot be changed."
#: (unconfirmed) Xero's bank transaction statuses a client may set are AUTHORISED and DELETED
#: (https://github.com/waynerobinson/xeroizer/pull/183, citing Xero's docs).
BANK_TRANSACTION_STATUS_INVALID = "Bank transaction Status must be AUTHORISED or DELETED."
#: (unconfirmed)
BANK_TRANSACTION_STATUS_MODIFICATION = "Bank transaction not of valid status for modification"
#: (unconfirmed) spec BankTransaction.required: LineItems.
BANK_TRANSACTION_LINES_REQUIRED = "A bank transaction must have at least one line item."
#: (unconfirmed)
BANK_TRANSACTION_LINE_ACCOUNT_REQUIRED = "Line items on a bank transaction must have an AccountCode."
#: (unconfirmed)
BANK_TRANSACTION_TOTAL_NEGATIVE = "The bank transaction total cannot be negative."
#: (unconfirmed) Format with the credit's name.
CREDIT_TOTAL_POSITIVE = "The total of an {credit} must be greater than zero."
#: (unconfirmed) "Overpayments can only have a single line item" (https://support.databuzz.com.au/article/246).
OVERPAYMENT_ONE_LINE = "An overpayment can only have one line item."
#: (unconfirmed) "The Xero API does not currently support updates to an existing Overpayment"
#: (https://support.databuzz.com.au/article/246). Format with the credit's name.
CREDIT_READ_ONLY = "An {credit} cannot be edited; it can only be deleted."
#: (unconfirmed) Format with the credit's name.
CREDIT_IN_USE = "This {credit} cannot be deleted as it has been allocated or refunded."
#: (unconfirmed)
BANK_TRANSFER_SAME_ACCOUNT = "The FromBankAccount and ToBankAccount of a bank transfer must be different."
#: (unconfirmed)
BANK_TRANSFER_AMOUNT_POSITIVE = "The Amount of a bank transfer must be greater than zero."
#: (unconfirmed)
BANK_TRANSFER_CURRENCY = "Both bank accounts of a bank transfer must be in the same currency."
#: (unconfirmed) spec BankTransferDeleteByUrlParam.Status.
BANK_TRANSFER_DELETE_STATUS = "Bank transfers can only be deleted by setting Status to DELETED."
#: (unconfirmed)
BANK_TRANSFER_ALREADY_DELETED = "This bank transfer has already been deleted."
#: (unconfirmed) spec BankTransferDelete.required: BankTransferID.
BANK_TRANSFER_ID_REQUIRED = "A BankTransferID must be specified."
#: (unconfirmed)
BANK_TRANSFER_NOT_FOUND = "Bank transfer could not be found"
#: (seen) spec example of createManualJournals. Format with the debits and the (negative) credits, 2 dp.
MANUAL_JOURNAL_UNBALANCED = "The total debits ({debits}) must equal total credits ({credits})"
#: (seen) spec example of createManualJournals (a Warning on a draft). Format with the code.
MANUAL_JOURNAL_ACCOUNT_REMOVED = "Account code '{code}' has been removed as it does not match a recognised account."
#: (unconfirmed) spec ManualJournal.required: Narration.
MANUAL_JOURNAL_NARRATION_REQUIRED = "A Narration must be specified for this manual journal."
#: (unconfirmed)
MANUAL_JOURNAL_LINES_REQUIRED = "A posted manual journal must have at least two journal lines."
#: (unconfirmed)
MANUAL_JOURNAL_LINE_ACCOUNT_REQUIRED = "Journal lines of a posted manual journal must have an AccountCode."
#: (unconfirmed)
MANUAL_JOURNAL_LINE_AMOUNT_REQUIRED = "Every journal line must have a LineAmount."
#: (unconfirmed) Format with the code.
MANUAL_JOURNAL_ACCOUNT_INVALID = "Account code '{code}' cannot be used in a manual journal."
#: (unconfirmed)
MANUAL_JOURNAL_STATUS_CREATION = "Manual journal not of valid status for creation"
#: (unconfirmed)
MANUAL_JOURNAL_STATUS_MODIFICATION = "Manual journal not of valid status for modification"
#: (unconfirmed; patterned on the seen CREDIT_NOTE_NOT_FOUND)
MANUAL_JOURNAL_NOT_FOUND = "An existing Manual Journal with the specified ManualJournalID could not be found"
#: (unconfirmed) Format with the id.
MANUAL_JOURNAL_EXISTS = "A manual journal with ManualJournalID '{id}' already exists. Use POST to update it."

# Quotes, purchase orders, linked transactions, history, attachments (workflow developer) -------------------

#: (unconfirmed; patterned on INVOICE_STATUS_MODIFICATION) Format with the label ("Quote", "Purchase Order").
WORKFLOW_STATUS_MODIFICATION = "{label} not of valid status for modification"
#: (unconfirmed) Format with the label.
WORKFLOW_STATUS_CREATION = "{label} not of valid status for creation"
#: (unconfirmed) Format with the label and the spec's enum values.
WORKFLOW_STATUS_INVALID = "{label} Status must be one of {statuses}."
#: (unconfirmed) Format with the label and the number field.
WORKFLOW_NUMBER_UNIQUE = "{label} number ({field}) must be unique."
#: (unconfirmed) Format with the label.
WORKFLOW_LINES_REQUIRED = "A {label} must have at least one line item."
#: (unconfirmed)
WORKFLOW_LINE_DESCRIPTION = "Line items must have a Description or an ItemCode."
#: (unconfirmed) a value longer than the spec's maxLength. Format with the field and the limit.
WORKFLOW_FIELD_TOO_LONG = "{field} must be {limit} characters or less."
#: (unconfirmed) PUT with the id of an existing document. Format with the label, the id field and the id.
WORKFLOW_EXISTS = "A {label} with {field} '{id}' already exists. Use POST to update it."
#: (unconfirmed) Format with the label.
WORKFLOW_NOT_FOUND = "{label} could not be found"
#: (unconfirmed) spec QuoteLineAmountTypes.
QUOTE_LINE_AMOUNT_TYPES_INVALID = "LineAmountTypes must be EXCLUSIVE, INCLUSIVE or NOTAX."
#: (unconfirmed)
QUOTE_EXPIRY_BEFORE_DATE = "The ExpiryDate cannot be before the Date of the quote."
#: (unconfirmed; the rule is the spec's PurchaseOrder.SentToContact description)
PURCHASE_ORDER_SENT_STATUS = "SentToContact can be set only on purchase orders that have been approved or billed."

#: (seen) spec example of createLinkedTransaction.
LINKED_SOURCE_LINE_MISMATCH = "The SourceLineItemID and SourceTransactionID do not match"
#: (seen) spec example of updateLinkedTransaction (400).
LINKED_CONTACT_MISMATCH = "The ContactID and the TargetTransaction ContactID do not match"
#: (unconfirmed; patterned on the two above)
LINKED_TARGET_LINE_MISMATCH = "The TargetLineItemID and TargetTransactionID do not match"
#: (unconfirmed)
LINKED_SOURCE_REQUIRED = "SourceTransactionID and SourceLineItemID are required."
#: (unconfirmed)
LINKED_SOURCE_NOT_FOUND = "The SourceTransactionID could not be found"
#: (unconfirmed) spec LinkedTransaction.SourceTransactionID: "created from a particular ACCPAY invoice".
LINKED_SOURCE_TYPE = "The source transaction must be an ACCPAY invoice."
#: (unconfirmed) spec LinkedTransaction.TargetTransactionID: "allocated to a particular ACCREC invoice".
LINKED_TARGET_INVALID = "The TargetTransactionID must be an ACCREC invoice that is not voided or deleted."
#: (unconfirmed)
LINKED_TARGET_REQUIRED = "A TargetLineItemID needs a TargetTransactionID."
#: (unconfirmed)
LINKED_SOURCE_LINE_TAKEN = "This source line item is already linked to a linked transaction."
#: (unconfirmed)
LINKED_SOURCE_FIXED = "The source of a linked transaction cannot be changed."
#: (unconfirmed) Format with the status.
LINKED_LOCKED = "A linked transaction with status {status} cannot be changed or deleted."

#: (unconfirmed)
NOTE_DETAILS_REQUIRED = "Details must be specified for a history note."
#: (unconfirmed wording; the 250-character limit is Xero's docs) Format with the limit.
NOTE_DETAILS_TOO_LONG = "Details must be {limit} characters or less."

#: (unconfirmed)
ATTACHMENT_NAME_REQUIRED = "A file name must be given in the URL of an attachment."
#: (unconfirmed)
ATTACHMENT_EMPTY = "The attachment has no content: send the file as the request body."
#: (unconfirmed) Format with the limit in MB.
ATTACHMENT_TOO_LARGE = "The attachment is too large: files can be at most {limit} MB."
#: (unconfirmed) Format with the limit.
ATTACHMENT_LIMIT = "A document can have at most {limit} attachments."
#: (unconfirmed)
ATTACHMENT_INCLUDE_ONLINE = "IncludeOnline can be set only for attachments of sales invoices and sales credit notes."
#: (seen) spec example of HistoryRetrieved ("Attached the file sample2.jpg through the Xero API using Xero API
#: Partner"). Format with the file name and the app name.
ATTACHMENT_HISTORY = "Attached the file {name} through the Xero API using {app}"

#: (unconfirmed) Format with the operation and the element count.
SINGLE_ELEMENT = "{operation} takes exactly one element; {count} were sent"

# Tracking categories and options (catalogue developer) -------------------------------------------------------

#: (seen) https://github.com/calcinai/xero-php/issues/920 (real API response).
TRACKING_OPTION_NAME_UNIQUE = "For each specified tracking option the name must be unique."
#: (unconfirmed) spec TrackingCategory.Name / TrackingOption.Name (max length = 100).
TRACKING_NAME_REQUIRED = "A Name must be specified."
TRACKING_NAME_TOO_LONG = "The Name must be 100 characters or less."
#: (unconfirmed)
TRACKING_CATEGORY_NAME_UNIQUE = "A tracking category with this name already exists."
#: (unconfirmed) Xero's limit of 2 active tracking categories.
TRACKING_CATEGORY_LIMIT = "You can only have 2 active tracking categories."
#: (unconfirmed)
TRACKING_STATUS_INVALID = "Status must be ACTIVE or ARCHIVED."
#: (unconfirmed) a category or option used on transactions can be archived, not deleted.
TRACKING_CATEGORY_IN_USE = ("This tracking category has been used on transactions and cannot be deleted. "
                            "Archive it instead.")
TRACKING_OPTION_IN_USE = ("This tracking option has been used on transactions and cannot be deleted. "
                          "Archive it instead.")

# Contact groups (catalogue developer) ------------------------------------------------------------------------

#: (seen) spec example of createContactGroup.
CONTACT_GROUP_LIMIT = "You’ve reached the limit of 100 contact groups."
#: (unconfirmed) spec ContactGroup.Name: "Required when creating a new contact group".
CONTACT_GROUP_NAME_REQUIRED = "The contact group Name must be specified."
#: (unconfirmed)
CONTACT_GROUP_NAME_UNIQUE = "A contact group with this name already exists."
#: (unconfirmed) spec ContactGroup.Status enum.
CONTACT_GROUP_STATUS_INVALID = "Status must be ACTIVE or DELETED."
#: (unconfirmed)
CONTACT_GROUP_CONTACTS_REQUIRED = "At least one Contact must be specified."
#: (unconfirmed)
CONTACT_GROUP_NOT_MEMBER = "The contact is not a member of this contact group."

# Settings (catalogue developer) ------------------------------------------------------------------------------

#: (unconfirmed)
CURRENCY_CODE_REQUIRED = "A currency Code must be specified."
#: (unconfirmed) Format with the code.
CURRENCY_CODE_INVALID = "The currency code '{code}' is not valid."
#: (unconfirmed)
TAX_RATE_NAME_REQUIRED = "A tax rate Name must be specified."
#: (unconfirmed) Format with the name.
TAX_RATE_NAME_UNIQUE = "A tax rate with the name '{name}' already exists."
#: (unconfirmed)
TAX_RATE_COMPONENTS_REQUIRED = "At least one TaxComponent must be specified."
#: (ours) several and compound components are kept (adapters.native.ops_tax_components); non-recoverable ones,
#: which apply to Canadian organisations only (spec TaxComponent.IsNonRecoverable), are not.
TAX_RATE_ONE_COMPONENT = "Non-recoverable tax components are not supported."
#: (unconfirmed)
TAX_RATE_RATE_INVALID = "The TaxComponent Rate must be zero or more."
#: (unconfirmed)
TAX_RATE_COMPONENT_NAME_REQUIRED = "The TaxComponent Name must be specified."
#: (unconfirmed)
TAX_RATE_REPORT_TYPE_REQUIRED = "A ReportTaxType must be specified."
#: (unconfirmed) Format with the report tax type.
TAX_RATE_REPORT_TYPE_INVALID = "The ReportTaxType '{report_tax_type}' is not valid for this organisation."
#: (unconfirmed)
TAX_RATE_STATUS_INVALID = "Tax rate Status must be ACTIVE, ARCHIVED or DELETED (ACTIVE when created)."
#: (unconfirmed)
TAX_RATE_NOT_FOUND = "Tax rate could not be found"
#: (unconfirmed)
TAX_RATE_SYSTEM_EDIT = "System tax rates cannot be edited."
#: (unconfirmed)
ACCOUNT_DELETE_SYSTEM = "System accounts cannot be deleted."
#: (unconfirmed) Xero deletes only accounts without transactions; the others can be archived.
ACCOUNT_DELETE_IN_USE = "This account has transactions and cannot be deleted. Archive it instead."

# Lock dates and write rules (query/write-rules developer) ----------------------------------------------------

#: (seen) https://github.com/waynerobinson/xeroizer/issues/92 (real API response: "The document date cannot be
#: before the end of year lock date, currently set at 31-Jul-2013"). Format with the date as ``31-Jul-2013``.
LOCK_DATE_END_OF_YEAR = "The document date cannot be before the end of year lock date, currently set at {date}"
#: (unconfirmed; patterned on the message above) Format with the date as ``31-Jul-2013``.
LOCK_DATE_PERIOD = "The document date cannot be before the period lock date, currently set at {date}"
#: (unconfirmed) a value longer than the spec's "(max length = N)". Format with the field and the length.
FIELD_TOO_LONG = "{field} must be {max} characters or less."
#: ``PUT`` naming a document by an id that is not a GUID (ours: Xero's exact wording is unconfirmed).
ID_NOT_GUID = "The ID '{id}' is not a valid GUID."
