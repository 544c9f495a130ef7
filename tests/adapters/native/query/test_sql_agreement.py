"""The SQL push-down answers exactly as the in-memory evaluator: a hypothesis property test.

For each resource (Invoices, Contacts, Accounts, Payments, TaxRates) hypothesis generates ``where`` trees over the
resource's paths (mapped and unmapped), literals of every type the parser produces (text, GUIDs, numbers, dates
with and without time or offset, booleans, null), calls (``Contains``/``StartsWith``/``EndsWith``,
``ToLower``/``ToUpper``), ``AND``/``OR``/``NOT``, plus ``order`` terms and paging. Each query runs twice on the
same ledger: through :func:`adapters.native.listing.select_sql` (pushed down as far as it goes) and through
:func:`adapters.native.listing.select` over every record (the in-memory reference); the ordered ids and the
pagination must be equal, or both must raise the same ``QueryParseException``. The translated models are computed
once (by the list operations themselves) and looked up by id on both sides, so each example costs two queries;
``test_operations_agree`` runs whole list operations both ways too.

The ledger is the demo company plus a few records with the edge values the demo lacks (the ``runner`` fixture of
``conftest.py``: non-ASCII names whose case folding changes length, a GUID-looking reference, a URL, dates on
optional fields).

Every test runs on SQLite and on PostgreSQL (``ledger`` parameter): the same rows copied into a database of a
throwaway cluster (:mod:`tests.pg`, started once for this module; skipped without Debian's binaries outside CI).
PostgreSQL runs :data:`PG_EXAMPLES` examples per resource (``NATIVE_QUERY_PG_EXAMPLES``), fewer than SQLite: its
ledger is a second seeded company and each example two round trips over TCP.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import raiseload

from adapters.native import listing, ops_banking, ops_contacts, ops_documents, ops_settings
from adapters.native.adapter import NativeLedgerAdapter
from adapters.native.tables.base import NativeBase
from adapters.native.tables.core import Account, Contact, Invoice, Payment, TaxRate
from adapters.native.translate import fieldmaps
from gateway.settings import load_settings
from gateway.xero import query as xq
from gateway.xero.errors import QueryParseException
from gateway.xero.request import ListQuery, OrderTerm
from tests.adapters.native.core.conftest import TEST_START, TickClock
from tests.pg import create_database, pg_cluster  # noqa: F401  (the session fixture)

from .conftest import TENANT, LoopRunner, call

# Resource: (list operation, id field, field map, unmapped scalar paths valid on the model, table, default order)
RESOURCES: dict[str, tuple[str, str, Any, list[str], Any, list[OrderTerm]]] = {
    "Invoices": ("getInvoices", "InvoiceID", fieldmaps.INVOICES, ["HasErrors", "AmountCredited", "AmountPaid"],
                 Invoice, ops_documents._ORDER_INVOICES),
    "Contacts": ("getContacts", "ContactID", fieldmaps.CONTACTS,
                 ["Balances.AccountsReceivable.Outstanding"], Contact,
                 ops_contacts._ORDER_CONTACTS),
    "Accounts": ("getAccounts", "AccountID", fieldmaps.ACCOUNTS, ["ReportingCodeName"], Account,
                 ops_settings._ORDER_ACCOUNTS),
    "Payments": ("getPayments", "PaymentID", fieldmaps.PAYMENTS, ["HasAccount", "InvoiceNumber"], Payment,
                 ops_banking._ORDER_PAYMENTS),
    "TaxRates": ("getTaxRates", "TaxType", fieldmaps.TAX_RATES, ["TaxComponents"], TaxRate,
                 ops_settings._ORDER_TAX_RATES),
}

EDGE_TEXTS = ["İstanbul Ünïcode Ltd", "STRASSE straße", "0E64A623A53D4F5C8A56E5B7D4AF9C1A", "po 1234", "PO%_*",
              ""]


#: Payment types of refunds (credit notes, prepayments, overpayments): rows of another table than ``payments``.
REFUND_TYPES = frozenset({"ARCREDITPAYMENT", "APCREDITPAYMENT", "AROVERPAYMENTPAYMENT", "APOVERPAYMENTPAYMENT",
                          "ARPREPAYMENTPAYMENT", "APPREPAYMENTPAYMENT"})


class PgLoopRunner(LoopRunner):
    """:class:`LoopRunner` over a native ledger in a PostgreSQL database holding a copy of ``source``'s rows (the
    SQLite runner's demo and edge records: seeding again through PostgreSQL would cost a minute of suite time)."""

    def __init__(self, url: str, data_dir: Any, source: NativeLedgerAdapter) -> None:  # noqa: D107
        self.loop = asyncio.new_event_loop()
        settings = load_settings(data_dir=data_dir)
        settings.native.database_url, settings.native.demo_company = url, False
        self.adapter = NativeLedgerAdapter(code="1000", settings=settings, clock=TickClock(TEST_START))
        self.run(self.adapter.startup())  # the schema, by the ledger's migrations
        self.run(_copy_rows(source, self.adapter))


