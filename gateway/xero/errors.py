"""The exception tree of the Xero side, drawn once.

Every error the gateway answers on the Accounting API or ``/connections`` is one of these; the front end renders
``exc.status`` and ``exc.body()`` and never lets another exception reach the client as a stack trace.

Shapes (sources):
- 400 ``{"ErrorNumber": 10, "Type": "ValidationException", "Message": "A validation exception occurred",
  "Elements": [{..., "ValidationErrors": [{"Message": ...}]}]}``: spec ``components.schemas.Error`` and the
  examples under ``/Invoices`` PUT 400 in ``xero_accounting.yaml``.
- 400 ``QueryParseException`` (ErrorNumber 16) for a bad ``where``/``order``: Xero's ``APIException`` schema
  example (``"ErrorNumber": 16, "Type": "QueryParseException"``).
- 400 ``PostDataInvalidException`` (ErrorNumber 14) for a body that is not parseable:
  https://github.com/freakboy3742/pyxero/issues/214 (unconfirmed in the spec).
- 401/403: ProblemDetails ``{"Type": null, "Title", "Status", "Detail", "Instance", "Extensions": {}}`` with
  ``Detail`` ``TokenExpired: …`` / ``AuthenticationUnsuccessful`` / ``AuthorizationUnsuccessful``
  (shared/notes/xero-contract.md §3, unconfirmed).
- 404: plain text "The resource you're looking for cannot be found" (xero-python's NotFoundException text).
- 429: ``Retry-After`` and ``X-Rate-Limit-Problem`` headers (https://developer.xero.com/documentation/guides/oauth2/limits/).
- 501: "The method you have called has not been implemented"
  (https://developer.xero.com/documentation/api/http-response-codes); body in the Error shape.
"""

from __future__ import annotations

import uuid
from typing import Any


class XeroApiError(Exception):
    """Base of every error answered in Xero's shape.

    Attributes:
        status: HTTP status code.
        headers: extra response headers (e.g. ``Retry-After``).
    """

    status: int = 500

    def __init__(self, message: str = "", *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers: dict[str, str] = dict(headers or {})

    def body(self) -> dict[str, Any] | str:
        return {"ErrorNumber": 500, "Type": "InternalServerError", "Message": self.message}


class ApiException(XeroApiError):
    """A 400 in the ``Error`` schema: ``ErrorNumber``, ``Type``, ``Message`` (no Elements)."""

    status = 400
    error_number = 10
    error_type = "ValidationException"

    def body(self) -> dict[str, Any]:
        return {"ErrorNumber": self.error_number, "Type": self.error_type, "Message": self.message}


class ValidationException(ApiException):
    """HTTP 400, ErrorNumber 10.

    Args:
        elements: the request elements echoed back, each carrying ``ValidationErrors: [{"Message": ...}]``.
            Build them with :func:`element_with_errors`.
    """

    error_number = 10
    error_type = "ValidationException"

    def __init__(self, elements: list[dict[str, Any]], *, message: str = "A validation exception occurred"):
        super().__init__(message)
        self.elements = elements

    def body(self) -> dict[str, Any]:
        return {**super().body(), "Elements": self.elements}

    @classmethod
    def single(cls, message: str, element: dict[str, Any] | None = None) -> ValidationException:
        """One element with one validation message (the common case)."""
        return cls([element_with_errors(element or {}, [message])])


class QueryParseException(ApiException):
    """HTTP 400, ErrorNumber 16: an invalid ``where`` or ``order`` expression."""

    error_number = 16
    error_type = "QueryParseException"


class PostDataInvalidException(ApiException):
    """HTTP 400, ErrorNumber 14: a request body that cannot be read (bad JSON/XML, wrong value format)."""

    error_number = 14
    error_type = "PostDataInvalidException"


class NotFound(XeroApiError):
    """HTTP 404 with Xero's plain-text body."""

    status = 404

    def __init__(self, message: str = "The resource you're looking for cannot be found") -> None:
        super().__init__(message)

    def body(self) -> str:
        return self.message


class OperationNotSupported(XeroApiError):
    """HTTP 501: the operation exists in Xero's spec but this source system cannot serve it.

    Args:
        operation_id: the spec's ``operationId`` (e.g. ``getBudgets``).
        source_code: the gateway source code (e.g. ``"1004"``).
    """

    status = 501

    def __init__(self, operation_id: str, source_code: str, detail: str = "") -> None:
        msg = (f"The method you have called has not been implemented: {operation_id} is not supported "
               f"for source {source_code}")
        super().__init__(msg + (f" ({detail})" if detail else ""))
        self.operation_id = operation_id
        self.source_code = source_code

    def body(self) -> dict[str, Any]:
        return {"ErrorNumber": 20, "Type": "NotImplementedException", "Message": self.message}


class ApiNotSupported(XeroApiError):
    """HTTP 501: a call to one of Xero's other APIs (Payroll, Assets, Files, …: ``mappings/xero_other_apis.toml``),
    which the gateway does not serve; the body is the Accounting API's ``NotImplementedException`` (the shape Xero's
    SDKs parse for a 501), naming the API and the path.

    Args:
        api: the API's name (``"Payroll API"``). path: the path called, below the source code.
    """

    status = 501

    def __init__(self, api: str, path: str) -> None:
        super().__init__(f"The method you have called has not been implemented: the {api} ({path}) is not served "
                         "by this gateway; it serves the Accounting API (/api.xro/2.0) and identity only")
        self.api = api

    def body(self) -> dict[str, Any]:
        return {"ErrorNumber": 20, "Type": "NotImplementedException", "Message": self.message}


class ProblemDetails(XeroApiError):
    """401/403 in the ProblemDetails shape Xero's identity layer answers."""

    title = "Unauthorized"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail, headers=headers)
        self.instance = str(uuid.uuid4())

    def body(self) -> dict[str, Any]:
        return {"Type": None, "Title": self.title, "Status": self.status, "Detail": self.message,
                "Instance": self.instance, "Extensions": {}}


