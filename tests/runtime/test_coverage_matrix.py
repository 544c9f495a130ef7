"""docs/coverage.md is exactly what tools/gen_coverage.py derives from the operation table and the registered
adapters' capabilities; the generator reads capabilities from the registry, never from a hand-kept list."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from adapters import registry
from gateway.api.operations import load_operations
from gateway.settings import SOURCE_CODES
from tests.runtime.gated_adapter import GatedAdapter

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| (\w+) \| (GET|PUT|POST|DELETE) \| `([^`]+)` \| (.+) \|$")


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("gen_coverage", ROOT / "tools" / "gen_coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(text: str) -> dict[str, tuple[str, str, list[str]]]:
    found = {}
    for line in text.splitlines():
        match = ROW.match(line)
        if match:
            found[match[1]] = (match[2], match[3], [c.strip() for c in match[4].split("|")])
    return found


def test_docs_coverage_is_fresh(gen):
    assert (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8") == gen.generate(), (
        "regenerate: python tools/gen_coverage.py --write")


def test_one_row_per_operation_and_cells_from_the_registered_adapters(gen, monkeypatch):
    monkeypatch.setitem(registry.ADAPTERS, "1000", "tests.api.fake_adapter:FakeAdapter")
    monkeypatch.setitem(registry.ADAPTERS, "1004", "tests.runtime.gated_adapter:GatedAdapter")
    monkeypatch.setitem(registry.ADAPTERS, "1009", "tests.runtime.no_such_module:Adapter")
    monkeypatch.delitem(registry.ADAPTERS, "1001", raising=False)
    monkeypatch.delitem(SOURCE_CODES, "1010")  # the table below is the four first sources'
    text = gen.generate()
    table = load_operations()
    found = rows(text)
    assert list(found) == list(table)  # every operation once, in spec order
    assert "| operationId | Method | Path | 1000 | 1001 | 1004 | 1009 |" in text
    for op_id, (method, path, cells) in found.items():
        assert (method, path) == (table[op_id].method, table[op_id].path)
        assert set(cells) <= {"supported", "not supported"} and len(cells) == 4
    supported_1004 = {op for op, (_, _, cells) in found.items() if cells[2] == "supported"}
    assert supported_1004 == GatedAdapter.supported_operations(list(table))
    assert {"getOrganisations", "getContacts", "createContacts", "updateOrCreateContacts"} <= supported_1004
    assert "createInvoices" not in supported_1004
    assert all(cells[1] == cells[3] == "not supported" for _, _, cells in found.values())
    fake_1000 = {op for op, (_, _, cells) in found.items() if cells[0] == "supported"}
    assert "createInvoices" in fake_1000 and "getBudgets" not in fake_1000
    assert f"- **1004** (QuickBooks Online): {len(supported_1004)} of {len(table)} operations supported" in text
    assert f"- **1001** (Sage 50 / Sage Desktop UK): 0 of {len(table)} operations supported; " \
           "adapter: no adapter registered" in text
    assert re.search(r"- \*\*1009\*\* .*: 0 of \d+ operations supported; adapter: adapter not loadable", text)
