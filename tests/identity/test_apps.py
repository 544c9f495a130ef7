"""The partner-app registry used by the CLI (gateway.identity.apps)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gateway.identity import apps
from gateway.store.db import Database
from gateway.store.models import App

from .fake_adapter import TENANT_A
from .helpers import REDIRECT_URI


@pytest.fixture
async def db(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}")
    await database.create_all()
    yield database
    await database.dispose()


async def test_create_list_rotate_revoke(db):
    created = await apps.create_app(db, name="Books", redirect_uris=[REDIRECT_URI], scopes=["accounting.contacts"])
    assert set(created) == {"client_id", "client_secret"} and len(created["client_secret"]) >= 32
    public = await apps.create_app(db, name="Desktop", redirect_uris=["http://localhost:5000/cb"], scopes=None,
                                   public=True)
    assert public["client_secret"] is None
    custom = await apps.create_app(db, name="Custom", redirect_uris=[], scopes=["accounting.transactions"],
                                   custom_connection=True, code="1000", tenant_id=TENANT_A.upper())

    listed = await apps.list_apps(db)
    assert [a["client_id"] for a in listed] == [created["client_id"], public["client_id"], custom["client_id"]]
    assert listed[0]["redirect_uris"] == [REDIRECT_URI] and listed[0]["scopes"] == ["accounting.contacts"]
    assert listed[1]["public"] is True and listed[1]["scopes"] is None
    assert listed[2]["custom_connection"] is True and listed[2]["tenant_id"] == TENANT_A
    assert listed[2]["code"] == "1000"
    assert all("secret" not in k for a in listed for k in a)
    assert created["client_secret"] not in repr(listed)

    async with db.session() as s:
        stored = await s.get(App, created["client_id"])
    assert stored.secret_hash and created["client_secret"] not in stored.secret_hash

    rotated = await apps.rotate_secret(db, created["client_id"])
    assert rotated["client_id"] == created["client_id"] and rotated["client_secret"] != created["client_secret"]

    await apps.revoke_app(db, created["client_id"])
    await apps.revoke_app(db, created["client_id"])  # idempotent
    assert (await apps.list_apps(db))[0]["disabled"] is True
    with pytest.raises(ValueError, match="revoked"):
        await apps.rotate_secret(db, created["client_id"])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"name": "", "redirect_uris": [REDIRECT_URI]}, "name"),
    ({"name": "x", "redirect_uris": []}, "redirect URI"),
    ({"name": "x", "redirect_uris": ["/relative/cb"]}, "absolute"),
    ({"name": "x", "redirect_uris": ["ftp://host/cb"]}, "absolute"),
    ({"name": "x", "redirect_uris": ["https://*.example.com/cb"]}, "wildcard"),
    ({"name": "x", "redirect_uris": ["https://example.com/cb#frag"]}, "fragment"),
    ({"name": "x", "redirect_uris": [f"https://example.com/{i}" for i in range(51)]}, "at most 50"),
    ({"name": "x", "redirect_uris": [REDIRECT_URI], "scopes": ["accounting.everything"]}, "unknown scopes"),
    ({"name": "x", "redirect_uris": [], "custom_connection": True}, "code and a tenant"),
    ({"name": "x", "redirect_uris": [], "custom_connection": True, "code": "1000"}, "code and a tenant"),
    ({"name": "x", "redirect_uris": [], "custom_connection": True, "code": "9999", "tenant_id": TENANT_A},
     "unknown source code"),
    ({"name": "x", "redirect_uris": [], "custom_connection": True, "code": "1000", "tenant_id": "acme"}, "GUID"),
    ({"name": "x", "redirect_uris": [], "custom_connection": True, "code": "1000", "tenant_id": TENANT_A,
      "public": True}, "public"),
    ({"name": "x", "redirect_uris": [], "custom_connection": True, "code": "1000", "tenant_id": TENANT_A,
      "scopes": ["openid"]}, "API scope"),
    ({"name": "x", "redirect_uris": [REDIRECT_URI], "code": "1000"}, "only for custom connections"),
])
async def test_create_app_rejects_bad_input(db, kwargs, message):
    kwargs.setdefault("scopes", None)
    with pytest.raises(ValueError, match=message):
        await apps.create_app(db, **kwargs)


async def test_unknown_client_id(db):
    with pytest.raises(ValueError, match="unknown client_id"):
        await apps.rotate_secret(db, "NOPE")
    with pytest.raises(ValueError, match="unknown client_id"):
        await apps.revoke_app(db, "NOPE")


async def test_public_app_has_no_secret_to_rotate(db):
    public = await apps.create_app(db, name="Desktop", redirect_uris=[REDIRECT_URI], scopes=None, public=True)
    with pytest.raises(ValueError, match="public"):
        await apps.rotate_secret(db, public["client_id"])
    async with db.session() as s:
        assert (await s.scalar(select(App.secret_hash).where(App.client_id == public["client_id"]))) is None
