"""A fake of Sage Data Objects (SDO) with the real object model, over the stand-in's company file.

The connector's write code drives this exactly as it drives ``win32com.client.Dispatch("SGSDO.SDOEngine.32")``
(sage50.md §4, §9.2)::

    engine = SDOEngine()
    ws = engine.Workspaces.Add("connector")
    ws.Connect(data_path, "CONNECTOR", "connector", "SageConn_<ticks>_<rand>")  # raises ComError on failure
    post = ws.CreateObject("TransactionPost")
    post.Header.Fields.Item("TYPE").Value = 1                   # numeric TransType: 1 = SI
    post.Header.Fields.Item("ACCOUNT_REF").Value = "ABS001"
    post.Header.Fields.Item("DATE").Value = datetime.date(2025, 3, 1)
    split = post.Items.Add()
    split.Fields.Item("NOMINAL_CODE").Value = "4000"
    split.Fields.Item("TAX_CODE").Value = 1                     # integer index: T1
    split.Fields.Item("NET_AMOUNT").Value = Decimal("100.00")
    split.Fields.Item("TAX_AMOUNT").Value = Decimal("20.00")
    if not post.Update():
        ws.LastError.Code, ws.LastError.ErrorDescription       # e.g. sdoClosedLedgerDateControlError
    ws.Disconnect()

A posting reports no number back (none is documented for ``TransactionPost``): read the posting back by the
reference written into ``INV_REF`` (sage50.md §4 "Always verify a write by reading it back").

Objects (``CreateObject`` names from the v32 typelib, §4):

- ``TransactionPost``: ``Header``/``Items`` (fields as ``AUDIT_HEADER``/``AUDIT_SPLIT`` columns, ``TYPE`` numeric,
  split ``TAX_CODE`` an integer, header ``EX_REF``), ``Update()``, ``AllocatePayment(tranNumber,
  paymentSplitNumber, amount, date)``.
- ``JournalPost``: header ``DATE``/``DETAILS``/``INV_REF`` (or ``REFERENCE``); items ``NOMINAL_CODE``,
  ``NET_AMOUNT`` (> 0), ``TYPE`` (0 debit, 1 credit), ``TAX_CODE``, ``DETAILS``; must balance.
- ``InvoicePost``: header as ``INVOICE`` columns, items as ``INVOICE_ITEM`` columns (``TAX_CODE`` an integer); an
  unposted document; ``INVOICE_NUMBER`` is set on the header after ``Update`` (Dankular reads it there) unless the
  ``update_without_number`` fault is on; ``GetNextNumber()``.
- ``SalesRecord``/``PurchaseRecord`` (read-write), ``NominalRecord``, ``BankRecord``, ``StockRecord``,
  ``TaxCodeRecord``, ``HeaderData``, ``SplitData``, ``InvoiceRecord``, ``SetupData`` (read-only): ``Fields``,
  ``Find(partial)`` on the key field, ``Read(key)``, ``MoveFirst()``/``MoveNext()``/``IsEOF()`` (a method, as
  Dankular calls it)/``Count``; writable records add ``AddNew()``, ``Edit()``, ``Update()``, ``CancelUpdate()``,
  ``Remove()``. ``HeaderData`` adds ``FIRST_SPLIT`` and ``LAST_SPLIT``.

Values read back as Python types: text, ``int``, ``Decimal`` (the real SDO gives doubles), ``datetime.datetime``.
Faults and Sage users come from the data path's control file (:mod:`.control`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import control, posting, schema
from .company import Company
from .errors import ComError, ErrorCode, LastError, SdoError, constants

__all__ = ["SDOEngine", "WorkSpace", "constants"]


# ---------------------------------------------------------------------------------------------------- fields


def _coerce(kind: str, name: str, value: Any) -> Any:
    """A value as a COM ``VARIANT`` coercion would take it; ``ComError(sdoInvalidType)`` when it cannot."""
    if value is None:
        return None
    try:
        match kind:
            case "integer":
                if isinstance(value, bool | int):
                    return int(value)
                if isinstance(value, Decimal | float) and value == int(value):
                    return int(value)
                return int(str(value).strip())
            case "decimal":
                number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
                if not number.is_finite():
                    raise ValueError(value)
                return number
            case "date" | "timestamp":
                if isinstance(value, dt.datetime):
                    return value
                if isinstance(value, dt.date):
                    return dt.datetime.combine(value, dt.time())
                return dt.datetime.fromisoformat(str(value))
    except (ValueError, ArithmeticError) as error:
        raise ComError(ErrorCode.sdoInvalidType, f"Type mismatch for field {name}") from error
    return str(value)


class Field:
    """``Fields.Item(name)``: ``Name`` and a read-write ``Value``."""

    def __init__(self, owner: Fields, name: str) -> None:
        self._owner = owner
        self.Name = name

    @property
    def Value(self) -> Any:  # noqa: N802 - COM member name
        return self._owner._values.get(self.Name)

    @Value.setter
    def Value(self, value: Any) -> None:  # noqa: N802
        self._owner._set(self.Name, value)


class Fields:
    """A field collection: ``Item(name)`` (case-insensitive), ``Count``; unknown names raise ``sdoInvalidName``."""

    def __init__(self, kinds: dict[str, str], *, settable: Callable[[str], bool] = lambda name: True) -> None:
        self._kinds = kinds
        self._values: dict[str, Any] = {}
        self._settable = settable

    def Item(self, name: str) -> Field:  # noqa: N802
        key = str(name).upper()
        if key not in self._kinds:
            raise ComError(ErrorCode.sdoInvalidName, f"Field {name} does not exist")
        return Field(self, key)

    __call__ = Item

    @property
    def Count(self) -> int:  # noqa: N802
        return len(self._kinds)

    def _set(self, name: str, value: Any) -> None:
        if not self._settable(name):
            raise ComError(ErrorCode.sdoInvalidUse, f"Field {name} cannot be written")
        self._values[name] = _coerce(self._kinds[name], name, value)

    def _load(self, row: dict[str, Any]) -> None:
        self._values = {name: _coerce(self._kinds.get(name, "text"), name, value) if value is not None else None
                        for name, value in row.items()}

    def get(self, name: str, default: Any = None) -> Any:
        value = self._values.get(name)
        return default if value is None else value


def _kinds(table: str, **extra: str) -> dict[str, str]:
    return {c.name: c.kind for c in schema.tables()[table]} | extra


class _Items:
    """``Items``: ``Add()`` → a new item with ``Fields``; ``Count``; ``Item(i)`` (1-based)."""

    def __init__(self, kinds: dict[str, str]) -> None:
        self._kinds = kinds
        self._items: list[_Item] = []

    def Add(self) -> _Item:  # noqa: N802
        item = _Item(Fields(self._kinds))
        self._items.append(item)
        return item

    def Item(self, index: int) -> _Item:  # noqa: N802
        return self._items[int(index) - 1]

    @property
    def Count(self) -> int:  # noqa: N802
        return len(self._items)


class _Item:
    def __init__(self, fields: Fields) -> None:
        self.Fields = fields


# --------------------------------------------------------------------------------------------------- objects


class _SdoObject:
    """What every ``CreateObject`` result shares: its workspace and the ``Update`` wrapper (faults, LastError)."""

    name = ""

    def __init__(self, workspace: WorkSpace) -> None:
        self._ws = workspace

    @property
    def _company(self) -> Company:
        return self._ws._open()

    def _guarded(self, action: Callable[[], Any], *, numbers: Callable[[Any], None] | None = None) -> bool:
        """Run ``action`` under the update faults; ``False`` with ``LastError`` set when it is refused."""
        self._ws.LastError.clear()
        try:
            fault = control.take(self._ws._path, "update", self.name)
            if fault == "accounts_busy":
                raise SdoError(ErrorCode.sdoFileLockedAccountsBusy)
            if fault == "closed_ledger":
                raise SdoError(ErrorCode.sdoClosedLedgerDateControlError)
            result = action()
            if numbers is not None:
                numbers(None if fault == "update_without_number" else result)
            return True
        except SdoError as error:
            self._ws.LastError.set(error)
            return False


def _date_of(value: Any, name: str = "DATE") -> dt.date:
    if value is None:
        raise SdoError(ErrorCode.sdoInvalidDate, f"{name} is missing")
    return value.date() if isinstance(value, dt.datetime) else value


class TransactionPost(_SdoObject):
    """Audit-trail postings that update the ledgers (sage50.md §4 ``TransactionPost``)."""

    name = "TransactionPost"

    def __init__(self, workspace: WorkSpace) -> None:
        super().__init__(workspace)
        header = _kinds("AUDIT_HEADER", EX_REF="text", FIRST_SPLIT="integer", LAST_SPLIT="integer")
        header["TYPE"] = "integer"
        split = _kinds("AUDIT_SPLIT")
        split.update(TYPE="integer", TAX_CODE="integer")
        self.Header = _Item(Fields(header))
        self.Items = _Items(split)

    def _posting(self) -> posting.PostingIn:
        fields = self.Header.Fields
        number = fields.get("TYPE")
        if number not in posting.TRANS_TYPES:
            raise SdoError(ErrorCode.sdoInvalidValue, f"TYPE {number!r} is not a transaction type")
        code = posting.TRANS_TYPES[number]
        ref = str(fields.get("ACCOUNT_REF", ""))
        if len(ref) > 8:
            raise SdoError(ErrorCode.sdoEmptyKey)
        due = fields.get("DUE_DATE")
        splits = [posting.SplitIn(
            nominal_code=str(item.Fields.get("NOMINAL_CODE", "")), net=item.Fields.get("NET_AMOUNT", Decimal(0)),
            tax=item.Fields.get("TAX_AMOUNT", Decimal(0)), tax_code=int(item.Fields.get("TAX_CODE", 9)),
            details=str(item.Fields.get("DETAILS", "")), dept_number=int(item.Fields.get("DEPT_NUMBER", 0)),
            extra_ref=str(item.Fields.get("EXTRA_REF", ""))) for item in self.Items._items]
        return posting.PostingIn(
            type=code, account_ref=ref, date=_date_of(fields.get("DATE")), inv_ref=str(fields.get("INV_REF", "")),
            details=str(fields.get("DETAILS", "")), extra_ref=str(fields.get("EX_REF", "")),
            due_date=_date_of(due) if due else None, bank_code=str(fields.get("BANK_CODE", "")),
            user_name=self._ws._user, splits=splits)

    def Update(self) -> bool:  # noqa: N802
        return self._guarded(lambda: posting.post(self._company, self._posting()))

    def AllocatePayment(self, tranNumber: int, paymentSplitNumber: int, amount: Any, date: Any) -> bool:  # noqa: N802, N803
        """Allocate ``amount`` of split ``paymentSplitNumber`` to split ``tranNumber`` (per split, §5)."""
        when = _coerce("date", "date", date)
        value = _coerce("decimal", "amount", amount)
        return self._guarded(lambda: posting.allocate(self._company, tranNumber, paymentSplitNumber, value,
                                                      _date_of(when), user_name=self._ws._user))


class JournalPost(_SdoObject):
    """A balanced nominal journal: one JD/JC header per item (sage50.md §4 ``JournalPost``)."""

    name = "JournalPost"

    def __init__(self, workspace: WorkSpace) -> None:
        super().__init__(workspace)
        self.Header = _Item(Fields({"DATE": "date", "DETAILS": "text", "INV_REF": "text", "REFERENCE": "text"}))
        self.Items = _Items({"NOMINAL_CODE": "text", "DETAILS": "text", "DATE": "date", "TAX_CODE": "integer",
                             "NET_AMOUNT": "decimal", "TYPE": "integer", "DEPT_NUMBER": "integer"})

    def _post(self) -> list[posting.Posted]:
        fields = self.Header.Fields
        lines = [(str(i.Fields.get("NOMINAL_CODE", "")), i.Fields.get("NET_AMOUNT", Decimal(0)),
                  i.Fields.get("TYPE", 0) == 1, int(i.Fields.get("TAX_CODE", 9)), str(i.Fields.get("DETAILS", "")))
                 for i in self.Items._items]
        for _, amount, _, _, _ in lines:
            if amount <= 0:
                raise SdoError(ErrorCode.sdoInvalidValue, "Journal amounts are positive; TYPE gives the side")
        return posting.post_journal(
            self._company, date=_date_of(fields.get("DATE")), user_name=self._ws._user,
            reference=str(fields.get("INV_REF") or fields.get("REFERENCE", "")), details=str(fields.get("DETAILS", "")),
            lines=lines)

    def Update(self) -> bool:  # noqa: N802
        return self._guarded(self._post)


class InvoicePost(_SdoObject):
    """An invoice or credit document, unposted (sage50.md §4 ``InvoicePost``)."""

    name = "InvoicePost"

    def __init__(self, workspace: WorkSpace) -> None:
        super().__init__(workspace)
        self.Header = _Item(Fields(_kinds("INVOICE")))
        items = _kinds("INVOICE_ITEM")
        items["TAX_CODE"] = "integer"
        self.Items = _Items(items)

    def _save(self) -> int:
        header = {k: v for k, v in self.Header.Fields._values.items() if v is not None and k != "INVOICE_NUMBER"}
        for name in ("INVOICE_DATE", "PAYMENT_DUE_DATE", "QUOTE_EXPIRY_DATE"):
            if isinstance(header.get(name), dt.datetime):
                header[name] = header[name].date()
        header.setdefault("TAKEN_BY", self._ws._user)
        items = [{k: v for k, v in i.Fields._values.items() if v is not None} for i in self.Items._items]
        return posting.create_invoice(self._company, header, items)

    def _numbers(self, number: int | None) -> None:
        self.Header.Fields._values["INVOICE_NUMBER"] = number or 0

    def GetNextNumber(self) -> int:  # noqa: N802
        """The number the next invoice document will take."""
        return self._company.next_number("INVOICE", "INVOICE_NUMBER")

    def Update(self) -> bool:  # noqa: N802
        return self._guarded(self._save, numbers=self._numbers)


# ---------------------------------------------------------------------------------------------------- records

_ACCOUNT_REF = re.compile(r"^[A-Z0-9#_/!%&.\-$()\",']*$")  # sage50.md §4 field rules [MIH]
#: Columns SDO computes; a record write may not set them.
_COMPUTED = re.compile(r"^(BALANCE|FOREIGN_BALANCE|TURNOVER_.*|PRIOR_YEAR|(INVOICE|CREDIT|PAYMENT)_(BF|CF|MTH\d+)"
                       r"|LAST_(INV|PAYMENT)_DATE|FIRST_INV_DATE|RECORD_.*)$")


class _Record(_SdoObject):
    """A table as an SDO record: a cursor over the rows ordered by the key field."""

    table = ""
    key = ""
    writable = False

    def __init__(self, workspace: WorkSpace) -> None:
        super().__init__(workspace)
        self._mode: str | None = None  # "add" or "edit" between AddNew/Edit and Update
        self.Fields = Fields(_kinds(self.table), settable=self._settable)
        self._rows: list[dict[str, Any]] = []
        self._index = 0

    def _settable(self, name: str) -> bool:
        """The key (to ``Find``) always; other fields between ``AddNew``/``Edit`` and ``Update``, unless computed."""
        if name == self.key:
            return True
        return self.writable and self._mode is not None and not _COMPUTED.match(name)

    def _reload(self) -> None:
        self._rows = self._company.rows(self.table, f'1 ORDER BY "{self.key}"')

    def _show(self) -> None:
        self.Fields._load(self._rows[self._index] if not self.IsEOF() else {})

    def IsEOF(self) -> bool:  # noqa: N802
        return self._index >= len(self._rows)

    @property
    def Count(self) -> int:  # noqa: N802
        return len(self._company.rows(self.table))

    def MoveFirst(self) -> bool:  # noqa: N802
        self._reload()
        self._index = 0
        self._show()
        return not self.IsEOF()

    def MoveNext(self) -> bool:  # noqa: N802
        self._index += 1
        self._show()
        return not self.IsEOF()

    def MoveLast(self) -> bool:  # noqa: N802
        self._reload()
        self._index = max(len(self._rows) - 1, 0)
        self._show()
        return not self.IsEOF()

    def Read(self, key: Any) -> bool:  # noqa: N802
        """Position on the row whose key field equals ``key``."""
        self._reload()
        wanted = str(key).upper() if self.Fields._kinds[self.key] == "text" else int(key)
        for index, row in enumerate(self._rows):
            if row[self.key] == wanted:
                self._index = index
                self._show()
                return True
        return False

    def Find(self, partial: bool = False) -> bool:  # noqa: N802
        """Position on the row whose key equals (or, with ``partial``, starts with) the key field's value."""
        wanted = self.Fields.get(self.key, "")
        self._reload()
        for index, row in enumerate(self._rows):
            value = row[self.key]
            if value == wanted or (partial and str(value).startswith(str(wanted))):
                self._index = index
                self._show()
                return True
        return False


