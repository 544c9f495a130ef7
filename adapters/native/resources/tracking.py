"""Tracking on document lines: validate a line's ``Tracking`` list, store it, render it back.

Public interface (for every module that writes or reads lines carrying tracking — invoices, credit notes, bank
transactions, manual journals — and for the reports that split by tracking)::

    async def resolve(books: Books, tracking: Sequence[xm.LineItemTracking] | None, *, errors: list[str],
                      keep: Sequence[Mapping[str, str]] | None = None) -> list[dict[str, str]]
    def to_line_tracking(stored: Sequence[Mapping[str, str]] | None) -> list[xm.LineItemTracking]
    def forget(books: Books) -> None
    def signature(stored: Sequence[Mapping[str, str]] | None) -> tuple[str, ...]

``resolve`` validates a request line's ``Tracking`` (spec ``LineItem.Tracking``: ``LineItemTracking`` elements)
and returns the **stored form**: a list (at most 2, request order) of dicts with exactly the keys
``TrackingCategoryID``, ``TrackingOptionID``, ``Name`` (category name), ``Option`` (option name) — the canonical
``LineItemTracking`` fields, so ``to_line_tracking`` simply rebuilds the models and a stored value can go straight
into a JSON column (``LineItem.tracking``, ``JournalLine.tracking``, ``ledger.Posting.tracking``). Problems are
appended to ``errors`` (the caller raises ``ElementInvalid``); for an invalid element the return value is
meaningless. The ids are authoritative; the names are kept current by :func:`relabel` when a category or option
is renamed. ``forget`` drops the per-session catalogue cache after a write to the categories; ``signature`` is
what a line's tracking adds to a document's posting signature (re-post when it changes).

Rules (https://developer.xero.com/documentation/api/accounting/trackingcategories and spec
``JournalLine.TrackingCategories``: "Any JournalLine can have a maximum of 2 <TrackingCategory> elements"):

- at most 2 elements per line, each naming a different category;
- an element names its category by ``TrackingCategoryID`` or, failing that, by ``Name`` (case-insensitive), and
  its option by ``TrackingOptionID`` or, failing that, by ``Option`` (case-insensitive); an id wins over a name;
- the category and the option must be ``ACTIVE`` (archived ones stay on old lines but cannot be chosen anew).
  Re-saving a line that already carries an archived option keeps it (``keep``: the line's stored tracking).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Text, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.xero import models as xm
from gateway.xero.fields import id_text

from .. import messages
from ..books import Books
from ..tables import NativeBase
from ..tables.catalogue import TrackingCategory, TrackingOption
from ..validation import text

#: Xero's limit of tracking elements on one line (spec ``JournalLine.TrackingCategories``).
MAX_PER_LINE = 2
#: The stored form's keys (the canonical ``LineItemTracking`` fields).
KEYS = ("TrackingCategoryID", "TrackingOptionID", "Name", "Option")
_CACHE_KEY = "native.tracking_catalogue"


@dataclass
class Catalogue:
    """A company's tracking categories and options, loaded once per session."""

    company_id: str
    categories: dict[str, TrackingCategory] = field(default_factory=dict)
    by_name: dict[str, TrackingCategory] = field(default_factory=dict)

    @classmethod
    async def load(cls, books: Books) -> Catalogue:
        """The catalogue of ``books``' company (cached in ``books.session.info`` until :func:`forget`)."""
        cached = books.session.info.get(_CACHE_KEY)
        if isinstance(cached, Catalogue) and cached.company_id == books.company.id:
            return cached
        rows = list(await books.session.scalars(
            select(TrackingCategory).where(TrackingCategory.company_id == books.company.id)))
        catalogue = cls(company_id=books.company.id, categories={r.id: r for r in rows},
                        by_name={r.name.strip().lower(): r for r in rows if r.status != "DELETED"})
        books.session.info[_CACHE_KEY] = catalogue
        return catalogue


def forget(books: Books) -> None:
    """Drop the cached catalogue (call after creating, renaming, archiving or deleting categories/options)."""
    books.session.info.pop(_CACHE_KEY, None)


def _find_option(category: TrackingCategory, option_id: str | None, option_name: str | None
                 ) -> TrackingOption | None:
    if option_id:
        return next((o for o in category.options if o.id == option_id), None)
    if option_name:
        wanted = option_name.strip().lower()
        return next((o for o in category.options if o.name.strip().lower() == wanted and o.status != "DELETED"),
                    None)
    return None


