"""``xero-gateway rates set|list|import`` (issue 12; ``adapters.native.currency_rates``), in-process, on one copy of
the demo ledger per module with USD and EUR enabled (the demo company's base currency is GBP). The rules of one
entry and of a file are checked on the parsing functions; the CLI's tests check the exit status, the message and
that nothing is written.

Each test writes its own currency or dates and reads back only those. Bad input exits 2 with a message naming the
problem, and writes nothing: not even the good rows of a file with one bad row.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from adapters.native.currency_rates import parse_entry, rates_as_at, read_csv
from gateway.cli import main
from tests.adapters.native.core.conftest import (  # noqa: F401  (session fixture)
    TENANT,
    TEST_START,
    call,
    seeded_dir,
    start_adapter,
)


@pytest.fixture(scope="module")
def data_dir(seeded_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:  # noqa: F811
    """A module copy of the demo ledger with USD and EUR enabled."""
    path = tmp_path_factory.mktemp("rates-cli")
    for file in seeded_dir.iterdir():
        if file.name.startswith("ledger.db"):
            shutil.copy(file, path / file.name)

    async def enable() -> None:
        adapter = await start_adapter(path, lambda: TEST_START)
        try:
            await call(adapter, "createCurrency", elements=[{"Code": "USD", "Description": "United States Dollar"}])
            await call(adapter, "createCurrency", elements=[{"Code": "EUR", "Description": "Euro"}])
        finally:
            await adapter.shutdown()

    asyncio.run(enable())
    assert main(["rates", "list", "--tenant", TENANT, "--data-dir", str(path)]) == 0  # creates the gateway's store
    return str(path)


def rates(capsys, data_dir: str, *argv: str) -> tuple[int, str, str]:
    code = main(["rates", *argv, "--tenant", TENANT, "--data-dir", data_dir])
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys, data_dir: str, currency: str) -> list[dict[str, str]]:
    code, out, _ = rates(capsys, data_dir, "list")
    assert code == 0
    return [r for r in json.loads(out) if r["currency"] == currency]


def test_set_then_list_and_replace(capsys, data_dir: str) -> None:
    code, out, _ = rates(capsys, data_dir, "set", "usd", "2026-03-31", "1.30")
    assert code == 0
    assert json.loads(out) == [{"currency": "USD", "date": "2026-03-31", "rate": "1.3"}]
    assert rates(capsys, data_dir, "set", "USD", "2026-03-31", "1.2875")[0] == 0  # the same day: replaced
    assert listed(capsys, data_dir, "USD") == [{"currency": "USD", "date": "2026-03-31", "rate": "1.2875"}]


@pytest.mark.parametrize(("argv", "message"), [
    (("US", "2026-05-01", "1.3"), "ISO 4217"),
    (("USD", "2026-05-01", "0"), "greater than zero"),
    (("USD", "2026-05-01", "-1.3"), "greater than zero"),
    (("USD", "2026-05-01", "NaN"), "greater than zero"),
    (("USD", "2026-05-01", "abc"), "not a number"),
    (("USD", "2026-05-01", "1.1234567"), "6 decimal places"),
    (("USD", "2026-02-30", "1.3"), "not an ISO 8601 date"),
    (("USD", "01/05/2026", "1.3"), "not an ISO 8601 date"),
])
def test_parse_entry_refuses_bad_input(argv: tuple[str, str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_entry(*argv)


def test_bad_set_exits_2_and_writes_nothing(capsys, data_dir: str) -> None:
    for argv, message in [(("JPY", "2026-05-01", "160"), "currency JPY is not enabled"),  # the company's check
                          (("GBP", "2026-05-01", "1"), "GBP is the base currency"),
                          (("USD", "2026-05-01", "0"), "rate '0' must be a number greater than zero")]:
        code, out, err = rates(capsys, data_dir, "set", *argv)
        assert (code, out) == (2, "")
        assert message in err
    assert [r for r in listed(capsys, data_dir, "USD") if r["date"] >= "2026-05-01"] == []
    assert main(["rates", "list", "--tenant", "00000000-0000-0000-0000-000000000001", "--data-dir", data_dir]) == 2
    assert "not a company" in capsys.readouterr().err


def test_import_a_csv_file(capsys, data_dir: str, tmp_path: Path) -> None:
    good = tmp_path / "rates.csv"
    good.write_text("currency,date,rate\nEUR,2026-03-31,1.16\n\nEUR,2026-04-30,1.15\n", encoding="utf-8")
    code, out, _ = rates(capsys, data_dir, "import", str(good))
    assert code == 0 and len(json.loads(out)) == 2
    assert [r["rate"] for r in listed(capsys, data_dir, "EUR")] == ["1.16", "1.15"]


@pytest.mark.parametrize(("text", "message"), [
    ("EUR,2026-06-30,1.14\nEUR,2026-07-31,0\n", "line 2: rate '0' must be a number greater than zero"),
    ("EUR,2026-06-30,1.14\nJPY,2026-07-31,160\n", "currency JPY is not enabled"),  # refused when writing
])
def test_a_bad_csv_file_writes_nothing(capsys, data_dir: str, tmp_path: Path, text: str, message: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    code, out, err = rates(capsys, data_dir, "import", str(bad))
    assert (code, out) == (2, "")
    assert message in err
    assert [r for r in listed(capsys, data_dir, "EUR") if r["date"] >= "2026-06-01"] == []  # not even line 1


@pytest.mark.parametrize(("text", "message"), [
    ("EUR,2026-06-30,1.14\nEUR,2026-07-31\n", "line 2: expected 3 fields"),
    ("EUR,2026-06-30,1.14\nEUR,31/07/2026,1.13\n", "line 2: date '31/07/2026'"),
    ("EUR,2026-06-30,1.14\nEUR,2026-06-30,1.13\n", "line 2: EUR on 2026-06-30 is already on line 1"),
    ("currency,date,rate\nEUR,2026-03-31,1.16\nE,2026-03-31,1.16\n", "line 3: currency 'E' is not an ISO 4217"),
    ("currency,date,rate\n\n", "has no rates"),
])
def test_read_csv_names_the_file_and_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^rates\\.csv {message}" if "line" in message else message):
        read_csv(text, name="rates.csv")


def test_rates_as_at_a_date_take_the_latest_on_or_before_it() -> None:
    history = {"USD": [(dt.date(2026, 3, 31), Decimal("1.30")), (dt.date(2026, 4, 10), Decimal("1.20"))],
               "EUR": [(dt.date(2026, 4, 30), Decimal("1.15"))]}
    assert rates_as_at(history, dt.date(2026, 3, 30)) == {}  # none yet: nothing is revalued
    assert rates_as_at(history, dt.date(2026, 3, 31)) == {"USD": Decimal("1.30")}
    assert rates_as_at(history, dt.date(2026, 4, 9)) == {"USD": Decimal("1.30")}
    assert rates_as_at(history, dt.date(2026, 4, 10)) == {"USD": Decimal("1.20")}
    assert rates_as_at(history, dt.date(2026, 5, 1)) == {"USD": Decimal("1.20"), "EUR": Decimal("1.15")}