async def _copy_rows(source: NativeLedgerAdapter, target: NativeLedgerAdapter) -> None:
    """Every row of every ledger table, parents first, in one transaction."""
    assert source.db is not None and target.db is not None
    async with source.db.session() as reading, target.db.engine.begin() as writing:
        for table in NativeBase.metadata.sorted_tables:
            rows = [dict(r._mapping) for r in (await reading.execute(sa.select(table))).all()]
            if rows:
                await writing.execute(table.insert(), rows)


async def _icu_database(cluster: Any) -> str:
    """A new database whose default collation is ICU's root locale (``und``: ``"a" < "B"``, Unicode-aware
    ``lower``), so that SQL relying on the database's collation instead of ``COLLATE "C"`` disagrees with Python
    here; a plain database where the server has no ICU."""
    import asyncpg

    name = f"gw_icu_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(host=cluster.host, port=cluster.port, user=cluster.user, database="postgres")
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\' LOCALE \'C\' '
                           "LOCALE_PROVIDER icu ICU_LOCALE 'und'")
    except asyncpg.PostgresError:
        return await create_database(cluster)
    finally:
        await conn.close()
    return cluster.url(name)


@pytest.fixture(scope="module")
def pg_runner(request: pytest.FixtureRequest, runner: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A :class:`PgLoopRunner` on a new ICU-collated database of the session's cluster (skipped where there is
    none)."""
    cluster = request.getfixturevalue("pg_cluster")
    started = PgLoopRunner(asyncio.run(_icu_database(cluster)), tmp_path_factory.mktemp("native-query-pg"),
                           runner.adapter)
    yield started
    started.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def ledger(request: pytest.FixtureRequest) -> Any:
    """The runner of either database (``runner`` of conftest.py for SQLite, :func:`pg_runner`)."""
    return request.getfixturevalue("runner" if request.param == "sqlite" else "pg_runner")


@pytest.fixture(scope="module")
def models(ledger) -> dict[tuple[str, bool], dict[str, Any]]:
    """(resource, paged) → id → the canonical model the list operation answers (paged lists carry more)."""
    runner = ledger
    out = {}
    for name, (operation, id_field, *_rest) in RESOURCES.items():
        for paged in (False, True):
            query = ListQuery(page=1 if paged else None, page_size=1000, include_archived=True)
            result = runner.run(call(runner.adapter, operation, pushdown=False, query=query))
            # Refunds are listed by getPayments from their own table; the SQL path covers the payments table.
            out[name, paged] = {getattr(m, id_field): m for m in result.items
                                if getattr(m, "PaymentType", None) not in REFUND_TYPES}
    return out


@pytest.fixture(scope="module")
def data(models) -> dict[str, list[dict[str, Any]]]:
    """Every resource's records as python dumps (to draw literals that hit them)."""
    return {name: [m.model_dump(mode="python") for m in models[name, True].values()] for name in RESOURCES}


