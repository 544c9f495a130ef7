"""Xero tracking ↔ QBO Class and Department.

Rules (upstream-contracts.md §4 hard case 7): a realm has (at most) two Xero TrackingCategories, one for QBO
Classes and one for Departments (named by ``Preferences.AccountingInfoPrefs.DepartmentTerminology``, e.g.
"Location"), each present when its QBO tracking preference is on or records exist. Their ids are stable GUIDs of
``TrackingCategory/Class`` and ``TrackingCategory/Department``; each Class or Department record is one
TrackingOption (its ``FullyQualifiedName``; Active → ACTIVE, inactive → ARCHIVED).

On documents, a Class is line-level (``ClassRef`` in the line detail) and a Department is transaction-level
(``DepartmentRef``): every Xero line of a document carries the document's Department option, and a write whose lines
name different Department options is refused (QBO cannot hold it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models import LineItemTracking
from gateway.xero.models.catalogue import TrackingCategory, TrackingOption

from .. import codes
from .common import Tx, ref_id, text

CLASS = "Class"
DEPARTMENT = "Department"


@dataclass(frozen=True)
class Category:
    entity: str  # "Class" or "Department"
    category_id: str
    name: str


def categories(t: Tx) -> list[Category]:
    """Both categories (whether or not QBO tracks them), Class first."""
    company = t.refs.company
    return [Category(CLASS, t.guid("TrackingCategory", CLASS), CLASS),
            Category(DEPARTMENT, t.guid("TrackingCategory", DEPARTMENT), company.department_terminology)]


def _rows(t: Tx, entity: str) -> list[dict[str, Any]]:
    return (t.refs.classes if entity == CLASS else t.refs.departments).rows


def _option_name(row: dict[str, Any]) -> str:
    return str(row.get("FullyQualifiedName") or row.get("Name") or row.get("Id"))


def tracking_categories_to_xero(t: Tx, *, include_archived: bool) -> list[TrackingCategory]:
    """The realm's TrackingCategories with their options (rules in the module docstring)."""
    status = codes.statuses().name_list
    company = t.refs.company
    out = []
    for category in categories(t):
        rows = _rows(t, category.entity)
        enabled = company.class_tracking if category.entity == CLASS else company.department_tracking
        if not enabled and not rows:
            continue
        options = []
        for row in rows:
            active = row.get("Active", True) is not False
            if not active and not include_archived:
                continue
            options.append(TrackingOption(TrackingOptionID=t.guid(category.entity, row["Id"]),
                                          Name=_option_name(row),
                                          Status=status["active" if active else "inactive"]))
        out.append(TrackingCategory(TrackingCategoryID=category.category_id, Name=category.name,
                                    Status=status["active"], Options=options))
    return out


def line_tracking(t: Tx, *, class_ref: Any, department_ref: Any) -> list[LineItemTracking] | None:
    """The Xero tracking of a line with QBO ``ClassRef`` (line) and ``DepartmentRef`` (document)."""
    if ref_id(class_ref) is None and ref_id(department_ref) is None:
        return None  # most lines: no category to build
    out = []
    for category, value in zip(categories(t), (class_ref, department_ref), strict=True):
        option_id = ref_id(value)
        if option_id is None:
            continue
        row = (t.refs.classes if category.entity == CLASS else t.refs.departments).get(option_id)
        name = _option_name(row) if row else text((value or {}).get("name")) or option_id
        out.append(LineItemTracking(TrackingCategoryID=category.category_id, Name=category.name,
                                    TrackingOptionID=t.guid(category.entity, option_id), Option=name))
    return out or None


def resolve_option(t: Tx, entry: dict[str, Any], element: dict[str, Any]) -> tuple[str, str]:
    """``(entity, qbo_id)`` of one Xero tracking entry (``TrackingCategoryID``/``Name`` and ``TrackingOptionID``/
    ``Option``).

    Raises:
        ValidationException: the category or option is not one of the realm's.
    """
    wanted_category = str(entry.get("TrackingCategoryID") or "").lower()
    wanted_name = str(entry.get("Name") or "").lower()
    for category in categories(t):
        if wanted_category == category.category_id or (not wanted_category and wanted_name
                                                       and wanted_name == category.name.lower()):
            option_id = str(entry.get("TrackingOptionID") or "").lower()
            option_name = str(entry.get("Option") or "").lower()
            for row in _rows(t, category.entity):
                if (option_id and t.forward(category.entity, str(row["Id"]), "") == option_id) or (
                        not option_id and option_name and option_name in (_option_name(row).lower(),
                                                                          str(row.get("Name") or "").lower())):
                    return category.entity, str(row["Id"])
            raise ValidationException.single(
                f"The tracking option '{entry.get('Option') or entry.get('TrackingOptionID')}' does not exist in "
                f"the tracking category '{category.name}'", element)
    raise ValidationException.single(
        f"The tracking category '{entry.get('Name') or entry.get('TrackingCategoryID')}' does not exist", element)


def split_tracking(t: Tx, lines: Iterable[dict[str, Any]], element: dict[str, Any]
                   ) -> tuple[list[str | None], str | None]:
    """The Class of each line and the document's Department from the lines' Xero tracking.

    Raises:
        ValidationException: an unknown category/option, two Classes on one line, or lines naming different
            Department options (a Department is per transaction in QBO).
    """
    classes: list[str | None] = []
    departments: set[str] = set()
    for line in lines:
        class_id = None
        for entry in line.get("Tracking") or []:
            entity, qbo_id = resolve_option(t, entry, element)
            if entity == CLASS:
                if class_id is not None and class_id != qbo_id:
                    raise ValidationException.single("A line can carry one option of each tracking category",
                                                     element)
                class_id = qbo_id
            else:
                departments.add(qbo_id)
        classes.append(class_id)
    if len(departments) > 1:
        raise ValidationException.single(
            f"QuickBooks Online tracks the '{t.refs.company.department_terminology}' category per document: "
            "every line must carry the same option", element)
    return classes, next(iter(departments), None)


#: What :func:`tracking_categories_to_xero` makes of every Xero TrackingCategory field (docs/fields-1004.md).
TRACKING_CATEGORY_FIELDS = fields.FieldMap(
    "TrackingCategories", TrackingCategory,
    fields.computed("TrackingCategoryID", "uuid5 of realmId/TrackingCategory/Class|Department"),
    fields.populated("Name", "Class, or Preferences.AccountingInfoPrefs.DepartmentTerminology"),
    fields.computed("Status", "ACTIVE: a category is there while QBO tracks it or has records"),
    fields.populated("Options", "Class / Department records: Id, FullyQualifiedName, Active"),
    fields.lost("TrackingOptionID", "Option",
                reason="a document line's choice of option; a category as listed carries its Options instead"),
)
