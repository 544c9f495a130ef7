"""Xero calls on a remote ledger's Partner Bookkeeping API: source 1010 (issue 16, part two; docs/partner-api.md).

Users authorise the gateway at the remote ledger's OAuth server (``sign_in = "upstream"``, :mod:`gateway.upstream`,
as a confidential client the operator registered there by RFC 7591); one consent covers every company the consenting
firm user may reach (``GET /companies``), each a Xero tenant whose tenant key is the ``companyId``.

Served (Xero → partner): ``getOrganisations`` (``GET /companies/{id}``), ``getAccounts``/``getAccount``
(``…/accounts``), ``getBankTransactions``/``getBankTransaction`` (``…/bank-transactions``; Xero's ``where``,
``order``, ``IDs``, ``If-Modified-Since`` and ``page`` applied in the gateway), ``getJournals``/``getJournal``/
``getJournalByNumber`` (``…/journal-entries``, ``offset`` = the last ``JournalNumber`` seen, 100 per call as Xero
pages them), ManualJournals, Payments (on bills) and BankTransfers derived from the journal entries and bank
transactions the remote lists (:mod:`.translate.derived`), the writes of
:mod:`.writes` (``createBankTransactions``, ``createBankTransfer``, ``createManualJournals``, ``createPayment``,
``createPayments``), and
the ProfitAndLoss, BalanceSheet and TrialBalance reports (:mod:`.reports`, from the remote's trial balances).
Everything else answers Xero's 501: the partner API has no invoices, contacts, tax rates, updates or deletes in its
first version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar

from adapters.base import SourceAdapter, Tenant, UpstreamCredentials, UpstreamToken, upstream_tenant
from adapters.common import listing
from adapters.common.http import FixedAuth, TenantAuth
from adapters.common.reports import statements
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.models import documents as xd
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import reports, translate
from .client import PartnerClient
from .errors import SYSTEM_NAME
from .translate import derived
from .writes import PartnerWrites

#: Journals per ``getJournals`` call (Xero: "returns a maximum of 100 journals per call").
JOURNALS_PER_CALL = 100


def _one(rows: list[dict[str, Any]], wanted: str | None) -> dict[str, Any]:
    """The row whose ``id`` is ``wanted`` (GUIDs compared case-insensitively, as Xero's are).

    Raises:
        NotFound: no such row (Xero's 404).
    """
    key = (wanted or "").lower()
    row = next((r for r in rows if str(r["id"]).lower() == key), None)
    if row is None:
        raise NotFound()
    return row


def _one_model(models: list[Any], id_field: str, wanted: str | None) -> Any:
    """The model whose ``id_field`` is ``wanted`` (case-insensitively).

    Raises:
        NotFound: no such model (Xero's 404).
    """
    key = (wanted or "").lower()
    found = next((m for m in models if str(getattr(m, id_field)).lower() == key), None)
    if found is None:
        raise NotFound()
    return found


def _listed(models: list[Any], req: XeroRequest, *, id_field: str) -> Result:
    """Xero's ``where``, ``order``, ``IDs`` (matched on ``id_field``), ``If-Modified-Since`` and ``page`` over every
    translated row, in the gateway (the partner API filters by ``updatedSince`` only;
    :func:`adapters.common.listing.finish`)."""
    query = req.query
    ids = {i.lower() for i in query.ids}

    def keep(model: Any) -> bool:
        if ids and str(getattr(model, id_field, "")).lower() not in ids:
            return False
        updated = getattr(model, "UpdatedDateUTC", None)
        return query.if_modified_since is None or (updated is not None and updated > query.if_modified_since)

    listed = listing.finish(models, query, residual=query.where, sort=query.order, keep=keep)
    return Result(items=listed.items, pagination=listed.pagination)


class PartnerLedgerAdapter(SourceAdapter):
    """The adapter (module docstring)."""

    system_name: ClassVar[str] = SYSTEM_NAME
    sign_in: ClassVar[str] = "upstream"

    client: PartnerClient

    async def startup(self) -> None:
        """Open the HTTP session."""
        self.client = PartnerClient(code=self.code, system=SYSTEM_NAME, credentials=self.credentials,
                                    user_agent="xero-gateway partner-adapter")
        await self.client.start()

    async def shutdown(self) -> None:
        await self.client.close()

    async def list_tenants(self) -> list[Tenant]:
        return await self.credentials.tenants(self.code)

    async def tenants_for_authorization(self, token: UpstreamToken, callback_params: Mapping[str, str]) -> list[Tenant]:
        """One tenant per company of ``GET /companies`` under the fresh token."""
        creds = UpstreamCredentials(code=self.code, tenant_id="", tenant_key="", access_token=token.access_token,
                                    token_type=token.token_type, api_base=token.api_base,
                                    expires_at=token.expires_at, authorization_id="")
        companies = await self.client.list_all(FixedAuth(creds, SYSTEM_NAME), "/companies")
        return [upstream_tenant(self.code, company["id"], company["name"]) for company in companies]

    # Helpers ----------------------------------------------------------------------------------------------------

    async def _company(self, ctx: RequestContext) -> tuple[TenantAuth, str]:
        auth = self.client.auth(ctx.tenant_id)
        return auth, PartnerClient.company_path((await auth.current()).tenant_key)

    # Reads --------------------------------------------------------------------------------------------------------

    async def get_organisations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        auth, company = await self._company(ctx)
        return Result(items=[translate.organisation(await self.client.get(auth, company), tenant_id=ctx.tenant_id)])

    async def get_accounts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        auth, company = await self._company(ctx)
        rows = await self.client.list_all(auth, f"{company}/accounts")
        return _listed([translate.account(row) for row in rows], req, id_field="AccountID")

    async def get_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts/{AccountID}``: the partner API has no single account read, so the list is searched."""
        auth, company = await self._company(ctx)
        rows = await self.client.list_all(auth, f"{company}/accounts")
        return Result(items=[translate.account(_one(rows, req.path_params.get("AccountID")))])

    async def get_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        auth, company = await self._company(ctx)
        rows = await self.client.list_all(auth, f"{company}/bank-transactions")
        return _listed([translate.bank_transaction(row) for row in rows], req, id_field="BankTransactionID")

    async def get_bank_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions/{BankTransactionID}`` from the list (the partner API has no single read)."""
        auth, company = await self._company(ctx)
        rows = await self.client.list_all(auth, f"{company}/bank-transactions")
        return Result(items=[translate.bank_transaction(_one(rows, req.path_params.get("BankTransactionID")))])

    async def get_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Journals/{JournalID}`` from ``…/journal-entries`` (the partner API has no single read)."""
        auth, company = await self._company(ctx)
        rows = await self.client.list_all(auth, f"{company}/journal-entries")
        return Result(items=[translate.journal(_one(rows, req.path_params.get("JournalID")))])

    async def get_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        auth, company = await self._company(ctx)
        offset = int(req.params.get("offset", "0") or 0) if str(req.params.get("offset", "0")).isdigit() else 0
        entries = [e for e in await self.client.list_all(auth, f"{company}/journal-entries") if e["number"] > offset]
        return Result(items=[translate.journal(entry) for entry in entries[:JOURNALS_PER_CALL]])

    async def get_journal_by_number(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Journals/{JournalNumber}``: the entry whose ``number`` it is. Raises ``NotFound``."""
        raw = str(req.path_params.get("JournalNumber", "")).strip()
        if not raw.isdigit():
            raise NotFound()
        auth, company = await self._company(ctx)
        entries = await self.client.list_all(auth, f"{company}/journal-entries")
        entry = next((e for e in entries if e["number"] == int(raw)), None)
        if entry is None:
            raise NotFound()
        return Result(items=[translate.journal(entry)])

    # Derived documents (:mod:`.translate.derived`) ----------------------------------------------------------------

    async def _manual_journals(self, ctx: RequestContext) -> list[xd.ManualJournal]:
        auth, company = await self._company(ctx)
        entries = await self.client.list_all(auth, f"{company}/journal-entries")
        return [derived.manual_journal(e) for e in derived.live_entries(entries, "journal_entry")]

    async def get_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals``: the remote's ``journal_entry`` entries (Xero's filters in the gateway)."""
        return _listed(await self._manual_journals(ctx), req, id_field="ManualJournalID")

    async def get_manual_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return Result(items=[_one_model(await self._manual_journals(ctx), "ManualJournalID",
                                        req.path_params.get("ManualJournalID"))])

    async def _payments(self, ctx: RequestContext) -> list[xd.Payment]:
        auth, company = await self._company(ctx)
        banks = {a["id"] for a in await self.client.list_all(auth, f"{company}/accounts") if a.get("isBankAccount")}
        entries = await self.client.list_all(auth, f"{company}/journal-entries")
        return [derived.bill_payment(e, banks) for e in derived.live_entries(entries, "bill_payment")]

    async def get_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Payments``: the remote's ``bill_payment`` entries (the partner API pays bills only)."""
        return _listed(await self._payments(ctx), req, id_field="PaymentID")

    async def get_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return Result(items=[_one_model(await self._payments(ctx), "PaymentID", req.path_params.get("PaymentID"))])

    async def _bank_transfers(self, ctx: RequestContext) -> list[xd.BankTransfer]:
        auth, company = await self._company(ctx)
        return derived.bank_transfers(await self.client.list_all(auth, f"{company}/bank-transactions"))

    async def get_bank_transfers(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers``: pairs of ``transfer_out``/``transfer_in`` bank transactions."""
        return _listed(await self._bank_transfers(ctx), req, id_field="BankTransferID")

    async def get_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return Result(items=[_one_model(await self._bank_transfers(ctx), "BankTransferID",
                                        req.path_params.get("BankTransferID"))])

    # Writes (:mod:`.writes`) ----------------------------------------------------------------------------------------

    async def _writes(self, ctx: RequestContext, req: XeroRequest) -> PartnerWrites:
        auth, company = await self._company(ctx)
        return PartnerWrites(self.client, auth, company, req)

    async def create_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """SPEND → ``POST …/purchases``, RECEIVE → ``POST …/deposits``."""
        writes = await self._writes(ctx, req)
        return Result(items=await writes.run(xd.BankTransaction, translate.purchase_or_deposit,
                                             writes.bank_transaction))

    async def create_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """POSTED ManualJournals → ``POST …/journal-entries``."""
        writes = await self._writes(ctx, req)
        return Result(items=await writes.run(xd.ManualJournal,
                                             lambda e: ("journal-entries", translate.journal_entry(e)),
                                             writes.manual_journal))

    async def create_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """BankTransfers → ``POST …/transfers``."""
        writes = await self._writes(ctx, req)
        return Result(items=await writes.run(xd.BankTransfer, lambda e: ("transfers", translate.bank_transfer(e)),
                                             writes.bank_transfer))

    async def create_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """A Payment on a bill → ``POST …/bill-payments`` (the remote refuses an invoice that is not a bill)."""
        writes = await self._writes(ctx, req)
        return Result(items=await writes.run(xd.Payment, lambda e: ("bill-payments", translate.bill_payment(e)),
                                             writes.payment))

    async def create_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Payments``: each element on a bill → ``POST …/bill-payments``, as :meth:`create_payment`."""
        return await self.create_payment(ctx, req)

    # Reports ------------------------------------------------------------------------------------------------------

    async def _statement(self, ctx: RequestContext, req: XeroRequest, build) -> Result:
        params = req.parameters
        if params.boolean("paymentsOnly"):
            raise ValidationException.single("paymentsOnly=true (cash basis) is not available: the partner API's "
                                             "trial balance is on the accrual basis")
        for name in reports.UNSUPPORTED:
            if params.text(name):
                raise ValidationException.single(f"{name}: tracking is not available: the partner API's trial "
                                                 "balance carries no tracking")
        auth, company = await self._company(ctx)
        ledger = await reports.RemoteLedger.load(self.client, auth, company)
        now = dt.datetime.now(dt.UTC)
        return Result(items=[await build(ledger, reports.sections(), req.parameters, today=now.date(), now=now)])

    async def get_report_profit_and_loss(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/ProfitAndLoss`` from the remote's trial balances (:mod:`.reports`)."""
        return await self._statement(ctx, req, statements.profit_and_loss)

    async def get_report_balance_sheet(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._statement(ctx, req, statements.balance_sheet)

    async def get_report_trial_balance(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._statement(ctx, req, statements.trial_balance)
