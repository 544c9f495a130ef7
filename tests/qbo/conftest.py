"""Fixtures of the QBO adapter tests (the stack itself is built by :mod:`tests.support.qbo`).

- ``signing_pem``: one RSA key per session for the gateway apps.
- ``emulator``: the QBO emulator seeded with ``shared/contracts/qbo/samples`` on a free 127.0.0.1 port.
- ``qbo``: a gateway app on a fresh data directory, the emulator registered as source 1004, and a partner app
  connected through the full OAuth dance (:class:`tests.support.qbo.QboStack`). Every entity body the adapter sends
  QBO during the test is validated against Intuit's XSDs (``emulators.qbo.xsd.validate``) when the test ends.
- ``qbo_blank``: the same on an emulator company without the recorded samples.
- ``qbo_files``: ``qbo`` consented with ``accounting.attachments`` too (attachments and the documents that list
  them).
"""

from __future__ import annotations

import json

import pytest
from aiohttp.test_utils import TestServer
from joserfc.jwk import RSAKey

from adapters.qbo.client import QboClient
from emulators.qbo import create_app as create_emulator
from emulators.qbo import xsd
from tests.support.qbo import SCOPES, QboStack, connect, emulator_config, gateway_app


@pytest.fixture(scope="session")
def signing_pem() -> bytes:
    return RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True).as_pem(private=True)


@pytest.fixture
async def emulator(aiohttp_server) -> TestServer:
    return await aiohttp_server(create_emulator(emulator_config()), host="127.0.0.1")


@pytest.fixture
def sent_to_qbo(monkeypatch):
    """Every entity body the adapter POSTs to QBO, validated against Intuit's XSDs when the test ends."""
    sent: list[tuple[str, dict]] = []
    original = QboClient.post

    async def recording(self, auth, path, body, **kwargs):
        sent.append((path, body))
        return await original(self, auth, path, body, **kwargs)

    monkeypatch.setattr(QboClient, "post", recording)
    yield sent
    for path, body in sent:
        entity = ENTITY_BY_PATH[path.strip("/")]
        xsd.validate({entity: json.loads(json.dumps(body, default=_number))})


def _number(value):
    return int(value) if value == value.to_integral_value() else float(value)


#: URL segment → QBO entity of the writes the adapter makes.
ENTITY_BY_PATH = {name.lower(): name for name in (
    "Invoice", "Bill", "Customer", "Vendor", "Account", "Item", "Payment", "BillPayment", "CreditMemo",
    "VendorCredit", "Purchase", "Deposit", "SalesReceipt", "Transfer", "JournalEntry", "Class", "Department",
    "CompanyCurrency", "Attachable", "Estimate", "PurchaseOrder")}


@pytest.fixture
async def qbo(aiohttp_client, emulator, tmp_path, signing_pem, xero_spec, sent_to_qbo) -> QboStack:
    gateway = await aiohttp_client(gateway_app(tmp_path / "data", signing_pem))
    return await connect(gateway, str(emulator.make_url("")).rstrip("/"), spec=xero_spec, emulator=emulator)


@pytest.fixture
async def qbo_blank(aiohttp_server, aiohttp_client, tmp_path, signing_pem, xero_spec, sent_to_qbo) -> QboStack:
    """The stack on an emulator company without the recorded samples (only CompanyInfo and Preferences): for
    figures that must come from what the test itself wrote (reports, counts)."""
    emulator = await aiohttp_server(create_emulator(emulator_config(seed_dir=None)), host="127.0.0.1")
    gateway = await aiohttp_client(gateway_app(tmp_path / "blank", signing_pem))
    return await connect(gateway, str(emulator.make_url("")).rstrip("/"), spec=xero_spec, emulator=emulator)


@pytest.fixture
async def qbo_files(aiohttp_client, emulator, tmp_path, signing_pem, xero_spec, sent_to_qbo) -> QboStack:
    gateway = await aiohttp_client(gateway_app(tmp_path / "data", signing_pem))
    return await connect(gateway, str(emulator.make_url("")).rstrip("/"), spec=xero_spec, emulator=emulator,
                         scope=f"{SCOPES} accounting.attachments")
