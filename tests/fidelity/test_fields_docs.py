"""docs/fields-<code>.md are exactly what tools/gen_fields.py derives from the translators' field maps."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from adapters import registry
from adapters.common import fields
from gateway.xero.models import Contact

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("gen_fields", ROOT / "tools" / "gen_fields.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("code", sorted(registry.ADAPTERS))
def test_fields_doc_is_fresh(gen, code):
    path = ROOT / "docs" / f"fields-{code}.md"
    assert path.exists() and path.read_text(encoding="utf-8") == gen.generate(code), (
        "regenerate: python tools/gen_fields.py --write")


def test_the_document_comes_from_the_declarations(gen, monkeypatch):
    fmap = fields.FieldMap("Contacts", Contact, fields.populated("Name", "DisplayName"),
                           fields.lost(*(n for n in Contact.model_fields if n != "Name"), reason="planted | reason"))
    monkeypatch.setattr(registry, "field_maps", lambda code: {"Contacts": fmap})
    text = gen.generate("1004")
    total = len(Contact.model_fields)
    assert f"| Contacts | Contact | 1 | 0 | 0 | {total - 1} | {total} | {1 / total:.0%} |" in text
    assert "| Name | populated | DisplayName |  |  |" in text
    assert "| EmailAddress | lost |  | planted \\| reason |  |" in text


def test_the_document_marks_the_fields_read_by_the_map(gen, monkeypatch):
    fmap = fields.FieldMap("Contacts", Contact, fields.read("Name", "DisplayName", str, record="Customer"),
                           fields.populated("EmailAddress", "PrimaryEmailAddr.Address"),
                           fields.lost(*(n for n in Contact.model_fields if n not in ("Name", "EmailAddress")),
                                       reason="planted"))
    monkeypatch.setattr(registry, "field_maps", lambda code: {"Contacts": fmap})
    text = gen.generate("1004")
    assert "| Name | populated | Customer.DisplayName |  |  | yes |" in text
    assert "| EmailAddress | populated | PrimaryEmailAddr.Address |  |  |  |" in text
