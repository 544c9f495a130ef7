"""Round trips driven by the field declarations: for every resource 1004 and 1009 can create, a Xero write through
the gateway, read back through the gateway, equals what was sent on every field the source's field map calls
``populated`` (issue 14, "Done when": round trips per writable resource).

The fields compared come from the declarations, not from the samples: a field declared populated that Xero lets a
client write must have a value in the resource's samples (:mod:`.samples`), so a new declaration is round-tripped
as soon as it is made (or this test says which sample lacks it). Fields Xero computes or keeps read-only
(:data:`samples.READ_ONLY`) are not sent; a field a sample cannot carry for a stated reason is in
:data:`samples.NOT_SAMPLED`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from adapters import registry
from adapters.registry import field_maps
from gateway.api.operations import load_operations

from . import samples
from .stacks import ID_FIELDS, OneStackAtATime

CODES = ("1004", "1009")


def writable(code: str) -> list[str]:
    """The declared resources ``code`` can create (a supported ``PUT /{Resource}``)."""
    table = load_operations()
    supported = registry.adapter_class(code).supported_operations(list(table))
    made = {table[op].path.strip("/") for op in supported
            if table[op].method == "PUT" and table[op].path.count("/") == 1}
    return [resource for resource in field_maps(code) if resource in made]


def compared_fields(code: str, resource: str) -> list[str]:
    """The populated fields a client can write (the ones every round trip of ``resource`` checks)."""
    return [f.xero_path for f in field_maps(code)[resource].of_kind("populated")
            if f.xero_path not in samples.READ_ONLY and (code, resource, f.xero_path) not in samples.NOT_SAMPLED]


#: Writable resources with populated fields a client writes (gateway-kept ContactGroups have none).
CASES = [(code, resource) for code in CODES for resource in writable(code) if compared_fields(code, resource)]
#: Resources whose create takes one bare element (spec: ``createAccount`` an ``Account``, ``createCurrency`` a
#: ``Currency``), not a collection.
BARE = ("Accounts", "Currencies")


def test_every_writable_resource_has_samples_for_every_populated_field():
    missing = {}
    for code, resource in CASES:
        written = samples.sample_keys(code, resource)
        lacking = [name for name in compared_fields(code, resource) if name not in written]
        if lacking:
            missing[f"{code} {resource}"] = lacking
    assert not missing, f"populated fields no round-trip sample writes (tests/fidelity/samples.py): {missing}"


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def stacks(tmp_path_factory) -> AsyncIterator[OneStackAtATime]:
    # One stack per source for the module: the cases are listed source by source.
    started = OneStackAtATime(tmp_path_factory.mktemp("round-trip"))
    try:
        yield started
    finally:
        await started.close()


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("code", "resource"), CASES, ids=[f"{code}-{resource}" for code, resource in CASES])
async def test_a_write_reads_back_as_sent_on_every_populated_field(stacks, code, resource):
    stack = await stacks.get(code)
    fields = compared_fields(stack.code, resource)
    refs = await samples.Refs.of(stack)
    id_field = ID_FIELDS[resource]
    for element in samples.build(resource, refs):
        body = element if resource in BARE else {resource: [element]}
        made = await stack.api("PUT", f"/{resource}", body=body, validate=False)
        assert made.status == 200, (resource, made.status, made.body)
        answer = made.body[resource][0]
        got = await stack.api("GET", f"/{resource}/{answer[id_field]}" if id_field else f"/{resource}",
                              validate=False)
        assert got.status == 200, (resource, got.status, got.body)
        # Without single reads (Currencies), the record is the listed one with the written Code.
        record = got.body[resource][0] if id_field else next(r for r in got.body[resource]
                                                             if r.get("Code") == element.get("Code"))
        differ = {name: (element[name], samples.shown(record, name)) for name in fields
                  if name in element and not samples.kept(element[name], record, name)}
        assert not differ, f"{stack.code} {resource}: sent vs read back: {differ}"


#: Bank records and where their bank account is (issue 12: "every BankTransaction, BankTransfer and Payment carries
#: its bank account's AccountID, Code and Name").
BANK_ACCOUNTS = {"BankTransactions": ("BankAccount",), "BankTransfers": ("FromBankAccount", "ToBankAccount"),
                 "Payments": ("Account",)}
#: Sources whose sample company numbers its accounts (QBO's US sample realm has no AcctNum on its bank accounts).
CODED = ("1009",)


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("code", ["1009", "1004"])  # 1009 first: the round trips above end on its stack
async def test_every_bank_record_names_its_bank_account(stacks, code):
    stack = await stacks.get(code)
    wrong = []
    for resource, places in BANK_ACCOUNTS.items():
        answer = await stack.api("GET", f"/{resource}", validate=False)
        assert answer.status == 200 and answer.body[resource], (resource, answer.body)
        for record in answer.body[resource]:
            if record.get("Status") == "VOIDED":
                # QBO's voided SalesReceipt sample names no DepositToAccountRef, and the emulator's realm has no
                # Undeposited Funds account to read it as: the source gives no account to name.
                continue
            for place in places:
                account = record.get(place) or {}
                wanted = ("AccountID", "Code", "Name") if code in CODED else ("AccountID", "Name")
                if any(not account.get(name) for name in wanted):
                    wrong.append((resource, place, account))
    assert not wrong, f"{code}: bank accounts without their id, code or name: {wrong}"
