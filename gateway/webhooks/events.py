"""One change to announce (:class:`ChangeEvent`) and Xero's delivery body built from a batch of them.

The body is ``WebhookEvent`` of ``xero-webhooks.yaml`` (``CreditNoteWebhookEvent`` items carry ``data``)::

    {"events": [{"resourceUrl": "{public_url}/{code}/api.xro/2.0/Contacts/{id}", "resourceId": "…",
                 "eventDateUtc": "2024-06-21T01:15:39.902", "eventType": "UPDATE", "eventCategory": "CONTACT",
                 "tenantId": "…", "tenantType": "ORGANISATION"}],
     "firstEventSequence": 1, "lastEventSequence": 1, "entropy": "FXNGWLCCGVANWHKILRUB"}

``resourceUrl`` points at the gateway itself (the receiver GETs it with its token and ``xero-tenant-id``), and
``tenantId`` is the gateway's tenant GUID (shared/notes/webhooks.md §5).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .categories import CATEGORIES, CATEGORY_COLLECTIONS, EVENT_TYPES, TENANT_TYPES

#: The Accounting API's prefix below ``/{code}`` (spec ``servers[0].url`` ``https://api.xero.com/api.xro/2.0``; the
#: same as ``gateway.api.operations.API_PREFIX``, not imported: ``gateway.api`` imports this package).
API_PREFIX = "/api.xro/2.0"


def event_date_utc(moment: datetime) -> str:
    """Xero's ``eventDateUtc`` text: UTC, no offset or ``Z``, 3-digit milliseconds (``2024-06-21T01:15:39.902``).

    Raises:
        ValueError: ``moment`` is naive (the gateway keeps aware UTC times only).
    """
    if moment.tzinfo is None:
        raise ValueError("eventDateUtc needs an aware datetime")
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


@dataclass(frozen=True)
class ChangeEvent:
    """A change of one resource of one tenant of one source, as every emitter reports it.

    Attributes:
        source_code: the gateway source code (``"1000"``…) the tenant is served under.
        tenant_id: the gateway tenant GUID (lower-case).
        category: an ``eventCategory`` of :data:`gateway.webhooks.categories.CATEGORIES`.
        event_type: ``CREATE`` or ``UPDATE`` (archiving and deleting are UPDATEs: Xero has no DELETE).
        resource_id: the resource's GUID (``ContactID``…).
        occurred_at: aware UTC time of the change.
        data: ``{"Type", "Status"}`` for CREDITNOTE (Xero's ``CreditNoteWebhookEvent``), else ``None``.
        tenant_type: ``ORGANISATION`` (``APPLICATION`` only for SUBSCRIPTION events).

    Raises:
        ValueError: an unknown category, event type or tenant type, or a CREDITNOTE without ``data``.
    """

    source_code: str
    tenant_id: str
    category: str
    event_type: str
    resource_id: str
    occurred_at: datetime
    data: dict[str, str] | None = field(default=None)
    tenant_type: str = "ORGANISATION"

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown webhook category {self.category!r}")
        if self.event_type not in EVENT_TYPES:
            raise ValueError(f"unknown webhook event type {self.event_type!r}")
        if self.tenant_type not in TENANT_TYPES:
            raise ValueError(f"unknown tenant type {self.tenant_type!r}")
        if self.category == "CREDITNOTE" and not (self.data and {"Type", "Status"} <= set(self.data)):
            raise ValueError("a CREDITNOTE event needs data with Type and Status (CreditNoteWebhookEvent)")
        if self.occurred_at.tzinfo is None:
            raise ValueError("occurred_at must be aware UTC")


def resource_url(public_url: str, source_code: str, category: str, resource_id: str) -> str:
    """``{public_url}/{code}/api.xro/2.0/{Collection}/{id}``: where the receiver reads the changed resource."""
    return f"{public_url.rstrip('/')}/{source_code}{API_PREFIX}/{CATEGORY_COLLECTIONS[category]}/{resource_id}"


def event_item(event: ChangeEvent, *, public_url: str) -> dict[str, Any]:
    """One ``events[]`` item of Xero's body."""
    item: dict[str, Any] = {
        "resourceUrl": resource_url(public_url, event.source_code, event.category, event.resource_id),
        "resourceId": event.resource_id,
        "eventDateUtc": event_date_utc(event.occurred_at),
        "eventType": event.event_type,
        "eventCategory": event.category,
        "tenantId": event.tenant_id,
        "tenantType": event.tenant_type,
    }
    if event.data is not None:
        item["data"] = dict(event.data)
    return item


def delivery_body(events: Sequence[ChangeEvent], *, first_sequence: int, last_sequence: int, entropy: str,
                  public_url: str) -> bytes:
    """The raw bytes of one delivery (signed as they are; never re-serialised after signing)."""
    body = {"events": [event_item(e, public_url=public_url) for e in events],
            "firstEventSequence": first_sequence, "lastEventSequence": last_sequence, "entropy": entropy}
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def intent_to_receive_body(entropy: str) -> bytes:
    """An intent-to-receive body: no events, sequences 0, spaced as Xero sends it (shared/notes/webhooks.md §3)."""
    return ('{"events":[],"firstEventSequence": 0,"lastEventSequence": 0, "entropy": "' + entropy + '"}'
            ).encode("utf-8")
