"""Local sign-in: argon2-hashed passwords, the demo user, users per tenant."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from adapters.native.demo import company as demo
from adapters.native.tables.core import User
from gateway.settings import NativeSettings

from .conftest import TENANT

DEMO = NativeSettings()


async def test_demo_user_signs_in(adapter) -> None:
    user = await adapter.authenticate_user(DEMO.demo_user_email.upper(), DEMO.demo_user_password)
    assert user is not None
    assert user.user_id == demo.DEMO_USER_ID and user.email == DEMO.demo_user_email
    assert user.tenant_ids == (TENANT,)
    assert await adapter.get_ledger_user(user.user_id) == user


async def test_wrong_password_or_unknown_user_is_none(adapter) -> None:
    assert await adapter.authenticate_user(DEMO.demo_user_email, "wrong password") is None
    assert await adapter.authenticate_user("nobody@example.com", DEMO.demo_user_password) is None
    assert await adapter.get_ledger_user("00000000-0000-0000-0000-000000000000") is None


async def test_passwords_are_stored_as_argon2_hashes(adapter) -> None:
    async with adapter.db.session() as session:
        hashes = list(await session.scalars(select(User.password_hash)))
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert all(DEMO.demo_user_password not in h for h in hashes)


async def test_create_user(adapter) -> None:
    user = await adapter.create_user(email="Ann@Example.com", password="s3cret!", tenant_ids=[TENANT],
                                     given_name="Ann", family_name="Lee")
    assert (user.email, user.given_name, user.tenant_ids) == ("ann@example.com", "Ann", (TENANT,))
    assert await adapter.authenticate_user("ann@example.com", "s3cret!") == user
    with pytest.raises(ValueError, match="already exists"):
        await adapter.create_user(email="ann@example.com", password="x", tenant_ids=[TENANT])
    with pytest.raises(ValueError, match="unknown tenant"):
        await adapter.create_user(email="bob@example.com", password="x", tenant_ids=["no-such-tenant"])
    with pytest.raises(ValueError):
        await adapter.create_user(email="carol@example.com", password="", tenant_ids=[TENANT])


async def test_list_tenants(adapter) -> None:
    (tenant,) = await adapter.list_tenants()
    assert (tenant.tenant_id, tenant.name, tenant.tenant_type) == (TENANT, "Demo Company (UK)", "ORGANISATION")


async def test_sign_in_does_not_wait_for_the_write_lock(adapter) -> None:
    """The hash is checked outside the ledger's write transactions (issue 11, item 2): a sign-in completes while a
    write of the tenant holds its turn and the database's write lock, wrong or right password alike."""
    import asyncio

    async with adapter._tenant_queues.turn(TENANT), adapter.db.write_session():  # a long write in progress
        right = await asyncio.wait_for(adapter.authenticate_user(DEMO.demo_user_email, DEMO.demo_user_password), 10)
        wrong = await asyncio.wait_for(adapter.authenticate_user(DEMO.demo_user_email, "wrong"), 10)
    assert right is not None and wrong is None


async def test_sign_in_rehashes_an_outdated_hash(adapter) -> None:
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=1, memory_cost=8192).hash(DEMO.demo_user_password)
    async with adapter.db.session() as session, session.begin():
        (await session.get(User, demo.DEMO_USER_ID)).password_hash = old
    assert await adapter.authenticate_user(DEMO.demo_user_email, DEMO.demo_user_password) is not None
    async with adapter.db.session() as session:
        stored = (await session.get(User, demo.DEMO_USER_ID)).password_hash
    assert stored != old and stored.startswith("$argon2id$")
