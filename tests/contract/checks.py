"""Checks of Xero's wire conventions that the spec states outside its JSON schemas.

The schema validation of ``tests/xero_spec.py`` sees types, formats, enums and required fields; these conventions
it cannot see:

- **MS-JSON dates** (:func:`msdate_problems`): every property the spec marks ``x-is-msdate`` or
  ``x-is-msdate-time`` (57 fields) is rendered ``/Date(ms)/`` or ``/Date(ms±hhmm)/`` (shared/notes/xero-contract.md
  §2 "Dates": xero-python parses nothing else in those fields).
- **Envelope** (:func:`envelope_problems`): a JSON answer carrying a collection has ``Id`` (a GUID), ``Status``
  ``"OK"``, ``ProviderName`` (the calling app's name) and ``DateTimeUTC`` (an MS-JSON date) next to it (spec
  response examples, e.g. ``getInvoices``; xero-contract.md §2 "Response envelope"; pyxero asserts ``Status``).
- **Companion strings** (:func:`companion_problems`): the ISO ``…String`` twins of date fields (``DateString``,
  ``DueDateString``, ``UpdatedDateUTCString``, ``DateUTCString``…) have the form of the spec's examples
  (``DateString: 2019-03-13T00:00:00``, ``DateUTCString: 2019-03-12T22:30:13``, ``UpdatedDateUTCString:
  2019-03-05T18:59:06Z``: a ``T`` separator, no offset, ``Z`` on ``UpdatedDateUTCString``) and denote the same instant
  as their MS-JSON twin.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

MSDATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
#: Companion forms of the spec's examples: local date-time without offset; ``UpdatedDateUTCString`` ends in ``Z``.
COMPANION = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
UPDATED_COMPANION = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
#: ``…String`` properties that are not date companions.
NOT_COMPANIONS = frozenset({"StatusAttributeString"})


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in schema and seen < 20:
        node: Any = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
        seen += 1
    return schema


def response_schema(spec: dict[str, Any], method: str, template: str, status: int) -> dict[str, Any] | None:
    """The JSON schema of a documented response, or ``None`` (no JSON body documented)."""
    response = spec["paths"][template][method.lower()]["responses"].get(str(status))
    if response is None:
        return None
    response = _resolve(spec, response)
    media = (response.get("content") or {}).get("application/json")
    return _resolve(spec, media["schema"]) if media and "schema" in media else None


def msdate_problems(spec: dict[str, Any], schema: dict[str, Any], data: Any, path: str = "") -> list[str]:
    """Every value of an ``x-is-msdate``/``x-is-msdate-time`` property that is not an MS-JSON date."""
    schema = _resolve(spec, schema)
    problems: list[str] = []
    if isinstance(data, dict):
        for name, sub in (schema.get("properties") or {}).items():
            if name not in data or data[name] is None:
                continue
            sub = _resolve(spec, sub)
            if sub.get("x-is-msdate") or sub.get("x-is-msdate-time"):
                if not (isinstance(data[name], str) and MSDATE.match(data[name])):
                    problems.append(f"{path}/{name}: {data[name]!r} is not /Date(ms)/")
            else:
                problems += msdate_problems(spec, sub, data[name], f"{path}/{name}")
    elif isinstance(data, list) and "items" in schema:
        for index, item in enumerate(data):
            problems += msdate_problems(spec, schema["items"], item, f"{path}/{index}")
    return problems


def envelope_problems(body: dict[str, Any], provider_name: str) -> list[str]:
    """What an envelope lacks (see the module docstring)."""
    problems = []
    if not (isinstance(body.get("Id"), str) and GUID.match(body["Id"])):
        problems.append(f"Id {body.get('Id')!r} is not a GUID")
    if body.get("Status") != "OK":
        problems.append(f"Status {body.get('Status')!r} is not 'OK'")
    if body.get("ProviderName") != provider_name:
        problems.append(f"ProviderName {body.get('ProviderName')!r} is not the app's name {provider_name!r}")
    if not (isinstance(body.get("DateTimeUTC"), str) and MSDATE.match(body["DateTimeUTC"])):
        problems.append(f"DateTimeUTC {body.get('DateTimeUTC')!r} is not /Date(ms)/")
    return problems


def companions(data: Any, path: str = "") -> Iterator[tuple[str, str, str, Any]]:
    """``(path, name, value, MS-JSON twin or None)`` of every ``…String`` date companion in ``data``."""
    if isinstance(data, dict):
        for name, value in data.items():
            if name.endswith("String") and name not in NOT_COMPANIONS and isinstance(value, str):
                yield path, name, value, data.get(name[: -len("String")])
            else:
                yield from companions(value, f"{path}/{name}")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from companions(item, f"{path}/{index}")


def _instant(msdate: str) -> dt.datetime | None:
    match = MSDATE.match(msdate)
    if not match or match.group(2) not in (None, "+0000"):
        return None
    return dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=int(match.group(1)))


def companion_problems(name: str, value: str, twin: Any) -> list[str]:
    """How one companion deviates from the spec's examples or from its twin's instant (UTC, whole seconds)."""
    pattern = UPDATED_COMPANION if name == "UpdatedDateUTCString" else COMPANION
    if not pattern.match(value):
        return [f"{name} {value!r} does not have the spec's form ({pattern.pattern})"]
    instant = _instant(twin) if isinstance(twin, str) else None
    if instant is not None:
        parsed = dt.datetime.fromisoformat(value.rstrip("Z"))
        if parsed != instant.replace(microsecond=0):
            return [f"{name} {value!r} is not the instant of its twin {twin!r} ({instant.isoformat()})"]
    return []
