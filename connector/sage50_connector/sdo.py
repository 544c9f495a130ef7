"""Sage Data Objects sessions: the engine factory (the only switch between real SDO and the stand-in's fake), the
session that is released on every exit path, and SDO failures as :class:`~sage50_connector.errors.SdoError`.

Object model (sage50.md §4): ``engine.Workspaces.Add(name)`` → ``ws.Connect(data_path, user, password, unique)``
→ ``ws.CreateObject(name)`` → ``Fields.Item(name).Value`` → ``Update()``; a refused ``Update`` leaves the reason in
``ws.LastError``; a refused ``Connect`` raises a COM exception (``pywintypes.com_error``: ``(hresult, text,
excepinfo, argerror)``). Engine specs:

- ``com:SGSDO.SDOEngine.32``: real SDO through pywin32 (Windows; ``pip install sage50-connector[sdo]``). Error codes
  are read by name from the typelib (``win32com.client.constants``), never hard-coded numbers.
- ``python:package.module:Class``: a Python class with the same object model (tests: the stand-in's
  ``emulators.sage50.sdo:SDOEngine``, whose module also exports ``constants``).

One licence seat is taken per connected workspace (sage50.md §3 "leaked sessions exhaust the licence seat"): every
session is disconnected in a ``finally``, and COM references are dropped before the Sage thread ends.
"""

from __future__ import annotations

import importlib
import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sage50_connector.errors import MESSAGE_CODES, ConfigError, SdoError

log = logging.getLogger(__name__)

#: ``ErrorCode`` members the connector names in its results (sage50.md §6); values come from the engine.
ERROR_NAMES = frozenset("""
sdoNone sdoInvalidArg sdoException sdoDBException sdoFileException sdoUnknownException sdoInvalidName sdoNotConnected
sdoInvalidKey sdoInvalidValue sdoInvalidUse sdoInvalidType sdoLogonFail sdoLogonPassword sdoLogonNameInUse
sdoLogonExclusive sdoBadDataPath sdoWrongVersion sdoBadUpdateMode sdoDeleteFailedHasTrans sdoDeleteFailed
sdoLogonUserCountExceeded sdoNotRegistered sdoReadOnlyAccess sdoForTraNotEnabled sdoCurrencyDoesNotMatch
sdoForeignRateSetOnBase sdoInvalidSave sdoInvalidProjectStatus sdoInvalidProject sdoMaxCostCodes sdoInvalidAllocation
sdoInvalidIssue sdoInvalidFund sdoInvalidBudget sdoZeroValueTransaction sdoFileLockedAccountsBusy
sdoClosedLedgerDateControlError sdoEmptyKey sdoEmptyAccountReference sdoDataHasBeenRestored sdoInvalidNominalCode
sdoBankAccountNotAvailable sdoBankAccountIsControl sdoBankIsNotBaseCurrency sdoInvalidCostCode
sdoSalPurAccountIsOnHold sdoSalPurAccountIsInactive sdoSalPurAccountDeleted sdoSalPurAccountTermsNotAgreed
sdoSalPurAccountNotBaseCurrency sdoInvalidTransactionNumber sdoInvalidTaxCodeForPayment sdoSagePaymentsMismatch
sdoZeroValueNet sdoTransactionCannotHaveProject sdoProjectSetButNotACostCode sdoCostCodeSetButNotAProject
sdoAccountRefContainsSpaces sdoAddressLineIsTooLong sdoAccountRefAlreadyExists sdoTransactionCannotHaveCostCode
sdoAccountRefContainsInvalidCharacters sdoInvalidDate sdoNominalAccountIsControl sdoInvoiceTotalNegative
sdoIncorrectStockCodeType sdoConnectionKickedOut sdoUserAccessRightsCorrupt sdoUserBeingEdited
sdoUnableConnectToDataService
""".split())


@dataclass(frozen=True)
class Engine:
    """A created engine and the ``ErrorCode`` value → name map read from it."""

    engine: Any
    error_names: dict[int, str]


def _names_from(constants: Any) -> dict[int, str]:
    """``{value: name}`` of the ``ErrorCode`` members a constants object offers (SimpleNamespace or pywin32's)."""
    tables: list[dict[str, Any]] = list(getattr(constants, "__dicts__", None) or [vars(constants)])
    names: dict[int, str] = {}
    for table in tables:
        for name, value in table.items():
            if name in ERROR_NAMES and isinstance(value, int):
                names.setdefault(value, name)
    return names


