"""Contract walk (issue 3 §5, issue 8): every operation each source implements, called through the real gateway
on that source's stack, every answer validated against Xero's spec (``../shared/contracts/xero/xero_accounting.yaml``:
status code, body schema, required fields, enum values; binary answers by content type and magic bytes).

- The sources are the stacks of :mod:`tests.contract.conftest` (1000 native, 1004 QBO emulator, 1009 Sage
  emulator); every source of ``adapters.registry.ADAPTERS`` must have one.
- The operations under test are derived, never listed: the adapter class's ``supported_operations`` over every
  operation id of ``mappings/xero_operations.toml``. An implemented operation without a call recipe
  (:mod:`tests.contract.recipes`) fails :func:`test_every_implemented_operation_has_a_recipe`, naming it, and its
  own walk step fails too, so a new operation cannot slip past.
- :func:`test_operation` runs one recipe per (source, implemented operation), in walk order (lists first, then
  single reads and reports, creates, updates, payments and allocations, history and attachments, deletes of the
  walk's own records last); the steps of one source share one stack, token and state (module scope). A step is
  skipped only when its recipe needs data the source declares it lacks (:mod:`tests.contract.requirements`).
- :func:`test_walk_summary` checks that every implemented operation answered its documented 2xx and prints one line
  per source with the figures (run with ``-s``).
- A few deliberately invalid bodies answer Xero's 400 ``ValidationException`` shape; operations a source does not
  implement answer 501 with Xero's error body naming the operation.

Findings in an adapter or the front end are never papered over: a step that fails is a bug to report. Known ones
are listed in :data:`KNOWN_FINDINGS` (a strict xfail, so the mark must go once the bug is fixed).
"""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio

from adapters.registry import ADAPTERS, AdapterNotAvailable, adapter_class
from gateway.api.operations import load_operations

from .conftest import STACKS
from .recipes import EXPLICIT, recipe_for, walk_order
from .requirements import check_declarations
from .steps import Phase, line, today
from .walker import Walker

pytestmark = pytest.mark.slow



def _implemented() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """Per source, the operations its adapter class implements; and the sources whose adapter cannot be loaded
    (each fails ``test_adapter_loads`` instead of breaking the collection of every source)."""
    implemented: dict[str, frozenset[str]] = {}
    broken: dict[str, str] = {}
    for code in STACKS:
        if code not in ADAPTERS:
            continue
        try:
            implemented[code] = adapter_class(code).supported_operations(load_operations())
        except AdapterNotAvailable as exc:
            broken[code] = str(exc)
    return implemented, broken


#: Per source, the operations under test: derived from the adapter's methods over the operation table.
IMPLEMENTED, UNLOADABLE = _implemented()
#: The walked sources, in walk order.
SOURCES = tuple(IMPLEMENTED)
WALKS: dict[str, list[str]] = {code: walk_order(ops) for code, ops in IMPLEMENTED.items()}

#: Reported findings in code outside the walk, one xfail each: (test, source, operation id or case) → what is wrong
#: and where. Strict unless the finding depends on what ran before (remove the entry once fixed).
KNOWN_FINDINGS: dict[tuple[str, str, str], str] = {}
#: Findings that show only after some other step ran (their xfail is not strict).
ORDER_DEPENDENT: set[tuple[str, str, str]] = set()
PLACEHOLDER_GUID = "00000000-0000-0000-0000-0000000000c1"
#: Fewest operations a source's derivation must find (40 unless said): the partner API's first version has no
#: invoices, contacts, updates or deletes, so source 1010 serves a handful (docs/partner-api.md).
DERIVED_FLOOR: dict[str, int] = {"1010": 22}


def _param(test: str, code: str, case: str) -> Any:
    """``(source, case)`` as a parameter, marked xfail when :data:`KNOWN_FINDINGS` lists it."""
    key = (test, code, case)
    marks = [pytest.mark.xfail(strict=key not in ORDER_DEPENDENT, reason=KNOWN_FINDINGS[key])] \
        if key in KNOWN_FINDINGS else []
    return pytest.param(code, case, id=f"{code}-{case}", marks=marks)


def _walk_params() -> list[Any]:
    return [_param("walk", code, op) for code in SOURCES for op in WALKS[code]]


def test_every_registered_source_has_a_stack() -> None:
    missing = sorted(set(ADAPTERS) - set(STACKS))
    assert not missing, f"sources with an adapter but no contract stack (add one in tests/support): {missing}"


@pytest.mark.parametrize("source", sorted(set(STACKS) & set(ADAPTERS)))
def test_adapter_loads(source: str) -> None:
    assert source not in UNLOADABLE, UNLOADABLE.get(source)


def test_requirement_declarations_are_known() -> None:
    assert not check_declarations(), f"requirements declared that no recipe knows: {check_declarations()}"


