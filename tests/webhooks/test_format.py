"""Keys, signatures, dates, entropy and bodies in Xero's exact formats (shared/notes/webhooks.md §2-3)."""

import base64
import json
import re
from datetime import UTC, datetime, timedelta, timezone

import jsonschema
import pytest

from gateway.webhooks.categories import parse_categories
from gateway.webhooks.events import ChangeEvent, delivery_body, event_date_utc, intent_to_receive_body
from gateway.webhooks.signing import new_entropy, new_webhook_key, sign
from tests.webhooks.receiver import xero_signature
from tests.webhooks.spec import validate_body

TENANT = "c2cc9b6e-9458-4c7d-93cc-f02b81b0594f"
CONTACT = "717f2bfc-c6d4-41fd-b238-3f2f0c0cf777"


def test_webhook_key_is_88_base64_characters_used_as_text():
    key = new_webhook_key()
    assert len(key) == 88 and len(base64.b64decode(key, validate=True)) == 64
    assert key != new_webhook_key()
    body = b'{"events":[],"firstEventSequence": 0,"lastEventSequence": 0, "entropy": "X"}'
    assert sign(body, key) == xero_signature(body, key)  # the receiver hashes the key's UTF-8 bytes
    assert sign(body + b" ", key) != sign(body, key)


def test_entropy_is_20_upper_case_letters():
    assert re.fullmatch(r"[A-Z]{20}", new_entropy())


def test_event_date_utc_has_no_offset_and_3_digit_millis():
    moment = datetime(2024, 6, 21, 11, 15, 39, 902871, tzinfo=timezone(timedelta(hours=10)))
    assert event_date_utc(moment) == "2024-06-21T01:15:39.902"
    assert event_date_utc(datetime(2024, 6, 21, 1, 15, 39, tzinfo=UTC)) == "2024-06-21T01:15:39.000"
    with pytest.raises(ValueError):
        event_date_utc(datetime(2024, 6, 21))


def test_intent_to_receive_body_is_spaced_as_xero_sends_it():
    assert intent_to_receive_body("ABC") == (
        b'{"events":[],"firstEventSequence": 0,"lastEventSequence": 0, "entropy": "ABC"}')


def test_delivery_body_matches_the_spec_and_names_the_gateway():
    moment = datetime(2024, 6, 21, 1, 15, 39, 902000, tzinfo=UTC)
    contact = ChangeEvent("1000", TENANT, "CONTACT", "UPDATE", CONTACT, moment)
    credit_note = ChangeEvent("1004", TENANT, "CREDITNOTE", "CREATE", CONTACT, moment,
                              data={"Type": "ACCPAYCREDIT", "Status": "DRAFT"})
    body = json.loads(delivery_body([contact, contact], first_sequence=75, last_sequence=76,
                                    entropy="FXNGWLCCGVANWHKILRUB", public_url="https://gw.example.com/"))
    validate_body(body)
    credit = json.loads(delivery_body([credit_note], first_sequence=77, last_sequence=77, entropy="A",
                                      public_url="https://gw.example.com/"))
    validate_body(credit)
    with pytest.raises(jsonschema.ValidationError):  # CreditNoteWebhookEvent holds credit-note events only
        validate_body({**body, "events": body["events"] + credit["events"]})
    assert body["events"][0] == {
        "resourceUrl": f"https://gw.example.com/1000/api.xro/2.0/Contacts/{CONTACT}", "resourceId": CONTACT,
        "eventDateUtc": "2024-06-21T01:15:39.902", "eventType": "UPDATE", "eventCategory": "CONTACT",
        "tenantId": TENANT, "tenantType": "ORGANISATION"}
    assert credit["events"][0]["resourceUrl"] == f"https://gw.example.com/1004/api.xro/2.0/CreditNotes/{CONTACT}"
    assert credit["events"][0]["data"] == {"Type": "ACCPAYCREDIT", "Status": "DRAFT"}
    assert (body["firstEventSequence"], body["lastEventSequence"]) == (75, 76)


def test_extension_categories_are_outside_xeros_spec():
    moment = datetime(2024, 6, 21, tzinfo=UTC)
    body = json.loads(delivery_body([ChangeEvent("1000", TENANT, "PAYMENT", "CREATE", CONTACT, moment)],
                                    first_sequence=1, last_sequence=1, entropy="A", public_url="http://gw"))
    assert body["events"][0]["resourceUrl"] == f"http://gw/1000/api.xro/2.0/Payments/{CONTACT}"
    with pytest.raises(jsonschema.ValidationError):
        validate_body(body)  # Xero's enum has no PAYMENT: receivers switching on eventCategory ignore it


def test_change_event_rejects_what_xero_cannot_carry():
    moment = datetime(2024, 6, 21, tzinfo=UTC)
    for bad in [dict(category="PREPAYMENT"), dict(event_type="DELETE"), dict(category="CREDITNOTE"),
                dict(occurred_at=datetime(2024, 6, 21))]:
        args = dict(source_code="1000", tenant_id=TENANT, category="CONTACT", event_type="CREATE",
                    resource_id=CONTACT, occurred_at=moment) | bad
        with pytest.raises(ValueError):
            ChangeEvent(**args)


def test_categories_parse_and_refuse_unknown_ones():
    assert parse_categories("invoice, CONTACT payment") == ["CONTACT", "INVOICE", "PAYMENT"]
    with pytest.raises(ValueError, match="PREPAYMENT"):
        parse_categories("CONTACT PREPAYMENT")
    with pytest.raises(ValueError):
        parse_categories(" ")
