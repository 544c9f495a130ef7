"""``/attachments`` on a context record, ``/attachments/{key}/file``, and ``/attachment_context_types``."""

from __future__ import annotations

import base64

PNG = b"\x89PNG\r\n\x1a\n" + b"emulator attachment"


def _body(context_id: str, **extra) -> dict:
    return {"attachment": {"file": base64.b64encode(PNG).decode(), "file_name": "scan.png", "mime_type": "image/png",
                           "attachment_context_type_id": "CONTACT", "attachment_context_id": context_id, **extra}}


async def _file(sage, key: str, accept: str = "application/octet-stream"):
    response = await sage.client.get(f"/v3.1/attachments/{key}/file",
                                     headers=sage.headers({"Accept": accept}))
    return response.status, await response.read(), response.headers.get("Content-Type", "")


async def test_upload_list_download_replace_delete(sage):
    contact = (await sage.get("/contacts"))["$items"][0]["id"]
    made = await sage.post("/attachments", _body(contact, is_public=True))
    assert made["file_name"] == "scan.png" and made["file_size"] == len(PNG) and made["mime_type"] == "image/png"
    assert made["attachment_context"]["id"] == contact and made["attachment_context_type"]["id"] == "CONTACT"
    assert made["is_public"] is True and made["file_extension"] == "png" and "file" not in made

    listed = await sage.get("/attachments", attachment_context_type_id="CONTACT", attachment_context_id=contact,
                            attributes="all")
    assert [a["id"] for a in listed["$items"]] == [made["id"]]
    other = (await sage.get("/contacts"))["$items"][1]["id"]
    assert (await sage.get("/attachments", attachment_context_type_id="CONTACT",
                           attachment_context_id=other))["$items"] == []

    status, content, media = await _file(sage, made["id"])
    assert status == 200 and content == PNG and media == "application/octet-stream"
    status, _, _ = await _file(sage, made["id"], accept="application/json")
    assert status == 406

    replaced = await sage.put(f"/attachments/{made['id']}", {"attachment": {
        "file": base64.b64encode(PNG + b"2").decode(), "file_name": "scan.png"}})
    assert replaced["id"] == made["id"] and replaced["file_size"] == len(PNG) + 1
    assert (await _file(sage, made["id"]))[1] == PNG + b"2"

    await sage.delete(f"/attachments/{made['id']}")
    assert (await sage.call("GET", f"/attachments/{made['id']}"))[0] == 404


async def test_limits_and_context_checks(sage):
    contact = (await sage.get("/contacts"))["$items"][0]["id"]
    big = {"attachment": {**_body(contact)["attachment"], "file": base64.b64encode(b"x" * 2_621_441).decode()}}
    status, body = await sage.call("POST", "/attachments", body=big)
    assert status == 422 and body[0]["$source"] == "file_size"
    status, body = await sage.call("POST", "/attachments", body=_body(contact, mime_type="application/x-msdownload"))
    assert status == 422 and body[0]["$source"] == "mime_type"
    status, body = await sage.call("POST", "/attachments", body=_body(contact, attachment_context_type_id="JOURNAL"))
    assert status == 422 and body[0]["$source"] == "attachment_context_id"
    status, body = await sage.call("POST", "/attachments", body={"attachment": {"file_name": "a.png"}})
    assert status == 422 and {i["$source"] for i in body} == {"file", "mime_type"}
    status, body = await sage.call("GET", "/attachments", params={"attachment_context_id": contact})
    assert status == 422 and body[0]["$source"] == "attachment_context_type_id"


async def test_context_types_are_listed(sage):
    ids = {row["id"] for row in (await sage.get("/attachment_context_types"))["$items"]}
    assert {"SALES_INVOICE", "PURCHASE_INVOICE", "CONTACT", "BANK_TRANSFER", "OTHER_PAYMENT", "JOURNAL"} <= ids


async def test_attachment_on_a_quote_context(sage):
    contact = (await sage.get("/contacts"))["$items"][0]["id"]
    ledger = next(a for a in await sage.all("ledger_accounts") if a["nominal_code"] == 4000)["id"]
    quote = await sage.post("/sales_quotes", {"sales_quote": {
        "contact_id": contact, "date": "2025-03-01", "expiry_date": "2025-03-31",
        "quote_lines": [{"description": "Survey", "ledger_account_id": ledger, "unit_price": 50,
                         "tax_rate_id": "GB_ZERO"}]}})
    made = await sage.post("/attachments", _body(quote["id"], attachment_context_type_id="SALES_QUOTE"))
    assert made["attachment_context"]["id"] == quote["id"]
