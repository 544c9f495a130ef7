"""Sage analysis types ↔ Xero TrackingCategories (pure functions).

Sage Business Cloud Accounting's analysis types (swagger.accounts.v3.1.json ``AnalysisType``, answered with their
``analysis_type_categories``) are Xero's tracking categories, and their categories Xero's tracking options
(upstream-contracts.md §5: "TrackingCategory ↔ analysis_types / analysis_type_categories"; per line, UK Plus).

- ``TrackingCategoryID``/``TrackingOptionID`` are the stable GUIDs of the Sage records; ``Name`` ← ``name``.
- ``Status`` is ``ACTIVE``: Sage has no archived analysis types or categories (its API offers no such member).
- A line's ``Tracking`` ↔ the line's ``analysis_type_categories`` (ids when written; ``AnalysisTypeLineItem`` s with
  their ``analysis_type`` when read). A line names at most one option per category, as in Xero.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models.catalogue import TrackingCategory, TrackingOption
from gateway.xero.models.core import LineItemTracking

from .common import Tx, ref_id, xero_text

#: (unconfirmed) Format with the category and option named.
OPTION_UNKNOWN = "The tracking option '{option}' of category '{category}' does not exist."


def category_from_sage(row: Mapping[str, Any], tx: Tx) -> TrackingCategory:
    """One analysis type as a Xero TrackingCategory with its options."""
    category_id = tx.guid("analysis_types", row["id"])
    options = [TrackingOption(TrackingOptionID=tx.guid("analysis_type_categories", c["id"]),
                              Name=c.get("name") or c.get("displayed_as"), Status="ACTIVE",
                              TrackingCategoryID=category_id)
               for c in row.get("analysis_type_categories") or [] if isinstance(c, Mapping) and c.get("id")]
    return TrackingCategory(TrackingCategoryID=category_id, Name=row.get("name") or row.get("displayed_as"),
                            Status="ACTIVE", Options=options)


def option_from_sage(row: Mapping[str, Any], tx: Tx) -> TrackingOption:
    """One analysis type category as a Xero TrackingOption."""
    return TrackingOption(TrackingOptionID=tx.guid("analysis_type_categories", row["id"]),
                          Name=row.get("name") or row.get("displayed_as"), Status="ACTIVE",
                          TrackingCategoryID=tx.guid("analysis_types", ref_id(row.get("analysis_type")) or ""))


def line_tracking(line: Mapping[str, Any], tx: Tx) -> list[LineItemTracking]:
    """A Sage line's categories as Xero ``Tracking``."""
    out = []
    for item in line.get("analysis_type_categories") or []:
        if not isinstance(item, Mapping) or not item.get("id"):
            continue
        kind = item.get("analysis_type") if isinstance(item.get("analysis_type"), Mapping) else {}
        known = next((t for t in tx.refs.rows("analysis_types") if t.get("id") == kind.get("id")), None)
        out.append(LineItemTracking(
            TrackingCategoryID=tx.guid("analysis_types", kind["id"]) if kind.get("id") else None,
            TrackingOptionID=tx.guid("analysis_type_categories", item["id"]),
            Name=(known or kind).get("name") or kind.get("displayed_as"), Option=item.get("displayed_as")))
    return out


def line_categories(line: Mapping[str, Any], tx: Tx, element: Mapping[str, Any]) -> list[str] | None:
    """The Sage category ids of a Xero line's ``Tracking`` (by option id, or by category and option names, case
    insensitive, as Xero matches them); ``None`` when the line has no ``Tracking``.

    Raises:
        ValidationException: an option the business does not have.
    """
    tracking = line.get("Tracking")
    if not isinstance(tracking, list) or not tracking:
        return None
    out = []
    for item in tracking:
        if not isinstance(item, Mapping):
            continue
        option_id = (xero_text(item, "TrackingOptionID") or "").lower()
        category, option = xero_text(item, "Name") or "", xero_text(item, "Option") or ""
        found = None
        for kind in tx.refs.rows("analysis_types"):
            for c in kind.get("analysis_type_categories") or []:
                if option_id and tx.guid("analysis_type_categories", c["id"]) == option_id or \
                        not option_id and (kind.get("name") or "").lower() == category.lower() and \
                        (c.get("name") or "").lower() == option.lower():
                    found = c["id"]
        if found is None:
            raise ValidationException.single(OPTION_UNKNOWN.format(category=category, option=option), dict(element))
        out.append(found)
    return out


#: What :func:`category_from_sage` makes of every Xero TrackingCategory field (docs/fields-1009.md).
TRACKING_CATEGORY_FIELDS = fields.FieldMap(
    "TrackingCategories", TrackingCategory,
    fields.computed("TrackingCategoryID", "uuid5 of business_id/analysis_types/id"),
    fields.populated("Name", "analysis_types.name (else displayed_as)"),
    fields.computed("Status", "ACTIVE: Sage has no archived analysis types"),
    fields.populated("Options", "analysis_types.analysis_type_categories: id, name"),
    fields.lost("TrackingOptionID", "Option",
                reason="a document line's choice of option; a category as listed carries its Options instead"),
)