class _LedgerRecord(_Record):
    """``SalesRecord``/``PurchaseRecord``: customers and suppliers, read-write (sage50.md §4 field rules)."""

    key = "ACCOUNT_REF"
    writable = True
    default_nominal = ""

    def AddNew(self) -> bool:  # noqa: N802
        self._mode = "add"
        self.Fields._values = {}
        return True

    def Edit(self) -> bool:  # noqa: N802
        if self.IsEOF() or not self._rows:
            raise ComError(ErrorCode.sdoInvalidUse, "No current record to edit")
        self._mode = "edit"
        return True

    def CancelUpdate(self) -> None:  # noqa: N802
        self._mode = None

    def _validate(self, values: dict[str, Any]) -> str:
        ref = str(values.get("ACCOUNT_REF") or "").upper()
        if not ref or len(ref) > 8:
            raise SdoError(ErrorCode.sdoEmptyKey)
        if " " in ref:
            raise SdoError(ErrorCode.sdoAccountRefContainsSpaces, "Account reference contains spaces")
        if not _ACCOUNT_REF.match(ref):
            raise SdoError(ErrorCode.sdoAccountRefContainsInvalidCharacters,
                           "Account reference contains invalid characters")
        for name, value in values.items():
            column = schema.column_map(self.table)[name]
            if column.kind == "text" and column.length and value is not None and len(str(value)) > column.length:
                code = ErrorCode.sdoAddressLineIsTooLong if "ADDRESS" in name else ErrorCode.sdoInvalidValue
                raise SdoError(code, f"{name} is longer than {column.length} characters")
        return ref

    def _save(self) -> str:
        company = self._company
        values = {k: v for k, v in self.Fields._values.items() if not _COMPUTED.match(k)}
        for name, value in list(values.items()):
            if isinstance(value, dt.datetime) and schema.column_map(self.table)[name].kind == "date":
                values[name] = value.date()
        ref = self._validate(values)
        values["ACCOUNT_REF"] = ref
        with company.transaction():
            if self._mode == "add":
                if company.row(self.table, ACCOUNT_REF=ref) is not None:
                    raise SdoError(ErrorCode.sdoAccountRefAlreadyExists, f"Account {ref} already exists")
                defaults = {"CURRENCY": 1, "DEF_TAX_CODE": "T1", "DEF_NOM_CODE": self.default_nominal,
                            "PAYMENT_DUE_DAYS": 30, "TERMS_AGREED": 1, "DATE_ACCOUNT_OPENED": company.clock().date(),
                            "DEPT_NAME": "Default"}
                company.insert(self.table, {**defaults, **values})
            else:
                current = self._rows[self._index]
                changed = {k: v for k, v in values.items() if k != "ACCOUNT_REF"}
                if ref != current["ACCOUNT_REF"]:
                    raise SdoError(ErrorCode.sdoInvalidUse, "The account reference cannot be changed")
                company.update(self.table, {"ACCOUNT_REF": ref}, changed)
        return ref

    def Update(self) -> bool:  # noqa: N802
        if self._mode is None:
            raise ComError(ErrorCode.sdoBadUpdateMode, "Call AddNew or Edit before Update")

        def saved(ref: str | None) -> None:
            self._mode = None
            if ref:
                self.Read(ref)

        return self._guarded(self._save, numbers=saved)

    def Remove(self) -> bool:  # noqa: N802
        """Delete the current account; refused while it has transactions (``sdoDeleteFailedHasTrans``)."""
        if self.IsEOF() or not self._rows:
            raise ComError(ErrorCode.sdoInvalidUse, "No current record to remove")
        ref = self._rows[self._index]["ACCOUNT_REF"]

        def remove() -> None:
            company = self._company
            types = posting.SALES_TYPES if self.table == "SALES_LEDGER" else posting.PURCHASE_TYPES
            marks = ",".join("?" for _ in types)
            used = company.rows("AUDIT_HEADER", f"ACCOUNT_REF = ? AND TYPE IN ({marks})", (ref, *sorted(types)))
            if used:
                raise SdoError(ErrorCode.sdoDeleteFailedHasTrans, f"Account {ref} has transactions")
            with company.transaction():
                company.delete(self.table, {"ACCOUNT_REF": ref})

        return self._guarded(remove)


