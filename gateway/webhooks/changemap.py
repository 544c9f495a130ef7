"""The code table from a source's changes to Xero webhook events (``mappings/webhook_changes.toml``), validated
once, and :func:`to_event`, which applies it to one :class:`adapters.common.changes.SourceChange`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from functools import cache

import mappings
from adapters.common.changes import SourceChange

from .categories import CATEGORIES, EVENT_TYPES
from .events import ChangeEvent

#: Xero's ``CreditNoteWebhookEvent`` ``data.Type`` enum (xero-webhooks.yaml v16.1.0).
CREDIT_NOTE_TYPES = ("ACCPAYCREDIT", "ACCRECCREDIT")


@dataclass(frozen=True)
class SourceChangeMap:
    """One source's rows of the table.

    Attributes:
        kinds: upstream record kind → ``eventCategory``.
        operations: upstream operation word → ``eventType``.
        credit_note_types: credit-note kind → ``data.Type``.
    """

    kinds: dict[str, str]
    operations: dict[str, str]
    credit_note_types: dict[str, str]

    def kinds_for(self, categories: set[str]) -> list[str]:
        """The kinds whose category is in ``categories`` (what the feed is asked for)."""
        return [kind for kind, category in self.kinds.items() if category in categories]


def _check(code: str, table: SourceChangeMap) -> None:
    for kind, category in table.kinds.items():
        if category not in CATEGORIES:
            raise ValueError(f"webhook_changes.toml [{code}.kinds] {kind}: unknown category {category}")
        if category == "CREDITNOTE" and table.credit_note_types.get(kind) not in CREDIT_NOTE_TYPES:
            raise ValueError(f"webhook_changes.toml [{code}.credit_note_types] lacks a Xero Type for {kind}")
    for word, event_type in table.operations.items():
        if event_type not in EVENT_TYPES:
            raise ValueError(f"webhook_changes.toml [{code}.operations] {word}: unknown event type {event_type}")


@cache
def change_maps() -> dict[str, SourceChangeMap]:
    """Source code → its table.

    Raises:
        ValueError: an unknown category, event type or credit-note type in the file.
    """
    out = {}
    for code, section in mappings.load("webhook_changes").items():
        table = SourceChangeMap(kinds=dict(section.get("kinds", {})), operations=dict(section.get("operations", {})),
                                credit_note_types=dict(section.get("credit_note_types", {})))
        _check(code, table)
        out[code] = table
    return out


def to_event(code: str, tenant_id: str, change: SourceChange) -> ChangeEvent | None:
    """The Xero event of one source change, or ``None`` when the table does not map its kind or operation (or a
    credit note's status is unknown: Xero's ``CreditNoteWebhookEvent`` requires it)."""
    table = change_maps().get(code)
    if table is None:
        return None
    category = table.kinds.get(change.kind)
    event_type = table.operations.get(change.operation)
    if category is None or event_type is None:
        return None
    data = None
    if category == "CREDITNOTE":
        if not change.status:
            return None
        data = {"Type": table.credit_note_types[change.kind], "Status": change.status}
    return ChangeEvent(source_code=code, tenant_id=tenant_id.lower(), category=category, event_type=event_type,
                       resource_id=change.resource_id.lower(), occurred_at=change.changed_at.astimezone(UTC),
                       data=data)
