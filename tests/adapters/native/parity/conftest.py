"""One app for each test module of this folder: the real app on a private copy of the seeded demo ledger, the
identity guard replaced (the pattern of :mod:`tests.runtime.test_bad_bodies`), every JSON answer validated against
Xero's spec by :class:`tests.adapters.native.workflow.conftest.Api`.

Tests of a module share the module's ledger: each one writes its own records and reads only those.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from adapters.native.demo import company as demo
from gateway.app import create_app
from gateway.xero.errors import Forbidden, Unauthorized
from gateway.xero.request import RequestContext
from tests.adapters.native.core.conftest import TENANT, seeded_dir, settings_for  # noqa: F401  (session fixture)
from tests.adapters.native.workflow.conftest import APP_NAME, TOKEN, Api
from tests.xero_spec import xero_spec  # noqa: F401  (the session fixture)


@pytest.fixture(scope="module")
def parity_dir(seeded_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    """A module-private copy of the seeded demo ledger's data directory."""
    data_dir = tmp_path_factory.mktemp("parity")
    for file in seeded_dir.iterdir():
        if file.name.startswith("ledger.db"):
            shutil.copy(file, data_dir / file.name)
    return data_dir


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def client(parity_dir: Path) -> AsyncIterator[TestClient]:
    """The real app whose source 1000 is the native ledger on :func:`parity_dir`."""
    data_dir = parity_dir

    async def guard(request, code, *, scopes, path, tenant_required=True) -> RequestContext:
        if request.headers.get("Authorization", "") != f"Bearer {TOKEN}":
            raise Unauthorized("AuthenticationUnsuccessful")
        if tenant_required and request.headers.get("xero-tenant-id", "").lower() != TENANT:
            raise Forbidden("AuthenticationUnsuccessful")
        return RequestContext(source_code=code, tenant_id=TENANT, client_id="parity-client", app_name=APP_NAME,
                              user_id=demo.DEMO_USER_ID, scopes=frozenset(scopes))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("gateway.api.handler.authenticate_api_call", guard)
        settings = settings_for(data_dir)
        limits = settings.rate_limits.model_copy(update={"tenant_per_minute": 100_000, "tenant_per_day": 1_000_000})
        app = create_app(settings.model_copy(update={"rate_limits": limits}))
        async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
            yield test_client


@pytest.fixture(scope="module")
def api(client: TestClient, xero_spec) -> Api:  # noqa: F811
    """Spec-validated calls to ``/1000/api.xro/2.0``."""
    return Api(client, xero_spec)