class SalesRecord(_LedgerRecord):
    name, table, default_nominal = "SalesRecord", "SALES_LEDGER", "4000"


class PurchaseRecord(_LedgerRecord):
    name, table, default_nominal = "PurchaseRecord", "PURCHASE_LEDGER", "5000"


class NominalRecord(_Record):
    name, table, key = "NominalRecord", "NOMINAL_LEDGER", "ACCOUNT_REF"


class BankRecord(_Record):
    name, table, key = "BankRecord", "BANK", "ACCOUNT_REF"


class StockRecord(_Record):
    name, table, key = "StockRecord", "STOCK", "STOCK_CODE"


class TaxCodeRecord(_Record):
    name, table, key = "TaxCodeRecord", "TAX_CODE", "TAX_CODE_ID"


class InvoiceRecord(_Record):
    name, table, key = "InvoiceRecord", "INVOICE", "INVOICE_NUMBER"


class SplitData(_Record):
    name, table, key = "SplitData", "AUDIT_SPLIT", "TRAN_NUMBER"


class HeaderData(_Record):
    """Audit headers with SDO's ``FIRST_SPLIT``/``LAST_SPLIT`` (lowest/highest split ``TRAN_NUMBER``)."""

    name, table, key = "HeaderData", "AUDIT_HEADER", "HEADER_NUMBER"

    def __init__(self, workspace: WorkSpace) -> None:
        super().__init__(workspace)
        self.Fields._kinds.update(FIRST_SPLIT="integer", LAST_SPLIT="integer")

    def _reload(self) -> None:
        super()._reload()
        bounds = {row[0]: (row[1], row[2]) for row in self._company.conn.execute(
            'SELECT "HEADER_NUMBER", MIN("TRAN_NUMBER"), MAX("TRAN_NUMBER") FROM "AUDIT_SPLIT" GROUP BY 1')}
        for row in self._rows:
            row["FIRST_SPLIT"], row["LAST_SPLIT"] = bounds.get(row["HEADER_NUMBER"], (0, 0))


