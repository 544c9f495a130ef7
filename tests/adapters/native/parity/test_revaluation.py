"""Unrealised currency gains on open foreign-currency invoices and bills (issue 12), by hand, GBP base:

- Invoice 1,200.00 USD (1,000.00 + 20 % VAT) at 1.25 → receivable 960.00 GBP. Revalued at 1.30: 1,200 / 1.30 =
  923.0769… → 923.08; unrealised loss 36.92 (receivable down 36.92, Unrealised Currency Gains debited 36.92).
  Revalued at 1.20: 1,000.00; unrealised gain 40.00.
- After a part payment of 600.00 USD (clearing 600 / 1.25 = 480.00): booked 480.00, due 600.00 USD; at 1.30 →
  461.54, loss 18.46.
- Bill 100.00 USD at 1.25 → payable 80.00 GBP. At 1.30: 76.92, the liability falls, gain 3.08.
- The revaluation is undone on the following day, so paying the invoice in full at 1.20 still realises
  1,000.00 - 960.00 = 40.00 on Realised Currency Gains, as without the revaluation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from adapters.native.ledger.fx import settlement, to_base
from adapters.native.ledger.revaluation import OpenItem, booked_left, revalue, reversal_date, unrealised

D = Decimal
INVOICE = OpenItem(type="ACCREC", currency="USD", due=D("1200.00"), booked=D("960.00"))
BILL = OpenItem(type="ACCPAY", currency="USD", due=D("100.00"), booked=D("80.00"))


def test_receivable_revalued_by_hand() -> None:
    assert to_base(INVOICE.due, D("1.25")) == INVOICE.booked
    assert unrealised(INVOICE, D("1.30")) == D("-36.92")
    assert unrealised(INVOICE, D("1.20")) == D("40.00")
    assert unrealised(INVOICE, D("1.25")) == D("0.00")


def test_part_paid_receivable_revalues_what_is_left() -> None:
    left = booked_left(D("960.00"), [D("600.00")], D("1.25"))
    assert left == D("480.00")
    assert unrealised(OpenItem(type="ACCREC", currency="USD", due=D("600.00"), booked=left), D("1.30")) == D("-18.46")


def test_payable_gains_when_the_currency_weakens() -> None:
    assert unrealised(BILL, D("1.30")) == D("3.08")
    assert unrealised(BILL, D("1.20")) == D("-3.33")  # 100 / 1.2 = 83.33


def test_revalue_sums_per_type_and_currency_and_skips_unknown_rates() -> None:
    euro = OpenItem(type="ACCREC", currency="EUR", due=D("100.00"), booked=D("85.00"))
    second = OpenItem(type="ACCREC", currency="USD", due=D("130.00"), booked=D("104.00"))  # at 1.30: 100.00
    adjustments = revalue([INVOICE, second, BILL, euro], {"USD": D("1.30")})
    assert [(a.type, a.currency, a.gain, a.control) for a in adjustments] == [
        ("ACCPAY", "USD", D("3.08"), D("3.08")), ("ACCREC", "USD", D("-40.92"), D("-40.92"))]
    assert revalue([INVOICE], {"USD": D("1.25")}) == []


def test_reversal_is_the_next_day_and_leaves_the_realised_gain_unchanged() -> None:
    assert reversal_date(dt.date(2026, 3, 31)) == dt.date(2026, 4, 1)
    assert reversal_date(dt.date(2026, 12, 31)) == dt.date(2027, 1, 1)
    (adjustment,) = revalue([INVOICE], {"USD": D("1.30")})
    revalued = INVOICE.booked + adjustment.control  # the receivable at the revaluation date
    assert revalued == to_base(INVOICE.due, D("1.30")) == D("923.08")
    booked_after_reversal = revalued - adjustment.control  # the next day
    assert booked_after_reversal == D("960.00")
    assert settlement(amount=D("1200.00"), payment_rate=D("1.20"), invoice_rate=D("1.25"),
                      control_left=booked_after_reversal) == (D("1000.00"), D("960.00"), D("40.00"))


@pytest.mark.parametrize("rate", [D(0), D("-1.3")])
def test_a_rate_must_be_positive(rate: Decimal) -> None:
    with pytest.raises(ValueError, match="positive"):
        unrealised(INVOICE, rate)


def test_only_invoice_types_revalue() -> None:
    with pytest.raises(ValueError, match="invoice type"):
        unrealised(OpenItem(type="SPEND", currency="USD", due=D(1), booked=D(1)), D("1.3"))
