"""``xero-gateway webhooks …``, in-process, on a temporary data directory."""

import base64
import json
import sqlite3

from gateway.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_webhooks_lifecycle(capsys, tmp_path):
    data = str(tmp_path / "data")
    _, out, _ = run(capsys, "apps", "create", "--name", "Hooked", "--redirect-uri", "https://app.example/cb",
                    "--data-dir", data)
    client_id = json.loads(out)["client_id"]

    code, out, _ = run(capsys, "webhooks", "set", client_id, "--url", "https://app.example/hooks",
                       "--events", "CONTACT INVOICE", "--data-dir", data)
    assert code == 0
    created = json.loads(out)
    key = created["webhook_key"]
    assert len(key) == 88 and len(base64.b64decode(key)) == 64
    assert created["events"] == ["CONTACT", "INVOICE"] and created["extension_events"] == []
    assert (created["enabled"], created["status"]) == (True, "Intent to receive required")
    with sqlite3.connect(tmp_path / "data" / "gateway.db") as conn:  # sealed at rest, never in clear
        (sealed,) = conn.execute("SELECT key_sealed FROM webhook_subscriptions").fetchone()
    assert key not in sealed

    code, out, _ = run(capsys, "webhooks", "show", client_id, "--data-dir", data)
    shown = json.loads(out)
    assert code == 0 and "webhook_key" not in shown and key not in out
    assert shown["url"] == "https://app.example/hooks"

    code, out, _ = run(capsys, "webhooks", "set", client_id, "--events", "invoice payment", "--data-dir", data)
    changed = json.loads(out)
    assert changed["events"] == ["INVOICE", "PAYMENT"] and changed["extension_events"] == ["PAYMENT"]
    assert "webhook_key" not in changed

    code, out, _ = run(capsys, "webhooks", "rotate-key", client_id, "--data-dir", data)
    rotated = json.loads(out)["webhook_key"]
    assert code == 0 and len(rotated) == 88 and rotated != key

    code, out, _ = run(capsys, "webhooks", "disable", client_id, "--data-dir", data)
    assert json.loads(out)["enabled"] is False and json.loads(out)["status"] == "Disabled"
    code, out, _ = run(capsys, "webhooks", "enable", client_id, "--data-dir", data)
    assert json.loads(out)["status"] == "Intent to receive required"


def test_webhooks_bad_input_is_a_clear_error(capsys, tmp_path):
    data = str(tmp_path / "data")
    code, _, err = run(capsys, "webhooks", "show", "NOPE", "--data-dir", data)
    assert code == 2 and "no webhook" in err
    code, _, err = run(capsys, "webhooks", "set", "NOPE", "--url", "https://x.example", "--events", "CONTACT",
                       "--data-dir", data)
    assert code == 2 and "no partner app NOPE" in err
    _, out, _ = run(capsys, "apps", "create", "--name", "Hooked", "--redirect-uri", "https://app.example/cb",
                    "--data-dir", data)
    client_id = json.loads(out)["client_id"]
    code, _, err = run(capsys, "webhooks", "set", client_id, "--url", "https://x.example", "--events", "TAXRATE",
                       "--data-dir", data)
    assert code == 2 and "unknown webhook categories TAXRATE" in err
    code, _, err = run(capsys, "webhooks", "set", client_id, "--url", "ftp://x.example", "--events", "CONTACT",
                       "--data-dir", data)
    assert code == 2 and "absolute http(s) URL" in err
    code, _, err = run(capsys, "webhooks", "set", client_id, "--url", "https://x.example", "--data-dir", data)
    assert code == 2 and "--url and --events" in err


def test_sources_set_stores_intuits_verifier_token_sealed(capsys, tmp_path):
    data = str(tmp_path / "data")
    token = "intuit-verifier-token-1234"  # noqa: S105 - test credential
    code, out, _ = run(capsys, "sources", "set", "1004", "--client-id", "qbo-app", "--client-secret", "qbo-secret",
                       "--webhook-verifier-token", token, "--data-dir", data)
    assert code == 0 and json.loads(out)["webhook_verifier_token"] == "set" and token not in out
    with sqlite3.connect(tmp_path / "data" / "gateway.db") as conn:
        rows = conn.execute("SELECT code, verifier_token_sealed FROM webhook_source_verifiers").fetchall()
    assert len(rows) == 1 and rows[0][0] == "1004" and token not in rows[0][1]

    # Sage Accounting sends no webhooks: refused before anything is stored
    code, _, err = run(capsys, "sources", "set", "1009", "--client-id", "sage-app", "--client-secret", "s",
                       "--webhook-verifier-token", token, "--data-dir", data)
    assert code != 0 and "1009" in err
    with sqlite3.connect(tmp_path / "data" / "gateway.db") as conn:
        assert conn.execute("SELECT count(*) FROM upstream_sources WHERE code = '1009'").fetchone() == (0,)
