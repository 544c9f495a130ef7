"""QBO's error envelopes, and the faults the emulator raises.

Three envelopes exist on the wire (upstream-contracts.md §1 "Errors"; samples/platform/Fault.json):

1. Data-service faults, JSON: ``{"Fault": {"Error": [{"Message", "Detail", "code", "element"}], "type":
   "ValidationFault"|"SystemFault"|"AuthorizationFault"}, "time": …}`` (HTTP 400 for validation faults).
2. Gateway faults, lower-case JSON, e.g. the 401 "Token expired" body (Fault.json
   ``authentication_fault_401_gateway_lowercase``).
3. Gateway faults as XML ``IntuitResponse``, which throttling (429, code 3001) returns even to JSON clients
   (body quoted in intuit/QuickBooks-V3-PHP-SDK#54, ruckus/quickbooks-ruby#348; XSD ``Fault``/``Error``).

Messages and codes come from the samples and Intuit's error-code list as quoted by SDKs; where the wording could
not be confirmed it says so (``unconfirmed``) at the constructor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

NAMESPACE = "http://schema.intuit.com/finance/v3"


@dataclass(frozen=True)
class FaultError:
    """One ``Fault.Error`` item."""

    message: str
    detail: str
    code: str
    element: str = ""

    def as_json(self) -> dict[str, str]:
        return {"Message": self.message, "Detail": self.detail, "code": self.code, "element": self.element}


@dataclass
class QboFault(Exception):
    """A data-service fault (envelope 1), raised anywhere below the HTTP layer.

    Attributes:
        errors: the ``Fault.Error`` items.
        type: ``ValidationFault``, ``SystemFault`` or ``AuthorizationFault``.
        status: the HTTP status (400 for validation faults).
    """

    errors: list[FaultError]
    type: str = "ValidationFault"
    status: int = 400
    extra_headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(f"{e.code} {e.message}: {e.detail}" for e in self.errors)

    def body(self, time: str) -> dict[str, Any]:
        """The JSON body ``{"Fault": {...}, "time": time}``."""
        return {"Fault": {"Error": [e.as_json() for e in self.errors], "type": self.type}, "time": time}

    def fault_only(self) -> dict[str, Any]:
        """``{"Error": [...], "type": ...}`` as a batch item's ``Fault``."""
        return {"Error": [e.as_json() for e in self.errors], "type": self.type}


def _validation(message: str, detail: str, code: str, element: str = "") -> QboFault:
    return QboFault([FaultError(message, detail, code, element)])


def object_not_found(element: str = "") -> QboFault:
    """610 (verbatim, samples/platform/Fault.json)."""
    return _validation("Object Not Found",
                       "Object Not Found : Something you're trying to use has been made inactive. Check the fields "
                       "with accounts, customers, items, vendors or employees.", "610", element)


def stale_object() -> QboFault:
    """5010 (verbatim, samples/platform/Fault.json)."""
    return _validation("Stale Object Error",
                       "Stale Object Error : You and root were working on this at the same time. root finished "
                       "before you did, so your work was not saved.", "5010")


def duplicate_name() -> QboFault:
    """6240 (verbatim, samples/platform/Fault.json)."""
    return _validation("Duplicate Name Exists Error",
                       "The name supplied already exists. : Another customer, vendor or employee is already using "
                       "this name. Please use a different name.", "6240")


def required_param(name: str) -> QboFault:
    """2020; message from Intuit's error-code list, detail "Required parameter X is missing in the request"."""
    return _validation("Required param missing, need to supply the required value for the API",
                       f"Required parameter {name} is missing in the request", "2020", name)


def unsupported_property(name: str) -> QboFault:
    """2010 "Request has invalid or unsupported property" (Intuit's code list); the detail wording is unconfirmed."""
    return _validation("Request has invalid or unsupported property",
                       f'Property Name:Unrecognized field "{name}" specified value is not supported', "2010", name)


def invalid_reference(element: str, ref_id: str) -> QboFault:
    """2500 "Invalid Reference Id" (Intuit's code list); the detail wording is unconfirmed."""
    return _validation("Invalid Reference Id", f"Invalid Reference Id : {element} {ref_id} does not exist", "2500",
                       element)


