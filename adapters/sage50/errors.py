"""Sage 50 conditions → Xero answers (sage50.md §6 "[rec] Mapping to Xero-shaped responses").

- Conditions an operator or time fixes (the logon name in use, accounts busy, exclusive mode during a backup, the
  licence's user count, a kicked-out connection, the agent offline): HTTP 503 with ``Retry-After`` and a text body,
  as Xero's 503s are (xero-contract.md §3). A retry with the same ``Idempotency-Key`` later gets the final result.
- Data the client sent that Sage refuses (closed ledger, invalid or control nominal codes, accounts on hold or
  inactive, currency mismatch, invalid allocation, account reference rules): ``ValidationException`` with the
  element and a message in Xero's words where Xero has one.
- An agent that cannot work at all (wrong SDO version, not registered, bad data path, read-only access): 502-like
  503 naming the condition, for the operator.

SDO's ``ErrorDescription`` is free text; the agent reports the enum name (``sdoLogonNameInUse``) as ``code``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway.xero.errors import ValidationException, XeroApiError

#: Seconds a client is told to wait when Sage is busy or the agent offline (sage50.md §6: 60-900).
RETRY_AFTER = 60

BUSY = {"sdoLogonNameInUse": "the Sage 50 user reserved for the connector is logged in on another PC",
        "sdoFileLockedAccountsBusy": "Sage 50 is busy (another user holds the accounts files)",
        "sdoLogonExclusive": "Sage 50 is in exclusive mode (a backup or Check Data is running)",
        "sdoLogonUserCountExceeded": "Sage 50 has no free user licence",
        "sdoConnectionKickedOut": "the connector's Sage 50 session was ended by Sage",
        "agent_offline": "the connector on the Sage 50 PC is offline",
        "agent_unresponsive": "the connector on the Sage 50 PC did not answer"}
MISCONFIGURED = {"sdoWrongVersion": "the connector's SDO version does not match the Sage 50 data",
                 # The connector's own conditions (connector/sage50_connector/errors.py).
                 "unknown_company": "the connector does not serve this company any more",
                 "invalid_job": "the connector could not read the write it was sent",
                 "agent_outcome_unknown": "the connector could not tell whether an interrupted write was posted; "
                                          "check Sage 50 before retrying",
                 "sage_read_error": "the connector could not read the Sage 50 data",
                 "sdoNotRegistered": "Sage Data Objects are not registered on the Sage 50 PC",
                 "sdoBadDataPath": "the connector's Sage 50 data path is wrong",
                 "sdoReadOnlyAccess": "the connector's Sage 50 user has read-only access",
                 "sdoLogonFail": "the connector's Sage 50 user name or password is wrong",
                 "sdoLogonPassword": "the connector's Sage 50 password is wrong"}
#: Data errors and Xero's (or our, marked) wording.
INVALID = {
    "sdoClosedLedgerDateControlError": "The document date cannot be before the period lock date",
    "sdoInvalidNominalCode": "Account code '{code}' is not a valid code for this document.",
    "sdoNominalAccountIsControl": "Account code '{code}' is not a valid code for this document.",
    "sdoBankAccountIsControl": "Account code '{code}' is not a valid code for this document.",
    "sdoSalPurAccountIsOnHold": "The contact is on hold in Sage 50 and cannot be used.",
    "sdoSalPurAccountIsInactive": "The contact is archived and cannot be used.",
    "sdoSalPurAccountDeleted": "The contact is archived and cannot be used.",
    "sdoCurrencyDoesNotMatch": "The currency does not match the contact's currency.",
    "sdoForTraNotEnabled": "Foreign currency transactions are not enabled in Sage 50.",
    "sdoInvalidAllocation": "Payment amount exceeds the amount outstanding on this document",
    "sdoAccountRefAlreadyExists": "The contact number is already used by another contact.",
    "sdoEmptyKey": "A contact number (Sage 50 account reference) is required.",
    "sdoAccountRefContainsSpaces": "The contact number may not contain spaces.",
    "sdoAccountRefContainsInvalidCharacters": "The contact number contains characters Sage 50 does not allow.",
    "sdoZeroValueTransaction": "The document total cannot be zero.",
    "sdoInvalidDate": "The date is not valid.",
}


class AgentUnavailable(XeroApiError):
    """HTTP 503, text body, ``Retry-After``: Sage 50 or its connector cannot take the request now."""

    status = 503

    def __init__(self, reason: str, *, retry_after: int = RETRY_AFTER) -> None:
        super().__init__(f"The service is temporarily unavailable: {reason}. Try again later.",
                         headers={"Retry-After": str(retry_after)})

    def body(self) -> str:
        return self.message


def to_xero_error(error: Mapping[str, Any] | None, *, element: Mapping[str, Any] | None = None,
                  code: str = "") -> XeroApiError:
    """The Xero error for a failed job's ``error`` (``{"code", "message"}``)."""
    name = str((error or {}).get("code") or "")
    if name in BUSY:
        return AgentUnavailable(BUSY[name])
    if name in MISCONFIGURED:
        return AgentUnavailable(f"{MISCONFIGURED[name]} (the operator must fix the connector)", retry_after=900)
    message = INVALID.get(name, "").format(code=code) or str((error or {}).get("message") or "Sage 50 refused it")
    return ValidationException.single(message, dict(element or {}))