class EngineFactory:
    """Creates engines from a spec (``com:<ProgID>`` or ``python:<module>:<Class>``), on the Sage thread.

    Raises:
        ConfigError: an unknown spec kind (at construction), or the engine cannot be created (at call).
    """

    def __init__(self, spec: str) -> None:
        kind, _, target = spec.partition(":")
        if kind not in ("com", "python") or not target:
            raise ConfigError(f"sdo_engine must be 'com:<ProgID>' or 'python:<module>:<Class>', not {spec!r}")
        self.kind, self.target = kind, target

    @property
    def uses_com(self) -> bool:
        """Whether the Sage thread must initialise COM."""
        return self.kind == "com"

    def __call__(self) -> Engine:
        if self.kind == "com":
            try:
                from win32com.client import constants, gencache  # noqa: PLC0415 - Windows-only extra
            except ImportError as exc:
                raise ConfigError("real SDO needs Windows and pywin32: pip install 'sage50-connector[sdo]'") from exc
            try:
                engine = gencache.EnsureDispatch(self.target)  # early binding: the typelib's constants load too
            except Exception as exc:  # pywintypes.com_error: not registered, wrong bitness
                raise SdoError("sdoNotRegistered", f"cannot create {self.target}: {exc}") from exc
            return Engine(engine, _names_from(constants))
        module_name, _, class_name = self.target.partition(":")
        try:
            module = importlib.import_module(module_name)
            cls = getattr(module, class_name)
        except (ImportError, AttributeError) as exc:
            raise ConfigError(f"cannot import SDO engine {self.target}: {exc}") from exc
        return Engine(cls(), _names_from(getattr(module, "constants", object())))


def error_of(exc: BaseException | None, workspace: Any, names: dict[int, str]) -> SdoError:
    """What SDO reported, as an :class:`SdoError` named after its ``ErrorCode`` member.

    Order: ``ws.LastError`` (``Code``/``ErrorNumber``), the COM exception's ``excepinfo`` (``scode``, description),
    then the observed message texts of sage50.md §6; ``sdoUnknownException`` when nothing matches.
    """
    number, text = None, ""
    try:
        last = workspace.LastError if workspace is not None else None
        if last is not None:
            number = getattr(last, "Code", None) or getattr(last, "ErrorNumber", None)
            text = str(getattr(last, "ErrorDescription", "") or "")
    except Exception:  # noqa: S110 - a dead COM session cannot report; the exception below still can
        pass
    args = getattr(exc, "args", ()) if exc is not None else ()
    if len(args) >= 3 and isinstance(args[2], tuple) and len(args[2]) >= 6:
        text = text or str(args[2][2] or "")
        if not number or number not in names:
            number = args[2][5]
    elif exc is not None and not text:
        text = str(exc)
    name = names.get(number) if isinstance(number, int) and number else None
    if name is None:
        lowered = text.lower()
        name = next((code for fragment, code in MESSAGE_CODES if fragment in lowered), "sdoUnknownException")
    return SdoError(name, text or name)


class Session:
    """A connected workspace: create objects, read the last error."""

    def __init__(self, workspace: Any, names: dict[int, str]) -> None:
        self.workspace = workspace
        self.names = names

    def create(self, name: str) -> Any:
        """``ws.CreateObject(name)``.

        Raises:
            SdoError: SDO does not know the object.
        """
        try:
            return self.workspace.CreateObject(name)
        except Exception as exc:
            raise error_of(exc, self.workspace, self.names) from exc

    def last_error(self, exc: BaseException | None = None) -> SdoError:
        """The error a ``False`` from ``Update``/``AllocatePayment`` (or ``exc``) stands for."""
        return error_of(exc, self.workspace, self.names)


@contextmanager
def session(factory: EngineFactory, *, data_path: str, user: str, password: str) -> Iterator[Session]:
    """Log on to one company for the duration of the block, and off again whatever happens.

    Raises:
        SdoError: the logon failed (``sdoLogonNameInUse``, ``sdoLogonExclusive``, ``sdoBadDataPath``,
            ``sdoWrongVersion``, ``sdoLogonPassword``…).
        ConfigError: the engine cannot be created.
    """
    engine = factory()
    unique = f"SageConn_{time.time_ns()}_{random.randrange(1 << 30)}"  # one string per session (sage50.md §4)
    workspace = None
    connected = False
    try:
        workspace = engine.engine.Workspaces.Add(unique)
        try:
            answer = workspace.Connect(data_path, user, password, unique)
        except Exception as exc:
            raise error_of(exc, workspace, engine.error_names) from None
        if answer is False:
            raise error_of(None, workspace, engine.error_names)
        connected = True
        yield Session(workspace, engine.error_names)
    finally:
        if connected:
            try:
                workspace.Disconnect()
            except Exception as exc:  # a session Sage already dropped (sdoConnectionKickedOut)
                log.warning("SDO Disconnect failed: %s", type(exc).__name__)
        workspace = None
        engine = None  # drop the COM references on this thread
