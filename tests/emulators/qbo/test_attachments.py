"""Upload, link, query and download of file attachments (Attachable over QBO's Upload and Download resources)."""

from __future__ import annotations

import json

import aiohttp
import pytest

from tests.emulators.qbo.conftest import SAMPLES, invoice_body, seed_basics
from tests.emulators.qbo.test_limits_faults import CLIENTS

PNG = b"\x89PNG\r\n\x1a\n emulator attachment"
SAMPLE = json.loads((SAMPLES / "Attachable.json").read_text())


async def _upload(qbo, metadata: dict, content: bytes, *, content_type: str = "image/png",
                  file_name: str = "receipt.png", status: int = 200) -> dict:
    form = aiohttp.MultipartWriter("form-data")
    meta = form.append_json(metadata)
    meta.set_content_disposition("form-data", name="file_metadata_01", filename="attachment.json")
    part = form.append(content, {"Content-Type": content_type})
    part.set_content_disposition("form-data", name="file_content_01", filename=file_name)
    response = await qbo.client.post(qbo.url("/upload"), params={"minorversion": "75"}, data=form,
                                     headers=qbo.headers())
    return await qbo.json(response, status)


async def test_upload_links_queries_and_downloads(qbo):
    made = await seed_basics(qbo)
    invoice = await qbo.create("Invoice", invoice_body(made))
    answer = await _upload(qbo, {"AttachableRef": [{"EntityRef": {"type": "Invoice", "value": invoice["Id"]},
                                                    "IncludeOnSend": True}], "FileName": "receipt.png",
                                 "ContentType": "image/png"}, PNG)
    record = answer["AttachableResponse"][0]["Attachable"]
    assert set(SAMPLE["upload_response"]["AttachableResponse"][0]["Attachable"]) - set(record) \
        == {"ThumbnailFileAccessUri"}
    assert record["FileName"] == "receipt.png" and record["ContentType"] == "image/png"
    assert record["Size"] == len(PNG) and record["AttachableRef"][0]["IncludeOnSend"] is True

    text = ("SELECT * FROM Attachable WHERE AttachableRef.EntityRef.Type = 'invoice' "  # noqa: S608 - own Id
            "AND AttachableRef.EntityRef.value = '{}'").format(invoice["Id"])
    found = await qbo.query(text)
    assert [r["Id"] for r in found["QueryResponse"]["Attachable"]] == [record["Id"]]
    other = await qbo.query("SELECT * FROM Attachable WHERE AttachableRef.EntityRef.value = '999999'")
    assert other["QueryResponse"] == {}

    link = await qbo.get(f"/download/{record['Id']}")
    assert link.status == 200 and link.content_type == "text/plain"
    url = await link.text()
    assert url == record["TempDownloadUri"]
    path = url.split("://", 1)[1].split("/", 1)[1]
    file = await qbo.client.get("/" + path)  # pre-signed: no bearer token
    assert file.status == 200 and file.content_type == "image/png" and await file.read() == PNG
    forged = await qbo.client.get("/" + path.rsplit("/", 1)[0] + "/forged")
    assert forged.status == 404


@pytest.mark.parametrize("emulator_config", [{"clients": CLIENTS, "max_attachment_bytes": 1000}])
async def test_upload_refuses_unknown_targets_types_and_sizes(qbo):
    made = await seed_basics(qbo)
    invoice = await qbo.create("Invoice", invoice_body(made))
    target = {"AttachableRef": [{"EntityRef": {"type": "Invoice", "value": invoice["Id"]}}]}
    missing = await _upload(qbo, {"AttachableRef": [{"EntityRef": {"type": "Invoice", "value": "99999"}}]}, PNG)
    assert missing["AttachableResponse"][0]["Fault"]["Error"][0]["code"] == "610"
    exe = await _upload(qbo, target, b"MZ", content_type="application/x-msdownload", file_name="a.exe")
    assert exe["AttachableResponse"][0]["Fault"]["Error"][0]["code"] == "2010"
    unknown = await _upload(qbo, {**target, "Colour": "red"}, PNG)
    assert unknown["AttachableResponse"][0]["Fault"]["Error"][0]["code"] == "2010"
    assert (await _upload(qbo, target, b"x" * 1000, content_type="text/plain"))["AttachableResponse"][0]["Attachable"]
    big = await _upload(qbo, target, b"x" * 1001, content_type="text/plain", file_name="big.txt")
    assert big["AttachableResponse"][0]["Fault"]["Error"][0]["element"] == "Size"
    assert (await qbo.get("/download/424242")).status == 400

