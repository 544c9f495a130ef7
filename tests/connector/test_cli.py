"""The console script end to end against the fake gateway and the stand-in: pair, run, status; no secret leaks."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import stat
import sys
from pathlib import Path

from sage50_connector.cli import main
from sage50_connector.logsafe import MASK, RedactSecrets

from emulators.sage50 import control
from tests.connector.conftest import PASSWORD, SDO
from tests.connector.test_jobs import si

SAGE_PASSWORD = "Sage-Pa55-For-Connector"
ROOT = Path(__file__).resolve().parents[2]


def _config(tmp_path, data_path) -> str:
    path = tmp_path / "config.toml"
    path.write_text(f"""
poll_interval = 30
page_size = 200
token_store = "file"
state_dir = '{tmp_path / "state"}'

[sage]
user = "CONNECTOR"
sdo_engine = "{SDO}"

[[companies]]
data_path = '{data_path}'
sqlite = '{data_path / "sage50.db"}'
""", encoding="utf-8")
    users = control.read(data_path)
    users["users"]["CONNECTOR"] = SAGE_PASSWORD
    (data_path / control.CONTROL_FILE).write_text(json.dumps(users), encoding="utf-8")
    return str(path)


async def cli(*args: str) -> int:
    return await asyncio.to_thread(main, list(args))


async def test_pair_run_status_and_secrets(gateway, data_path, tmp_path, monkeypatch, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    fake, url = gateway
    config = _config(tmp_path, data_path)
    monkeypatch.setenv("SAGE50_PASSWORD", SAGE_PASSWORD)

    assert await cli("--config", config, "run", "--once") == 1  # not paired yet
    assert "not paired" in capsys.readouterr().err

    assert await cli("--config", config, "pair", "--gateway", url, "--code", "WRONG-CODE") == 1
    assert "wrong, used or expired" in capsys.readouterr().err

    assert await cli("--config", config, "pair", "--gateway", url, "--code", "K7QM-4TXP") == 0
    out = capsys.readouterr().out
    [agent_id] = fake.agents
    assert f"paired: agent {agent_id}" in out and "Ashdown Mill Trading Ltd" in out
    [company] = fake.pair_requests[-1]["companies"]
    assert company["data_path"] == str(data_path) and len(company["company_key"]) == 64
    state = tmp_path / "state"
    token = (state / "agent-token").read_text()
    for private in ("agent-token", "agent.json", "state.sqlite"):
        assert stat.S_IMODE((state / private).stat().st_mode) == 0o600

    job_id = fake.queue(company["company_key"], si("CLI-0001"))
    assert await cli("--config", config, "-v", "run", "--once") == 0  # debug logging too
    assert fake.results[job_id][-1]["status"] == "succeeded"
    assert {b["table"] for b in fake.batches} >= {"COMPANY", "AUDIT_HEADER"}
    with sqlite3.connect(data_path / "sage50.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM AUDIT_HEADER WHERE INV_REF = 'CLI-0001'").fetchone() == (1,)

    assert await cli("--config", config, "status") == 0
    out = capsys.readouterr().out
    assert agent_id in out and "Ashdown Mill Trading Ltd" in out and "1 reported" in out
    assert "AUDIT_HEADER" in out

    fake.codes.add("ABCD-EFGH")  # a second consent: the same agent confirms the new code
    assert await cli("--config", config, "pair", "--gateway", url, "--code", "ABCD-EFGH") == 0
    assert f"confirmed: agent {agent_id}" in capsys.readouterr().out
    assert list(fake.agents) == [agent_id] and (state / "agent-token").read_text() == token

    fake.agents.clear()  # revoked at the gateway
    assert await cli("--config", config, "run", "--once") == 1
    assert "pair again" in capsys.readouterr().err

    captured = capsys.readouterr()
    for secret in (token, SAGE_PASSWORD):
        assert secret not in caplog.text
        assert secret not in captured.out + captured.err


async def test_sage_conditions_are_logged_with_what_to_do(gateway, data_path, tmp_path, monkeypatch, caplog):
    fake, url = gateway
    config = _config(tmp_path, data_path)
    monkeypatch.setenv("SAGE50_PASSWORD", SAGE_PASSWORD)
    assert await cli("--config", config, "pair", "--gateway", url, "--code", "K7QM-4TXP") == 0
    key = fake.pair_requests[-1]["companies"][0]["company_key"]
    control.inject(data_path, "logon_name_in_use")
    fake.queue(key, si("CLI-0002"))
    assert await cli("--config", config, "run", "--once") == 0
    assert "sdoLogonNameInUse" in caplog.text and "reserved for the connector" in caplog.text
    assert await cli("--config", config, "status") == 0


async def test_bad_data_path_is_reported_as_such(gateway, data_path, tmp_path, monkeypatch):
    fake, url = gateway
    config = _config(tmp_path, data_path)
    monkeypatch.setenv("SAGE50_PASSWORD", SAGE_PASSWORD)
    assert await cli("--config", config, "pair", "--gateway", url, "--code", "K7QM-4TXP") == 0
    key = fake.pair_requests[-1]["companies"][0]["company_key"]
    (data_path / "sage50.db").rename(data_path / "moved.db")  # SDO sees no company there any more
    monkeypatch.setenv("SAGE50_DATA_PATH", str(data_path))
    monkeypatch.setenv("SAGE50_SQLITE", str(data_path / "moved.db"))
    job_id = fake.queue(key, si("CLI-0003"))
    assert await cli("--config", config, "run", "--once") == 0
    assert fake.results[job_id][-1]["error"]["code"] == "sdoBadDataPath"


def test_redaction_filter_masks_registered_secrets():
    redact = RedactSecrets()
    redact.add("tok-123456")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token %s in %s", ("tok-123456", "msg"), None)
    redact.filter(record)
    assert record.getMessage() == f"token {MASK} in msg"


async def test_the_console_script_in_its_own_process_configured_by_environment(gateway, data_path, tmp_path):
    fake, url = gateway
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAGE50_")} | {
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "connector")]),
        "SAGE50_STATE_DIR": str(tmp_path / "state"), "SAGE50_TOKEN_STORE": "file",
        "SAGE50_DATA_PATH": str(data_path), "SAGE50_SQLITE": str(data_path / "sage50.db"),
        "SAGE50_USER": "CONNECTOR", "SAGE50_PASSWORD": PASSWORD, "SAGE50_SDO_ENGINE": SDO}

    async def connector(*args: str) -> tuple[int, str]:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "sage50_connector", *args, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await asyncio.wait_for(proc.communicate(), timeout=60)
        return proc.returncode, out.decode()

    code, out = await connector("pair", "--gateway", url, "--code", "K7QM-4TXP")
    assert code == 0, out
    key = fake.pair_requests[-1]["companies"][0]["company_key"]
    job_id = fake.queue(key, si("PROC-0001"))
    code, out = await connector("run", "--max-polls", "1", "--poll-interval", "1")
    assert code == 0, out
    assert fake.results[job_id][-1]["status"] == "succeeded"
    assert (tmp_path / "state" / "agent-token").read_text() not in out
