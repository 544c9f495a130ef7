"""SDO's errors: the ``ErrorCode`` enum, ``LastError``, and the COM exception a failed call raises.

Names: the v32 typelib's ``ErrorCode`` members in typelib order (sage50.md §6 [T1]). Values: 0-13 are documented
(OMA's constant table); the rest continue the sequence in the listed order, which is the stand-in's assumption (the
real typelib has members between them that the notes do not name). Code that must work against real SDO reads the
values by name (``win32com.client.constants.sdoLogonNameInUse`` there, :data:`constants` here), never by number.

Messages: the observed strings of sage50.md §6 where one is known (``Username is already in use``, ``Accounts
application is busy``, ``Program is in exclusive mode. Logon cannot proceed``, ``Empty key specified``, ``Foreign
Currency mismatch``); the others are the stand-in's own wording.

Exceptions: a failed ``Connect``, an unknown object or field name raise :class:`ComError`, shaped as pywin32's
``pywintypes.com_error`` (``hresult, strerror, excepinfo, argerror``; ``excepinfo[2]`` is the description), so that
one ``except`` clause reads both. ``Update()``/``AllocatePayment()`` return ``False`` and leave the reason in
``WorkSpace.LastError`` instead.
"""

from __future__ import annotations

from enum import IntEnum
from types import SimpleNamespace

_NAMES = """
sdoNone sdoInvalidArg sdoArchiveException sdoException sdoDaoException sdoDBException sdoFileException
sdoMemoryException sdoNotSupportedException sdoOleException sdoOleDispatchException sdoResourceException
sdoUserException sdoUnknownException
sdoInvalidOpenMode sdoInvalidName sdoNotConnected sdoInvalidKey sdoInvalidValue sdoInvalidUse sdoInvalidType
sdoLogonFail sdoLogonPassword sdoLogonNameInUse sdoLogonExclusive sdoBadDataPath sdoWrongVersion sdoBadUpdateMode
sdoDeleteFailedHasTrans sdoDeleteFailed sdoLogonUserCountExceeded sdoNotRegistered sdoReadOnlyAccess
sdoForTraNotEnabled sdoCurrencyDoesNotMatch sdoForeignRateSetOnBase
sdoInvalidSave sdoInvalidProjectStatus sdoInvalidProject sdoMaxCostCodes sdoInvalidAllocation sdoInvalidIssue
sdoInvalidFund sdoInvalidBudget sdoZeroValueTransaction
sdoFileLockedAccountsBusy sdoClosedLedgerDateControlError sdoEmptyKey
sdoEmptyAccountReference sdoDataHasBeenRestored sdoInvalidNominalCode sdoBankAccountNotAvailable
sdoBankAccountIsControl sdoBankIsNotBaseCurrency sdoInvalidCostCode sdoSalPurAccountIsOnHold
sdoSalPurAccountIsInactive sdoSalPurAccountDeleted sdoSalPurAccountTermsNotAgreed sdoSalPurAccountNotBaseCurrency
sdoInvalidTransactionNumber sdoInvalidTaxCodeForPayment sdoSagePaymentsMismatch sdoZeroValueNet
sdoTransactionCannotHaveProject sdoProjectSetButNotACostCode sdoCostCodeSetButNotAProject
sdoAccountRefContainsSpaces sdoAddressLineIsTooLong sdoAccountRefAlreadyExists sdoTransactionCannotHaveCostCode
sdoAccountRefContainsInvalidCharacters sdoInvalidDate sdoNominalAccountIsControl sdoInvoiceTotalNegative
sdoIncorrectStockCodeType sdoConnectionKickedOut sdoUserAccessRightsCorrupt sdoUserBeingEdited
sdoUnableConnectToDataService
""".split()

ErrorCode = IntEnum("ErrorCode", [(name, value) for value, name in enumerate(_NAMES)])
ErrorCode.__doc__ = "SDO's ErrorCode enum (names in typelib order; see the module docstring for the values)."

#: ``constants.sdoLogonNameInUse`` → its value, as ``win32com.client.constants`` offers it for the real typelib.
constants = SimpleNamespace(**{member.name: int(member) for member in ErrorCode})

#: Observed texts (sage50.md §6); other codes get the stand-in's wording.
MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.sdoLogonNameInUse: "Username is already in use",
    ErrorCode.sdoFileLockedAccountsBusy: "Accounts application is busy",
    ErrorCode.sdoLogonExclusive: "Program is in exclusive mode. Logon cannot proceed",
    ErrorCode.sdoEmptyKey: "Empty key specified",
    ErrorCode.sdoCurrencyDoesNotMatch: "Foreign Currency mismatch",
    ErrorCode.sdoClosedLedgerDateControlError: "The transaction date is before the current lock date",
    ErrorCode.sdoInvalidAllocation: "Invalid allocation",
    ErrorCode.sdoLogonFail: "Invalid user name",
    ErrorCode.sdoLogonPassword: "Invalid password",
    ErrorCode.sdoBadDataPath: "Invalid data path",
    ErrorCode.sdoNotConnected: "Not connected",
}

#: pywin32's ``DISP_E_EXCEPTION``: the HRESULT a COM server's raised error arrives with.
DISP_E_EXCEPTION = -2147352567


class SdoError(Exception):
    """A refusal inside the stand-in; the object model turns it into ``LastError`` (or a :class:`ComError`).

    Attributes:
        code: the :data:`ErrorCode` member.
        description: the text ``ErrorDescription`` shows.
    """

    def __init__(self, code: ErrorCode, description: str | None = None) -> None:
        self.code = code
        self.description = description or MESSAGES.get(code) or code.name
        super().__init__(f"{code.name}: {self.description}")


class ComError(Exception):
    """What a failing COM call raises, shaped as ``pywintypes.com_error``.

    ``args == (hresult, strerror, excepinfo, argerror)``; ``excepinfo == (0, "SDOEngine", description, None, 0,
    scode)`` with ``scode`` the :data:`ErrorCode` value.
    """

    def __init__(self, code: ErrorCode, description: str | None = None) -> None:
        text = description or MESSAGES.get(code) or code.name
        excepinfo = (0, "SDOEngine", text, None, 0, int(code))
        super().__init__(DISP_E_EXCEPTION, "Exception occurred.", excepinfo, None)
        self.hresult, self.strerror, self.excepinfo, self.argerror = self.args
        self.code = code

    @classmethod
    def of(cls, error: SdoError) -> ComError:
        return cls(error.code, error.description)


class LastError:
    """``WorkSpace.LastError``: ``Code`` (an :data:`ErrorCode` value), ``ErrorNumber`` (the same value) and
    ``ErrorDescription``; ``sdoNone`` and ``""`` after a call that succeeded."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.Code = int(ErrorCode.sdoNone)
        self.ErrorNumber = 0
        self.ErrorDescription = ""

    def set(self, error: SdoError) -> None:
        self.Code = int(error.code)
        self.ErrorNumber = int(error.code)
        self.ErrorDescription = error.description
