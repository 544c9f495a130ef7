"""The planning and service answers in Xero's XML are the JSON answers, field by field (read with xmltodict and
compared by :func:`tests.api.test_xml_answers.assert_same_envelope`), on the served demo company."""

from __future__ import annotations

import json

import pytest

from tests.api import test_xml_answers as xml_answers
from tests.api.test_xml_answers import API, XML_CONTENT_TYPE, assert_same_envelope, auth, call, gateway  # noqa: F401
from tests.xero_spec import load_xero_spec

pytestmark = pytest.mark.asyncio(loop_scope="module")

#: Item names of the lists these answers add (the singular of the list, as Xero's XML schemas name their
#: ``ArrayOf…`` types: ``RepeatingInvoice.xsd``; the budget and reminder types are newer than the schemas).
ITEMS = {"RepeatingInvoices": "RepeatingInvoice", "Budgets": "Budget", "BudgetLines": "BudgetLine",
         "BudgetBalances": "BudgetBalance", "InvoiceReminders": "InvoiceReminder"}


@pytest.fixture(autouse=True)
def _items(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, item in ITEMS.items():
        monkeypatch.setitem(xml_answers.XSD_ITEMS, key, item)

READS = [("/RepeatingInvoices", "RepeatingInvoices"), ("/Budgets", "Budgets"), ("/Reports", "Reports"),
         ("/InvoiceReminders/Settings", "InvoiceReminders")]


async def _same(gateway, auth, path: str, key: str) -> dict:  # noqa: F811
    json_status, json_type, json_body = await call(gateway, auth, "GET", path, accept="application/json")
    xml_status, xml_type, xml_body = await call(gateway, auth, "GET", path, accept=None)
    assert (json_status, xml_status) == (200, 200), xml_body[:500]
    assert xml_type == XML_CONTENT_TYPE
    load_xero_spec().validate_response("GET", API + path, json_status, json_body, {"Content-Type": json_type})
    answer = assert_same_envelope(xml_body, json_body, key)
    assert answer[key], f"{path}: nothing to compare"
    return answer


@pytest.mark.parametrize(("path", "key"), READS, ids=[r[0] for r in READS])
async def test_xml_answer_is_the_json_answer(gateway, auth, path, key) -> None:  # noqa: F811
    await _same(gateway, auth, path, key)


async def test_single_budget_and_template_in_xml(gateway, auth) -> None:  # noqa: F811
    _, _, body = await call(gateway, auth, "GET", "/Budgets", accept="application/json")
    budget_id = json.loads(body)["Budgets"][0]["BudgetID"]
    budget = await _same(gateway, auth, f"/Budgets/{budget_id}", "Budgets")
    assert budget["Budgets"][0]["BudgetLines"][0]["BudgetBalances"]
    _, _, body = await call(gateway, auth, "GET", "/RepeatingInvoices", accept="application/json")
    template_id = json.loads(body)["RepeatingInvoices"][0]["RepeatingInvoiceID"]
    template = await _same(gateway, auth, f"/RepeatingInvoices/{template_id}", "RepeatingInvoices")
    assert template["RepeatingInvoices"][0]["Schedule"]["Unit"] in ("WEEKLY", "MONTHLY")
