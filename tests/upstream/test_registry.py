"""Operators' registration of their developer apps (``xero-gateway sources set|list``) and the "configured" check."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from yarl import URL

from adapters import registry as adapter_registry
from gateway.cli import main as cli_main
from gateway.settings import load_settings
from gateway.store.db import Database
from gateway.upstream import oauth, registry
from gateway.upstream.defaults import source_defaults
from gateway.upstream.models import UpstreamSource

SECRET = "very-secret-client-secret-value"


def set_source(db, settings, **args):
    """``registry.set_source`` with the adapters' codes, as the CLI passes them."""
    return registry.set_source(db, settings, adapter_codes=adapter_registry.ADAPTERS,
                               gateway_sign_in=adapter_registry.gateway_sign_in_codes(), **args)


def list_sources(db, settings):
    return registry.list_sources(db, settings, adapter_codes=adapter_registry.ADAPTERS)


@pytest.fixture
async def store(tmp_path):
    settings = load_settings(data_dir=tmp_path, port=18091)
    db = Database(settings.database_url)
    await db.create_all()
    yield db, settings
    await db.dispose()


async def test_qbo_defaults_come_from_intuits_discovery_document(store):
    db, settings = store
    shown = await set_source(db, settings, code="1004", client_id="ABcd123", client_secret=SECRET)
    assert shown == {**shown, "code": "1004", "system": "QuickBooks Online", "client_id": "ABcd123",
                     "environment": "production",
                     "authorize_url": "https://appcenter.intuit.com/connect/oauth2",
                     "token_url": "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
                     "revoke_url": "https://developer.api.intuit.com/v2/oauth2/tokens/revoke",
                     "api_base": "https://quickbooks.api.intuit.com", "scope": "com.intuit.quickbooks.accounting",
                     "redirect_uri": "http://127.0.0.1:18091/1004/callback", "configured": True}
    assert SECRET not in json.dumps(shown)
    sandbox = await set_source(db, settings, code="1004", client_id="ABcd123", client_secret=SECRET,
                               environment="sandbox")
    assert sandbox["api_base"] == "https://sandbox-quickbooks.api.intuit.com"
    reg = await registry.get_registration(db, settings, "1004")
    assert reg.client_secret == SECRET and reg.token_endpoint_auth_method == "client_secret_basic"
    assert SECRET not in repr(reg)


async def test_sage_defaults_and_client_authentication_in_the_body(store):
    db, settings = store
    shown = await set_source(db, settings, code="1009", client_id="sage-id", client_secret=SECRET)
    assert shown["authorize_url"] == "https://www.sageone.com/oauth2/auth/central?filter=apiv3.1"
    assert shown["token_url"] == "https://oauth.accounting.sage.com/token"
    assert shown["api_base"] == "https://api.accounting.sage.com/v3.1" and shown["revoke_url"] is None
    assert shown["environment"] is None and shown["scope"] == "full_access"
    assert source_defaults("1009").token_endpoint_auth_method == "client_secret_post"
    url = URL(oauth.authorization_url(await registry.get_registration(db, settings, "1009"), state="st-1",
                                      scope=["full_access"]))
    assert str(url.with_query(None)) == "https://www.sageone.com/oauth2/auth/central"
    assert dict(url.query) == {"filter": "apiv3.1", "response_type": "code", "client_id": "sage-id",
                               "redirect_uri": "http://127.0.0.1:18091/1009/callback", "scope": "full_access",
                               "state": "st-1"}
    with pytest.raises(ValueError, match="no environments"):
        await set_source(db, settings, code="1009", client_id="sage-id", client_secret=SECRET,
                         environment="sandbox")


async def test_overrides_apply_until_the_next_set(store):
    db, settings = store
    shown = await set_source(db, settings, code="1004", client_id="a", client_secret=SECRET,
                             authorize_url="http://127.0.0.1:9999/authorize",
                             token_url="http://localhost:9999/token", api_base="http://127.0.0.1:9999/")
    assert shown["authorize_url"] == "http://127.0.0.1:9999/authorize"
    assert shown["api_base"] == "http://127.0.0.1:9999"
    shown = await set_source(db, settings, code="1004", client_id="b", client_secret="other-secret")
    assert shown["authorize_url"] == "https://appcenter.intuit.com/connect/oauth2" and shown["client_id"] == "b"
    assert len(await list_sources(db, settings)) == 1


