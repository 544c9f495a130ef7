"""``--seed`` loading, the command line's JSON line (also through ``xero-gateway emulate sage50``), the Sage user."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from emulators.sage50 import control
from emulators.sage50.company import Company
from emulators.sage50.main import main, prepare
from emulators.sage50.sageuser import SageUser

from .conftest import Clock

ROOT = Path(__file__).resolve().parents[3]


def write_seed(folder: Path) -> Path:
    folder.mkdir()
    (folder / "SALES_LEDGER.json").write_text(json.dumps([
        {"ACCOUNT_REF": "SEED01", "NAME": "Seeded Ltd", "BALANCE": 1234.5,
         "RECORD_MODIFY_DATE": "2024-03-01 10:00:00"}]), encoding="utf-8")
    (folder / "company.json").write_text(json.dumps([{"NAME": "Seed Company", "FINANCIAL_YEAR": 2024}]),
                                         encoding="utf-8")
    (folder / "AUDIT_SPLIT.json").write_text(
        '[{"TRAN_NUMBER": 7, "TYPE": "SI", "NET_AMOUNT": 0.1, "TAX_AMOUNT": 0.02, "DATE": "2024-02-29"}]',
        encoding="utf-8")
    return folder


def test_seed_rows_are_loaded_as_they_are(tmp_path: Path) -> None:
    line = prepare(tmp_path / "company", write_seed(tmp_path / "seed"))
    assert line["company"] == {"name": "Seed Company", "created": True, "source": "seed"}
    with Company(Path(str(line["data_path"]))) as company:
        customer = company.row("SALES_LEDGER", ACCOUNT_REF="SEED01")
        assert customer is not None
        assert (customer["BALANCE"], customer["RECORD_MODIFY_DATE"]) == ("1234.5", "2024-03-01 10:00:00")
        split = company.row("AUDIT_SPLIT", TRAN_NUMBER=7)
        assert split is not None and (split["NET_AMOUNT"], split["TAX_AMOUNT"]) == ("0.1", "0.02")
        assert company.rows("AUDIT_HEADER") == []  # nothing posted: rows as they are


@pytest.mark.parametrize(("name", "content", "message"), [
    ("NOT_A_TABLE.json", "[]", "not a Sage 50 table"),
    ("SALES_LEDGER.json", '[{"ACCOUNT_REF": "A", "Colour": "red"}]', "Colour"),
    ("SALES_LEDGER.json", '{"ACCOUNT_REF": "A"}', "JSON array"),
])
def test_bad_seeds_are_refused_and_leave_no_company(tmp_path: Path, name: str, content: str, message: str) -> None:
    folder = tmp_path / "seed"
    folder.mkdir()
    (folder / name).write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        prepare(tmp_path / "company", folder)
    assert not (tmp_path / "company" / "ACCDATA" / "sage50.db").exists()
    assert main(["--data-dir", str(tmp_path / "company"), "--seed", str(folder)]) == 2


def test_main_prints_one_json_line_and_reopens(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = write_seed(tmp_path / "seed")
    assert main(["--data-dir", str(tmp_path / "c"), "--seed", str(seed), "--fault", "accounts_busy:always"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["--data-dir", str(tmp_path / "c"), "--clear-faults", "--fault", "closed_ledger:2:InvoicePost"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert first["company"]["created"] is True and second["company"] == {
        "name": "Seed Company", "created": False, "source": "existing"}
    assert control.read(second["data_path"])["faults"] == [{"kind": "closed_ledger", "count": 2,
                                                            "object": "InvoicePost"}]
    assert second["sdo"]["engine"] == "emulators.sage50.sdo:SDOEngine"
    conn = sqlite3.connect(second["odbc"]["database"], detect_types=sqlite3.PARSE_DECLTYPES)
    assert conn.execute('SELECT "NAME" FROM "SALES_LEDGER"').fetchall() == [("Seeded Ltd",)]


def test_xero_gateway_emulate_sage50_prints_the_paths(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "gateway.cli", "emulate", "sage50", "--data-dir", str(tmp_path),
                           "--fault", "logon_name_in_use"], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert line["data_path"] == str(tmp_path.resolve() / "ACCDATA")
    assert Path(line["database"]).is_file() and Path(line["sdo"]["control_file"]).is_file()
    assert line["sdo"]["user"] == "CONNECTOR" and line["sdo"]["password"] == "connector"
    assert line["company"] == {"name": "Ashdown Mill Trading Ltd", "created": True, "source": "demo"}
    assert control.read(line["data_path"])["faults"][0]["kind"] == "logon_name_in_use"


def test_xero_gateway_emulate_sage50_needs_a_data_dir() -> None:
    from gateway.cli import main as gateway_main

    assert gateway_main(["emulate", "sage50"]) == 2


def test_sage_user_changes_rows_with_fresh_stamps(data_path: Path, clock: Clock) -> None:
    user = SageUser(data_path, clock=clock)
    clock.advance(3600)
    row = user.rename_customer("ABS001", "Abbey Bridge Supplies (Kendal)")
    assert row["NAME"] == "Abbey Bridge Supplies (Kendal)"
    assert row["RECORD_MODIFY_DATE"] == "2030-01-05 10:00:00"
    posted = user.post("SI", "GRA001", dt.date(2025, 11, 11), inv_ref="UI-1", details="Typed in Sage",
                       lines=[("4000", Decimal("40.00"), Decimal("8.00"), 1)])
    with Company(data_path) as company:
        header = company.row("AUDIT_HEADER", HEADER_NUMBER=posted.header_number)
        assert header is not None and (header["USER_NAME"], header["GROSS_AMOUNT"]) == ("MANAGER", "48.00")
        assert header["RECORD_CREATE_DATE"] == "2030-01-05 10:00:00"
    with Company(data_path) as company, company.transaction():
        company.insert("SALES_LEDGER", {"ACCOUNT_REF": "TMP001", "NAME": "Temporary"})
    user.delete("SALES_LEDGER", "TMP001")
    with Company(data_path) as company:
        deleted = company.rows("DELETED_RECORDS")
        assert [(d["FOREIGN_REF"], d["DELETION_DATE_TIME"]) for d in deleted] == [("TMP001", "2030-01-05 10:00:00")]
