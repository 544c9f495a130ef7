"""The field declarations (:mod:`adapters.common.fields`) against the models and against what each source serves.

- Every source's maps declare every field of their model, and the declaration type refuses malformed entries.
- Live: each source's stack (``tests/contract`` stacks) reads every declared resource (list page and single reads);
  a field the answer carries that the map does not declare served fails, and so does a served field declared
  without a condition that no record carries. A translator change that its map does not follow fails here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from joserfc.jwk import RSAKey

from adapters.common import fields
from adapters.registry import ADAPTERS, field_maps
from gateway.xero.models import Contact, documents
from tests.contract.conftest import _STOPS, STACKS
from tests.support.stack import Stack

from .stacks import served_records

CODES = sorted(ADAPTERS)


@pytest.mark.parametrize("code", CODES)
def test_every_source_declares_every_field_of_its_models(code):
    maps = field_maps(code)
    assert maps, f"source {code} declares no field map"
    incomplete = {resource: fmap.undeclared for resource, fmap in maps.items() if fmap.undeclared}
    assert not incomplete, f"source {code}: fields without a declaration: {incomplete}"


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


@pytest_asyncio.fixture(loop_scope="module", scope="module", params=CODES)
async def stack(request, tmp_path_factory) -> AsyncIterator[Stack]:
    pem = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True).as_pem(private=True)
    code = request.param
    started = await STACKS[code](Path(tmp_path_factory.mktemp(f"fidelity-{code}")), pem)
    try:
        yield started
    finally:
        await _STOPS[code](started)


@pytest.mark.asyncio(loop_scope="module")
async def test_served_fields_are_the_declared_ones(stack):
    wrong = {}
    for resource, fmap in field_maps(stack.code).items():
        audit = fmap.audit(await served_records(stack, resource))
        if not audit.ok:
            wrong[resource] = {"served but not declared": sorted(audit.undeclared),
                               "declared but never served": sorted(audit.never_seen)}
    assert not wrong, f"source {stack.code}: declarations out of date: {wrong}"