@pytest.mark.parametrize("source", SOURCES)
def test_every_implemented_operation_has_a_recipe(source: str) -> None:
    missing = sorted(op for op in IMPLEMENTED[source] if recipe_for(op) is None)
    assert not missing, ("implemented operations without a call recipe (add one in tests/contract/reads.py "
                         f"or writes.py): {missing}")
    unknown = sorted(set(EXPLICIT) - set(load_operations()))
    assert not unknown, f"recipes for operation ids Xero's spec does not have: {unknown}"
    floor = DERIVED_FLOOR.get(source, 40)
    assert len(IMPLEMENTED[source]) >= floor, f"only {len(IMPLEMENTED[source])} operations derived: broken derivation"


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("source", "operation_id"), _walk_params())
async def test_operation(walker: Walker, source: str, operation_id: str) -> None:
    walker.attempted.add(operation_id)
    found = recipe_for(operation_id)
    assert found is not None, f"{operation_id} is implemented by source {source} but has no call recipe"
    await found.run(walker)
    assert walker.walked[operation_id] >= 1, f"{operation_id}: its recipe never got the documented 2xx answer"


def _whole_walk_ran(walker: Walker, request: pytest.FixtureRequest) -> None:
    """Skip unless every walk step of the walker's source was selected and has run."""
    selected = {item.callspec.params["operation_id"] for item in request.session.items
                if getattr(item, "originalname", "") == "test_operation"
                and item.callspec.params.get("source") == walker.source}
    if selected != set(WALKS[walker.source]):
        pytest.skip("only part of the walk was selected")
    assert walker.attempted >= set(WALKS[walker.source])


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("source", SOURCES)
async def test_companion_date_strings(walker: Walker, request: pytest.FixtureRequest) -> None:
    """Every ``…String`` date companion the walk saw has the form of the spec's examples and its twin's instant."""
    _whole_walk_ran(walker, request)
    findings = [f"{resource}.{name}: {detail}"
                for (resource, name), detail in sorted(walker.companion_findings.items())]
    assert not findings, "date companions deviating from Xero's spec:\n" + "\n".join(findings)


# Deliberately invalid bodies ----------------------------------------------------------------------------------------

@pytest_asyncio.fixture(loop_scope="module")
async def looked_up(walker: Walker) -> Walker:
    """The walker with the company's lists resolved (the walk's LOOKUP recipes, run once)."""
    for op in WALKS[walker.source]:
        found = recipe_for(op)
        if found is not None and found.phase == Phase.LOOKUP and op not in walker.attempted:
            walker.attempted.add(op)
            await found.run(walker)
    return walker


def _invoice(w: Walker, **overrides: Any) -> dict[str, Any]:
    element = {"Type": "ACCREC", "Contact": {"ContactID": w.facts["customer"]["ContactID"]},
               "Date": today().isoformat(), "DueDate": today().isoformat(), "Status": "AUTHORISED",
               "LineItems": [line(w, "sales", 10)]}
    return {**element, **overrides}


INVALID_BODIES = {
    # An account code the chart does not have.
    "invoice-unknown-account": ("createInvoices", lambda w: {"Invoices": [_invoice(
        w, LineItems=[{**line(w, "sales", 10), "AccountCode": "NO-SUCH"}])]}),
    # Input VAT on a sales invoice (adapters/native/ledger/taxrules.py).
    "invoice-tax-type-of-the-other-side": ("createInvoices", lambda w: {"Invoices": [_invoice(
        w, LineItems=[{**line(w, "sales", 10), "TaxType": w.facts["input_tax"]}])]}),
    # A contact needs a name.
    "contact-without-name": ("createContacts", lambda w: {"Contacts": [{"EmailAddress": "nameless@example.com"}]}),
    # Debits must equal credits.
    "unbalanced-manual-journal": ("createManualJournals", lambda w: {"ManualJournals": [{
        "Narration": "Unbalanced", "Date": today().isoformat(), "JournalLines": [
            {"LineAmount": 100, "AccountCode": w.facts["expense_account"]},
            {"LineAmount": -10, "AccountCode": w.facts["sales_account"]}]}]}),
    # A transfer needs two different bank accounts.
    "transfer-to-the-same-account": ("createBankTransfer", lambda w: {"BankTransfers": [{
        "FromBankAccount": {"Code": w.facts["banks"][0]}, "ToBankAccount": {"Code": w.facts["banks"][0]},
        "Amount": "5.00"}]}),
    # Account codes are unique.
    "account-with-a-taken-code": ("createAccount", lambda w: {
        "Code": w.facts["sales_account"], "Name": "Duplicate code", "Type": "EXPENSE"}),
}


def _per_source(test: str, cases: dict[str, Any], operation_of: Any) -> list[Any]:
    """(source, case) for every case whose operation the source implements."""
    return [_param(test, code, case) for code in SOURCES for case in sorted(cases)
            if operation_of(case) in IMPLEMENTED[code]]


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("source", "case"),
                         _per_source("invalid", INVALID_BODIES, lambda case: INVALID_BODIES[case][0]))
