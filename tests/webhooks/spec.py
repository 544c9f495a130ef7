"""Validate delivery bodies against Xero's ``xero-webhooks.yaml`` (``WebhookEvent``; ``CreditNoteWebhookEvent``
for credit-note events) with jsonschema (OpenAPI 3.1 schemas are JSON Schema 2020-12), formats checked.

``date-time``: the spec's own examples (``eventDateUtc: 2024-06-21T01:15:39.902``) and Xero's deliveries have no
offset, which RFC 3339 requires; the check here is Xero's exact shape instead (no ``Z``, 3-digit milliseconds,
shared/notes/webhooks.md §2) and that it is a real date. ``uri`` is checked with ``urllib`` (absolute http(s)).
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC = Path(__file__).resolve().parents[3] / "shared" / "contracts" / "xero" / "xero-webhooks.yaml"
BASE = "urn:xero-webhooks"
XERO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$")


@cache
def _registry() -> Registry:
    return Registry().with_resource(BASE, DRAFT202012.create_resource(yaml.safe_load(SPEC.read_text())))


def _format_checker() -> FormatChecker:
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def xero_date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not XERO_DATE_TIME.match(value):
            return False
        datetime.fromisoformat(value)
        return True

    @checker.checks("uri")
    def uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.netloc)

    return checker


def validate_body(body: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``body`` is a valid Xero delivery; credit-note bodies are also
    checked against ``CreditNoteWebhookEvent``."""
    schemas = ["WebhookEvent"]
    if any(e.get("eventCategory") == "CREDITNOTE" for e in body.get("events", [])):
        schemas.append("CreditNoteWebhookEvent")
    for name in schemas:
        validator = Draft202012Validator({"$ref": f"{BASE}#/components/schemas/{name}"}, registry=_registry(),
                                         format_checker=_format_checker())
        validator.validate(body)