def invalid_number(element: str, value: Any) -> QboFault:
    """2050 "Invalid Number" (Intuit's code list; detail unconfirmed)."""
    return _validation("Invalid Number", f"Invalid Number : {element} ({value}) is not a number", "2050", element)


def unsupported_operation(detail: str) -> QboFault:
    """500 "Unsupported Operation" as QBO answers an unknown resource or operation (minimul/qbo_api#81)."""
    return _validation("Unsupported Operation", f"Operation {detail} is not supported.", "500")


def business_validation(detail: str, element: str = "") -> QboFault:
    """6000 "A business validation error has occurred while processing your request" (mcohen01/node-quickbooks#48)."""
    return _validation("A business validation error has occurred while processing your request",
                       f"Business Validation Error: {detail}", "6000", element)


def duplicate_doc_number(doc_number: str) -> QboFault:
    """6140 "Duplicate Document Number Error" (Intuit's code list; detail wording unconfirmed)."""
    return _validation("Duplicate Document Number Error",
                       f"You must specify a different number. This number has already been used. "
                       f"DocNumber={doc_number}", "6140", "DocNumber")


def query_parse_error(detail: str) -> QboFault:
    """4000 "Error parsing query", detail ``QueryParserError: …`` (intuit/QuickBooks-V3-PHP-SDK#8)."""
    return _validation("Error parsing query", f"QueryParserError: {detail}", "4000")


def query_validation_error(detail: str) -> QboFault:
    """4001 "Invalid query", detail ``QueryValidationError: …`` (public client tests quoting QBO)."""
    return _validation("Invalid query", f"QueryValidationError: {detail}", "4001")


def invalid_request(detail: str, element: str = "") -> QboFault:
    """2010-family request errors with a free detail (malformed JSON body; wording unconfirmed)."""
    return _validation("Request has invalid or unsupported property", detail, "2010", element)


# ----------------------------------------------------------------------------------------- gateway envelopes


def token_expired_body(token: str, time_ms: int) -> dict[str, Any]:
    """The 401 body of an expired or unknown access token (verbatim shape: Fault.json
    ``authentication_fault_401_gateway_lowercase``)."""
    return {
        "warnings": None,
        "intuitObject": None,
        "fault": {"error": [{"message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                             "detail": f"Token expired: {token[:50]}", "code": "3200", "element": None}],
                  "type": "AUTHENTICATION"},
        "report": None,
        "queryResponse": None,
        "batchItemResponse": [],
        "attachableResponse": [],
        "syncErrorResponse": None,
        "requestId": None,
        "time": time_ms,
        "status": None,
        "cdcresponse": [],
    }


def intuit_response_xml(*, time: str, code: str, message: str, detail: str, fault_type: str = "SERVICE") -> str:
    """An ``IntuitResponse`` XML fault document (XSD ``IntuitResponse``/``Fault``/``Error``)."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<IntuitResponse time={quoteattr(time)} xmlns="{NAMESPACE}">\n'
            f'    <Fault type={quoteattr(fault_type)}>\n'
            f'        <Error code={quoteattr(code)}>\n'
            f'            <Message>{escape(message)}</Message>\n'
            f'            <Detail>{escape(detail)}</Detail>\n'
            '        </Error>\n'
            '    </Fault>\n'
            '</IntuitResponse>\n')


def throttle_xml(time: str) -> str:
    """The 429 body (verbatim wording: intuit/QuickBooks-V3-PHP-SDK#54)."""
    return intuit_response_xml(time=time, code="3001", message="message=ThrottleExceeded; errorCode=003001; "
                               "statusCode=429", detail="The request limit was reached.  Try again later")


def server_error_xml(time: str, status: int) -> str:
    """A 5xx gateway fault (``message=InternalServerError; errorCode=003100; statusCode=500`` as quoted in
    minimul/qbo_api#81; the detail text is unconfirmed)."""
    return intuit_response_xml(time=time, code="3100",
                               message=f"message=InternalServerError; errorCode=003100; statusCode={status}",
                               detail="Internal Server Error")


def dumps(body: Any) -> str:
    """JSON text as QBO writes it (no ASCII escaping)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
