"""The operators' CLI, in-process, on a temporary data directory."""

import io
import json

import pytest

from gateway.cli import main

DEMO_TENANT = "3ee77511-87af-53f1-b4b6-fc49799c9881"


def run(capsys, *argv, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data_dir(tmp_path):
    return str(tmp_path / "data")


def test_tenants_lists_the_demo_company(capsys, data_dir):
    code, out, _ = run(capsys, "tenants", "--code", "1000", "--data-dir", data_dir)
    assert code == 0
    assert json.loads(out) == [{"tenantId": DEMO_TENANT, "tenantName": "Demo Company (UK)",
                                "tenantType": "ORGANISATION"}]


def test_apps_lifecycle(capsys, data_dir):
    code, out, _ = run(capsys, "apps", "create", "--name", "Web", "--redirect-uri", "https://app.example/cb",
                       "--data-dir", data_dir)
    assert code == 0
    created = json.loads(out)
    assert created["client_id"] and len(created["client_secret"]) >= 32

    code, out, _ = run(capsys, "apps", "list", "--data-dir", data_dir)
    listed = json.loads(out)
    assert [a["client_id"] for a in listed] == [created["client_id"]]
    assert created["client_secret"] not in out

    code, out, _ = run(capsys, "apps", "rotate-secret", created["client_id"], "--data-dir", data_dir)
    assert code == 0 and json.loads(out)["client_secret"] != created["client_secret"]

    code, out, _ = run(capsys, "apps", "revoke", created["client_id"], "--data-dir", data_dir)
    assert code == 0 and json.loads(out)["revoked"] is True


def test_custom_connection_needs_a_served_tenant(capsys, data_dir):
    code, _, err = run(capsys, "apps", "create", "--name", "CC", "--custom-connection", "--data-dir", data_dir)
    assert code == 2 and "--code and --tenant" in err
    code, _, err = run(capsys, "apps", "create", "--name", "CC", "--custom-connection", "--code", "1000",
                       "--tenant", "00000000-0000-0000-0000-000000000001", "--data-dir", data_dir)
    assert code == 2 and "not served by source 1000" in err
    code, out, _ = run(capsys, "apps", "create", "--name", "CC", "--custom-connection", "--code", "1000",
                       "--tenant", DEMO_TENANT.upper(), "--data-dir", data_dir)
    assert code == 0 and json.loads(out)["client_secret"]


def test_users_create_reads_the_password_from_stdin(capsys, data_dir, monkeypatch):
    code, out, _ = run(capsys, "users", "create", "--email", "bookkeeper@example.com", "--tenant", DEMO_TENANT,
                       "--data-dir", data_dir, stdin="a long enough password\n", monkeypatch=monkeypatch)
    assert code == 0
    assert json.loads(out)["tenantIds"] == [DEMO_TENANT]
    code, _, err = run(capsys, "users", "create", "--email", "short@example.com", "--tenant", DEMO_TENANT,
                       "--data-dir", data_dir, stdin="short\n", monkeypatch=monkeypatch)
    assert code == 2 and "at least 8" in err


def test_unconfigured_source_is_a_clear_error(capsys, data_dir):
    code, _, err = run(capsys, "tenants", "--code", "1004", "--data-dir", data_dir)
    assert code == 2 and "1004" in err and "sources set 1004" in err


def test_logged_errors_carry_their_traceback(caplog):
    """An unexpected error (a 500) is logged with its traceback, not only its name (issue 11, item 8)."""
    import logging

    import structlog

    from gateway.cli import _configure_logging

    _configure_logging()
    try:
        with caplog.at_level(logging.ERROR):
            try:
                raise RuntimeError("boom")
            except RuntimeError:
                structlog.get_logger("gateway").exception("unhandled_error", path="/x")
        entry = json.loads(caplog.records[-1].getMessage())
        frames = entry["exception"][0]
        assert frames["exc_type"] == "RuntimeError" and frames["exc_value"] == "boom"
        assert any(frame["name"] == "test_logged_errors_carry_their_traceback" for frame in frames["frames"])
    finally:
        structlog.reset_defaults()
