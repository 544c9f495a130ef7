"""``emailInvoice``: the e-mail of a sales invoice, with its PDF attached, sent through the operator's SMTP server.

Rules (https://developer.xero.com/documentation/api/accounting/invoices#emailing-an-invoice; the spec answers 204 or
its 400 ``Error``; "unconfirmed" where Xero's documentation does not say):

- Only sales invoices (``ACCREC``) in ``SUBMITTED``, ``AUTHORISED`` or ``PAID`` can be e-mailed (Xero: "the invoice
  must be of Type ACCREC and a valid Status for sending (SUBMITTED, AUTHORISED or PAID)").
- The recipient is the contact's ``EmailAddress``; a contact without one is refused (400).
- No SMTP server configured (``[smtp] host`` empty, :class:`gateway.settings.SmtpSettings`) is a 400 too: the spec
  documents no other error for this operation, and the request cannot succeed until the operator configures one.
- The mail server refusing the recipient is a 400; a server that cannot be reached or fails is a 503 with a plain
  text body (:class:`MailServerUnavailable`), Xero's shape when it cannot serve a request (xero-contract.md §3).
- Once sent the invoice is marked ``SentToContact`` (Xero does so) and its history records ``Sent``.

Sending uses aiosmtplib (STARTTLS or implicit TLS as configured, a timeout per exchange).
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid

import aiosmtplib

from gateway.settings import SmtpSettings
from gateway.xero import models as xm
from gateway.xero.errors import ValidationException, XeroApiError

SENDABLE_STATUSES = frozenset({"SUBMITTED", "AUTHORISED", "PAID"})

NOT_CONFIGURED = ("No SMTP server is configured for this organisation's ledger: the operator must set [smtp] host "
                  "and from_address in the gateway's settings before invoices can be e-mailed.")
NOT_SALES = "Only sales invoices (Type ACCREC) can be e-mailed."
NOT_SENDABLE = "An invoice must have a status of SUBMITTED, AUTHORISED or PAID to be e-mailed."
NO_ADDRESS = "The contact {name} has no email address to send the invoice to."
REFUSED = "The mail server refused the contact's email address {address}."


class MailServerUnavailable(XeroApiError):
    """HTTP 503, plain text: the operator's SMTP server could not be reached or failed (retry later)."""

    status = 503

    def __init__(self, reason: str) -> None:
        super().__init__(f"The service is temporarily unavailable: the mail server could not send the invoice "
                         f"({reason}). Try again later.")

    def body(self) -> str:
        return self.message


def check_sendable(smtp: SmtpSettings, invoice: xm.Invoice, contact: xm.Contact | None) -> str:
    """The recipient's address, once the invoice may be e-mailed (see the module docstring).

    Raises:
        ValidationException: no SMTP server configured, not a sales invoice, a status that cannot be sent, or a
            contact without an ``EmailAddress``.
    """
    if not smtp.host:
        raise ValidationException.single(NOT_CONFIGURED)
    if invoice.Type != "ACCREC":
        raise ValidationException.single(NOT_SALES)
    if invoice.Status not in SENDABLE_STATUSES:
        raise ValidationException.single(NOT_SENDABLE)
    address = (contact.EmailAddress or "").strip() if contact is not None else ""
    if not address:
        name = contact.Name if contact is not None else ""
        raise ValidationException.single(NO_ADDRESS.format(name=name or "of this invoice"))
    return address


def build_message(smtp: SmtpSettings, *, invoice: xm.Invoice, organisation: xm.Organisation, recipient: str,
                  pdf: bytes) -> EmailMessage:
    """The e-mail: a short text body naming the invoice, its total and due date, and the PDF attached as
    ``Invoice {InvoiceNumber}.pdf`` (``application/pdf``).

    Args:
        invoice: the invoice as ``getInvoice`` answers it (money ``Decimal`` in the invoice's currency).
        organisation: the sender organisation (its ``Name`` signs the message).
        recipient: the contact's address.
        pdf: the rendered invoice (:mod:`adapters.native.resources.pdf`).
    """
    sender = organisation.Name or "Accounts"
    number = invoice.InvoiceNumber or invoice.InvoiceID or ""
    message = EmailMessage()
    message["From"] = formataddr((sender, smtp.from_address))
    message["To"] = recipient
    message["Subject"] = f"Invoice {number} from {sender}"
    message["Message-ID"] = make_msgid(domain=smtp.from_address.rpartition("@")[2] or None)
    due = f", due {invoice.DueDate.isoformat()}" if invoice.DueDate else ""
    message.set_content(
        f"Dear {invoice.Contact.Name if invoice.Contact else 'customer'},\n\n"
        f"Please find attached invoice {number} for {invoice.CurrencyCode or ''} {invoice.AmountDue or invoice.Total}"
        f"{due}.\n\nKind regards,\n{sender}\n")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"Invoice {number}.pdf")
    return message


async def send(smtp: SmtpSettings, message: EmailMessage) -> None:
    """Send ``message`` through the configured server.

    Raises:
        ValidationException: the server refused the recipient.
        MailServerUnavailable: the server could not be reached, timed out or failed otherwise.
    """
    try:
        await aiosmtplib.send(message, hostname=smtp.host, port=smtp.port, username=smtp.username or None,
                              password=smtp.password.get_secret_value() or None, start_tls=smtp.starttls,
                              use_tls=smtp.use_tls, timeout=smtp.timeout)
    except aiosmtplib.SMTPRecipientsRefused as exc:
        raise ValidationException.single(REFUSED.format(address=message["To"])) from exc
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise MailServerUnavailable(type(exc).__name__) from exc
