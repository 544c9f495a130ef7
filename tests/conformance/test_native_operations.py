"""Conformance walk (issue 3 §5): every operation the native ledger implements, called through the real gateway
on the demo company, every answer validated against Xero's spec (``../shared/contracts/xero/xero_accounting.yaml``:
status code, body schema, required fields, enum values; binary answers by content type and magic bytes).

- The operations under test are derived, never listed: ``NativeLedgerAdapter.supported_operations`` over every
  operation id of ``mappings/xero_operations.toml``. An implemented operation without a call recipe
  (:mod:`tests.conformance.recipes`) fails :func:`test_every_implemented_operation_has_a_recipe`, naming it, and its
  own walk step fails too, so a new operation cannot slip past.
- :func:`test_operation` runs one recipe per implemented operation, in walk order (lists first, then single
  reads and reports, creates, updates, payments and allocations, history and attachments, deletes of the walk's own
  records last); the steps share one app, database, token and state (module scope).
- :func:`test_walk_summary` checks that every implemented operation answered its documented 2xx and prints one line
  with the figures (run with ``-s``).
- A few deliberately invalid bodies answer Xero's 400 ``ValidationException`` shape; operations the ledger does not
  implement answer 501 with Xero's error body naming the operation.

Findings in the native adapter or the front end are never papered over: a step that fails is a bug to report. Known
ones may be listed in :data:`KNOWN_FINDINGS` (a strict xfail, so the mark must go once the bug is fixed).
"""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio

from adapters.native.adapter import NativeLedgerAdapter
from gateway.api.operations import load_operations

from .recipes import EXPLICIT, recipe_for, walk_order
from .steps import Phase, line, today
from .walker import Walker

pytestmark = pytest.mark.slow

#: The operations under test: derived from the adapter's methods over the operation table.
IMPLEMENTED = NativeLedgerAdapter.supported_operations(load_operations())
WALK = walk_order(IMPLEMENTED)

#: Reported findings, one strict xfail each: operation id → what is wrong (remove the entry once fixed).
KNOWN_FINDINGS: dict[str, str] = {}
PLACEHOLDER_GUID = "00000000-0000-0000-0000-0000000000c1"


def _walk_params() -> list[Any]:
    return [pytest.param(op, id=op, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_FINDINGS[op])]
                         if op in KNOWN_FINDINGS else []) for op in WALK]


def test_every_implemented_operation_has_a_recipe() -> None:
    missing = sorted(op for op in IMPLEMENTED if recipe_for(op) is None)
    assert not missing, ("implemented operations without a call recipe (add one in tests/conformance/reads.py "
                         f"or writes.py): {missing}")
    unknown = sorted(set(EXPLICIT) - set(load_operations()))
    assert not unknown, f"recipes for operation ids Xero's spec does not have: {unknown}"
    assert len(IMPLEMENTED) >= 100, f"only {len(IMPLEMENTED)} operations derived: the derivation is broken"


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("operation_id", _walk_params())
async def test_operation(walker: Walker, operation_id: str) -> None:
    walker.attempted.add(operation_id)
    found = recipe_for(operation_id)
    assert found is not None, f"{operation_id} is implemented by the native ledger but has no call recipe"
    await found.run(walker)
    assert walker.walked[operation_id] >= 1, f"{operation_id}: its recipe never got the documented 2xx answer"


def _whole_walk_ran(walker: Walker, request: pytest.FixtureRequest) -> None:
    """Skip unless every walk step was selected and has run."""
    selected = {item.callspec.params["operation_id"] for item in request.session.items
                if getattr(item, "originalname", "") == "test_operation"}
    if selected != set(WALK):
        pytest.skip("only part of the walk was selected")
    assert walker.attempted >= set(WALK)


