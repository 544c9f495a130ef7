"""Xero GUIDs: the one rule for what counts as a GUID and how it is written.

Xero's ids are GUIDs (spec ``format: uuid``), answered lower-case and hyphenated
(``0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a``). Clients send them in other spellings: pyxero sends hyphen-less
GUIDs, some callers upper-case them, .NET callers may wrap them in braces (``Guid.ToString("B")``).

The rule (one for paths, query parameters, ``where`` texts, request elements and the adapters' look-ups):

- surrounding white space is ignored;
- hexadecimal digits in any case;
- either all four hyphens in their places (8-4-4-4-12) or none (32 digits);
- optionally wrapped in one pair of braces ``{…}``;
- nothing else: no ``urn:uuid:`` prefix, no parentheses, no stray hyphens (``uuid.UUID`` accepts those; Xero's
  .NET ``Guid`` parser does not take ``urn:uuid:``, and no Xero client sends it).

:func:`is_guid` tests the rule, :func:`normalise_guid` answers the canonical form or ``None``, and
:func:`parse_guid` is the strict reader that raises.
"""

from __future__ import annotations

import re
from typing import Any

_GUID = re.compile(r"(?P<open>\{?)(?P<hex>[0-9a-f]{8}(?P<dash>-?)[0-9a-f]{4}(?P=dash)[0-9a-f]{4}(?P=dash)"
                   r"[0-9a-f]{4}(?P=dash)[0-9a-f]{12})(?P<close>\}?)", re.IGNORECASE)


def normalise_guid(value: Any) -> str | None:
    """A GUID in Xero's form, or ``None`` when ``value`` does not follow the module's rule.

    Args:
        value: any value; only ``str`` (and ``uuid.UUID``, through its text) can be a GUID.

    Returns:
        The lower-case hyphenated GUID, e.g. ``"{0E64A623A53D4F5C8A56E5B7D4AF9C1A}"`` →
        ``"0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a"``; ``None`` for anything else.
    """
    if value is None or isinstance(value, bool | int | float):
        return None
    m = _GUID.fullmatch(str(value).strip())
    if m is None or (m["open"] == "{") != (m["close"] == "}"):
        return None
    raw = m["hex"].replace("-", "").lower()
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def is_guid(value: Any) -> bool:
    """Whether ``value`` is a GUID by the module's rule (see :func:`normalise_guid`)."""
    return normalise_guid(value) is not None


def parse_guid(value: Any) -> str:
    """The strict reader: ``value`` as a lower-case hyphenated GUID.

    Raises:
        ValueError: ``value`` is not a GUID by the module's rule; callers turn it into their Xero error.
    """
    guid = normalise_guid(value)
    if guid is None:
        raise ValueError(f"{value!r} is not a GUID")
    return guid