async def resolve(books: Books, tracking: Sequence[xm.LineItemTracking] | None, *, errors: list[str],
                  keep: Sequence[Mapping[str, str]] | None = None) -> list[dict[str, str]]:
    """Validate a line's ``Tracking`` and return its stored form (see the module docstring).

    Args:
        books: the request's books.
        tracking: the line's ``Tracking`` elements (``None`` or empty: no tracking).
        errors: problems are appended here, worded as in :mod:`adapters.native.messages`.
        keep: the line's currently stored tracking, when an existing line is re-saved: an option it already
            carries may be archived (Xero keeps archived options on old transactions).

    Returns:
        ``[{"TrackingCategoryID", "TrackingOptionID", "Name", "Option"}, …]`` (at most 2, request order).
    """
    items = list(tracking or [])
    if not items:
        return []
    if len(items) > MAX_PER_LINE:
        errors.append(messages.TRACKING_TOO_MANY)
        return []
    kept_options = {str(t.get("TrackingOptionID")) for t in keep or []}
    catalogue = await Catalogue.load(books)
    out: list[dict[str, str]] = []
    for item in items:
        category_id, category_name = id_text(item.TrackingCategoryID), text(item.Name)
        if category_id:
            category = catalogue.categories.get(category_id)
        else:
            category = catalogue.by_name.get((category_name or "").lower())
        option_id, option_name = id_text(item.TrackingOptionID), text(item.Option)
        option = _find_option(category, option_id, option_name) if category is not None else None
        kept = option is not None and option.id in kept_options
        if category is None or (category.status != "ACTIVE" and not kept):
            if category_id:
                errors.append(messages.TRACKING_CATEGORY_ID_NOT_ACTIVE.format(id=item.TrackingCategoryID))
            else:
                errors.append(messages.TRACKING_CATEGORY_NOT_ACTIVE.format(name=category_name or ""))
            continue
        if option is None or (option.status != "ACTIVE" and not kept):
            if not option_id and not option_name:
                errors.append(messages.TRACKING_OPTION_REQUIRED.format(category=category.name))
            else:
                errors.append(messages.TRACKING_OPTION_NOT_ACTIVE.format(
                    option=option_name or item.TrackingOptionID, category=category.name))
            continue
        if any(t["TrackingCategoryID"] == category.id for t in out):
            errors.append(messages.TRACKING_CATEGORY_TWICE.format(category=category.name))
            continue
        out.append({"TrackingCategoryID": category.id, "TrackingOptionID": option.id, "Name": category.name,
                    "Option": option.name})
    return out


def signature(stored: Sequence[Mapping[str, Any]] | None) -> tuple[str, ...]:
    """What a line's tracking contributes to a posting's identity: its option ids, sorted (a change of
    tracking on a posted document needs a re-posting so that the journal lines carry it)."""
    return tuple(sorted(str(t.get("TrackingOptionID")) for t in stored or []))


def to_line_tracking(stored: Sequence[Mapping[str, Any]] | None) -> list[xm.LineItemTracking]:
    """The stored form back as canonical ``LineItemTracking`` models (spec ``LineItem.Tracking``)."""
    return [xm.LineItemTracking(**{k: t.get(k) for k in KEYS}) for t in stored or []]


# Maintenance across every table whose lines carry tracking ---------------------------------------------------

def _tracking_classes() -> list[type[Any]]:
    """Every mapped class of the native ledger with a JSON ``tracking`` column holding the stored form."""
    # the reports' balances key their rows by option ids in a text ``tracking`` column: not the stored form, and
    # untouched by a rename
    return [m.class_ for m in NativeBase.registry.mappers
            if "tracking" in m.columns and isinstance(m.columns["tracking"].type, JSON)]


async def _rows_mentioning(session: AsyncSession, ids: Sequence[str]) -> list[Any]:
    rows: list[Any] = []
    for cls in _tracking_classes():
        column = cls.tracking
        rows.extend(await session.scalars(
            select(cls).where(or_(*[cast(column, Text).like(f"%{i}%") for i in ids]))))
    return rows


async def in_use(session: AsyncSession, *, ids: Sequence[str]) -> bool:
    """Whether any stored line (of any document type, or any journal line) carries one of ``ids``
    (category or option ids)."""
    wanted = set(ids)
    for row in await _rows_mentioning(session, list(ids)):
        for t in row.tracking or []:
            if wanted & {t.get("TrackingCategoryID"), t.get("TrackingOptionID")}:
                return True
    return False


async def relabel(session: AsyncSession, *, category_id: str, category_name: str | None = None,
                  option_id: str | None = None, option_name: str | None = None) -> int:
    """Rewrite the names in stored tracking after a rename (ids and amounts untouched).

    Args:
        category_id: the renamed category (or the category of the renamed option).
        category_name: the category's new name, if it was renamed.
        option_id, option_name: the renamed option and its new name.

    Returns:
        How many rows were rewritten.
    """
    changed = 0
    for row in await _rows_mentioning(session, [option_id or category_id]):
        new: list[dict[str, Any]] = []
        touched = False
        for t in row.tracking or []:
            t = dict(t)
            if t.get("TrackingCategoryID") == category_id:
                if category_name is not None and t.get("Name") != category_name:
                    t["Name"], touched = category_name, True
                if option_id and t.get("TrackingOptionID") == option_id and t.get("Option") != option_name:
                    t["Option"], touched = option_name, True
            new.append(t)
        if touched:
            row.tracking = new
            changed += 1
    return changed
