"""A minimal source adapter for the identity tests: one user with access to two tenants (sign-in ``local``), and an
``upstream`` variant for the not-yet-supported delegated sign-in."""

from __future__ import annotations

from adapters.base import LedgerUser, SourceAdapter, Tenant

TENANT_A = "0f3e5a1c-8c9b-4d3e-9a47-2b1f6c7d8e90"
TENANT_B = "5b2d9e44-1a6f-4c8b-b3d2-7e9f0a1b2c3d"
OTHER_TENANT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"  # served by the source, not granted to the user
USER_ID = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"
EMAIL = "alice@example.test"
PASSWORD = "correct horse battery staple"


class FakeAdapter(SourceAdapter):
    """One user (``EMAIL``/``PASSWORD``) who may grant ``TENANT_A`` and ``TENANT_B``."""

    system_name = "Fake ledger"
    sign_in = "local"

    async def list_tenants(self) -> list[Tenant]:
        return [Tenant(TENANT_A.upper(), "Alpha <Trading> & Co"), Tenant(TENANT_B, "Beta Ltd"),
                Tenant(OTHER_TENANT, "Gamma (not Alice's)")]

    def _user(self) -> LedgerUser:
        return LedgerUser(user_id=USER_ID, email=EMAIL, given_name="Alice", family_name="Example",
                          tenant_ids=(TENANT_A, TENANT_B))

    async def authenticate_user(self, email: str, password: str) -> LedgerUser | None:
        if email.lower() == EMAIL and password == PASSWORD:
            return self._user()
        return None

    async def get_ledger_user(self, user_id: str) -> LedgerUser | None:
        return self._user() if user_id == USER_ID else None


class UpstreamFakeAdapter(FakeAdapter):
    """A source whose users would sign in at the source system itself (QBO, Sage)."""

    system_name = "Fake upstream ledger"
    sign_in = "upstream"