# Strategies -----------------------------------------------------------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=6)
_OPS = st.sampled_from(["==", "!=", "<", ">", "<=", ">="])
_UTC_DATETIMES = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC, microsecond=0))


def _values(records: list[dict[str, Any]], path: str) -> list[Any]:
    found = []
    for record in records:
        value = xq.lookup(record, path)
        if value is not None and not isinstance(value, list | dict) and value not in found:
            found.append(value)
    return found[:40]


def _variants(value: Any) -> st.SearchStrategy[Any]:
    """Literals derived from a value present in the data (so that comparisons hit records)."""
    if isinstance(value, bool):
        return st.sampled_from([value, not value, Decimal(int(value))])
    if isinstance(value, Decimal):
        return st.sampled_from([value, str(value), value + Decimal("0.01"), -value, value.scaleb(-2)])
    if isinstance(value, datetime):
        return st.sampled_from([value.astimezone(UTC), value.isoformat(),
                                value.astimezone(timezone(timedelta(hours=5))),
                                value.replace(microsecond=0).astimezone(UTC)])
    if isinstance(value, date):
        midnight = datetime(value.year, value.month, value.day, tzinfo=UTC)
        return st.sampled_from([midnight, midnight + timedelta(hours=9), midnight - timedelta(seconds=1),
                                value.isoformat(), f"{value.isoformat()}T00:00:00+01:00"])
    text = str(value)
    options: list[Any] = [text, text.lower(), text.upper(), text[:3], text[-3:], text[1:4]]
    try:
        guid = uuid.UUID(text)
        options += [guid, text.upper().replace("-", ""), str(guid).upper()]
    except ValueError:
        pass
    return st.sampled_from(options)


_GENERIC = st.one_of(
    st.none(), st.booleans(), _TEXT, st.sampled_from(EDGE_TEXTS),
    st.decimals(min_value=-50000, max_value=50000, places=2, allow_nan=False),
    st.decimals(min_value=0, max_value=100, places=4, allow_nan=False),
    st.sampled_from([Decimal("12345678901234567890.5"), "12.50", "abc", "1e3", "2026-01-15", "/Date(1767225600000)/",
                     "2026-01-15T10:00:00+05:00"]),
    _UTC_DATETIMES, st.uuids(), st.sampled_from(["0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a"]))


def _literal(records: list[dict[str, Any]], path: str) -> st.SearchStrategy[xq.Literal]:
    present = _values(records, path)
    parts = [_GENERIC] + ([st.sampled_from(present).flatmap(_variants)] * 3 if present else [])
    return st.one_of(*parts).map(xq.Literal)


def _paths(resource: str) -> list[str]:
    _op, _id, fields, unmapped, *_ = RESOURCES[resource]
    return list(fields.fields) + unmapped


def _atoms(resource: str, records: list[dict[str, Any]]) -> st.SearchStrategy[Any]:
    fields = RESOURCES[resource][2]
    paths = _paths(resource)
    text_paths = [p for p, f in fields.fields.items() if f.kind in ("str", "guid")] or paths
    bool_paths = [p for p, f in fields.fields.items() if f.kind == "bool"] or paths

    def compare(path: str) -> st.SearchStrategy[Any]:
        target = st.sampled_from([xq.Path(tuple(path.split("."))),
                                  xq.Call(xq.Path(tuple(path.split("."))), "tolower", ()),
                                  xq.Call(xq.Path(tuple(path.split("."))), "toupper", ())])
        return st.tuples(_OPS, target, _literal(records, path), st.booleans()).map(
            lambda t: xq.Compare(t[0], t[2], t[1]) if t[3] else xq.Compare(t[0], t[1], t[2]))

    def string_call(path: str) -> st.SearchStrategy[Any]:
        target = st.sampled_from([xq.Path(tuple(path.split("."))),
                                  xq.Call(xq.Path(tuple(path.split("."))), "tolower", ())])
        return st.tuples(target, st.sampled_from(["contains", "startswith", "endswith"]),
                         _literal(records, path)).map(lambda t: xq.Call(t[0], t[1], (t[2],)))

    path_vs_path = st.tuples(_OPS, st.sampled_from(paths), st.sampled_from(paths)).map(
        lambda t: xq.Compare(t[0], xq.Path(tuple(t[1].split("."))), xq.Path(tuple(t[2].split(".")))))
    return st.one_of(
        st.sampled_from(paths).flatmap(compare),
        st.sampled_from(paths).flatmap(compare),
        st.sampled_from(text_paths).flatmap(string_call),
        path_vs_path,
        st.sampled_from(bool_paths).map(lambda p: xq.Path(tuple(p.split(".")))),
        st.booleans().map(xq.Literal),
    )


