"""``Idempotency-Key`` exactly-once across a crash (issue 11): the gateway completes a key in its own database only
after the source committed, so a process dying in between leaves the key ``in_progress``; once its lease has
passed, a retry with the key must answer the write that committed, never make a second one.

The reproduction, on every source through its stack (native ledger in process, QBO and Sage Accounting through
their emulators, :mod:`tests.support`): a keyed ``PUT /Invoices``, its ``runtime_idempotency`` row set back to
``in_progress`` with an expired lease (as a SIGKILL between the two commits leaves it), the same request again.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import insert, select, update

from gateway import appkeys
from gateway.store.idempotency import KeyScope, fingerprint
from gateway.store.models_runtime import IN_PROGRESS, IdempotencyRecord
from tests.contract.conftest import Stacks
from tests.contract.recipes import recipe_for
from tests.contract.steps import line, today
from tests.contract.walker import Walker

#: The lookups that give an invoice's contact, sales account and output tax (tests/contract/reads.py).
LOOKUPS = ("getTaxRates", "getAccounts", "getContacts")

pytestmark = pytest.mark.asyncio(loop_scope="module")  # the stacks live for the module


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stacks(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stacks]:
    pool = Stacks(tmp_path_factory)
    try:
        yield pool
    finally:
        await pool.close()


async def looked_up(stacks: Stacks, code: str) -> Walker:
    walker = await stacks.walker(code)
    if "customer" not in walker.facts:
        for op in LOOKUPS:
            found = recipe_for(op)
            assert found is not None
            await found.run(walker)
    return walker


def invoice(w: Walker, reference: str) -> dict[str, Any]:
    return {"Invoices": [{"Type": "ACCREC", "Contact": {"ContactID": w.facts["customer"]["ContactID"]},
                          "Date": today().isoformat(), "DueDate": today().isoformat(), "Status": "AUTHORISED",
                          "Reference": reference, "LineItems": [line(w, "sales", 10)]}]}


async def lose_the_outcome(w: Walker, key: str) -> None:
    """What a SIGKILL after the source's commit leaves: the key ``in_progress``, its lease long gone."""
    app = w.stack.gateway.app
    async with app[appkeys.RUNTIME_DB].engine.begin() as conn:
        done = await conn.execute(
            update(IdempotencyRecord).where(IdempotencyRecord.idempotency_key == key)
            .values(state=IN_PROGRESS, status=None, content_type=None, body=None, completed_at=None,
                    locked_until=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)))
        assert done.rowcount == 1


async def invoice_ids_with(w: Walker, reference: str) -> list[str]:
    found = await w.stack.api("GET", "/Invoices", params={"where": f'Reference=="{reference}"'}, validate=False)
    assert found.status == 200, found.body
    return [i["InvoiceID"] for i in found.body["Invoices"] if i.get("Reference") == reference]


@pytest.mark.parametrize("source", ["1000", "1004", "1009"])
async def test_a_retry_after_a_crash_between_the_commits_answers_the_committed_write(stacks, source):
    w = await looked_up(stacks, source)
    key, reference = f"crash-{uuid.uuid4()}", f"EO-{uuid.uuid4().hex[:8]}"
    headers = {"Idempotency-Key": key}
    first = await w.stack.api("PUT", "/Invoices", body=invoice(w, reference), headers=headers)
    assert first.status == 200, first.body
    made = first.body["Invoices"][0]["InvoiceID"]

    await lose_the_outcome(w, key)
    again = await w.stack.api("PUT", "/Invoices", body=invoice(w, reference), headers=headers)

    assert again.status == 200, again.body
    assert [i["InvoiceID"] for i in again.body["Invoices"]] == [made]
    assert again.body["Invoices"] == first.body["Invoices"]  # the first answer (a new envelope Id and time)
    assert await invoice_ids_with(w, reference) == [made]
    replayed = await w.stack.api("PUT", "/Invoices", body=invoice(w, reference), headers=headers)
    assert replayed.raw == again.raw  # the recovered answer is stored and replayed like a first one