async def test_invalid_body_answers_validation_exception(looked_up: Walker, source: str, case: str) -> None:
    operation_id, build = INVALID_BODIES[case]
    op = load_operations()[operation_id]
    request_body = build(looked_up)
    answer = await looked_up.call(operation_id, json_body=request_body, expect=400)
    body = answer.json()
    assert (body.get("ErrorNumber"), body.get("Type"), body.get("Message")) == (
        10, "ValidationException", "A validation exception occurred"), body
    elements = body.get("Elements")
    assert isinstance(elements, list) and len(elements) == 1, body
    messages = [e.get("Message") for e in elements[0].get("ValidationErrors") or []]
    assert messages and all(isinstance(m, str) and m for m in messages), body
    sent = request_body[op.request_key][0] if op.request_key else request_body
    echoed = {k: v for k, v in sent.items() if isinstance(v, str) and "Date" not in k}
    assert {k: elements[0].get(k) for k in echoed} == echoed, f"the element is not echoed: {elements[0]}"


def _journal(w: Walker, debit: int, credit: int) -> dict[str, Any]:
    return {"Narration": "Conformance walk batch", "Date": today().isoformat(), "JournalLines": [
        {"LineAmount": debit, "AccountCode": w.facts["expense_account"], "TaxType": w.facts["no_tax"]},
        {"LineAmount": -credit, "AccountCode": w.facts["sales_account"], "TaxType": w.facts["no_tax"]}]}


#: Batches of one valid and one invalid element (the invalid one keeps the fields the spec's schema requires, as
#: the answer echoes it).
PARTIAL_BATCHES = {
    "createContacts": lambda w: [{"Name": "Conformance Batch Ltd"}, {"Name": w.facts["customer"]["Name"]}],
    "createInvoices": lambda w: [_invoice(w), _invoice(w, LineItems=[{**line(w, "sales", 10), "AccountCode": "NO"}])],
    "createItems": lambda w: [{"Code": "CW-BATCH"}, {"Code": "CW-BATCH"}],
    "createManualJournals": lambda w: [_journal(w, 15, 15), _journal(w, 15, 5)],
}


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("source", "operation_id"), _per_source("batch", PARTIAL_BATCHES, lambda op: op))
async def test_summarize_errors_false_answers_each_element(looked_up: Walker, source: str,
                                                           operation_id: str) -> None:
    """With ``summarizeErrors=false`` a batch with an invalid element is answered with HTTP 200, each element
    echoed with its ``StatusAttributeString`` (``OK``/``ERROR``) and the failed one with its ``ValidationErrors``
    (shared/notes/xero-contract.md §2 "PUT vs POST"; spec ``summarizeErrors`` parameter)."""
    op = load_operations()[operation_id]
    answer = await looked_up.call(operation_id, params={"summarizeErrors": "false"},
                                  json_body={op.request_key: PARTIAL_BATCHES[operation_id](looked_up)}, expect=200)
    elements = answer.items(op.response_key)
    assert [e.get("StatusAttributeString") for e in elements] == ["OK", "ERROR"], answer.excerpt(3000)
    messages = [e.get("Message") for e in elements[1].get("ValidationErrors") or []]
    assert messages and all(isinstance(m, str) and m for m in messages), elements[1]


# Operations a source does not implement -----------------------------------------------------------------------------

def _unsupported_sample(code: str) -> list[str]:
    """Every list read the source lacks, plus its first unimplemented write and single read."""
    table = load_operations()
    missing = [op for op in table.values() if op.id not in IMPLEMENTED[code]]
    sample = [op.id for op in missing if op.method == "GET" and not op.path_params]
    sample += [op.id for op in missing if op.method == "PUT"][:1]
    sample += [op.id for op in missing if op.method == "GET" and op.path_params][:1]
    return sample


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("source", "operation_id"), [pytest.param(code, op, id=f"{code}-{op}") for code in SOURCES
                                                      for op in _unsupported_sample(code)])
async def test_unimplemented_operation_answers_501(walker: Walker, source: str, operation_id: str) -> None:
    op = load_operations()[operation_id]
    path = {name: ("contract.png" if name == "FileName" else PLACEHOLDER_GUID) for name in op.path_params}
    body = {op.request_key: [{}]} if op.request_key else ({} if op.method in ("PUT", "POST") else None)
    answer = await walker.call(operation_id, path=path, json_body=body, expect=501)
    error = answer.json()
    assert error.get("Type") == "NotImplementedException" and error.get("ErrorNumber") == 20, error
    assert operation_id in error.get("Message", ""), error


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("source", SOURCES)
async def test_walk_summary(walker: Walker, source: str, request: pytest.FixtureRequest) -> None:
    _whole_walk_ran(walker, request)
    walk = WALKS[source]
    not_answered = sorted(op for op in walk if not walker.walked[op] and ("walk", source, op) not in KNOWN_FINDINGS
                          and not any(op in ops for ops in walker.skipped.values()))
    assert not not_answered, f"operations that never answered their documented 2xx: {not_answered}"
    skips = "; ".join(f"{name}: {sorted(ops)}" for name, ops in sorted(walker.skipped.items())) or "none"
    print(f"\ncontract walk {source}: {sum(1 for op in walk if walker.walked[op])} of {len(walk)} implemented "
          f"operations walked with their documented 2xx, {sum(walker.walked.values())} successful calls, "
          f"{walker.validated} responses validated against Xero's spec; skipped by requirement: {skips}")
