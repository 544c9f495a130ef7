"""mappings/xero_operations.toml is exactly what tools/gen_operations.py derives from Xero's spec."""

from pathlib import Path

import pytest

from mappings import MAPPINGS_DIR, load

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT.parent / "shared" / "contracts" / "xero" / "xero_accounting.yaml"


@pytest.mark.skipif(not SPEC.exists(), reason="the shared contracts are not beside this checkout")
def test_operation_table_is_fresh():
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_operations", ROOT / "tools" / "gen_operations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (MAPPINGS_DIR / "xero_operations.toml").read_text() == module.generate(SPEC), (
        "regenerate: python tools/gen_operations.py > mappings/xero_operations.toml")


def test_operation_table_shape():
    ops = load("xero_operations")["operation"]
    assert len(ops) == 235 and len({o["id"] for o in ops}) == 235
    by_id = {o["id"]: o for o in ops}
    assert by_id["getInvoices"]["response_key"] == "Invoices"
    assert by_id["getInvoices"]["scopes"] == ["accounting.transactions", "accounting.transactions.read"]
    assert by_id["createPayment"]["request_schema"] == "Payment" and by_id["createPayment"]["request_key"] == ""
    assert by_id["getOrganisations"]["response_key"] == "Organisations"
