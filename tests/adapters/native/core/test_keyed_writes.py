"""The answer of a keyed write as the native ledger stores it with the write (adapters/native/keyed.py): read back,
it renders exactly as the first answer did, money as ``Decimal``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from adapters.native.keyed import record, recorded, result_from_json, result_to_json
from adapters.native.tables import NativeBase
from gateway.store.db import Database
from gateway.xero.models import Contact, LineItem, dump
from gateway.xero.models.documents import CreditNote, Invoice
from gateway.xero.request import RequestContext, Result
from tests.front import xero_request


def test_a_stored_answer_reads_back_as_the_same_models():
    invoice = Invoice(InvoiceID="5b1c2f7e-0c4e-4d7c-9d0a-1f6f7f3f2a11", Type="ACCREC", Status="AUTHORISED",
                      Contact=Contact(ContactID="0f5c", Name="Bayside Club"), Date=dt.date(2026, 12, 7),
                      UpdatedDateUTC=dt.datetime(2026, 12, 7, 17, 1, 2, 345000, tzinfo=dt.UTC),
                      LineItems=[LineItem(Description="x", Quantity=Decimal("3"), UnitAmount=Decimal("0.3333"),
                                          LineAmount=Decimal("0.9999"))],
                      Total=Decimal("12345678901.2345"), CreditNotes=[],
                      Warnings=None)
    note = CreditNote(CreditNoteID="c1", Total=Decimal("-0.01"))
    answer = Result(items=[invoice, note], warnings=["posted"], status=200, headers={"X-Example": "1"})

    back = result_from_json(result_to_json(answer))

    assert [type(i) for i in back.items] == [Invoice, CreditNote]  # documents.Invoice, not core.Invoice
    assert dump(back.items) == dump(answer.items)
    assert back.items[0].Total == Decimal("12345678901.2345") and isinstance(back.items[0].Total, Decimal)
    assert (back.warnings, back.status, back.headers) == (["posted"], 200, {"X-Example": "1"})


def test_a_stored_answer_naming_no_canonical_model_is_refused():
    text = result_to_json(Result(items=[Contact(Name="A")])).replace("gateway.xero.models.core", "os")
    with pytest.raises(ValueError, match="unknown model"):
        result_from_json(text)


def test_binary_content_is_not_a_keyed_write_answer():
    with pytest.raises(ValueError):
        result_to_json(Result(content=b"%PDF", content_type="application/pdf"))


async def test_keys_are_kept_as_long_as_the_gateway_may_ask_then_dropped(tmp_path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'ledger.db'}", base=NativeBase)
    await db.create_all()
    ctx = RequestContext(source_code="1000", tenant_id="t-1", client_id="app-1", app_name="A", user_id=None,
                         scopes=frozenset())
    answer = Result(items=[Contact(ContactID="c-1", Name="A")])
    t0 = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
    keep = dt.timedelta(hours=1)
    old, new = (xero_request("createContacts", idempotency_key=k) for k in ("old", "new"))
    try:
        async with db.session() as session, session.begin():
            await record(session, ctx, old, answer, now=t0, keep=keep)
        async with db.session() as session, session.begin():
            await record(session, ctx, new, answer, now=t0 + keep, keep=keep)
        async with db.session() as session:
            assert dump((await recorded(session, ctx, old)).items) == dump(answer.items)  # exactly ``keep`` old
            other_app = dataclasses.replace(ctx, client_id="app-2")
            assert await recorded(session, other_app, old) is None  # scoped as the gateway scopes it
            assert await recorded(session, ctx, xero_request("createInvoices", idempotency_key="old")) is None
        async with db.session() as session, session.begin():
            await record(session, ctx, xero_request("createContacts", idempotency_key="later"), answer,
                         now=t0 + keep + dt.timedelta(seconds=1), keep=keep)
        async with db.session() as session:
            assert await recorded(session, ctx, old) is None
            assert await recorded(session, ctx, new) is not None
    finally:
        await db.dispose()
