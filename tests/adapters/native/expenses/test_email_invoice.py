"""``emailInvoice`` through a real SMTP server on loopback: the message, its recipient and its PDF attachment, the
invoice marked ``SentToContact``, and the documented refusals (every answer validated against Xero's spec)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from gateway.app import create_app
from gateway.settings import load_settings
from gateway.xero.errors import ValidationException
from tests.support.smtp import FROM_ADDRESS, SmtpServer, smtp_config, start_smtp

from .conftest import Api, call, invoice_element

CUSTOMER = "Meridian University"


@pytest.fixture
async def smtp() -> AsyncIterator[SmtpServer]:
    server = await start_smtp()
    yield server
    await server.close()


async def _api(aiohttp_client, ledger_dir: Path, xero_spec, config: str) -> Api:
    path = ledger_dir / "smtp.toml"
    path.write_text(config)
    client = await aiohttp_client(create_app(load_settings(path, data_dir=ledger_dir)))
    return Api(client, xero_spec)


@pytest.fixture
async def mail_api(aiohttp_client, ledger_dir, fake_guard, xero_spec, smtp) -> Api:
    return await _api(aiohttp_client, ledger_dir, xero_spec, smtp_config(smtp.port))


def _messages(answer: dict) -> str:
    """Every message of a Xero error answer, joined (``Message`` and the elements' ``ValidationErrors``)."""
    nested = [e["Message"] for el in answer.get("Elements", []) for e in el.get("ValidationErrors", [])]
    return " | ".join([answer["Message"], *nested])


async def _invoice(api: Api, **overrides) -> dict:
    resp, body = await api.call("PUT", "/Invoices", json={"Invoices": [invoice_element(**overrides)]})
    assert resp.status == 200, body
    return (await resp.json())["Invoices"][0]


async def _contact_email(api: Api, contact_id: str) -> str:
    resp, _ = await api.call("GET", f"/Contacts/{contact_id}")
    return (await resp.json())["Contacts"][0].get("EmailAddress", "")


async def test_the_invoice_is_sent_with_its_pdf(mail_api: Api, smtp: SmtpServer) -> None:
    invoice = await _invoice(mail_api)
    address = await _contact_email(mail_api, invoice["Contact"]["ContactID"])
    assert address, "the demo customer has an e-mail address"
    assert invoice.get("SentToContact") is not True

    resp, body = await mail_api.call("POST", f"/Invoices/{invoice['InvoiceID']}/Email", json={})
    assert resp.status == 204 and body == b""

    [received] = smtp.mailbox.messages
    assert received.rcpt_tos == [address] and received.mail_from == FROM_ADDRESS
    message = received.message
    assert message["To"] == address and invoice["InvoiceNumber"] in message["Subject"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"Invoice {invoice['InvoiceNumber']}.pdf"
    pdf = attachment.get_content()
    _, served = await mail_api.call("GET", f"/Invoices/{invoice['InvoiceID']}/pdf",
                                    headers={"Accept": "application/pdf"}, validate=False)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert pdf.startswith(b"%PDF-") and invoice["InvoiceNumber"] in text and CUSTOMER in text
    assert len(pdf) > 500 and served.startswith(b"%PDF-")

    resp, _ = await mail_api.call("GET", f"/Invoices/{invoice['InvoiceID']}")
    assert (await resp.json())["Invoices"][0]["SentToContact"] is True
    resp, _ = await mail_api.call("GET", f"/Invoices/{invoice['InvoiceID']}/History")
    assert "Sent" in [r["Changes"] for r in (await resp.json())["HistoryRecords"]]


@pytest.mark.parametrize(("overrides", "message"), [
    ({"Status": "DRAFT"}, "An invoice must have a status of SUBMITTED, AUTHORISED or PAID to be e-mailed."),
    ({"Type": "ACCPAY", "Contact": {"Name": "Greenfield Office Supplies"}, "InvoiceNumber": "B-1",
      "LineItems": [{"Description": "Paper", "Quantity": 1, "UnitAmount": 5, "AccountCode": "429",
                     "TaxType": "INPUT2"}]}, "Only sales invoices (Type ACCREC) can be e-mailed."),
    ({"Contact": {"Name": "Nobody Emailable Ltd"}}, "The contact Nobody Emailable Ltd has no email address"),
])
async def test_refusals(mail_api: Api, smtp: SmtpServer, overrides, message) -> None:
    invoice = await _invoice(mail_api, **overrides)
    resp, body = await mail_api.call("POST", f"/Invoices/{invoice['InvoiceID']}/Email", json={})
    answer = await resp.json()
    assert resp.status == 400 and answer["Type"] == "ValidationException" and message in _messages(answer), body
    assert smtp.mailbox.messages == []


async def test_without_smtp_configured(aiohttp_client, ledger_dir, fake_guard, xero_spec) -> None:
    api = await _api(aiohttp_client, ledger_dir, xero_spec, "")
    invoice = await _invoice(api)
    resp, _ = await api.call("POST", f"/Invoices/{invoice['InvoiceID']}/Email", json={})
    answer = await resp.json()
    assert resp.status == 400 and answer["Type"] == "ValidationException"
    assert "No SMTP server is configured" in _messages(answer)
    resp, _ = await api.call("GET", f"/Invoices/{invoice['InvoiceID']}")
    assert (await resp.json())["Invoices"][0].get("SentToContact") is not True


async def test_unreachable_server_is_a_503(aiohttp_client, ledger_dir, fake_guard, xero_spec, smtp) -> None:
    port = smtp.port
    await smtp.close()  # nothing listens there any more
    api = await _api(aiohttp_client, ledger_dir, xero_spec, smtp_config(port))
    invoice = await _invoice(api)
    resp, body = await api.call("POST", f"/Invoices/{invoice['InvoiceID']}/Email", json={}, validate=False)
    assert resp.status == 503 and b"mail server could not send the invoice" in body


async def test_unknown_invoice(mail_api: Api) -> None:
    resp, _ = await mail_api.call("POST", "/Invoices/00000000-0000-0000-0000-000000000001/Email", json={})
    assert resp.status == 404


async def test_adapter_refuses_without_smtp(adapter) -> None:
    """Without SMTP the adapter refuses before writing anything (the invoice stays unsent)."""
    invoice = (await call(adapter, "createInvoices", elements=[invoice_element()])).items[0]
    with pytest.raises(ValidationException) as err:
        await call(adapter, "emailInvoice", path={"InvoiceID": invoice.InvoiceID})
    assert "No SMTP server is configured" in _messages(err.value.body())
    read = (await call(adapter, "getInvoice", path={"InvoiceID": invoice.InvoiceID})).items[0]
    assert read.SentToContact is False


def test_smtp_settings_are_validated_and_keep_the_password_secret(tmp_path) -> None:
    def load(text: str):
        path = tmp_path / "smtp.toml"
        path.write_text(text)
        return load_settings(path, data_dir=tmp_path)

    with pytest.raises(ValueError, match="from_address is required"):
        load('[smtp]\nhost = "mail.test"\n')
    with pytest.raises(ValueError, match="exclude each other"):
        load('[smtp]\nhost = "mail.test"\nfrom_address = "a@mail.test"\nstarttls = true\nuse_tls = true\n')
    settings = load('[smtp]\nhost = "mail.test"\nfrom_address = "a@mail.test"\npassword = "hunter2"\n')
    assert settings.smtp.password.get_secret_value() == "hunter2"
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings.smtp)
    assert load("").smtp.host == ""
