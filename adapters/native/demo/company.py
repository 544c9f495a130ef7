"""The deterministic demo company "Demo Company (UK)", seeded on first start.

Data (contacts, line templates, amounts' ranges, the seed) is ``mappings/native_demo.toml``; this module decides
dates, quantities, statuses and payments with a ``random.Random`` seeded from that table. Every id is a
``uuid5`` (:class:`~adapters.native.ids.SequentialIds` under the fixed tenant id), so two first starts produce
the same ids and amounts; dates are relative to the first-start date (12 months ending in the current month).

Every document goes through the same write path as the API (:mod:`~adapters.native.resources.invoices`,
:mod:`~adapters.native.resources.payments`, :mod:`~adapters.native.resources.contacts`), so the demo books pass the
same validation
and post the same balanced journals. Bank transactions without a document (fees, salaries, interest, the
owner's opening capital) are posted as ledger journals (``CASHPAID`` / ``CASHREC`` / ``MANJOURNAL``) until the
BankTransactions API lands.
"""

from __future__ import annotations

import calendar
import datetime as dt
import heapq
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

import mappings

from ..books import Books
from ..ids import SequentialIds, stable_id
from ..ledger import posting as ledger
from ..resources import contacts, invoices, payments
from ..resources.company import create_uk_company
from ..tables.core import Company
from ..validation import ElementInvalid
from . import catalogue as catalogue_demo
from . import documents as demo_documents
from . import planning as demo_planning
from . import workflow as demo_workflow

#: Fixed tenant id of the demo company: ``uuid5(NATIVE_NAMESPACE, "tenant/demo-company-uk")``.
DEMO_TENANT_ID = stable_id("tenant", "demo-company-uk")
#: Fixed user id of the demo user.
DEMO_USER_ID = stable_id("user", "demo")


