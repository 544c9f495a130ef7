"""Fault injection (sage50.md §9.4) through the control file, in this process and across processes; logon rules."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from emulators.sage50 import control
from emulators.sage50.company import Company
from emulators.sage50.errors import ComError, constants
from emulators.sage50.sageuser import SageUser
from emulators.sage50.sdo import SDOEngine, WorkSpace

from .test_posting import transaction

ROOT = Path(__file__).resolve().parents[3]


def connect(data_path: Path, user: str = "CONNECTOR", password: str = "connector") -> WorkSpace:
    ws = SDOEngine().Workspaces.Add("w")
    ws.Connect(str(data_path), user, password, f"SageConn_{user}")
    return ws


def invoice(ws: WorkSpace, ref: str = "F-1") -> object:
    return transaction(ws, 1, "DEN001", dt.date(2025, 4, 1), ref, [("4000", "10.00", "2.00", 1)])


@pytest.mark.parametrize(("kind", "code", "text"), [
    ("logon_name_in_use", "sdoLogonNameInUse", "Username is already in use"),
    ("logon_exclusive", "sdoLogonExclusive", "Program is in exclusive mode. Logon cannot proceed"),
])
def test_connect_faults_raise_com_errors_once(data_path: Path, kind: str, code: str, text: str) -> None:
    control.inject(data_path, kind)
    ws = SDOEngine().Workspaces.Add("w")
    with pytest.raises(ComError) as raised:
        ws.Connect(str(data_path), "CONNECTOR", "connector", "u1")
    assert raised.value.excepinfo[2] == text
    assert raised.value.excepinfo[5] == getattr(constants, code)
    assert ws.LastError.Code == getattr(constants, code) and ws.LastError.ErrorDescription == text
    assert ws.Connect(str(data_path), "CONNECTOR", "connector", "u1") is True  # the rule had one use
    ws.Disconnect()


def test_a_user_name_logged_on_elsewhere_is_in_use(data_path: Path) -> None:
    first = connect(data_path)
    with pytest.raises(ComError) as raised:
        connect(data_path)
    assert raised.value.code == constants.sdoLogonNameInUse
    other = connect(data_path, "MANAGER", "")  # another user name still logs on
    other.Disconnect()
    first.Disconnect()
    connect(data_path).Disconnect()  # released by Disconnect
    with SageUser(data_path, user="CONNECTOR").logged_on(), pytest.raises(ComError):
        connect(data_path)


@pytest.mark.parametrize(("user", "password", "code"), [
    ("NOBODY", "x", "sdoLogonFail"), ("CONNECTOR", "wrong", "sdoLogonPassword")])
def test_bad_credentials(data_path: Path, user: str, password: str, code: str) -> None:
    with pytest.raises(ComError) as raised:
        connect(data_path, user, password)
    assert raised.value.code == getattr(constants, code)


def test_bad_data_path(tmp_path: Path) -> None:
    with pytest.raises(ComError) as raised:
        connect(tmp_path / "nowhere")
    assert raised.value.code == constants.sdoBadDataPath


def test_accounts_busy_refuses_the_update_and_writes_nothing(ws: WorkSpace, data_path: Path,
                                                            company: Company) -> None:
    control.inject(data_path, "accounts_busy", count=2, object_name="TransactionPost")
    headers = len(company.rows("AUDIT_HEADER"))
    post = invoice(ws)
    assert post.Update() is False
    assert ws.LastError.Code == constants.sdoFileLockedAccountsBusy
    assert ws.LastError.ErrorDescription == "Accounts application is busy"
    record = ws.CreateObject("SalesRecord")  # the rule names TransactionPost only
    record.AddNew()
    record.Fields.Item("ACCOUNT_REF").Value = "FREE01"
    assert record.Update() is True
    assert post.Update() is False  # second use
    assert len(company.rows("AUDIT_HEADER")) == headers
    assert post.Update() is True  # used up: the retry lands
    assert ws.LastError.Code == constants.sdoNone
    assert control.read(data_path)["faults"] == []


def test_closed_ledger_fault_refuses_any_date(ws: WorkSpace, data_path: Path) -> None:
    control.inject(data_path, "closed_ledger")
    post = invoice(ws)
    assert post.Update() is False
    assert ws.LastError.Code == constants.sdoClosedLedgerDateControlError


def test_update_without_number_lands_the_write_but_reports_no_number(ws: WorkSpace, data_path: Path,
                                                                     company: Company) -> None:
    control.inject(data_path, "update_without_number")
    post = ws.CreateObject("InvoicePost")
    post.Header.Fields.Item("ACCOUNT_REF").Value = "DEN001"
    post.Header.Fields.Item("INVOICE_DATE").Value = dt.date(2025, 4, 1)
    post.Header.Fields.Item("CUST_ORDER_NUMBER").Value = "REF-LOST-NUMBER"
    item = post.Items.Add()
    item.Fields.Item("NET_AMOUNT").Value = "10.00"
    item.Fields.Item("TAX_AMOUNT").Value = "2.00"
    item.Fields.Item("TAX_CODE").Value = 1
    assert post.Update() is True
    assert post.Header.Fields.Item("INVOICE_NUMBER").Value == 0
    found = company.rows("INVOICE", "CUST_ORDER_NUMBER = ?", ("REF-LOST-NUMBER",))
    assert len(found) == 1 and found[0]["INVOICE_GROSS"] == "12.00"  # found again by its reference
    again = ws.CreateObject("InvoicePost")  # the rule had one use
    again.Header.Fields.Item("ACCOUNT_REF").Value = "DEN001"
    again.Header.Fields.Item("INVOICE_DATE").Value = dt.date(2025, 4, 1)
    again.Items.Add().Fields.Item("NET_AMOUNT").Value = "1.00"
    assert again.Update() is True
    assert again.Header.Fields.Item("INVOICE_NUMBER").Value == found[0]["INVOICE_NUMBER"] + 1


def test_always_until_cleared(ws: WorkSpace, data_path: Path) -> None:
    control.inject(data_path, "accounts_busy", count=-1)
    for _ in range(3):
        assert invoice(ws).Update() is False
    control.clear_faults(data_path)
    assert invoice(ws).Update() is True


def test_sage_user_lock_date_applies_to_sdo(ws: WorkSpace, data_path: Path) -> None:
    SageUser(data_path).set_lock_date(dt.date(2025, 6, 1))
    assert invoice(ws).Update() is False
    assert ws.LastError.Code == constants.sdoClosedLedgerDateControlError
    SageUser(data_path).set_lock_date(None)
    assert invoice(ws).Update() is True


def _python(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60, check=False)


def test_a_fault_set_from_the_command_line_reaches_this_process(data_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "emulators.sage50", "--data-dir", str(data_path.parent),
                           "--fault", "logon_exclusive"], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    with pytest.raises(ComError) as raised:
        connect(data_path)
    assert raised.value.code == constants.sdoLogonExclusive


def test_a_fault_set_here_reaches_a_connector_in_another_process(data_path: Path) -> None:
    control.inject(data_path, "accounts_busy")
    done = _python(f"""
        import datetime, decimal
        from emulators.sage50.sdo import SDOEngine
        ws = SDOEngine().Workspaces.Add("other")
        ws.Connect({str(data_path)!r}, "CONNECTOR", "connector", "other-process")
        post = ws.CreateObject("TransactionPost")
        post.Header.Fields.Item("TYPE").Value = 6
        post.Header.Fields.Item("ACCOUNT_REF").Value = "FEL001"
        post.Header.Fields.Item("DATE").Value = datetime.date(2025, 4, 2)
        item = post.Items.Add()
        item.Fields.Item("NOMINAL_CODE").Value = "5000"
        item.Fields.Item("NET_AMOUNT").Value = decimal.Decimal("5.00")
        item.Fields.Item("TAX_CODE").Value = 1
        item.Fields.Item("TAX_AMOUNT").Value = decimal.Decimal("1.00")
        print(post.Update(), ws.LastError.ErrorDescription, post.Update())
        ws.Disconnect()
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False Accounts application is busy True"
