"""The rules a payment on an invoice and a refund of a credit share: the paying account, the date, the status and
the amount (https://developer.xero.com/documentation/api/accounting/payments; spec ``Payment``).

- The account, by ``Account.AccountID`` or ``Account.Code`` (or the element's ``Code``), must be ACTIVE and a bank
  account or one with ``EnablePaymentsToAccount``.
- ``Date`` is required and may not fall in a locked period (:mod:`adapters.native.ledger.lockdates`).
- ``Status`` may only be ``AUTHORISED``.
- ``Amount`` is positive (2 dp) and at most what is open on the invoice or credit it pays.
"""

from __future__ import annotations

from decimal import Decimal

from gateway.xero import models as xm
from gateway.xero.guids import normalise_guid

from .. import messages
from ..books import Books
from ..ledger import lockdates
from ..ledger.taxmath import round2
from ..tables.core import Account
from ..validation import text

ZERO = Decimal("0.00")


def resolve_account(books: Books, model: xm.Payment, errors: list[str]) -> Account | None:
    """The paying account, or ``None`` with its reason appended to ``errors``."""
    ref = model.Account
    account_id = text(ref.AccountID) if ref else None
    code = (text(ref.Code) if ref else None) or text(model.Code)
    if account_id:
        account = books.accounts.get(normalise_guid(account_id) or "")
    elif code:
        account = books.account_by_code(code)
    else:
        errors.append(messages.PAYMENT_ACCOUNT_REQUIRED)
        return None
    if account is None or account.status != "ACTIVE":
        errors.append(messages.PAYMENT_ACCOUNT_NOT_FOUND)
        return None
    if account.type != "BANK" and not account.enable_payments:
        errors.append(messages.PAYMENT_ACCOUNT_TYPE)
        return None
    return account


def checked_amount(books: Books, model: xm.Payment, errors: list[str], *, open_amount: Decimal | None) -> Decimal:
    """Check ``Date``, ``Status`` and ``Amount``, appending what is wrong to ``errors``.

    Args:
        open_amount: what the paid document still has open (``AmountDue``, ``RemainingCredit``); ``None`` when
            the document was not found or is not AUTHORISED (its own error says so).

    Returns:
        The amount rounded to 2 dp (``0.00`` when missing).
    """
    if model.Date is None:
        errors.append(messages.PAYMENT_DATE_REQUIRED)
    errors.extend(lockdates.violations(books.company, model.Date))
    if model.Status is not None and model.Status != "AUTHORISED":
        errors.append(messages.PAYMENT_STATUS_INVALID)
    amount = round2(model.Amount) if model.Amount is not None else ZERO
    if amount <= 0:
        errors.append(messages.PAYMENT_AMOUNT_POSITIVE)
    elif open_amount is not None and amount > open_amount:
        errors.append(messages.PAYMENT_EXCEEDS)
    return amount
