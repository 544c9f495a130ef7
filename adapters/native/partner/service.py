"""The native ledger's Partner Bookkeeping API services, in one object the HTTP layer calls (issue 16).

:class:`PartnerLedger` wraps the started native adapter (source 1000): it reads the ledger's tables for lists and
reports (:mod:`.reads`, :mod:`.reports`), posts intents through the adapter's Xero operations (:mod:`.postings`),
and keeps the partner API's OAuth rows (:mod:`.oauth_store`). It knows nothing of HTTP or Authlib
(``adapters/native/partner/web`` does).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from adapters.base import LedgerUser
from gateway.xero.request import RequestContext

from . import reads, reports, roles
from .errors import PartnerError
from .oauth_store import OAuthStore
from .postings import Poster
from .reads import ListParams, Page

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from ..adapter import NativeLedgerAdapter

#: The native ledger's source code: the partner API serves its books.
CODE = "1000"


def serves(adapter: object) -> bool:
    """Whether ``adapter`` is the native ledger, whose books the partner API serves (tests may put another
    adapter under source 1000)."""
    from ..adapter import NativeLedgerAdapter  # noqa: PLC0415 - the adapter module is heavy; asked once at start-up

    return isinstance(adapter, NativeLedgerAdapter)


class PartnerLedger:
    """The partner API's view of the native ledger.

    Args:
        adapter: the native adapter, started (its database open and migrated, the partner API's tables included:
            :meth:`adapters.native.adapter.NativeLedgerAdapter.startup`).
    """

    def __init__(self, adapter: NativeLedgerAdapter) -> None:
        self.adapter = adapter
        self.oauth = OAuthStore(self._session, now=adapter.clock)
        self.poster = Poster(adapter)

    def _session(self) -> AsyncSession:
        return self.adapter._session()  # noqa: SLF001 - the partner API is the native ledger's own second face

    # Users -----------------------------------------------------------------------------------------------------

    async def consenting_user(self, email: str, password: str) -> LedgerUser:
        """The user who signs in on the consent page, when an owner or admin of the firm.

        Raises:
            PartnerError: ``invalid_request`` (wrong e-mail or password), ``forbidden`` (a member).
        """
        user = await self.adapter.authenticate_user(email, password)
        if user is None:
            raise PartnerError("invalid_request", "Wrong e-mail address or password")
        async with self._session() as session:
            role = await roles.role_of(session, user.user_id)
        if role not in roles.CONSENTING_ROLES:
            raise PartnerError("forbidden", "Only an owner or admin of the firm may connect an app")
        return user

    async def set_role(self, user_id: str, role: str) -> None:
        """Give a user a firm role (``owner``/``admin``/``member``). Raises ``ValueError``."""
        async with self._session() as session, session.begin():
            await roles.set_role(session, user_id, role)

    # Reads -----------------------------------------------------------------------------------------------------

    async def companies(self, user_id: str, params: ListParams) -> Page:
        async with self._session() as session:
            return await reads.list_companies(session, user_id, params)

    async def company(self, user_id: str, company_id: str) -> dict[str, Any]:
        async with self._session() as session:
            return reads.company_json(await reads.company_of(session, user_id, company_id))

    async def check_company(self, user_id: str, company_id: str) -> None:
        """Raises ``PartnerError('not_found')`` unless ``user_id`` may reach ``company_id``."""
        async with self._session() as session:
            await reads.company_of(session, user_id, company_id)

    async def accounts(self, company_id: str, params: ListParams) -> Page:
        async with self._session() as session:
            return await reads.list_accounts(session, company_id, params)

    async def bank_accounts(self, company_id: str, params: ListParams) -> Page:
        async with self._session() as session:
            return await reads.list_accounts(session, company_id, params, bank_only=True)

    async def journal_entries(self, company_id: str, params: ListParams) -> Page:
        async with self._session() as session:
            return await reads.list_journal_entries(session, company_id, params)

    async def journal_lines(self, company_id: str, params: ListParams, *, account_id: str | None) -> Page:
        async with self._session() as session:
            return await reads.list_journal_lines(session, company_id, params, account_id=account_id)

    async def bank_transactions(self, company_id: str, params: ListParams, *, bank_account_id: str | None) -> Page:
        async with self._session() as session:
            return await reads.list_bank_transactions(session, company_id, params, bank_account_id=bank_account_id)

    async def reconciliations(self, company_id: str, params: ListParams, *, bank_account_id: str | None) -> Page:
        async with self._session() as session:
            return await reads.list_bank_transactions(session, company_id, params, bank_account_id=bank_account_id,
                                                      reconciled_only=True)

    async def report(self, name: str, user_id: str, company_id: str, *, from_date: dt.date | None = None,
                     to_date: dt.date | None = None, as_of: dt.date | None = None,
                     account_id: str | None = None) -> dict[str, Any]:
        """One of the four reports (:mod:`.reports`). Periods default to the current month; ``asOf`` to today.

        Raises:
            PartnerError: ``invalid_request`` when ``fromDate`` is after ``toDate``; ``not_found``.
        """
        today = self.adapter.clock().date()
        end = to_date or today
        start = from_date or end.replace(day=1)
        if start > end:
            raise PartnerError("invalid_request", "'fromDate' must not be after 'toDate'")
        async with self._session() as session:
            company = await reads.company_of(session, user_id, company_id)
            if name == "profit-and-loss":
                return await reports.profit_and_loss(session, company, from_date=start, to_date_=end)
            if name == "balance-sheet":
                return await reports.balance_sheet(session, company, as_of=as_of or today)
            if name == "trial-balance":
                return await reports.trial_balance(session, company, as_of=as_of or today)
            return await reports.general_ledger(session, company, from_date=start, to_date_=end,
                                                account_id=account_id)

    # Postings --------------------------------------------------------------------------------------------------

    async def post(self, intent: str, *, client_id: str, app_name: str, user_id: str, company_id: str,
                   key: str | None, body: dict[str, Any]) -> dict[str, Any]:
        """Post an intent (:mod:`.intents`) for a company the user may reach; its receipt (:mod:`.postings`).

        Raises:
            PartnerError: see :meth:`.postings.Poster.post`; ``not_found`` for an unreachable company.
        """
        await self.check_company(user_id, company_id)
        ctx = RequestContext(source_code=CODE, tenant_id=company_id, client_id=f"partner:{client_id}",
                             app_name=app_name, user_id=user_id, scopes=frozenset())
        return await self.poster.post(intent, ctx=ctx, key=key, body=body)
