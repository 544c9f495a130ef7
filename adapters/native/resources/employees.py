"""Employees: create, update, read (``/Employees``, served from Xero's spec v12.0.2 as kept in
``mappings/xero_employees.toml``).

Rules (spec ``Employee``; https://developer.xero.com/documentation/api/employees, Xero's page of that API):

- ``FirstName`` and ``LastName`` are required on a new employee, at most 255 characters each (spec
  ``maxLength``).
- ``Status`` is one of the spec's enum (ACTIVE, ARCHIVED, GDPRREQUEST, DELETED); a new employee is ACTIVE unless
  another status is given.
- ``ExternalLink.LinkType`` is one of the spec's enum (Facebook, GooglePlus, LinkedIn, Twitter, Website).
- ``POST /Employees`` updates the employee named by ``EmployeeID`` (only the fields given change) and creates the
  others (the operation is ``updateOrCreateEmployees``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

import mappings
from gateway.xero.models.employees import Employee, ExternalLink

from ..books import Books
from ..tables.employees import EmployeeRow
from ..validation import ElementInvalid, parse_element, provided, text

#: (unconfirmed) Xero's wording for these is not published.
FIRST_NAME_REQUIRED = "The FirstName of an employee must be specified."
LAST_NAME_REQUIRED = "The LastName of an employee must be specified."
NOT_FOUND = "Employee could not be found"
TOO_LONG = "{field} must be 255 characters or less."
STATUS_INVALID = "Employee Status must be one of {allowed}."
LINK_TYPE_INVALID = "ExternalLink LinkType must be one of {allowed}."
MAX_NAME = 255


def _enum(schema: str, field: str) -> tuple[str, ...]:
    """The spec's enum of ``schema.field`` (``mappings/xero_employees.toml``)."""
    return tuple(mappings.load("xero_employees")["schemas"][schema]["properties"][field]["enum"])


def to_model(row: EmployeeRow) -> Employee:
    """The stored employee as Xero shows it."""
    link = None
    if row.link_url or row.link_type or row.link_description:
        link = ExternalLink(LinkType=row.link_type, Url=row.link_url, Description=row.link_description)
    return Employee(EmployeeID=row.id, Status=row.status, FirstName=row.first_name, LastName=row.last_name,
                    ExternalLink=link, UpdatedDateUTC=row.updated_utc)


async def all_rows(books: Books) -> list[EmployeeRow]:
    """The organisation's employees, by last and first name."""
    return list(await books.session.scalars(select(EmployeeRow).where(EmployeeRow.company_id == books.company.id)
                                            .order_by(EmployeeRow.last_name, EmployeeRow.first_name, EmployeeRow.id)))


async def write(books: Books, element: dict[str, Any], *, create_only: bool) -> EmployeeRow:
    """Create the element's employee, or update the one its ``EmployeeID`` names (``create_only`` false).

    Raises:
        ElementInvalid: a rule of the module docstring is broken, or ``EmployeeID`` names no employee of the
            organisation (nothing written).
    """
    model = parse_element(Employee, element)
    row: EmployeeRow | None = None
    if model.EmployeeID and not create_only:
        row = await books.get(EmployeeRow, model.EmployeeID)
        if row is None:
            raise ElementInvalid([NOT_FOUND])
    errors = _errors(model, creating=row is None)
    if errors:
        raise ElementInvalid(errors)
    if row is None:
        row = EmployeeRow(id=books.new_id("employee"), company_id=books.company.id, status="ACTIVE", first_name="",
                          last_name="")
        books.session.add(row)
    if provided(model, "FirstName"):
        row.first_name = text(model.FirstName) or ""
    if provided(model, "LastName"):
        row.last_name = text(model.LastName) or ""
    if model.Status is not None:
        row.status = model.Status
    if model.ExternalLink is not None:
        row.link_type = text(model.ExternalLink.LinkType)
        row.link_url = text(model.ExternalLink.Url)
        row.link_description = text(model.ExternalLink.Description)
    row.updated_utc = books.now()
    await books.session.flush()
    return row


def _errors(model: Employee, *, creating: bool) -> list[str]:
    errors: list[str] = []
    for field, missing in (("FirstName", FIRST_NAME_REQUIRED), ("LastName", LAST_NAME_REQUIRED)):
        value = text(getattr(model, field))
        if value is None and (creating or provided(model, field)):
            errors.append(missing)
        elif value is not None and len(value) > MAX_NAME:
            errors.append(TOO_LONG.format(field=field))
    statuses = _enum("Employee", "Status")
    if model.Status is not None and model.Status not in statuses:
        errors.append(STATUS_INVALID.format(allowed=", ".join(statuses)))
    link_types = _enum("ExternalLink", "LinkType")
    link_type = model.ExternalLink.LinkType if model.ExternalLink is not None else None
    if link_type is not None and link_type not in link_types:
        errors.append(LINK_TYPE_INVALID.format(allowed=", ".join(link_types)))
    return errors
