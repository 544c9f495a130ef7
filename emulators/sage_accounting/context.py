"""What a write operation works with: the business, the clock, id generation, and the value checks every
resource shares (references, money, dates, required members).

Rules and their sources:

- Foreign keys are written ``*_id`` and read back as nested ``{id, displayed_as, $path}`` (upstream-contracts.md §2
  "Bodies are wrapped"); :meth:`Context.ref` builds the nested form.
- A required member that is missing answers 422 ``RecordInvalid`` "This field is required." with ``$source`` the
  member's path (message verbatim, see :mod:`.errors`); a reference to a record that does not exist, or a value of
  the wrong type, answers 422 ``RecordInvalid`` with the emulator's own message (unconfirmed wording).
- Money is ``Decimal`` rounded half-up to 2 places (the spec's amounts are ``number``/``double``; Sage's rounding
  mode is unconfirmed, UK VAT practice rounds half-up).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from . import errors
from .clock import Clock, parse_date
from .store import Business, IdFactory

ZERO = Decimal("0")
CENT = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    """Half-up to 2 decimal places."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def base_ref(record: dict[str, Any]) -> dict[str, Any]:
    """The nested reference form ``{id, displayed_as, $path}`` of a stored record."""
    out = {"id": record["id"], "displayed_as": record.get("displayed_as", "")}
    if "$path" in record:
        out["$path"] = record["$path"]
    return out


@dataclass
class Context:
    """One write's view of a business.

    Attributes:
        business: the business written to.
        clock: the emulator's clock.
        ids: the id factory.
        forced_ids: collection → the id its next new record takes (seeding).
    """

    business: Business
    clock: Clock
    ids: IdFactory
    forced_ids: dict[str, str] = field(default_factory=dict)

    # --------------------------------------------------------------------------------------------- records

    def stamp(self) -> str:
        return self.clock.stamp()

    def today(self) -> date:
        return self.clock.today()

    def new_record(self, collection: str, **fields: Any) -> dict[str, Any]:
        """A record with a fresh id (or the one :attr:`forced_ids` holds for ``collection``: seeding keeps ids),
        ``$path`` and ``created_at``/``updated_at`` set to now."""
        record_id = self.forced_ids.pop(collection, None) or self.ids.new()
        stamp = self.stamp()
        return {"id": record_id, "displayed_as": "", "$path": f"/{collection}/{record_id}", "created_at": stamp,
                "updated_at": stamp, **fields}

    def touch(self, record: dict[str, Any]) -> None:
        """Mark ``record`` changed now (``updated_at``)."""
        record["updated_at"] = self.stamp()
        self.business.changed()

    def ref(self, collection: str, record_id: str) -> dict[str, Any]:
        """``{id, displayed_as, $path}`` of a stored record (it must exist)."""
        return base_ref(self.business.collections[collection][record_id])

    def lookup(self, collection: str, record_id: Any, source: str) -> dict[str, Any]:
        """The record ``record_id`` of ``collection`` named by member ``source``.

        Raises:
            SageError: 422 RecordInvalid when it is not a string or no such record exists.
        """
        if not isinstance(record_id, str) or not record_id:
            raise errors.record_invalid("is invalid", source)
        found = self.business.get(collection, record_id)
        if found is None:
            raise errors.record_invalid(f"{record_id} is not a valid {collection} id", source)
        return found

    def optional_ref(self, body: dict[str, Any], member: str, collection: str,
                     source: str | None = None) -> dict[str, Any] | None:
        """The nested reference for ``body[member]`` when present and not null, else ``None``."""
        value = body.get(member)
        if value in (None, ""):
            return None
        return base_ref(self.lookup(collection, value, source or member))


# ------------------------------------------------------------------------------------------------ values


def require(body: dict[str, Any], members: tuple[str, ...] | list[str], prefix: str = "") -> None:
    """Raise one 422 listing every member of ``members`` missing (or null/empty) in ``body``."""
    missing = [m for m in members if body.get(m) in (None, "", [])]
    if missing:
        raise errors.invalid_items([(errors.REQUIRED, f"{prefix}{m}") for m in missing])


def money(value: Any, source: str) -> Decimal:
    """A JSON number (or numeric string) as ``Decimal``.

    Raises:
        SageError: 422 RecordInvalid when ``value`` is not a number.
    """
    if isinstance(value, bool) or value is None:
        raise errors.record_invalid("is not a number", source)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise errors.record_invalid("is not a number", source) from None
    if not number.is_finite():
        raise errors.record_invalid("is not a number", source)
    return number


def opt_money(body: dict[str, Any], member: str, source: str, default: Decimal | None = None) -> Decimal | None:
    """``money(body[member])`` when present and not null, else ``default``."""
    value = body.get(member)
    return default if value is None or value == "" else money(value, source)


def a_date(value: Any, source: str) -> date:
    """A ``YYYY-MM-DD`` member.

    Raises:
        SageError: 422 RecordInvalid when ``value`` is not a date.
    """
    parsed = parse_date(value) if isinstance(value, str) and len(value.strip()) == 10 else None
    if parsed is None:
        raise errors.record_invalid("is not a valid date", source)
    return parsed


def a_bool(value: Any, source: str) -> bool:
    if not isinstance(value, bool):
        raise errors.record_invalid("is not a boolean", source)
    return value


def a_string(value: Any, source: str) -> str:
    if not isinstance(value, str):
        raise errors.record_invalid("is not a string", source)
    return value


def an_object(value: Any, source: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise errors.record_invalid("is not an object", source)
    return value


def a_list(value: Any, source: str) -> list[Any]:
    if not isinstance(value, list):
        raise errors.record_invalid("is not an array", source)
    return value


def copy_strings(body: dict[str, Any], record: dict[str, Any], members: tuple[str, ...], prefix: str = "") -> None:
    """Copy the string members present in ``body`` (null clears the member)."""
    for member in members:
        if member in body:
            value = body[member]
            if value is None:
                record.pop(member, None)
            else:
                record[member] = a_string(value, prefix + member)


def copy_bools(body: dict[str, Any], record: dict[str, Any], members: tuple[str, ...], prefix: str = "") -> None:
    for member in members:
        if member in body and body[member] is not None:
            record[member] = a_bool(body[member], prefix + member)