@pytest.mark.parametrize("kwargs, message", [
    ({"code": "1000"}, "signs users in at the gateway"),
    ({"code": "9999"}, "not a source code"),
    ({"client_id": " "}, "client_id must not be empty"),
    ({"client_secret": ""}, "client_secret must not be empty"),
    ({"client_id": "has space"}, "without spaces"),
    ({"environment": "staging"}, "sandbox, production"),
    ({"token_url": "http://oauth.example.com/token"}, "https URL"),
    ({"api_base": "ftp://127.0.0.1/"}, "https URL"),
    ({"code": "1001"}, "signs users in at the gateway"),  # Sage 50: pairing at the gateway, no developer app
])
async def test_bad_registrations_are_refused_with_a_message(store, kwargs, message):
    db, settings = store
    args = {"code": "1004", "client_id": "id", "client_secret": SECRET, **kwargs}
    with pytest.raises(ValueError, match=message):
        await set_source(db, settings, **args)
    assert await list_sources(db, settings) == []


async def test_a_source_without_defaults_needs_its_urls(store, monkeypatch):
    db, settings = store
    monkeypatch.delitem(adapter_registry.ADAPTERS, "1001")  # a build without that source's adapter
    with pytest.raises(ValueError, match="authorize_url is required"):
        await set_source(db, settings, code="1001", client_id="id", client_secret=SECRET)


async def test_a_source_without_defaults_takes_every_url(store, monkeypatch):
    db, settings = store
    monkeypatch.delitem(adapter_registry.ADAPTERS, "1001")  # a build without that source's adapter
    shown = await set_source(
        db, settings, code="1001", client_id="id", client_secret=SECRET,
        authorize_url="https://connector.example.com/authorize", token_url="https://connector.example.com/token",
        api_base="https://connector.example.com/agent/v1")
    assert shown["scope"] == "" and shown["api_base"] == "https://connector.example.com/agent/v1"


async def test_secret_is_sealed_at_rest_and_never_listed(store, monkeypatch):
    db, settings = store
    monkeypatch.delitem(adapter_registry.ADAPTERS, "1009", raising=False)
    await set_source(db, settings, code="1004", client_id="qbo", client_secret=SECRET)
    await set_source(db, settings, code="1009", client_id="sage", client_secret=SECRET + "2")
    async with db.session() as s:
        rows = (await s.scalars(select(UpstreamSource))).all()
    assert all(SECRET not in r.client_secret_sealed for r in rows)
    listed = await list_sources(db, settings)
    assert [(r["code"], r["configured"]) for r in listed] == [("1004", True), ("1009", False)]
    assert SECRET not in json.dumps(listed)


async def test_source_with_adapter_but_no_registration_answers_503_naming_the_command(env):
    response = await env.client.get("/1009/api.xro/2.0/Organisation", headers={"Accept": "application/json"})
    body = await response.json()
    assert response.status == 503
    assert "xero-gateway sources set 1009" in body["Message"] and "Sage Business Cloud Accounting" in body["Message"]
    await env.register("1009", auth_method="post")
    response = await env.client.get("/1009/api.xro/2.0/Organisation", headers={"Accept": "application/json"})
    assert response.status == 401  # configured now: the guard answers


def test_cli_sources_set_and_list(tmp_path, capsys):
    data_dir = str(tmp_path / "cli")
    assert cli_main(["sources", "set", "1004", "--client-id", "cli-id", "--client-secret", SECRET,
                     "--environment", "sandbox", "--data-dir", data_dir]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["api_base"] == "https://sandbox-quickbooks.api.intuit.com" and shown["client_id"] == "cli-id"
    assert cli_main(["sources", "list", "--data-dir", data_dir]) == 0
    out = capsys.readouterr().out
    assert [s["code"] for s in json.loads(out)] == ["1004"] and SECRET not in out
    assert cli_main(["sources", "set", "1004", "--client-id", "x", "--client-secret", "y",
                     "--token-url", "http://remote.example.com/t", "--data-dir", data_dir]) == 2
    assert "https URL" in capsys.readouterr().err
