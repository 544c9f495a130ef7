"""A kept answer is Xero's on every hit: a new envelope ``Id`` and the ``DateTimeUTC`` of the response, the rest
byte for byte as first rendered (gateway/api/answer_cache.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import xmltodict

from gateway.api.answer_cache import KeptAnswer
from gateway.xero.envelope import build_envelope, to_json_bytes
from gateway.xero.xmlrender import envelope_xml

ITEMS = [{"InvoiceID": "8f4b1c2e-0000-4000-8000-000000000001", "Reference": "DateTimeUTC \"Id\"", "Total": 10}]
LONG_AGO = datetime.now(UTC) - timedelta(days=3)


def _served(kept: KeptAnswer) -> bytes:
    return kept.response().body


def test_json_envelope_gets_a_new_id_and_time_on_each_hit() -> None:
    first = to_json_bytes(build_envelope("Invoices", ITEMS, provider_name="App", now=LONG_AGO))
    kept = KeptAnswer.of(200, (("Content-Type", "application/json"),), first)
    one, two = json.loads(_served(kept)), json.loads(_served(kept))
    original = json.loads(first)
    assert len({original["Id"], one["Id"], two["Id"]}) == 3
    assert one["DateTimeUTC"] != original["DateTimeUTC"]
    for served in (one, two):
        assert {k: v for k, v in served.items() if k not in ("Id", "DateTimeUTC")} == \
            {k: v for k, v in original.items() if k not in ("Id", "DateTimeUTC")}


def test_xml_envelope_gets_a_new_id_and_time_on_each_hit() -> None:
    first = envelope_xml("Invoices", ITEMS, provider_name="App", now=LONG_AGO)
    kept = KeptAnswer.of(200, (("Content-Type", "text/xml"),), first)
    original, served = xmltodict.parse(first)["Response"], xmltodict.parse(_served(kept))["Response"]
    assert served["Id"] != original["Id"] and served["DateTimeUTC"] != original["DateTimeUTC"]
    assert served["DateTimeUTC"].startswith(datetime.now(UTC).strftime("%Y-%m-%d"))
    assert {k: v for k, v in served.items() if k not in ("Id", "DateTimeUTC")} == \
        {k: v for k, v in original.items() if k not in ("Id", "DateTimeUTC")}


def test_a_body_without_an_envelope_is_sent_as_kept() -> None:
    body = b'{"InvoiceID":"x","Id":"y"}'
    assert _served(KeptAnswer.of(200, (), body)) == body
