"""Tax rates made of several components, as Xero computes them (pure functions, ``Decimal`` only).

Rules:

- A non-compound component applies on the net amount; a compound component applies on the net amount plus the
  tax of the non-compound components (spec ``TaxComponent.IsCompound``: "Boolean to describe if Tax rate is
  compounded"; Xero's worked example: components of 6 % and 4 % compound make "a total tax rate of 10.00 %
  (effective rate is 10.24 %)", https://community.xero.com/developer/discussion/109027464/).
- ``DisplayTaxRate`` is the sum of the components' rates (10.0000 above), ``EffectiveRate`` the rate that gives
  the same tax on the net amount: Σ non-compound + Σ compound × (1 + Σ non-compound / 100) (10.2400 above). Both
  are reported to 4 dp (spec ``TaxRate.DisplayTaxRate``/``EffectiveRate``: "decimal to 4dp").
- A line's tax is computed at the ``EffectiveRate`` and rounded per line (:mod:`adapters.native.ledger.taxmath`),
  which is why a rate with components stores its effective rate as its ``rate``.
- The spec's ``TaxComponent`` names no account: the whole tax of a line is posted to the ledger's tax control
  account (system account ``GST``), as for a rate with one component.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .taxmath import HUNDRED, ZERO, round_dp


@dataclass(frozen=True)
class Component:
    """One component: its name, its rate in percent, whether it is compound."""

    name: str
    rate: Decimal
    is_compound: bool = False


def display_rate(components: list[Component]) -> Decimal:
    """``DisplayTaxRate``: the sum of the components' rates, 4 dp."""
    return round_dp(sum((c.rate for c in components), ZERO), 4)


def effective_rate(components: list[Component]) -> Decimal:
    """``EffectiveRate``: the rate that gives the components' whole tax on the net amount, 4 dp.

    Example: 6 % and 4 % compound → 6 + 4 × 1.06 = ``Decimal("10.2400")``.
    """
    simple = sum((c.rate for c in components if not c.is_compound), ZERO)
    compound = sum((c.rate for c in components if c.is_compound), ZERO)
    return round_dp(simple + compound * (HUNDRED + simple) / HUNDRED, 4)

