"""CLI parity of the app lifecycle (issue 15): ``apps delete|restore|set-expiry``, ``connections``, ``activity``,
``admins create``; in-process, on one temporary data directory."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from argon2 import PasswordHasher

from gateway.cli import main
from gateway.console import operators
from gateway.identity import apps
from gateway.settings import load_settings
from gateway.store.crypto import SecretBox
from gateway.store.db import Database
from gateway.store.models import Operator

TENANT = "3ee77511-87af-53f1-b4b6-fc49799c9881"


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    data_dir = str(tmp_path / "data")

    def run(*argv: str, stdin: str | None = None):
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main([*argv, "--data-dir", data_dir])
        out, err = capsys.readouterr()
        return code, out, err

    run.data_dir = data_dir
    return run


def _seed_custom_connection(data_dir: str) -> str:
    """A custom connection registered through the library (no source is started: the CLI's own ``apps create
    --custom-connection`` would check the tenant against the native ledger, seeding its demo company)."""
    settings = load_settings(data_dir=data_dir)

    async def seed() -> str:
        db = Database(settings.database_url)
        try:
            await db.create_all()
            created = await apps.create_app(db, name="CC", redirect_uris=[], scopes=["accounting.transactions"],
                                            custom_connection=True, code="1000", tenant_id=TENANT)
            return created["client_id"]
        finally:
            await db.dispose()

    return asyncio.run(seed())


def test_apps_expiry_delete_restore_connections_and_activity(cli):
    code, out, _ = cli("apps", "create", "--name", "Web", "--redirect-uri", "https://app.example/cb",
                       "--expires", "2099-01-01")
    assert code == 0
    web_id = json.loads(out)["client_id"]
    client_id = _seed_custom_connection(cli.data_dir)
    listed = {a["client_id"]: a for a in json.loads(cli("apps", "list")[1])}
    assert listed[web_id]["kind"] == "web" and listed[web_id]["expires_at"] == "2099-01-01T00:00:00+00:00"
    assert listed[client_id]["kind"] == "custom_connection" and listed[client_id]["last_used_at"] is None
    assert cli("apps", "set-expiry", web_id)[0] == 2  # neither --expires nor --never
    assert json.loads(cli("apps", "set-expiry", web_id, "--never")[1])["expires_at"] is None

    [conn] = json.loads(cli("connections", "list")[1])
    assert conn["client_id"] == client_id and conn["tenant_id"] == TENANT and conn["user_id"] is None
    assert conn["scopes"] == ["accounting.transactions"] and conn["idle_days"] == 0
    assert json.loads(cli("connections", "delete", conn["id"])[1])["deleted"] is True
    assert json.loads(cli("connections", "list")[1]) == []
    assert cli("connections", "delete", conn["id"])[0] == 2

    assert json.loads(cli("apps", "delete", client_id)[1]) == {"client_id": client_id, "deleted": True}
    assert json.loads(cli("apps", "restore", client_id)[1]) == {"client_id": client_id, "restored": True}
    assert {a["client_id"]: a["status"] for a in json.loads(cli("apps", "list")[1])} == {
        web_id: "active", client_id: "active"}
    assert len(json.loads(cli("connections", "list")[1])) == 1  # the custom connection is authorised anew

    rows = json.loads(cli("activity", "list", "--client-id", client_id)[1])
    assert [r["kind"] for r in rows] == ["app_restored", "app_deleted", "connection_deleted", "app_created"]
    assert all(r["actor"].startswith("cli") for r in rows)
    assert cli("activity", "list", "--kind", "nonsense")[0] == 2
    exported = list(csv.DictReader(io.StringIO(cli("activity", "list", "--csv", "--tenant", TENANT,
                                                   "--kind", "app_deleted", "--since", "2020-01-01")[1])))
    assert [(r["kind"], r["client_id"]) for r in exported] == [("app_deleted", client_id)]
    assert json.loads(cli("activity", "prune")[1]) == {"deleted": 0}


def test_admins_create_prints_the_totp_uri_once_and_seals_the_secret(cli, monkeypatch):
    # argon2id at its lowest cost: the flow is under test, not the hash's strength
    monkeypatch.setattr(operators, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    code, out, _ = cli("admins", "create", "--email", "Ops@Example.com", stdin="correct horse battery\n")
    assert code == 0
    shown = json.loads(out)
    uri = shown["totp_provisioning_uri"]
    assert shown["email"] == "ops@example.com" and uri.startswith("otpauth://totp/")
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    assert cli("admins", "create", "--email", "ops@example.com", stdin="another password\n")[0] == 2
    assert cli("admins", "create", "--email", "b@example.com", stdin="short\n")[0] == 2

    settings = load_settings(data_dir=cli.data_dir)

    async def check() -> None:
        db = Database(settings.database_url)
        box = SecretBox.from_data_dir(settings.data_dir)
        try:
            async with db.session() as s:
                [row] = (await s.execute(Operator.__table__.select())).all()
            assert secret not in row.totp_secret_sealed and box.decrypt(row.totp_secret_sealed) == secret
            assert row.password_hash.startswith("$argon2id$")
            from datetime import UTC, datetime
            now = datetime.now(UTC)
            good = pyotp.TOTP(secret).at(now)
            assert await operators.sign_in(db, box, email="ops@example.com", password="wrong password", code=good,
                                           now=now) is None
            signed = await operators.sign_in(db, box, email="OPS@example.com", password="correct horse battery",
                                             code=good, now=now)
            assert signed is not None and signed.email == "ops@example.com"
            # the same code twice is refused (RFC 6238 §5.2); the next step's code is fresh
            assert not await operators.check_totp(db, box, signed.id, good, now=now)
            later = datetime.fromtimestamp(now.timestamp() + 30, UTC)
            assert await operators.check_totp(db, box, signed.id, pyotp.TOTP(secret).at(later), now=later)
        finally:
            await db.dispose()

    asyncio.run(check())
    rows = json.loads(cli("activity", "list", "--kind", "operator_created")[1])
    assert len(rows) == 1 and secret not in json.dumps(rows)
