"""The field declarations (:mod:`adapters.common.fields`) against the models and against what each source serves.

- Every source's maps declare every field of their model, and the declaration type refuses malformed entries.
- Live: each source's stack (``tests/contract`` stacks) reads every declared resource (list page and single reads);
  a field the answer carries that the map does not declare served fails, and so does a served field declared
  without a condition that no record carries. A translator change that its map does not follow fails here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from adapters.common import fields
from adapters.registry import ADAPTERS, adapter_class, field_maps
from gateway.api.operations import load_operations
from gateway.xero.models import Contact, documents

from .stacks import OneStackAtATime, served_records

CODES = sorted(ADAPTERS)


@pytest.mark.parametrize("code", CODES)
def test_every_source_declares_every_field_of_its_models(code):
    maps = field_maps(code)
    assert maps, f"source {code} declares no field map"
    incomplete = {resource: fmap.undeclared for resource, fmap in maps.items() if fmap.undeclared}
    assert not incomplete, f"source {code}: fields without a declaration: {incomplete}"


#: Collections read by GET /{collection} that are not records of a model: the report list (one per report).
NOT_RESOURCES = frozenset({"Reports"})


@pytest.mark.parametrize("code", CODES)
def test_every_collection_a_source_serves_has_a_field_map(code):
    # A supported ``GET /{Collection}`` whose records no map declares would be missing from docs/fields-<code>.md.
    table = load_operations()
    served = {table[op].path.strip("/") for op in adapter_class(code).supported_operations(list(table))
              if table[op].method == "GET" and table[op].path.count("/") == 1}
    missing = sorted(served - NOT_RESOURCES - set(field_maps(code)))
    assert not missing, f"source {code} serves {missing} without a field map"


def test_a_declaration_must_name_a_model_field_once_with_its_source_or_reason():
    with pytest.raises(fields.DeclarationError, match="no field 'Nme'"):
        fields.FieldMap("Contacts", Contact, fields.populated("Nme", "DisplayName"))
    with pytest.raises(fields.DeclarationError, match="declared twice"):
        fields.FieldMap("Contacts", Contact, fields.populated("Name", "a"), fields.populated("Name", "b"))
    with pytest.raises(fields.DeclarationError, match="without a source"):
        fields.FieldMap("Contacts", Contact, fields.populated("Name", ""))
    with pytest.raises(fields.DeclarationError, match="without a reason"):
        fields.FieldMap("Contacts", Contact, fields.lost("Name", reason=""))


def test_the_audit_reports_undeclared_and_missing_fields():
    fmap = fields.FieldMap("Invoices", documents.Invoice, fields.populated("InvoiceNumber", "DocNumber"),
                           fields.populated("Reference", "PrivateNote", condition="when set"),
                           fields.lost("Url", reason="none"))
    served = [{"InvoiceNumber": "1", "DateString": "2024-01-01T00:00:00", "Url": "http://x"}]
    assert fmap.audit(served) == fields.Audit(undeclared=frozenset({"Url"}), never_seen=frozenset())
    assert fmap.audit([{"Reference": "r"}]).never_seen == {"InvoiceNumber"}
    assert fmap.audit([{"InvoiceNumber": "1"}]).ok


#: (source, resource) for every declared resource of every source: one audit per resource.
RESOURCES = [(code, resource) for code in CODES for resource in field_maps(code)]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def stacks(tmp_path_factory) -> AsyncIterator[OneStackAtATime]:
    # One stack per source for the module: the cases are listed source by source.
    started = OneStackAtATime(tmp_path_factory.mktemp("fidelity"))
    try:
        yield started
    finally:
        await started.close()


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("code", "resource"), RESOURCES, ids=[f"{code}-{resource}" for code, resource in RESOURCES])
async def test_served_fields_are_the_declared_ones(stacks, code, resource):
    stack = await stacks.get(code)
    # Every field an answer carries is declared served (a lost one never shows); every unconditional one shows.
    audit = field_maps(stack.code)[resource].audit(await served_records(stack, resource))
    assert audit.ok, (f"source {stack.code} {resource}: declarations out of date: "
                      f"served but not declared {sorted(audit.undeclared)}, "
                      f"declared but never served {sorted(audit.never_seen)}")