def _wheres(resource: str, records: list[dict[str, Any]]) -> st.SearchStrategy[Any]:
    return st.recursive(
        _atoms(resource, records),
        lambda inner: st.one_of(
            st.lists(inner, min_size=2, max_size=3).map(lambda xs: xq.BoolOp("and", tuple(xs))),
            st.lists(inner, min_size=2, max_size=3).map(lambda xs: xq.BoolOp("or", tuple(xs))),
            inner.map(xq.Not)),
        max_leaves=5)


def _orders(resource: str) -> st.SearchStrategy[list[OrderTerm]]:
    term = st.tuples(st.sampled_from(_paths(resource)), st.booleans()).map(lambda t: OrderTerm(t[0], t[1]))
    return st.lists(term, max_size=2)


def _pages() -> st.SearchStrategy[tuple[int | None, int]]:
    return st.tuples(st.one_of(st.none(), st.integers(1, 4)), st.integers(1, 60))


# The property ---------------------------------------------------------------------------------------------------


async def _select_both(adapter: Any, resource: str, query: ListQuery, by_id: dict[str, Any]) -> tuple[Any, Any]:
    _op, id_field, fields, _unmapped, table, default_order = RESOURCES[resource]
    key = "tax_type" if table is TaxRate else "id"

    async def to_models(rows: list[Any]) -> list[Any]:
        return [by_id[getattr(r, key)] for r in rows]

    async def outcome(pushdown: bool) -> Any:
        try:
            if pushdown:
                async with adapter.db.session() as session:
                    # The rows' relationships are not needed here (models come from by_id): skip loading them.
                    statement = select(table).where(table.company_id == TENANT).options(raiseload("*"))
                    page = await listing.select_sql(session, statement, query, fields=fields,
                                                    default_order=default_order, to_models=to_models)
            else:
                listing.check_paths(query, fields.model)
                page = listing.select(list(by_id.values()), query, default_order=default_order)
        except QueryParseException as exc:
            return ("error", exc.message)
        return ([getattr(m, id_field) for m in page.items],
                page.pagination.model_dump() if page.pagination else None)

    return await outcome(True), await outcome(False)


def _check(runner: Any, models: Any, resource: str, where: Any, order: list[OrderTerm],
           page: tuple[int | None, int]) -> None:
    query = ListQuery(where=where, order=order, page=page[0], page_size=page[1], include_archived=True)
    pushed, memory = runner.run(_select_both(runner.adapter, resource, query, models[resource, page[0] is not None]))
    assert pushed == memory, f"{resource}: where={where!r} order={order!r} page={page}"


#: Examples per resource; raise it for a deeper run (``NATIVE_QUERY_EXAMPLES=2000 pytest tests/adapters/native/query``).
EXAMPLES = int(os.environ.get("NATIVE_QUERY_EXAMPLES", "60"))
#: Examples per resource on PostgreSQL (``NATIVE_QUERY_PG_EXAMPLES``).
PG_EXAMPLES = int(os.environ.get("NATIVE_QUERY_PG_EXAMPLES", "10"))


def _settings(examples: int) -> Any:
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


@pytest.mark.parametrize("resource", list(RESOURCES))
def test_sql_and_memory_agree(ledger, models, data, resource) -> None:
    runner = ledger
    records = data[resource]
    on_pg = runner.adapter.db.engine.dialect.name == "postgresql"

    @_settings(PG_EXAMPLES if on_pg else EXAMPLES)
    @given(where=_wheres(resource, records), order=_orders(resource), page=_pages())
    def check(where: Any, order: list[OrderTerm], page: tuple[int | None, int]) -> None:
        _check(runner, models, resource, where, order, page)

    check()


