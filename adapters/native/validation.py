"""Reading request elements into canonical models, and the per-element validation error.

A write operation validates each element completely before it writes anything for it; a failing element raises
:class:`ElementInvalid` carrying every message found (Xero lists all of an element's problems in its
``ValidationErrors``), and :mod:`adapters.native.batch` turns those into Xero's answer.
"""

from __future__ import annotations

import copy
import re
from typing import Any, TypeVar

import pydantic

from gateway.xero.models import XeroModel

from . import messages

M = TypeVar("M", bound=XeroModel)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ElementInvalid(Exception):
    """One request element failed validation; nothing was written for it.

    Args:
        errors: the ``ValidationErrors`` messages, in the order found.
    """

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.messages = list(errors)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item}]"] if parts else [f"[{item}]"]
        else:
            parts.append(str(item))
    return ".".join(parts)


def parse_element(model: type[M], element: dict[str, Any]) -> M:
    """Validate one request element (a dict with Xero's field names) into ``model``.

    Dates accept ``/Date(ms)/``, ISO dates and ISO datetimes (the canonical models' validators); numbers accept
    JSON numbers and numeric strings.

    Raises:
        ElementInvalid: a value has the wrong form (one message per bad field, e.g. a date that is no date),
            or the element is not an object.
    """
    if not isinstance(element, dict):
        raise ElementInvalid([messages.VALUE_INVALID.format(value=element, field="element")])
    try:
        return model.model_validate(element)
    except pydantic.ValidationError as exc:
        raise ElementInvalid([messages.VALUE_INVALID.format(value=err.get("input"), field=_field_path(err["loc"]))
                              for err in exc.errors()]) from None


def _drop(data: Any, loc: tuple[Any, ...]) -> bool:
    """Remove the value at ``loc`` (a pydantic error location) from ``data`` in place, or at the longest prefix of
    ``loc`` that exists (a location may end in a union member's tag); ``False`` when none does."""
    return any(_drop_at(data, loc[:n]) for n in range(len(loc), 0, -1))


def _drop_at(data: Any, loc: tuple[Any, ...]) -> bool:
    *parents, leaf = loc
    node = data
    for part in parents:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return False
    if isinstance(node, dict) and leaf in node:
        del node[leaf]
        return True
    if isinstance(node, list) and isinstance(leaf, int) and 0 <= leaf < len(node):
        del node[leaf]
        return True
    return False


def echo_model(model: type[M], element: Any) -> M:
    """Best-effort model of an invalid element, for a ``summarizeErrors=false`` answer.

    Only the values that do not validate are dropped, as deep as they sit (a bad ``UnitAmount`` of one line, not
    the element's ``LineItems``), so that the fields the spec requires of the answer are echoed as they were sent
    (issue 11, item 11); a top-level field goes only when its own value is wrong. The echo never fails.
    """
    if not isinstance(element, dict):
        return model()
    data = copy.deepcopy(element)
    for _ in range(64):  # each round drops at least one value; real elements need one or two
        try:
            return model.model_validate(data)
        except pydantic.ValidationError as exc:
            # deepest and last first, so that removing a list item does not shift the others' positions
            locations = sorted((tuple(err["loc"]) for err in exc.errors() if err["loc"]),
                               key=lambda loc: (len(loc), loc[-1] if isinstance(loc[-1], int) else -1),
                               reverse=True)
            if not locations:
                break
            dropped = False
            for loc in locations:
                dropped = _drop(data, loc) or dropped
            if not dropped:
                for loc in locations:
                    data.pop(loc[0], None)
    return model()


def is_valid_email(value: str) -> bool:
    """A plausible e-mail address (one ``@``, a dot in the domain, no spaces)."""
    return bool(_EMAIL.match(value))


def provided(model: XeroModel, name: str) -> bool:
    """Whether the client sent field ``name`` (even as ``null``)."""
    return name in model.model_fields_set


def text(value: str | None) -> str | None:
    """Strip a string; empty → ``None``."""
    if value is None:
        return None
    value = value.strip()
    return value or None
