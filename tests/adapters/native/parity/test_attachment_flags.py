"""``HasAttachments`` and ``Attachments`` on every resource with attachment operations, over HTTP (issue 12), and the
media type of an upload whose ``Content-Type`` does not type the file (none, or form-urlencoded)."""

from __future__ import annotations

import json

import pytest

from adapters.native.ops_attachment_flags import FLAGGED, Flagged
from tests.adapters.native.workflow.conftest import purchase_order_element

pytestmark = pytest.mark.asyncio(loop_scope="module")  # one app for the module (conftest)


async def _record_id(api, flagged: Flagged) -> str:
    """An existing record of the resource (a new purchase order: the demo has none)."""
    if flagged.resource == "PurchaseOrders":
        _, body = await api.call("PUT", "/PurchaseOrders", json={"PurchaseOrders": [purchase_order_element()]})
    else:
        _, body = await api.call("GET", f"/{flagged.resource}")
    return json.loads(body)[flagged.resource][0][flagged.id_field]


@pytest.mark.parametrize("flagged", FLAGGED, ids=lambda f: f.resource)
async def test_flags_follow_the_attachments(api, flagged: Flagged) -> None:
    record_id = await _record_id(api, flagged)
    single = f"/{flagged.resource}/{record_id}"
    _, body = await api.call("GET", single)
    assert json.loads(body)[flagged.resource][0].get("HasAttachments") is False

    # xero-node sends no Content-Type; some clients send a form encoding: the file name types the file.
    resp, _ = await api.call("PUT", f"{single}/Attachments/scan.pdf", data=b"%PDF-1.4 test",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status == 200
    resp = await api.client.put(f"/1000/api.xro/2.0{single}/Attachments/notes.txt", data=b"plain",
                                headers=api.headers, skip_auto_headers=["Content-Type"])
    assert resp.status == 200 and "Content-Type" not in resp.request_info.headers

    _, body = await api.call("GET", single)
    (record,) = json.loads(body)[flagged.resource]
    assert record["HasAttachments"] is True
    if flagged.listed:
        assert [(a["FileName"], a["MimeType"]) for a in record["Attachments"]] == [
            ("scan.pdf", "application/pdf"), ("notes.txt", "text/plain")]
    _, body = await api.call("GET", f"/{flagged.resource}")
    flags = {r[flagged.id_field]: r.get("HasAttachments") for r in json.loads(body)[flagged.resource]}
    assert flags[record_id] is True
    assert any(flag is False for key, flag in flags.items() if key != record_id) or len(flags) == 1