@pytest.mark.parametrize(("resource", "where"), [
    ("Invoices", 'Status=="AUTHORISED" AND Total > 1000'),
    ("Invoices", 'Contact.Name.ToLower().StartsWith("i̇stanbul") OR Reference == "po 1234"'),
    ("Invoices", 'Reference == Guid("0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a")'),
    ("Invoices", "Date < DateTime(2026,01,05,10,0,0) AND NOT (DueDate >= DateTime(2026,02,01))"),
    ("Invoices", 'ExpectedPaymentDate == null OR Url.Contains("İ")'),
    ("Invoices", 'TotalDiscount > 0 AND IsDiscounted == true AND HasAttachments == false'),
    ("Invoices", 'Total > "abc"'),
    ("Invoices", 'Total == "abc" OR Total != DateTime(2026,1,1)'),
    ("Contacts", 'IsCustomer AND Name.ToUpper().Contains("LTD")'),
    ("Contacts", 'AccountNumber == "0e64a623a53d4f5c8a56e5b7d4af9c1a"'),
    ("Contacts", "Balances.AccountsReceivable.Outstanding > 0 AND IsCustomer == true"),
    ("Accounts", 'Class == "REVENUE" OR (Type == "BANK" AND BankAccountType == "BANK")'),
    ("Accounts", 'SystemAccount != null AND Code < "700"'),
    ("Payments", 'Invoice.Contact.Name.StartsWith("Ash") AND Amount >= 100.5'),
    ("Payments", 'Account.Code == "090" AND Date >= DateTime.Parse("2026-01-01T00:00:00+05:00")'),
    ("TaxRates", "CanApplyToRevenue AND EffectiveRate > 0"),
    # Code-point order (Python's), not the database's collation (ICU's "a" < "B" on the PostgreSQL side).
    ("Contacts", 'Name < "a" AND Name >= "B"'),
    ("Invoices", 'Reference < "a" AND Contact.Name > "Ab"'),
])
def test_known_expressions_agree(ledger, models, resource, where) -> None:
    runner = ledger
    for order in ([], [OrderTerm("UpdatedDateUTC" if resource not in ("TaxRates",) else "Name", True)]):
        for page in ((None, 100), (1, 7), (3, 7)):
            _check(runner, models, resource, xq.parse_where(where), order, page)


@pytest.mark.parametrize(("resource", "where", "order"), [
    ("Invoices", 'Status=="PAID" OR Contact.Name.ToLower().Contains("i̇stanbul")', "Contact.Name DESC, Total"),
    ("Invoices", 'HasAttachments == false AND Type == "ACCPAY"', "HasErrors"),
    ("Contacts", 'IsSupplier == false AND Balances.AccountsReceivable.Outstanding > 0', "Name DESC"),
    ("Accounts", 'Type == "BANK"', ""),
    ("Payments", 'Invoice.Type == "ACCPAY"', "Amount DESC"),
    ("TaxRates", 'Name.EndsWith("Income)")', "DisplayTaxRate DESC"),
])
def test_operations_agree(ledger, resource, where, order) -> None:
    """Whole list operations (filters, translation, envelope fields), pushed down and in memory."""
    runner = ledger
    operation, id_field, *_ = RESOURCES[resource]
    for page in (None, 1, 2):
        answers = []
        for pushdown in (True, False):
            extra = {"order": order} if order else {}
            result = runner.run(call(runner.adapter, operation, pushdown=pushdown, where=where, page=page,
                                     page_size=5, include_archived=True, **extra))
            answers.append(([m.model_dump(mode="json") for m in result.items],
                            result.pagination.model_dump() if result.pagination else None))
        assert answers[0] == answers[1], (resource, where, page)
        assert answers[0][0] or page != 1, "the expression should select something"
