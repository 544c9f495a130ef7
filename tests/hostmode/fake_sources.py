"""A second local-sign-in source for host mode's tests, with its own user and tenant (the first is
tests/identity/fake_adapter.py under code 1000)."""

from __future__ import annotations

from adapters.base import LedgerUser, SourceAdapter, Tenant

TENANT_C = "7c1f2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
USER_ID = "0b9a8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"
EMAIL = "bob@example.test"
PASSWORD = "another correct horse"  # noqa: S105 - a test user's password


class SecondFakeAdapter(SourceAdapter):
    """One user (``EMAIL``/``PASSWORD``) who may grant ``TENANT_C``."""

    system_name = "Second fake ledger"
    sign_in = "local"

    async def list_tenants(self) -> list[Tenant]:
        return [Tenant(TENANT_C, "Charlie Books")]

    def _user(self) -> LedgerUser:
        return LedgerUser(user_id=USER_ID, email=EMAIL, given_name="Bob", family_name="Second", tenant_ids=(TENANT_C,))

    async def authenticate_user(self, email: str, password: str) -> LedgerUser | None:
        return self._user() if email.lower() == EMAIL and password == PASSWORD else None

    async def get_ledger_user(self, user_id: str) -> LedgerUser | None:
        return self._user() if user_id == USER_ID else None