class SetupData(_Record):
    """The company set-up (``COMPANY``: name, control accounts, financial year); ``Read(n)`` reads its one record."""

    name, table, key = "SetupData", "COMPANY", "COMPANYID"

    def Read(self, key: Any = 1) -> bool:  # noqa: N802
        return self.MoveFirst()


OBJECTS: dict[str, type[_SdoObject]] = {cls.name: cls for cls in (
    TransactionPost, JournalPost, InvoicePost, SalesRecord, PurchaseRecord, NominalRecord, BankRecord, StockRecord,
    TaxCodeRecord, InvoiceRecord, SplitData, HeaderData, SetupData)}


# ------------------------------------------------------------------------------------------ engine, workspace


class WorkSpace:
    """One SDO session: ``Connect``, ``CreateObject``, ``LastError``, ``Disconnect``."""

    def __init__(self, engine: SDOEngine, name: str) -> None:
        self.Name = name
        self.LastError = LastError()
        self._engine = engine
        self._company: Company | None = None
        self._path = Path()
        self._user = ""
        self._unique = ""

    def Connect(self, path: str, user: str, password: str, unique: str) -> bool:  # noqa: N802
        """Log on to the company at ``path`` (its ``ACCDATA`` folder) as Sage user ``user``.

        Raises:
            ComError: ``sdoBadDataPath``, ``sdoLogonExclusive``, ``sdoLogonNameInUse``, ``sdoLogonFail`` or
            ``sdoLogonPassword`` (``LastError`` carries the same).
        """
        self.LastError.clear()
        try:
            data_path = Path(path)
            if not (data_path / "sage50.db").is_file():
                raise SdoError(ErrorCode.sdoBadDataPath, f"Invalid data path {path}")
            fault = control.take(data_path, "connect")
            if fault == "logon_exclusive":
                raise SdoError(ErrorCode.sdoLogonExclusive)
            if fault == "logon_name_in_use":
                raise SdoError(ErrorCode.sdoLogonNameInUse)
            expected = control.password_of(data_path, user)
            if expected is None:
                raise SdoError(ErrorCode.sdoLogonFail, f"Invalid user name {user}")
            if str(password) != expected:
                raise SdoError(ErrorCode.sdoLogonPassword)
            try:
                control.logon(data_path, user, str(unique) or f"{id(self)}")
            except LookupError:
                raise SdoError(ErrorCode.sdoLogonNameInUse) from None
        except SdoError as error:
            self.LastError.set(error)
            raise ComError.of(error) from None
        self._path, self._user, self._unique = data_path, str(user).upper(), str(unique) or f"{id(self)}"
        self._company = Company(data_path, clock=self._engine._clock)
        return True

    def _open(self) -> Company:
        if self._company is None:
            raise ComError(ErrorCode.sdoNotConnected)
        return self._company

    def CreateObject(self, name: str) -> Any:  # noqa: N802
        """A new SDO object by its typelib name (see the module docstring for the ones emulated)."""
        self._open()
        cls = OBJECTS.get(str(name))
        if cls is None:
            raise ComError(ErrorCode.sdoInvalidName, f"Unknown object {name}")
        return cls(self)

    def Disconnect(self) -> None:  # noqa: N802
        """End the session (releases the user name, as ending a COM session does)."""
        if self._company is not None:
            self._company.close()
            self._company = None
            control.logoff(self._path, self._unique)


class Workspaces:
    """``SDOEngine.Workspaces``: ``Add(name)``, ``Item(name)``, ``Count``."""

    def __init__(self, engine: SDOEngine) -> None:
        self._engine = engine
        self._items: dict[str, WorkSpace] = {}

    def Add(self, name: str) -> WorkSpace:  # noqa: N802
        workspace = WorkSpace(self._engine, str(name))
        self._items[str(name)] = workspace
        return workspace

    def Item(self, name: str) -> WorkSpace:  # noqa: N802
        return self._items[str(name)]

    @property
    def Count(self) -> int:  # noqa: N802
        return len(self._items)


class SDOEngine:
    """``SDOEngine.32``: the entry object.

    Args:
        clock: the record time stamp source (tests only; the COM class takes no arguments).
    """

    Version = "32.0"

    def __init__(self, *, clock: Callable[[], dt.datetime] | None = None) -> None:
        self._clock = clock
        self.Workspaces = Workspaces(self)

    def SelectCompany(self, path: str) -> str:  # noqa: N802
        """The data path of the company under ``path`` (Sage shows a picker; the stand-in has one company)."""
        return str(path)

