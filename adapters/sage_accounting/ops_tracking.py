"""TrackingCategories and their options ↔ Sage ``analysis_types`` and ``analysis_type_categories``
(translation: :mod:`.translate.tracking`).

A mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter`. Operations: ``getTrackingCategories``,
``getTrackingCategory``, ``updateTrackingCategory`` (``PUT /analysis_types/{key}``: the name), ``createTrackingOptions``
(``POST /analysis_type_categories``), ``updateTrackingOptions`` (``PUT``), ``deleteTrackingOptions`` (``DELETE``).

Not offered (they answer 501): ``createTrackingCategory`` and ``deleteTrackingCategory``, because a Sage business has a
fixed set of analysis types (swagger: ``/analysis_types`` has GET and PUT only). ``Status`` ``ARCHIVED`` is refused
(Sage cannot archive an analysis type). The analysis types are reference data, cached per business and dropped on any
write to them (:mod:`.refdata`).
"""

from __future__ import annotations

from typing import Any

from adapters.common import listing as common_listing
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.models.catalogue import TrackingCategory, TrackingOption
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from .ops_base import OpsBase, check_query
from .query import normalise_guid
from .translate.common import Tx, xero_text
from .translate.tracking import category_from_sage, option_from_sage
from .unit import SageUnit

ORDER = [OrderTerm("Name"), OrderTerm("TrackingCategoryID")]
#: (ours) Sage has no archived analysis types.
CANNOT_ARCHIVE = "Sage Accounting analysis types cannot be archived; only their name can change."
#: (unconfirmed, as the native ledger answers a nameless option)
NAME_REQUIRED = "A tracking option must have a Name."
#: (unconfirmed)
SINGLE_ELEMENT = "{operation} takes exactly one element."


def _single(req: XeroRequest) -> dict[str, Any]:
    if len(req.elements) != 1:
        raise ValidationException.single(SINGLE_ELEMENT.format(operation=req.operation_id))
    return req.elements[0]


async def _category(unit: SageUnit, guid: str | None) -> tuple[dict[str, Any], Tx]:
    """The analysis type behind a TrackingCategoryID (with its categories). Raises ``NotFound``."""
    tx = await unit.tx("analysis_types")
    key = normalise_guid(guid or "")
    for row in tx.refs.rows("analysis_types"):
        if key and tx.guid("analysis_types", row["id"]) == key:
            return row, tx
    raise NotFound()


def _option(category: dict[str, Any], tx: Tx, guid: str | None) -> dict[str, Any]:
    key = normalise_guid(guid or "")
    for row in category.get("analysis_type_categories") or []:
        if key and tx.guid("analysis_type_categories", row["id"]) == key:
            return row
    raise NotFound()


class TrackingOps(OpsBase):
    """Mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter` (module docstring)."""

    async def get_tracking_categories(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TrackingCategories`` from the cached ``GET /analysis_types``; ``where`` and ``order``."""
        check_query(req.query, TrackingCategory)
        async with self.unit(ctx, req) as unit:
            tx = await unit.tx("analysis_types")
            models = [category_from_sage(row, tx) for row in tx.refs.rows("analysis_types")]
        listed = common_listing.finish(models, req.query, residual=req.query.where, sort=[*req.query.order, *ORDER])
        return Result(items=listed.items, pagination=listed.pagination)

    async def get_tracking_category(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TrackingCategories/{TrackingCategoryID}``. Raises ``NotFound``."""
        async with self.unit(ctx, req) as unit:
            row, tx = await _category(unit, req.path_params.get("TrackingCategoryID"))
            return Result(items=[category_from_sage(row, tx)])

    async def update_tracking_category(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /TrackingCategories/{TrackingCategoryID}`` → ``PUT /analysis_types/{key}`` (``Name``).

        Raises:
            NotFound: no such category. ValidationException: ``Status`` ``ARCHIVED``/``DELETED``, or Sage's refusal.
        """
        element = _single(req)
        if (xero_text(element, "Status") or "ACTIVE").upper() != "ACTIVE":
            raise ValidationException.single(CANNOT_ARCHIVE, element)
        async with self.unit(ctx, req) as unit:
            row, tx = await _category(unit, req.path_params.get("TrackingCategoryID"))
            name = xero_text(element, "Name")
            if name:
                await unit.update("analysis_types", "analysis_type", str(row["id"]), {"name": name}, element=element)
            row, tx = await _category(unit, req.path_params.get("TrackingCategoryID"))
            return Result(items=[category_from_sage(row, tx)])

    async def create_tracking_options(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /TrackingCategories/{TrackingCategoryID}/Options`` → ``POST /analysis_type_categories``.

        Raises:
            NotFound: no such category. ValidationException: no ``Name``, or Sage's refusal (a duplicate name).
        """
        element = _single(req)
        name = xero_text(element, "Name")
        if not name:
            raise ValidationException.single(NAME_REQUIRED, element)
        async with self.unit(ctx, req) as unit:
            row, tx = await _category(unit, req.path_params.get("TrackingCategoryID"))
            made = await unit.create("analysis_type_categories", "analysis_type_category",
                                     {"analysis_type_id": str(row["id"]), "name": name}, label="option",
                                     element=element)
            return Result(items=[option_from_sage(made, tx)])

    async def update_tracking_options(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /TrackingCategories/{TrackingCategoryID}/Options/{TrackingOptionID}`` → ``PUT
        /analysis_type_categories/{key}`` (``Name``). Raises ``NotFound``, ``ValidationException``."""
        element = _single(req)
        name = xero_text(element, "Name")
        if not name:
            raise ValidationException.single(NAME_REQUIRED, element)
        async with self.unit(ctx, req) as unit:
            row, tx = await _category(unit, req.path_params.get("TrackingCategoryID"))
            option = _option(row, tx, req.path_params.get("TrackingOptionID"))
            changed = await unit.update("analysis_type_categories", "analysis_type_category", str(option["id"]),
                                        {"name": name}, element=element)
            return Result(items=[option_from_sage(changed, tx)])

    async def delete_tracking_options(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /TrackingCategories/{TrackingCategoryID}/Options/{TrackingOptionID}`` → ``DELETE
        /analysis_type_categories/{key}``; answers the option ``DELETED``. Raises ``NotFound``,
        ``ValidationException`` (Sage's refusal of an option in use)."""
        async with self.unit(ctx, req) as unit:
            row, tx = await _category(unit, req.path_params.get("TrackingCategoryID"))
            option = _option(row, tx, req.path_params.get("TrackingOptionID"))
            model: TrackingOption = option_from_sage({**option, "analysis_type": {"id": row["id"]}}, tx)
            await unit.delete("analysis_type_categories", str(option["id"]),
                              element={"TrackingOptionID": model.TrackingOptionID})
            model.Status = "DELETED"
            return Result(items=[model])
