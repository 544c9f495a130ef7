"""A few quotes and purchase orders for the demo company "Demo Company (UK)", seeded after its year of trading.

They go through the same write paths as the API (:mod:`~adapters.native.resources.quotes`,
:mod:`~adapters.native.resources.purchase_orders`), so they pass the same validation and record the same history. Dates
are
relative to the first-start date (the current month), numbers are the automatic ``QU-``/``PO-`` ones and ids come
from the demo's deterministic id factory, so two first starts give the same documents.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..books import Books
from ..resources import purchase_orders, quotes
from ..validation import ElementInvalid

#: (days before today, contact name, status, title, lines as (description, quantity, unit amount)).
QUOTES: tuple[tuple[int, str, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (20, "Meridian University", "ACCEPTED", "Campus signage refresh",
     (("Design consultation (day)", "2", "650.00"), ("Signage installation", "1", "1800.00"))),
    (12, "Kestrel Architects LLP", "SENT", "Quarterly maintenance",
     (("Maintenance visit", "3", "240.00"),)),
    (8, "Ivy Lane Bakery", "DECLINED", "Shop fit-out",
     (("Fit-out works", "1", "4200.00"),)),
    (2, "Greyfriars Hotel", "DRAFT", "Function room lighting",
     (("Lighting survey", "1", "350.00"), ("LED fittings", "24", "38.50"))),
)
#: (days before today, supplier name, status, lines as (description, quantity, unit amount, account code)).
PURCHASE_ORDERS: tuple[tuple[int, str, str, tuple[tuple[str, str, str, str], ...]], ...] = (
    (15, "Brightwire Electrical Supplies", "BILLED", (("Cable drums", "4", "96.00", "310"),)),
    (6, "Greenfield Office Supplies", "AUTHORISED", (("Printer paper (box)", "10", "21.50", "461"),)),
    (1, "Brightwire Electrical Supplies", "DRAFT", (("LED fittings", "24", "19.25", "310"),)),
)
_QUOTE_PATH = {"SENT": ("SENT",), "ACCEPTED": ("SENT", "ACCEPTED"), "DECLINED": ("SENT", "DECLINED")}
_ORDER_PATH = {"AUTHORISED": ("AUTHORISED",), "BILLED": ("AUTHORISED", "BILLED")}


async def _checked(coro: Any) -> Any:
    try:
        return await coro
    except ElementInvalid as exc:  # pragma: no cover - a demo data bug
        raise RuntimeError(f"demo workflow data failed validation: {exc.messages}") from exc


async def seed(books: Books, *, clock: Any, today: dt.date) -> None:
    """Write the demo quotes and purchase orders, each created as a draft and then moved along its statuses a
    day at a time (so each has its history).

    Args:
        books: the demo company's books (deterministic ids).
        clock: the demo's settable clock (:class:`adapters.native.demo.company.DemoClock`); its ``at`` is moved here.
        today: the first-start date.
    """
    for days, name, status, title, lines in QUOTES:
        day = today - dt.timedelta(days=days)
        clock.at = dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)
        row = await _checked(quotes.write(books, {
            "Contact": {"Name": name}, "Date": day.isoformat(), "ExpiryDate": (day + dt.timedelta(days=30)).isoformat(),
            "Title": title, "Terms": "Valid for 30 days.",
            "LineItems": [{"Description": d, "Quantity": q, "UnitAmount": u, "AccountCode": "200", "TaxType": "OUTPUT2"}
                          for d, q, u in lines]}, mode="create"))
        for step, next_status in enumerate(_QUOTE_PATH.get(status, ()), start=1):
            clock.at = clock.at + dt.timedelta(hours=step)
            await _checked(quotes.write(books, {"Status": next_status}, mode="update", path_id=row.id))
    for days, name, status, lines in PURCHASE_ORDERS:
        day = today - dt.timedelta(days=days)
        clock.at = dt.datetime(day.year, day.month, day.day, 11, tzinfo=dt.UTC)
        delivery = day + dt.timedelta(days=7)
        row = await _checked(purchase_orders.write(books, {
            "Contact": {"Name": name}, "Date": day.isoformat(), "DeliveryDate": delivery.isoformat(),
            "AttentionTo": "Stores", "LineItems": [{"Description": d, "Quantity": q, "UnitAmount": u, "AccountCode": a,
                                                    "TaxType": "INPUT2"} for d, q, u, a in lines]}, mode="create"))
        for step, next_status in enumerate(_ORDER_PATH.get(status, ()), start=1):
            clock.at = clock.at + dt.timedelta(hours=step)
            await _checked(purchase_orders.write(books, {"Status": next_status}, mode="update", path_id=row.id))
