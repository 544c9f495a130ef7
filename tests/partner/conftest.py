"""One native stack for the whole package, with the demo firm user connected to the partner API with every scope."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from gateway import appkeys
from tests.support import native

from .connect import Connection, connect
from .spec import PartnerCaller


@pytest_asyncio.fixture(scope="package", loop_scope="package")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[native.NativeStack]:
    started = await native.start(data_dir=tmp_path_factory.mktemp("partner"), app_name="Partner Tests")
    try:
        yield started
    finally:
        await native.stop(started)


def demo_credentials(stack: native.NativeStack) -> tuple[str, str]:
    settings = stack.gateway.app[appkeys.SETTINGS].native
    return settings.demo_user_email, settings.demo_user_password


@pytest_asyncio.fixture(scope="package", loop_scope="package")
async def partner(stack: native.NativeStack) -> Connection:
    email, password = demo_credentials(stack)
    return await connect(stack.gateway, email=email, password=password)


@pytest_asyncio.fixture(scope="package", loop_scope="package")
async def api(stack: native.NativeStack, partner: Connection) -> PartnerCaller:
    return PartnerCaller(stack.gateway, partner.access_token)


def xero_headers(stack: native.NativeStack) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.access_token}", "xero-tenant-id": stack.tenant_id,
            "Accept": "application/json"}
