"""QBO's error answers → the gateway's Xero errors.

QBO answers errors in three envelopes (upstream-contracts.md §1 "Errors"; samples/platform/Fault.json):

1. data-service faults, JSON ``{"Fault": {"Error": [{"Message", "Detail", "code", "element"}], "type"}, "time"}``
   (``ValidationFault``, ``SystemFault``, ``AuthorizationFault``);
2. gateway faults, lower-case JSON ``{"fault": {"error": [{"message", "detail", "code"}], "type"}}`` (the real 401);
3. gateway faults as XML ``<IntuitResponse><Fault type><Error code><Message/><Detail/></Error></Fault>``, which
   throttling (HTTP 429, code 3001) returns even to JSON clients (Intuit's XSD ``Fault``/``Error``; body quoted in
   intuit/QuickBooks-V3-PHP-SDK#54).

:func:`parse_fault` reads any of them into :class:`QboFault`; :func:`to_xero_error` chooses the Xero answer, always
keeping QBO's code and message in the text (``"QuickBooks Online error 6240: Duplicate Name Exists Error: …"``):

- HTTP 429 → :class:`gateway.xero.errors.RateLimited` (``Retry-After`` from QBO's header when it sends one, else 60:
  "On 429, back off (up to 60 s)", §1 "Throttling"; ``X-Rate-Limit-Problem: minute``, QBO's per-minute limit being
  the one it reports; a concurrency throttle is not distinguishable in QBO's body).
- 5xx and ``SystemFault`` → :class:`QboUnavailable` (503, the status Xero answers when it cannot serve, plain text;
  xero-contract.md §3 "503").
- ``AuthorizationFault`` (403) → :class:`gateway.xero.errors.Forbidden` ``AuthorizationUnsuccessful: …``.
- 610 "Object Not Found" on a read of one record → :class:`gateway.xero.errors.NotFound`.
- Query faults 4000/4001 → :class:`gateway.xero.errors.QueryParseException` (the only queries the gateway sends are
  built from the client's ``where``/``order``).
- every other fault → :class:`gateway.xero.errors.ValidationException` echoing the Xero element being written.

The exception classes of this adapter are drawn here: :class:`QboFault` (internal, never shown as such),
:class:`QboUnavailable` (503 to the client).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from defusedxml import ElementTree

from gateway.xero.errors import (
    Forbidden,
    NotFound,
    QueryParseException,
    RateLimited,
    ValidationException,
    XeroApiError,
    element_with_errors,
)

#: QBO's XML namespace (Finance.xsd targetNamespace).
NAMESPACE = "{http://schema.intuit.com/finance/v3}"
#: Seconds a client is told to wait after a QBO 429 when QBO gives no ``Retry-After`` (§1 "Throttling").
DEFAULT_RETRY_AFTER = 60
#: Codes of QBO's query faults (emulators/qbo/faults.py, quoting public QBO clients).
QUERY_FAULT_CODES = frozenset({"4000", "4001"})
OBJECT_NOT_FOUND = "610"
STALE_OBJECT = "5010"
DUPLICATE_NAME = "6240"


@dataclass(frozen=True)
class FaultItem:
    """One ``Fault.Error`` entry (any envelope)."""

    code: str
    message: str
    detail: str = ""
    element: str = ""

    def text(self) -> str:
        """``"QuickBooks Online error 6240: Duplicate Name Exists Error: The name supplied …"``."""
        parts = [self.message]
        if self.detail and self.detail != self.message:
            parts.append(self.detail)
        where = f" (element {self.element})" if self.element else ""
        return f"QuickBooks Online error {self.code}: {': '.join(p for p in parts if p)}{where}"


@dataclass
class QboFault(Exception):
    """A QBO error answer (internal; :func:`to_xero_error` turns it into what the client sees).

    Attributes:
        status: QBO's HTTP status.
        type: the fault type (``ValidationFault``, ``SystemFault``, ``AuthorizationFault``, ``AUTHENTICATION``,
            ``SERVICE``…; empty when the body had none).
        errors: the fault's entries (at least one).
        retry_after: QBO's ``Retry-After`` header in seconds, if it sent one.
        intuit_tid: QBO's trace id (``intuit_tid`` header), for the logs.
    """

    status: int
    type: str = ""
    errors: list[FaultItem] = field(default_factory=list)
    retry_after: int | None = None
    intuit_tid: str | None = None

    def __post_init__(self) -> None:
        if not self.errors:
            self.errors = [FaultItem(code=str(self.status), message=f"HTTP {self.status}")]
        super().__init__(self.text())

    @property
    def codes(self) -> set[str]:
        return {e.code for e in self.errors}

    def text(self) -> str:
        """Every entry's :meth:`FaultItem.text`, joined."""
        return "; ".join(e.text() for e in self.errors)


