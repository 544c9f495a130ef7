"""Native-ledger operations: tax rates with several components, compound ones included.

``GET /TaxRates`` and ``GET /TaxRates/{TaxType}`` answer each rate's components, ``DisplayTaxRate`` and
``EffectiveRate`` as :mod:`adapters.native.ledger.tax_components` computes them. ``PUT``/``POST /TaxRates`` accept
several components (spec ``TaxRate.TaxComponents``; xero-node's sample app creates such rates, issue 12): the
element is checked and written by :mod:`adapters.native.resources.settings_writes` as a rate of one component at
the effective rate (so names, report tax types, statuses and system rates follow the same rules), and the
components are kept in :class:`~adapters.native.tables.tax_components.TaxComponentRow`. Non-recoverable
components (Canadian organisations only, spec ``TaxComponent.IsNonRecoverable``) stay refused.

Limitation: ``where``/``order`` on ``DisplayTaxRate`` read the stored (effective) rate.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select

from gateway.xero import models as xm
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import messages
from .books import Books
from .ledger.tax_components import Component, display_rate, effective_rate
from .ledger.taxmath import round_dp
from .ops_base import all_or_nothing
from .ops_settings import SettingsOperations
from .resources import settings_writes
from .tables.core import TaxRate
from .tables.tax_components import TaxComponentRow
from .translate import core as translate
from .validation import ElementInvalid, parse_element, provided, text


class TaxComponentOperations(SettingsOperations):
    """The TaxRates operations, with rates of several components."""

    async def get_tax_rates(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TaxRates`` (as :meth:`SettingsOperations.get_tax_rates`), each rate with all its components."""
        return await self._with_components(ctx, await super().get_tax_rates(ctx, req))

    async def get_tax_rate_by_tax_type(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TaxRates/{TaxType}`` with all the rate's components. Raises ``NotFound``."""
        return await self._with_components(ctx, await super().get_tax_rate_by_tax_type(ctx, req))

    async def create_tax_rates(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /TaxRates``: one or more rates of one or more components, all or nothing. Raises
        ``ValidationException``."""
        return await self._write_rates(ctx, req, create=True)

    async def update_tax_rate(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /TaxRates``: update rates named by ``TaxType`` or ``Name`` (their components replaced when
        ``TaxComponents`` is given), all or nothing. Raises ``ValidationException``."""
        return await self._write_rates(ctx, req, create=False)

    async def _with_components(self, ctx: RequestContext, result: Result) -> Result:
        types = [m.TaxType for m in result.items if isinstance(m, xm.TaxRate) and m.TaxType]
        if not types:
            return result

        async def work(books: Books) -> dict[str, list[Component]]:
            return await _components_by_type(books, types)
        found = await self._read(ctx, work)
        for model in result.items:
            components = found.get(getattr(model, "TaxType", None) or "")
            if components:
                _show(model, components)  # type: ignore[arg-type]
        return result

    async def _write_rates(self, ctx: RequestContext, req: XeroRequest, *, create: bool) -> Result:
        async def work(books: Books) -> Result:
            async def apply(element: Any) -> xm.TaxRate:
                return await _write_rate(books, element, create=create)
            return Result(items=list(await all_or_nothing(req.elements, apply)))
        return await self._write(ctx, req, work)


async def _write_rate(books: Books, element: dict[str, Any], *, create: bool) -> xm.TaxRate:
    """Write one ``TaxRates`` element. Raises ``ElementInvalid`` (nothing written)."""
    model = parse_element(xm.TaxRate, element)
    components = _components_of(model)
    write = settings_writes.create_tax_rate if create else settings_writes.update_tax_rate
    if components is None:  # one plain component (or a refused non-recoverable one): the one-component rules
        row = await write(books, element)
        if not create and provided(model, "TaxComponents"):
            await _replace(books, row, [])
        return translate.tax_rate(row)
    errors = [message for c in components for message in _component_errors(c)]
    if errors:
        raise ElementInvalid(list(dict.fromkeys(errors)))
    collapsed = {**element, "TaxComponents": [{"Name": components[0].name, "Rate": effective_rate(components)}]}
    row = await write(books, collapsed)
    if settings_writes.is_system_rate(row.tax_type):  # system rates keep their one component
        raise ElementInvalid([messages.TAX_RATE_SYSTEM_EDIT])
    await _replace(books, row, components)
    model_out = translate.tax_rate(row)
    _show(model_out, components)
    return model_out


def _components_of(model: xm.TaxRate) -> list[Component] | None:
    """The element's components when it has several or a compound one (none non-recoverable), else ``None``."""
    given = model.TaxComponents or []
    if any(c.IsNonRecoverable for c in given) or not (len(given) > 1 or any(c.IsCompound for c in given)):
        return None
    return [Component(name=text(c.Name) or "", rate=Decimal(c.Rate) if c.Rate is not None else Decimal(-1),
                      is_compound=bool(c.IsCompound)) for c in given]


def _component_errors(component: Component) -> list[str]:
    errors = []
    if component.rate < 0:
        errors.append(messages.TAX_RATE_RATE_INVALID)
    if not component.name:
        errors.append(messages.TAX_RATE_COMPONENT_NAME_REQUIRED)
    return errors


async def _replace(books: Books, row: TaxRate, components: list[Component]) -> None:
    """Store ``components`` as the rate's (none: the rate is back to its one component on ``row``)."""
    await books.session.execute(delete(TaxComponentRow).where(TaxComponentRow.company_id == books.company.id,
                                                              TaxComponentRow.tax_type == row.tax_type))
    books.session.add_all(TaxComponentRow(company_id=books.company.id, tax_type=row.tax_type, position=n,
                                          name=c.name, rate=round_dp(c.rate, 4), is_compound=c.is_compound)
                          for n, c in enumerate(components))
    await books.session.flush()


async def _components_by_type(books: Books, tax_types: list[str]) -> dict[str, list[Component]]:
    rows = await books.session.scalars(
        select(TaxComponentRow)
        .where(TaxComponentRow.company_id == books.company.id, TaxComponentRow.tax_type.in_(tax_types))
        .order_by(TaxComponentRow.tax_type, TaxComponentRow.position))
    found: dict[str, list[Component]] = {}
    for r in rows:
        found.setdefault(r.tax_type, []).append(Component(name=r.name, rate=r.rate, is_compound=r.is_compound))
    return found


def _show(model: xm.TaxRate, components: list[Component]) -> None:
    """Set the model's components, ``DisplayTaxRate`` and ``EffectiveRate`` from ``components``."""
    model.TaxComponents = [xm.TaxComponent(Name=c.name, Rate=round_dp(c.rate, 4), IsCompound=c.is_compound,
                                           IsNonRecoverable=False) for c in components]
    model.DisplayTaxRate = display_rate(components)
    model.EffectiveRate = effective_rate(components)
