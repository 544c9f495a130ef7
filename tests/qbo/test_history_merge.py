"""The gateway's history entries merged with a source's (:mod:`adapters.common.history`)."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.common import history
from gateway.xero.errors import ValidationException

T0 = dt.datetime(2026, 3, 1, 10, 0, 0, tzinfo=dt.UTC)


def entry(changes: str, seconds: float, details: str = "") -> history.Entry:
    return history.Entry(changes, details, history.SYSTEM_USER, T0 + dt.timedelta(seconds=seconds))


def test_merge_orders_oldest_first_source_first_within_a_second_and_drops_duplicates():
    kept = [entry("Attached a file", 0.4), entry("Note", 5, "called"), entry("Edited", 30)]
    upstream = [entry("Created", 0.9), entry("Edited", 31)]
    merged = history.merge(kept, upstream)
    assert [(e.changes, e.details) for e in merged] == [
        ("Created", ""), ("Attached a file", ""), ("Note", "called"), ("Edited", "")]
    assert merged[-1] is kept[-1]


def test_note_details_rules():
    assert history.note_details([{"Details": " hello "}]) == ["hello"]
    with pytest.raises(ValidationException):
        history.note_details([])
    with pytest.raises(ValidationException):
        history.note_details([{"Details": "x" * (history.NOTE_MAX_LENGTH + 1)}])
