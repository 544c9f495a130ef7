"""The demo company's repeating invoices (and, from :mod:`adapters.native.demo.budgets`, its budget).

One monthly sales template (a support retainer, approved, due on the 20th of the following month) whose first
invoice falls on the first day of the month after the first start, and one weekly draft bill (window cleaning): the
schedule generates their invoices from then on (:mod:`adapters.native.resources.repeating_runs`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta

from ..books import Books
from ..resources import repeating_invoices
from ..validation import ElementInvalid


def templates(today: dt.date) -> list[dict[str, Any]]:
    """The demo's repeating invoice elements (Xero field names), relative to the first-start date."""
    next_month = today.replace(day=1) + relativedelta(months=1)
    return [
        {"Type": "ACCREC", "Contact": {"Name": "Meridian University"}, "Status": "AUTHORISED",
         "Reference": "Support retainer", "LineAmountTypes": "Exclusive", "MarkAsSent": True,
         "Schedule": {"Period": 1, "Unit": "MONTHLY", "DueDate": 20, "DueDateType": "OFFOLLOWINGMONTH",
                      "StartDate": next_month.isoformat()},
         "LineItems": [{"Description": "Monthly support retainer", "Quantity": 1, "UnitAmount": 450,
                        "AccountCode": "200", "TaxType": "OUTPUT2"}]},
        {"Type": "ACCPAY", "Contact": {"Name": "Greenfield Office Supplies"}, "Status": "DRAFT",
         "LineAmountTypes": "Exclusive",
         "Schedule": {"Period": 2, "Unit": "WEEKLY", "DueDate": 14, "DueDateType": "DAYSAFTERBILLDATE",
                      "StartDate": (today + dt.timedelta(days=7)).isoformat()},
         "LineItems": [{"Description": "Window cleaning", "Quantity": 1, "UnitAmount": 60, "AccountCode": "429",
                        "TaxType": "INPUT2"}]},
    ]


async def seed(books: Books, *, today: dt.date) -> None:
    """Write the demo's repeating invoices.

    Raises:
        RuntimeError: a template failed validation (a bug in the demo data).
    """
    for element in templates(today):
        try:
            await repeating_invoices.write(books, element, mode="create")
        except ElementInvalid as exc:  # pragma: no cover - a demo data bug
            raise RuntimeError(f"demo repeating invoice failed validation: {exc.messages}") from exc
