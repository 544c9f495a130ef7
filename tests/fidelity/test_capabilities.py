"""``GET /{code}/gateway/capabilities``: public, from the registered adapter's operations (as docs/coverage.md)
and its translators' field maps (as docs/fields-<code>.md), without starting the adapter."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from adapters import registry
from gateway.api.operations import load_operations
from gateway.app import create_app
from gateway.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = re.compile(r"^- \*\*(\d+)\*\* \(.*\): (\d+) of (\d+) operations supported", re.MULTILINE)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def client(tmp_path_factory) -> AsyncIterator[TestClient]:
    # One gateway for the module: its start-up (the native demo company) is the slow part.
    started = TestClient(TestServer(create_app(load_settings(data_dir=tmp_path_factory.mktemp("capabilities")))))
    await started.start_server()
    try:
        yield started
    finally:
        await started.close()


def coverage_counts() -> dict[str, tuple[int, int]]:
    text = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    return {m[1]: (int(m[2]), int(m[3])) for m in SUMMARY.finditer(text)}


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("code", sorted(registry.ADAPTERS))
async def test_capabilities_are_public_and_come_from_the_registered_adapter(client, code):
    # No Authorization header, and 1001/1004/1009 have no registered upstream app or agent here.
    resp = await client.get(f"/{code}/gateway/capabilities")
    assert resp.status == 200, await resp.text()
    assert resp.headers["Content-Type"].startswith("application/json")
    assert resp.headers["Cache-Control"] == "public, max-age=3600"
    body = await resp.json()
    table = load_operations()
    supported = registry.adapter_class(code).supported_operations(list(table))
    assert body["SourceCode"] == code
    assert [op["OperationId"] for op in body["Operations"]] == list(table)
    assert {op["OperationId"] for op in body["Operations"] if op["Supported"]} == supported
    assert (body["OperationsSupported"], body["OperationsTotal"]) == coverage_counts()[code]
    maps = registry.field_maps(code)
    assert [r["Resource"] for r in body["Resources"]] == list(maps)
    for resource in body["Resources"]:
        fmap = maps[resource["Resource"]]
        assert resource["Counts"] == fmap.counts()
        assert [f["XeroField"] for f in resource["Fields"]] == list(fmap.model.model_fields)
        for field in resource["Fields"]:
            declared = fmap[field["XeroField"]]
            assert field["Kind"] == declared.kind
            assert field.get("Source", "") == declared.source and field.get("Note", "") == declared.note


@pytest.mark.asyncio(loop_scope="module")
async def test_case_insensitive_path_and_unknown_code(client):
    assert (await client.get("/1000/Gateway/Capabilities/")).status == 200
    assert (await client.get("/9999/gateway/capabilities")).status == 404


@pytest.mark.asyncio(loop_scope="module")
async def test_a_code_without_a_loadable_adapter_is_503(client, monkeypatch):
    monkeypatch.setitem(registry.ADAPTERS, "1009", "tests.fidelity.no_such_module:Adapter")
    resp = await client.get("/1009/gateway/capabilities")
    assert resp.status == 503
    body = await resp.json()
    assert body["Type"] == "SourceNotConfigured" and "1009" in body["Message"]