class QboUnavailable(XeroApiError):
    """HTTP 503, plain text: QuickBooks Online could not serve the call (5xx, a timeout, a system fault), after
    the bounded retries an idempotent call gets."""

    status = 503

    def __init__(self, reason: str) -> None:
        super().__init__(f"The service is temporarily unavailable: QuickBooks Online did not answer ({reason}). "
                         "Try again later.")

    def body(self) -> str:
        return self.message


def _items_from_json(fault: Any, *, lower: bool) -> tuple[str, list[FaultItem]]:
    if not isinstance(fault, dict):
        return "", []
    entries = fault.get("error" if lower else "Error") or []
    items = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        get = (lambda k, e=entry: e.get(k.lower())) if lower else (lambda k, e=entry: e.get(k))
        items.append(FaultItem(code=str(entry.get("code") or ""), message=str(get("Message") or ""),
                               detail=str(get("Detail") or ""), element=str(entry.get("element") or "")))
    return str(fault.get("type") or ""), items


def _items_from_xml(text: str) -> tuple[str, list[FaultItem]]:
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return "", []
    except ValueError:  # defusedxml refuses DTDs/entities: not a QBO fault
        return "", []
    fault = root if root.tag.endswith("Fault") else root.find(f"{NAMESPACE}Fault")
    if fault is None:
        fault = root.find("Fault")
    if fault is None:
        return "", []
    items = []
    for error in list(fault):
        if not error.tag.endswith("Error"):
            continue

        def child(name: str, e: Any = error) -> str:
            found = e.find(f"{NAMESPACE}{name}")
            if found is None:
                found = e.find(name)
            return (found.text or "").strip() if found is not None else ""

        items.append(FaultItem(code=str(error.get("code") or ""), message=child("Message"), detail=child("Detail"),
                               element=str(error.get("element") or "")))
    return str(fault.get("type") or ""), items


def parse_fault(status: int, body: bytes | str, *, retry_after: str | None = None,
                intuit_tid: str | None = None) -> QboFault:
    """Read a QBO error answer in any of the three envelopes.

    Args:
        status: the HTTP status.
        body: the raw body (JSON or XML; anything else gives a fault with the status only).
        retry_after: the ``Retry-After`` header, if any (seconds).
        intuit_tid: the ``intuit_tid`` header.

    Returns:
        The fault; never raises.
    """
    import json

    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    fault_type, items = "", []
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except ValueError:
            data = None
        if isinstance(data, dict):
            if "Fault" in data:
                fault_type, items = _items_from_json(data["Fault"], lower=False)
            elif "fault" in data:
                fault_type, items = _items_from_json(data["fault"], lower=True)
    elif stripped.startswith("<"):
        fault_type, items = _items_from_xml(stripped)
    seconds = None
    if retry_after and retry_after.strip().isdigit():
        seconds = int(retry_after.strip())
    return QboFault(status=status, type=fault_type, errors=items, retry_after=seconds, intuit_tid=intuit_tid)


def is_throttle(fault: QboFault) -> bool:
    """HTTP 429 or QBO's ThrottleExceeded code 3001."""
    return fault.status == 429 or "3001" in fault.codes


def to_xero_error(fault: QboFault, *, element: dict[str, Any] | None = None, reading_one: bool = False
                  ) -> XeroApiError:
    """The Xero error the client receives for ``fault`` (rules in the module docstring).

    Args:
        fault: the parsed QBO error.
        element: the Xero element being written (echoed in the ``ValidationException``).
        reading_one: the call read one record by id (610 → 404).
    """
    if is_throttle(fault):
        return RateLimited("minute", fault.retry_after or DEFAULT_RETRY_AFTER)
    if fault.status >= 500 or fault.type.lower() in ("systemfault", "service"):
        return QboUnavailable(f"HTTP {fault.status}: {fault.text()}")
    if fault.status == 403 or fault.type == "AuthorizationFault":
        return Forbidden(f"AuthorizationUnsuccessful: {fault.text()}")
    if reading_one and OBJECT_NOT_FOUND in fault.codes:
        return NotFound()
    if fault.codes & QUERY_FAULT_CODES:
        return QueryParseException(fault.text())
    return ValidationException([element_with_errors(element or {}, [e.text() for e in fault.errors])])