class DemoClock:
    """A settable clock: the demo writes each document "at" its own date."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at
        self.limit = at

    def __call__(self) -> dt.datetime:
        return min(self.at, self.limit)


@dataclass(order=True)
class _Event:
    when: dt.datetime
    seq: int
    kind: str = field(compare=False)
    data: dict[str, Any] = field(compare=False)


def _month_starts(today: dt.date, months: int) -> list[dt.date]:
    starts = []
    year, month = today.year, today.month
    for _ in range(months):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(starts)


def _month_end(start: dt.date, today: dt.date) -> dt.date:
    end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return min(end, today)


def _money(rng: random.Random, bounds: list[str]) -> Decimal:
    low, high = (int(Decimal(b) * 100) for b in bounds)
    return Decimal(rng.randint(low, high)) / 100


def _at(day: dt.date, seq: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=seq)


def _contact_element(number: int, row: dict[str, Any]) -> dict[str, Any]:
    prefix = "CUST" if row["role"] == "customer" else "SUPP"
    slug = "".join(ch for ch in row["name"].lower() if ch.isalnum())[:20]
    email = f"{row['first'].lower()}.{row['last'].lower()}@{slug}.example"
    return {
        "Name": row["name"], "ContactNumber": f"{prefix}-{number:03d}", "FirstName": row["first"],
        "LastName": row["last"], "EmailAddress": email, "ContactStatus": row.get("status", "ACTIVE"),
        "Addresses": [{"AddressType": "STREET", "AddressLine1": f"{10 + number} High Street", "City": row["city"],
                       "PostalCode": row["postcode"], "Country": "United Kingdom"},
                      {"AddressType": "POBOX", "City": row["city"], "PostalCode": row["postcode"],
                       "Country": "United Kingdom"}],
        "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": f"{5550100 + number}", "PhoneAreaCode": "01632",
                    "PhoneCountryCode": "44"}],
        "ContactPersons": [{"FirstName": row["first"], "LastName": row["last"], "EmailAddress": email,
                            "IncludeInEmails": True}],
        "PurchasesDefaultAccountCode": row.get("account"),
    }


async def seed(session: AsyncSession, *, today: dt.date, now: dt.datetime) -> Company:
    """Create the demo company and its year of trading.

    Args:
        session: a session inside a transaction (the caller commits).
        today: the first-start date; the books cover the 12 months ending in its month.
        now: the first-start time; no ``UpdatedDateUTC`` is later.

    Returns:
        The demo company.

    Raises:
        RuntimeError: a generated document failed validation (a bug in the generator or the tables).
    """
    table = mappings.load("native_demo")
    gen = table["generator"]
    rng = random.Random(gen["seed"])  # noqa: S311 - demo data, not security
    months = _month_starts(today, 12)
    clock = DemoClock(_at(months[0], 0))
    clock.limit = now
    company = await create_uk_company(session, company_id=DEMO_TENANT_ID, organisation=table["organisation"],
                                      is_demo=True, now=clock())
    books = await Books.load(session, DEMO_TENANT_ID, new_id=SequentialIds(DEMO_TENANT_ID), now=clock)

    async def checked(coro: Any) -> Any:
        try:
            return await coro
        except ElementInvalid as exc:  # pragma: no cover - a generator bug
            raise RuntimeError(f"demo data failed validation: {exc.messages}") from exc

    # Contacts, on the first day of the year of books.
    customers, suppliers = [], []
    for number, row in enumerate(table["contact"], start=1):
        contact = await checked(contacts.write(books, _contact_element(number, row), mode="create"))
        if row.get("status", "ACTIVE") == "ACTIVE":
            (customers if row["role"] == "customer" else suppliers).append((contact, row))
    await catalogue_demo.seed(books)  # tracking categories, items, contact groups

    # The owner's opening capital.
    bank = books.account_by_code(gen["bank_account"])
    capital = books.account_by_code("950")
    assert bank is not None and capital is not None
    opening = Decimal(gen["opening_capital"])
    await ledger.post(session, company, date=months[0], source_type="MANJOURNAL", source_id=books.new_id("journal"),
                      postings=[ledger.Posting(bank.id, opening, "Opening capital"),
                                ledger.Posting(capital.id, -opening, "Opening capital")],
                      new_id=books.new_id, now=clock(), reference="Opening capital")

    events: list[_Event] = []
    seq = 0

    def add(day: dt.date, kind: str, **data: Any) -> None:
        nonlocal seq
        seq += 1
        heapq.heappush(events, _Event(_at(day, seq % 480), seq, kind, data))

    terms = dt.timedelta(days=gen["payment_terms_days"])
    for index, start in enumerate(months):
        end = _month_end(start, today)
        span = (end - start).days
        current_month = index == len(months) - 1
        for n in range(gen["sales_invoices_per_month"]):
            day = start + dt.timedelta(days=rng.randint(0, span))
            contact, customer = rng.choice(customers)
            templates = rng.sample(table["sales_line"], rng.randint(1, 3))
            lines = [{"Description": t["description"], "Quantity": str(rng.randint(*t["quantity"])),
                      "UnitAmount": str(_money(rng, t["price"])), "AccountCode": t["account"],
                      "TaxType": t["tax_type"],
                      **catalogue_demo.sales_line_extras(customer["city"], t["description"])} for t in templates]
            roll = rng.random()
            lat = "Exclusive" if roll < 0.85 else ("Inclusive" if roll < 0.95 else "NoTax")
            status = "AUTHORISED"
            if current_month and n >= gen["sales_invoices_per_month"] - 2:
                status = "DRAFT"
            elif current_month and n == gen["sales_invoices_per_month"] - 3:
                status = "SUBMITTED"
            add(day, "invoice", element={
                "Type": "ACCREC", "Contact": {"ContactID": contact.id}, "Date": day.isoformat(),
                "DueDate": (day + terms).isoformat(), "LineAmountTypes": lat, "Status": status,
                "Reference": f"PO {rng.randint(1000, 9999)}", "LineItems": lines},
                fate=("void" if index in (3, 7) and n == 0 else "delete" if index == 5 and n == 1 else "pay"))
        for _ in range(gen["bills_per_month"]):
            day = start + dt.timedelta(days=rng.randint(0, span))
            contact, row = rng.choice(suppliers)
            initials = "".join(w[0] for w in row["name"].split() if w[0].isalpha()).upper()
            add(day, "invoice", element={
                "Type": "ACCPAY", "Contact": {"ContactID": contact.id}, "Date": day.isoformat(),
                "DueDate": (day + terms).isoformat(), "LineAmountTypes": "Exclusive", "Status": "AUTHORISED",
                "InvoiceNumber": f"{initials}-{rng.randint(10000, 99999)}",
                "LineItems": [{"Description": f"{row['name']} - {start:%B %Y}", "Quantity": "1",
                               "UnitAmount": str(_money(rng, row["amount"])), "AccountCode": row["account"]}]},
                fate="pay")
        for template in table["bank_transaction"]:
            add(end, "bank", template=template, amount=_money(rng, template["amount"]))

    heapq.heapify(events)
    while events:  # in time order; payments planned on the way join the queue
        event = heapq.heappop(events)
        clock.at = event.when
        if event.kind == "bank":
            template, amount = event.data["template"], event.data["amount"]
            account = books.account_by_code(template["account"])
            assert account is not None
            sign = Decimal(1) if template["kind"] == "RECEIVE" else Decimal(-1)
            await ledger.post(session, company, date=event.when.date(),
                              source_type="CASHREC" if sign > 0 else "CASHPAID", source_id=books.new_id("banktx"),
                              postings=[ledger.Posting(bank.id, sign * amount, template["description"]),
                                        ledger.Posting(account.id, -sign * amount, template["description"])],
                              new_id=books.new_id, now=clock(), reference=template["description"])
        elif event.kind == "payment":
            await checked(payments.create(books, event.data["element"]))
        else:
            element, fate = event.data["element"], event.data["fate"]
            if fate == "delete":
                element = {**element, "Status": "DRAFT"}
            inv = await checked(invoices.write(books, element, mode="create"))
            if fate == "void":
                clock.at = event.when + dt.timedelta(days=3)
                await checked(invoices.write(books, {"Status": "VOIDED"}, mode="update", path_id=inv.id))
            elif fate == "delete":
                clock.at = event.when + dt.timedelta(days=1)
                await checked(invoices.write(books, {"Status": "DELETED"}, mode="update", path_id=inv.id))
            elif inv.status == "AUTHORISED":
                _plan_payments(rng, inv, today, bank.code or "", add)
    await demo_documents.seed(books, clock=clock, today=today)  # credit notes, bank transactions, journals…
    await demo_workflow.seed(books, clock=clock, today=today)  # quotes and purchase orders
    await demo_planning.seed(books, today=today)  # repeating invoices
    # Lock dates last: the year of documents above is written before any period is locked.
    company.period_lock_date = _lock_date(table["organisation"].get("period_lock_date"))
    company.end_of_year_lock_date = _lock_date(table["organisation"].get("end_of_year_lock_date"))
    await session.flush()
    return company


def _lock_date(value: Any) -> dt.date | None:
    """A lock date of the ``[organisation]`` table (TOML date or ISO text; absent or empty: none)."""
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _plan_payments(rng: random.Random, inv: Any, today: dt.date, bank_code: str, add: Any) -> None:
    """Decide how an approved document is paid: fully (~75%), in part (~12%) or not yet."""
    pay_day = inv.date + dt.timedelta(days=rng.randint(5, 45))
    roll = rng.random()
    if pay_day > today or roll >= 0.87:
        return
    amount = inv.total if roll < 0.75 else (inv.total * Decimal(rng.randint(30, 70)) / 100).quantize(Decimal("0.01"))
    add(pay_day, "payment", element={"Invoice": {"InvoiceID": inv.id}, "Account": {"Code": bank_code},
                                     "Date": pay_day.isoformat(), "Amount": str(amount),
                                     "Reference": f"Payment {inv.number or ''}".strip()})
