"""The connector's exception tree and the Sage conditions an operator must know about.

``ConnectorError``
  ├─ ``ConfigError``         the config file or environment is incomplete or wrong
  ├─ ``NotPairedError``      ``run``/``status`` before ``pair``
  ├─ ``GatewayError``        the gateway answered outside the protocol (``status``, ``body``)
  │    ├─ ``InvalidAgentError``        401 ``invalid_agent``: the agent was revoked; pair again
  │    └─ ``InvalidPairingCodeError``  400 ``invalid_pairing_code``
  ├─ ``SageReadError``       the ODBC (or stand-in) read connection failed
  └─ ``SdoError``            an SDO call failed; ``code`` is the ``ErrorCode`` member name (sage50.md §6)

SDO conditions are classified after sage50.md §6: the ones that pass by themselves (a user logged on under the
connector's name, records locked, a backup in exclusive mode) make a job ``retryable``; the rest ``failed``.
"""

from __future__ import annotations


class ConnectorError(Exception):
    """Base of every error the connector raises on purpose."""


class ConfigError(ConnectorError):
    """The configuration is incomplete or inconsistent (message says which key)."""


class NotPairedError(ConnectorError):
    """No agent identity yet: run ``sage50-connector pair`` first."""


class GatewayError(ConnectorError):
    """The gateway answered with an unexpected status.

    Attributes:
        status: the HTTP status (0 when the gateway could not be reached).
        body: the answer's text (never contains the agent token: the gateway does not echo it).
    """

    def __init__(self, status: int, body: str, *, url: str = "") -> None:
        super().__init__(f"gateway answered {status} for {url}: {body[:200]}")
        self.status = status
        self.body = body


class InvalidAgentError(GatewayError):
    """401 ``invalid_agent``: unknown or revoked agent token."""


class InvalidPairingCodeError(GatewayError):
    """400 ``invalid_pairing_code``: a bad, used or expired code."""


class SageReadError(ConnectorError):
    """The read connection (ODBC driver or stand-in file) failed."""


class SdoError(ConnectorError):
    """An SDO call failed.

    Attributes:
        code: the SDO ``ErrorCode`` member name, e.g. ``sdoLogonNameInUse`` (``sdoUnknownException`` when Sage gave
            neither a number nor a recognisable text).
        message: Sage's ``ErrorDescription`` (free text).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    @property
    def retryable(self) -> bool:
        """Whether the condition passes without anyone fixing the job (sage50.md §6: answered 503 upstream)."""
        return self.code in RETRYABLE


#: Conditions that pass by themselves; the job is reported ``retryable`` (sage50.md §6 table, 503 rows).
RETRYABLE = frozenset({
    "sdoLogonNameInUse", "sdoFileLockedAccountsBusy", "sdoLogonExclusive", "sdoLogonUserCountExceeded",
    "sdoConnectionKickedOut", "sdoUserBeingEdited", "sdoUnableConnectToDataService",
})

#: What the operator at the Sage PC must do, per condition (shown by ``run`` and ``status``).
OPERATOR_ACTIONS: dict[str, str] = {
    "sdoLogonNameInUse": "the connector's Sage user is logged on elsewhere: log that user out of Sage 50, and keep "
                         "a Sage user reserved for the connector (writes wait until then)",
    "sdoLogonExclusive": "Sage 50 is in exclusive mode (a backup or Check Data is running): writes resume when it "
                         "ends",
    "sdoFileLockedAccountsBusy": "Sage 50 is busy (records locked by another user): the write is retried",
    "sdoLogonUserCountExceeded": "every Sage 50 licence seat is in use: close a Sage session or add a licence",
    "sdoConnectionKickedOut": "Sage 50 closed the connector's session (an administrator logged users out): retried",
    "sdoWrongVersion": "the installed Sage Data Objects version does not match this company's data version: install "
                       "the SDO of the same Sage 50 version",
    "sdoBadDataPath": "the data path is not a Sage 50 ACCDATA folder: fix data_path in the connector's config",
    "sdoLogonFail": "Sage refused the connector's user name: fix sage_user in the config",
    "sdoLogonPassword": "Sage refused the connector's password: fix the password in the config or environment",
    "sdoNotRegistered": "Sage Data Objects are not registered on this PC: install the Sage 50 SDO",
    "sdoReadOnlyAccess": "the connector's Sage user has read-only access: give it write access in Sage 50",
    "sdoDataHasBeenRestored": "the company data was restored from a backup: the gateway resynchronises it",
    "sage_read_error": "the company could not be read through ODBC: check the DSN, data path, user and password",
}

#: Free-text ``ErrorDescription`` fragments → code, for when Sage raises a COM exception instead of setting
#: ``LastError`` (observed strings, sage50.md §6).
MESSAGE_CODES: tuple[tuple[str, str], ...] = (
    ("already in use", "sdoLogonNameInUse"),
    ("exclusive mode", "sdoLogonExclusive"),
    ("application is busy", "sdoFileLockedAccountsBusy"),
    ("empty key", "sdoEmptyKey"),
    ("foreign currency mismatch", "sdoCurrencyDoesNotMatch"),
    ("wrong version", "sdoWrongVersion"),
    ("data path", "sdoBadDataPath"),
    ("password", "sdoLogonPassword"),
)


def operator_action(code: str | None) -> str | None:
    """The operator's instruction for ``code``, or ``None`` when there is nothing to do at the PC."""
    return OPERATOR_ACTIONS.get(code or "")