async def test_a_crash_before_the_ledger_committed_writes_once_on_the_retry(stacks):
    """The key left ``in_progress`` but the ledger never committed (no key stored with a write): the ledger answers
    ``None`` and the retry writes the invoice, once."""
    w = await looked_up(stacks, "1000")
    seen, reference = f"seen-{uuid.uuid4()}", f"EO-{uuid.uuid4().hex[:8]}"
    assert (await w.stack.api("PUT", "/Invoices", body=invoice(w, "EO-x"), headers={"Idempotency-Key": seen})
            ).status == 200
    db = w.stack.gateway.app[appkeys.RUNTIME_DB]
    async with db.engine.begin() as conn:
        row = (await conn.execute(select(IdempotencyRecord.__table__)
                                  .where(IdempotencyRecord.idempotency_key == seen))).one()
        body = invoice(w, reference)
        key = f"dead-{uuid.uuid4()}"
        await conn.execute(insert(IdempotencyRecord).values(
            source_code="1000", client_id=row.client_id, tenant_id=row.tenant_id, idempotency_key=key,
            fingerprint=fingerprint("PUT", f"{w.stack.api_root}/Invoices", [], json.dumps(body).encode()),
            operation_id="createInvoices", state=IN_PROGRESS, attempts=1, created_at=row.created_at,
            locked_until=dt.datetime(2000, 1, 1, tzinfo=dt.UTC), expires_at=row.expires_at))

    retried = await w.stack.api("PUT", "/Invoices", body=body, headers={"Idempotency-Key": key})

    assert retried.status == 200, retried.body
    assert await invoice_ids_with(w, reference) == [retried.body["Invoices"][0]["InvoiceID"]]
    record = await w.stack.gateway.app[appkeys.IDEMPOTENCY].get(
        KeyScope(source_code="1000", client_id=row.client_id, tenant_id=row.tenant_id, key=key))
    assert record is not None and record.state == "completed" and record.attempts == 2


#: The create path of an invoice at each upstream (below the emulator's API root) for its fault injection.
CREATE_PATHS = {"1004": "/invoice*", "1009": "/sales_invoices*"}


async def lose_the_next_answer(w: Walker, source: str) -> None:
    """The emulator commits the next invoice create, then garbles its answer (``malformed``: a truncated body with
    HTTP 200), as a connection dropped after the upstream's commit does."""
    rules = [{"kind": "malformed", "method": "POST", "path": CREATE_PATHS[source], "count": 1}]
    if source == "1004":
        await w.stack.admin("PUT", "/faults", rules)
    else:
        await w.stack.emulator.admin("PUT", "/_emulator/faults", rules)


@pytest.mark.parametrize("source", ["1004", "1009"])
async def test_an_upstream_answer_lost_after_its_commit_is_recovered_by_the_keyed_retry(stacks, source):
    w = await looked_up(stacks, source)
    key, reference = f"inflight-{uuid.uuid4()}", f"EO-{uuid.uuid4().hex[:8]}"
    await lose_the_next_answer(w, source)

    first = await w.stack.api("PUT", "/Invoices", body=invoice(w, reference), headers={"Idempotency-Key": key})
    # QBO's adapter recovers within the call (its retry with the same requestid is replayed by QBO); otherwise the
    # outcome is unknown to the gateway: a 5xx, never a 4xx
    assert first.status == 200 or first.status >= 500, first.body
    again = await w.stack.api("PUT", "/Invoices", body=invoice(w, reference), headers={"Idempotency-Key": key})

    assert again.status == 200, again.body
    made = again.body["Invoices"][0]["InvoiceID"]
    assert await invoice_ids_with(w, reference) == [made]
    if first.status == 200:
        assert first.body["Invoices"][0]["InvoiceID"] == made


async def test_sage_answers_a_lost_outcome_from_its_write_ledger_without_calling_the_operation_again(stacks):
    """Sage's ``recorded_write``: the ledger shows the create ``done``, so the document is read back from Sage and
    answered; the operation is not run again (its contact look-up and its ``POST`` would both fail here)."""
    w = await looked_up(stacks, "1009")
    key, reference = f"ledger-{uuid.uuid4()}", f"EO-{uuid.uuid4().hex[:8]}"
    headers = {"Idempotency-Key": key}
    first = await w.stack.api("PUT", "/Invoices", body=invoice(w, reference), headers=headers)
    assert first.status == 200, first.body
    await lose_the_outcome(w, key)
    await w.stack.emulator.admin("PUT", "/_emulator/faults", {"faults": [
        {"kind": "server_error", "status": 503, "method": "POST", "path": "*"},
        {"kind": "server_error", "status": 503, "method": "GET", "path": "/contacts*"}]})
    try:
        again = await w.stack.api("PUT", "/Invoices", body=invoice(w, reference), headers=headers)
    finally:
        await w.stack.emulator.admin("PUT", "/_emulator/faults", {"faults": []})

    assert again.status == 200, again.body
    assert again.body["Invoices"] == first.body["Invoices"]
    assert await invoice_ids_with(w, reference) == [first.body["Invoices"][0]["InvoiceID"]]
