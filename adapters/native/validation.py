"""Reading request elements into canonical models, and the per-element validation error.

A write operation validates each element completely before it writes anything for it; a failing element raises
:class:`ElementInvalid` carrying every message found (Xero lists all of an element's problems in its
``ValidationErrors``), and :mod:`adapters.native.batch` turns those into Xero's answer.
"""

from __future__ import annotations

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


def echo_model(model: type[M], element: Any) -> M:
    """Best-effort model of an invalid element, for a ``summarizeErrors=false`` answer.

    Top-level fields that do not validate are dropped, so the echo never fails.
    """
    if not isinstance(element, dict):
        return model()
    data = dict(element)
    for _ in range(len(data) + 1):
        try:
            return model.model_validate(data)
        except pydantic.ValidationError as exc:
            bad = {err["loc"][0] for err in exc.errors() if err["loc"]}
            if not bad:
                break
            for key in bad:
                data.pop(key, None)
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
