"""RecurringTransaction templates: seeded from the samples and answered as QBO answers them (wrappers)."""

from __future__ import annotations

import json

import pytest

from tests.emulators.qbo.conftest import SAMPLES
from tests.emulators.qbo.test_seed_xsd import SEEDED

SAMPLE = json.loads((SAMPLES / "RecurringTransaction.json").read_text())


@pytest.mark.parametrize("emulator_config", [SEEDED])
async def test_templates_are_wrappers_keyed_by_the_template_id(qbo):
    found = (await qbo.query("SELECT * FROM RecurringTransaction"))["QueryResponse"]["RecurringTransaction"]
    assert all(len(row) == 1 and next(iter(row)) in ("Invoice", "Bill") for row in found), found
    recorded = SAMPLE["read_response"]["QueryResponse"]["RecurringTransaction"][0]
    template_id = recorded["Bill"]["Id"]
    read = await qbo.json(await qbo.get(f"/recurringtransaction/{template_id}"))
    assert list(read["RecurringTransaction"]) == ["Bill"]
    assert read["RecurringTransaction"]["Bill"]["Id"] == template_id
    assert read["RecurringTransaction"]["Bill"]["RecurringInfo"] == json.loads(
        json.dumps(recorded["Bill"]["RecurringInfo"]), parse_float=float)
