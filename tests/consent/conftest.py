"""Fixtures of the consent and second-factor tests: one real gateway for the package with the real native ledger (demo
company and demo user), driven over HTTP like tests/identity (:class:`tests.identity.helpers.Gateway`); each test
starts with an empty cookie jar (signed out)."""

from __future__ import annotations

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from gateway.appkeys import IDENTITY
from tests.identity.conftest import make_app, signing_pem  # noqa: F401  (session-scoped key fixture)
from tests.identity.helpers import Gateway

EMAIL = "demo@xero-gateway.local"  # the documented demo user (config/default.toml)
PASSWORD = "demo-ledger-password"  # noqa: S105


class NativeGateway(Gateway):
    """The helper signing in as the native ledger's demo user."""

    async def sign_in(self, location: str, *, email: str = EMAIL, password: str = PASSWORD):
        return await super().sign_in(location, email=email, password=password)


@pytest.fixture(scope="package")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("consent") / "data"


@pytest_asyncio.fixture(scope="package", loop_scope="package")
async def client(data_dir, signing_pem):  # noqa: F811
    async with TestClient(TestServer(make_app(data_dir, signing_pem), host="127.0.0.1")) as test_client:
        yield test_client


@pytest_asyncio.fixture(loop_scope="package")
async def gw(client) -> NativeGateway:
    client.session.cookie_jar.clear()
    return NativeGateway(client=client, state=client.app[IDENTITY])
