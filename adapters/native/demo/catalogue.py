"""The demo company's catalogue: tracking categories, items and contact groups, and the tags of its sales lines.

Data is ``mappings/native_demo_catalogue.toml``. Everything is written through the API's own write paths
(:mod:`.tracking_categories`, :mod:`.items`, :mod:`.contact_groups`), so the demo passes the same validation.
:func:`sales_line_extras` decides, without randomness, the ``ItemCode`` and ``Tracking`` of a demo sales line
(Region from the customer's city, Department from the line's item), so the demo's amounts and ids stay as
they were before tracking existed.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import mappings

from ..books import Books
from ..resources import contact_groups, contacts, items, tracking_categories
from ..validation import ElementInvalid


@cache
def table() -> dict[str, Any]:
    """``mappings/native_demo_catalogue.toml``."""
    return mappings.load("native_demo_catalogue")


@cache
def _items_by_description() -> dict[str, dict[str, Any]]:
    return {row["description"]: row for row in table()["item"]}


def _details(spec: list[str] | None) -> dict[str, str] | None:
    if not spec:
        return None
    price, account, tax_type = spec
    return {"UnitPrice": price, "AccountCode": account, "TaxType": tax_type}


async def seed(books: Books) -> None:
    """Create the demo's tracking categories with their options, its items and its contact groups.

    Raises:
        RuntimeError: the table failed validation (a bug in the table).
    """
    try:
        for row in table()["tracking_category"]:
            category = await tracking_categories.write_category(books, {"Name": row["name"]})
            await tracking_categories.create_options(books, category.id,
                                                     {"Options": [{"Name": o} for o in row["options"]]})
        for row in table()["item"]:
            element: dict[str, Any] = {"Code": row["code"], "Name": row["name"], "Description": row["description"],
                                       "SalesDetails": _details(row.get("sales")), "IsSold": "sales" in row,
                                       "IsPurchased": "purchase" in row}
            if "purchase" in row:
                element["PurchaseDetails"] = _details(row["purchase"])
                element["PurchaseDescription"] = row.get("purchase_description")
            await items.write(books, element, mode="create")
        for row in table()["contact_group"]:
            group = await contact_groups.write(books, {"Name": row["name"]})
            members = [await contacts.get_by_name(books, name) for name in row["members"]]
            await contact_groups.add_contacts(books, group.id, [{"ContactID": c.id} for c in members if c])
    except ElementInvalid as exc:  # pragma: no cover - a table bug
        raise RuntimeError(f"demo catalogue failed validation: {exc.messages}") from exc


def sales_line_extras(city: str, description: str) -> dict[str, Any]:
    """The ``ItemCode`` and ``Tracking`` of a demo sales line to a customer in ``city`` (empty when the line's
    description is no demo item)."""
    item = _items_by_description().get(description)
    if item is None:
        return {}
    tracking = [{"Name": "Department", "Option": item["department"]}]
    region = table()["region_by_city"].get(city)
    if region:
        tracking.insert(0, {"Name": "Region", "Option": region})
    return {"ItemCode": item["code"], "Tracking": tracking}