@pytest.mark.asyncio(loop_scope="module")
async def test_companion_date_strings(walker: Walker, request: pytest.FixtureRequest) -> None:
    """Every ``…String`` date companion the walk saw has the form of the spec's examples and its twin's instant."""
    _whole_walk_ran(walker, request)
    findings = [f"{resource}.{name}: {detail}"
                for (resource, name), detail in sorted(walker.companion_findings.items())]
    assert not findings, "date companions deviating from Xero's spec:\n" + "\n".join(findings)


# Deliberately invalid bodies ----------------------------------------------------------------------------------------

@pytest_asyncio.fixture(loop_scope="module")
async def looked_up(walker: Walker) -> Walker:
    """The walker with the demo company's lists resolved (the walk's LOOKUP recipes, run once)."""
    for op in WALK:
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


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("case", sorted(INVALID_BODIES))
async def test_invalid_body_answers_validation_exception(looked_up: Walker, case: str) -> None:
    operation_id, build = INVALID_BODIES[case]
    if operation_id not in IMPLEMENTED:
        pytest.skip(f"{operation_id} is not implemented")
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
@pytest.mark.parametrize("operation_id", sorted(PARTIAL_BATCHES))
async def test_summarize_errors_false_answers_each_element(looked_up: Walker, operation_id: str) -> None:
    """With ``summarizeErrors=false`` a batch with an invalid element is answered with HTTP 200, each element
    echoed with its ``StatusAttributeString`` (``OK``/``ERROR``) and the failed one with its ``ValidationErrors``
    (shared/notes/xero-contract.md §2 "PUT vs POST"; spec ``summarizeErrors`` parameter)."""
    if operation_id not in IMPLEMENTED:
        pytest.skip(f"{operation_id} is not implemented")
    op = load_operations()[operation_id]
    answer = await looked_up.call(operation_id, params={"summarizeErrors": "false"},
                                  json_body={op.request_key: PARTIAL_BATCHES[operation_id](looked_up)}, expect=200)
    elements = answer.items(op.response_key)
    assert [e.get("StatusAttributeString") for e in elements] == ["OK", "ERROR"], elements
    messages = [e.get("Message") for e in elements[1].get("ValidationErrors") or []]
    assert messages and all(isinstance(m, str) and m for m in messages), elements[1]


# Operations the native ledger does not implement --------------------------------------------------------------------

def _unsupported_sample() -> list[str]:
    """Every list read the ledger lacks, plus its first unimplemented write and single read."""
    table = load_operations()
    missing = [op for op in table.values() if op.id not in IMPLEMENTED]
    sample = [op.id for op in missing if op.method == "GET" and not op.path_params]
    sample += [op.id for op in missing if op.method == "PUT"][:1]
    sample += [op.id for op in missing if op.method == "GET" and op.path_params][:1]
    return sample


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("operation_id", _unsupported_sample())
async def test_unimplemented_operation_answers_501(walker: Walker, operation_id: str) -> None:
    op = load_operations()[operation_id]
    path = {name: ("conformance.png" if name == "FileName" else PLACEHOLDER_GUID) for name in op.path_params}
    body = {op.request_key: [{}]} if op.request_key else ({} if op.method in ("PUT", "POST") else None)
    answer = await walker.call(operation_id, path=path, json_body=body, expect=501)
    error = answer.json()
    assert error.get("Type") == "NotImplementedException" and error.get("ErrorNumber") == 20, error
    assert operation_id in error.get("Message", ""), error


@pytest.mark.asyncio(loop_scope="module")
async def test_walk_summary(walker: Walker, request: pytest.FixtureRequest) -> None:
    _whole_walk_ran(walker, request)
    not_answered = sorted(op for op in WALK if not walker.walked[op] and op not in KNOWN_FINDINGS)
    assert not not_answered, f"operations that never answered their documented 2xx: {not_answered}"
    print(f"\nconformance walk: {sum(1 for op in WALK if walker.walked[op])} of {len(IMPLEMENTED)} implemented "
          f"operations walked with their documented 2xx, {sum(walker.walked.values())} successful calls, "
          f"{walker.validated} responses validated against Xero's spec")