class Unauthorized(ProblemDetails):
    """HTTP 401: missing, invalid or expired bearer token (``Detail`` starts with ``TokenExpired`` when expired)."""

    status = 401
    title = "Unauthorized"


class Forbidden(ProblemDetails):
    """HTTP 403: ``AuthenticationUnsuccessful`` (tenant missing or not connected) or
    ``AuthorizationUnsuccessful`` (scope missing)."""

    status = 403
    title = "Forbidden"


class RateLimited(XeroApiError):
    """HTTP 429 with ``Retry-After`` and ``X-Rate-Limit-Problem`` (``minute``, ``day``, ``appminute``,
    ``concurrent``)."""

    status = 429

    def __init__(self, problem: str, retry_after: int) -> None:
        super().__init__(f"Rate limit exceeded: {problem}",
                         headers={"Retry-After": str(retry_after), "X-Rate-Limit-Problem": problem})
        self.problem = problem
        self.retry_after = retry_after

    def body(self) -> str:
        return self.message


class SourceNotConfigured(XeroApiError):
    """HTTP 503: the source code is known but the operator has not registered its adapter/app."""

    status = 503

    def __init__(self, code: str, system: str, what: str) -> None:
        super().__init__(f"Source {code} ({system}) is not configured: {what}")

    def body(self) -> dict[str, Any]:
        return {"ErrorNumber": 503, "Type": "SourceNotConfigured", "Message": self.message}


class StorageFull(XeroApiError):
    """HTTP 503 with ``Retry-After``: the gateway's storage is full, so a write cannot be kept; reads still work.

    Xero answers 503 with a plain-text body when it is offline (shared/notes/xero-contract.md §3); the message and
    the retry delay are ours.
    """

    status = 503

    def __init__(self, retry_after: int = 60) -> None:
        super().__init__("The service is temporarily unavailable: its storage is full. Retry later.",
                         headers={"Retry-After": str(retry_after)})

    def body(self) -> str:
        return self.message


class ServiceUnavailable(XeroApiError):
    """HTTP 503 with ``Retry-After``: a store the gateway needs for every call (e.g. the shared rate-limit store)
    cannot be reached, so the call is refused rather than answered 500. Plain text, as Xero's own 503
    (shared/notes/xero-contract.md §3); the message and the retry delay are ours."""

    status = 503

    def __init__(self, what: str, retry_after: int = 5) -> None:
        super().__init__(f"The service is temporarily unavailable: {what} cannot be reached. Retry later.",
                         headers={"Retry-After": str(retry_after)})

    def body(self) -> str:
        return self.message


class RequestTooLarge(ApiException):
    """HTTP 413: the request body exceeds the gateway's ``client_max_size``, in the spec's ``Error`` shape.

    Xero documents no body for this case: the ``ErrorNumber``/``Type`` values and the message are the gateway's
    (unconfirmed), following :class:`SourceNotConfigured` (``ErrorNumber`` = HTTP status).
    """

    status = 413
    error_number = 413
    error_type = "RequestTooLarge"

    def __init__(self, max_size: int) -> None:
        super().__init__(f"The request body is too large: at most {max_size} bytes are accepted")


def element_with_errors(element: dict[str, Any], messages: list[str]) -> dict[str, Any]:
    """Echo a request element with ``ValidationErrors`` as Xero does in ``Elements``."""
    return {**element, "ValidationErrors": [{"Message": m} for m in messages]}
