"""``/Employees`` on the native ledger, served from Xero's spec v12.0.2 (``mappings/xero_employees.toml``): every
answer is validated against that version's ``Employees`` schema, kept in the same file."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

import mappings
from gateway.api.operations import load_earlier_operations, load_operations

ON_MODULE_APP = pytest.mark.asyncio(loop_scope="module")  # the app of conftest lives for the module
SCHEMAS = mappings.load("xero_employees")["schemas"]
VALIDATOR = jsonschema.Draft7Validator({"$ref": "#/components/schemas/Employees", "components": {"schemas": SCHEMAS}})


def test_the_operations_come_from_the_earlier_spec_only() -> None:
    source = mappings.load("xero_employees")["source"]
    assert (source["repo"], source["path"], source["info_version"]) == ("XeroAPI/Xero-OpenAPI", "xero_accounting.yaml",
                                                                         "12.0.2")
    earlier = load_earlier_operations()
    assert sorted(earlier) == ["createEmployees", "getEmployee", "getEmployees", "updateOrCreateEmployees"]
    assert not set(earlier) & set(load_operations())


async def _employees(api, method: str, path: str, status: int = 200, **kwargs: Any) -> list[dict[str, Any]]:
    resp, body = await api.call(method, path, validate=False, **kwargs)
    assert resp.status == status, body
    if status != 200:
        return []
    answer = json.loads(body)
    VALIDATOR.validate(answer)
    return answer["Employees"]


@ON_MODULE_APP
async def test_employees_are_created_read_updated_and_listed(api) -> None:
    created = await _employees(api, "PUT", "/Employees", json={"Employees": [
        {"FirstName": "Nick", "LastName": "Fury", "ExternalLink": {"Url": "http://twitter.com/#!/search/Nick+Fury"}},
        {"FirstName": "Tony", "LastName": "Stark", "Status": "ACTIVE"}]})
    fury, stark = created
    assert (fury["Status"], fury["ExternalLink"]["Url"]) == ("ACTIVE", "http://twitter.com/#!/search/Nick+Fury")
    (got,) = await _employees(api, "GET", f"/Employees/{stark['EmployeeID']}")
    assert (got["FirstName"], got["LastName"]) == ("Tony", "Stark")

    (archived,) = await _employees(api, "POST", "/Employees", json={"Employees": [
        {"EmployeeID": stark["EmployeeID"], "Status": "ARCHIVED"}]})
    assert (archived["EmployeeID"], archived["Status"], archived["FirstName"]) == (stark["EmployeeID"], "ARCHIVED",
                                                                                   "Tony")
    active = await _employees(api, "GET", '/Employees?where=Status=="ACTIVE"&order=LastName DESC')
    assert [e["LastName"] for e in active] == ["Fury"]

    await _employees(api, "GET", "/Employees/00000000-0000-0000-0000-000000000001", status=404)


@ON_MODULE_APP
async def test_invalid_employees_are_refused_as_xero_does(api) -> None:
    before = await _employees(api, "GET", "/Employees")
    resp, body = await api.call("PUT", "/Employees", validate=False, json={"Employees": [
        {"FirstName": "Maria"}, {"FirstName": "Peter", "LastName": "Parker", "Status": "RETIRED"}]})
    assert resp.status == 400
    error = json.loads(body)
    assert error["Type"] == "ValidationException"
    messages = [[m["Message"] for m in el["ValidationErrors"]] for el in error["Elements"]]
    assert messages == [["The LastName of an employee must be specified."],
                        ["Employee Status must be one of ACTIVE, ARCHIVED, GDPRREQUEST, DELETED."]]
    assert await _employees(api, "GET", "/Employees") == before
