"""Xero calls on a remote ledger's Partner Bookkeeping API (issue 16, part two).

Users authorise the gateway at the remote ledger's OAuth server (``sign_in = "upstream"``, :mod:`gateway.upstream`);
one consent covers every company the consenting firm user may reach (``GET /companies``), each a Xero tenant whose
tenant key is the ``companyId``.

Served (Xero → partner): ``getOrganisations`` (``GET /companies/{id}``), ``getAccounts`` (``…/accounts``),
``getBankTransactions`` (``…/bank-transactions``), ``createBankTransactions`` (SPEND → ``POST …/purchases``, RECEIVE →
``POST …/deposits``), ``createBankTransfer`` (``POST …/transfers``), ``createManualJournals`` (POSTED only, ``POST
…/journal-entries``), ``createPayment`` (on a bill: ``POST …/bill-payments``), ``getJournals`` (``…/journal-entries``,
``offset`` = the last ``JournalNumber`` seen, 100 per call as Xero pages them), and the ProfitAndLoss,
BalanceSheet and TrialBalance reports (:mod:`.reports`, from the remote's trial balances). Everything else answers
Xero's 501: the partner API has no invoices, contacts, updates or deletes in its first version.

Every posting carries an ``Idempotency-Key``: the Xero request's own (``{key}:{element index}``), else a fresh one
per element, so the client's transport retries never post twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any, ClassVar

from adapters.base import SourceAdapter, Tenant, UpstreamCredentials, UpstreamToken, upstream_tenant
from adapters.common.http import FixedAuth, TenantAuth
from adapters.common.reports import statements
from gateway.xero import models as xm
from gateway.xero.errors import ValidationException
from gateway.xero.models import documents as xd
from gateway.xero.models.core import InvoiceRef
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import reports, translate
from .client import PartnerClient
from .errors import SYSTEM_NAME

#: Journals per ``getJournals`` call (Xero: "returns a maximum of 100 journals per call").
JOURNALS_PER_CALL = 100


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

    async def _post(self, auth: TenantAuth, path: str, body: dict[str, Any], req: XeroRequest,
                    index: int) -> dict[str, Any]:
        key = f"{req.idempotency_key}:{index}" if req.idempotency_key else str(uuid.uuid4())
        return await self.client.post(auth, path, body, key=key)

    # Reads --------------------------------------------------------------------------------------------------------

    async def get_organisations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        auth, company = await self._company(ctx)
        return Result(items=[translate.organisation(await self.client.get(auth, company), tenant_id=ctx.tenant_id)])

    async def get_accounts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        auth, company = await self._company(ctx)
        return Result(items=[translate.account(row) for row in await self.client.list_all(auth, f"{company}/accounts")])

    async def get_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        auth, company = await self._company(ctx)
        rows = await self.client.list_all(auth, f"{company}/bank-transactions")
        return Result(items=[translate.bank_transaction(row) for row in rows])

    async def get_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        auth, company = await self._company(ctx)
        offset = int(req.params.get("offset", "0") or 0) if str(req.params.get("offset", "0")).isdigit() else 0
        entries = [e for e in await self.client.list_all(auth, f"{company}/journal-entries") if e["number"] > offset]
        return Result(items=[translate.journal(entry) for entry in entries[:JOURNALS_PER_CALL]])

    # Writes -------------------------------------------------------------------------------------------------------

    async def create_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """SPEND → purchase, RECEIVE → deposit; every element is translated (and refused) before any is posted."""
        auth, company = await self._company(ctx)
        bodies = [translate.purchase_or_deposit(element) for element in req.elements]
        made = []
        for index, (path, body) in enumerate(bodies):
            receipt = await self._post(auth, f"{company}/{path}", body, req, index)
            made.append(receipt["documentId"])
        rows = {row["id"]: row for row in await self.client.list_all(auth, f"{company}/bank-transactions")}
        return Result(items=[translate.bank_transaction(rows[tx_id]) for tx_id in made if tx_id in rows])

    async def create_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        auth, company = await self._company(ctx)
        bodies = [translate.journal_entry(element) for element in req.elements]
        items = []
        for index, (element, body) in enumerate(zip(req.elements, bodies, strict=True)):
            receipt = await self._post(auth, f"{company}/journal-entries", body, req, index)
            items.append(xd.ManualJournal(
                ManualJournalID=receipt["documentId"], Narration=body["memo"], Status="POSTED",
                Date=translate.day(body["date"]), LineAmountTypes=element.get("LineAmountTypes") or "NoTax",
                JournalLines=[xd.ManualJournalLine(LineAmount=translate.money(line["amountCents"]),
                                                   AccountID=line["accountId"], Description=line.get("description"))
                              for line in body["lines"]]))
        return Result(items=items)

    async def create_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        auth, company = await self._company(ctx)
        items = []
        for index, element in enumerate(req.elements):
            amount = element.get("Amount")
            if amount is None:
                raise ValidationException.single("Amount is required")
            body = {"fromBankAccountId": translate.account_ref_id(element.get("FromBankAccount"), "FromBankAccount"),
                    "toBankAccountId": translate.account_ref_id(element.get("ToBankAccount"), "ToBankAccount"),
                    "amountCents": translate.cents(amount, field="Amount"), "date": str(element.get("Date"))[:10]}
            receipt = await self._post(auth, f"{company}/transfers", body, req, index)
            out_id, in_id = (receipt["bankTransactionIds"] + [None, None])[:2]
            items.append(xd.BankTransfer(BankTransferID=receipt["documentId"],
                                         Amount=translate.money(body["amountCents"]),
                                         FromBankAccount=xm.AccountRef(AccountID=body["fromBankAccountId"]),
                                         ToBankAccount=xm.AccountRef(AccountID=body["toBankAccountId"]),
                                         Date=translate.day(body["date"]), FromBankTransactionID=out_id,
                                         ToBankTransactionID=in_id))
        return Result(items=items)

    async def create_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """A Payment on a bill → ``POST …/bill-payments`` (the remote refuses an invoice that is not a bill)."""
        auth, company = await self._company(ctx)
        bodies = [translate.bill_payment(element) for element in req.elements]
        items = []
        for index, body in enumerate(bodies):
            receipt = await self._post(auth, f"{company}/bill-payments", body, req, index)
            items.append(xd.Payment(PaymentID=receipt["documentId"], Invoice=InvoiceRef(InvoiceID=body["billId"]),
                                    Account=xm.AccountRef(AccountID=body["bankAccountId"]),
                                    Amount=translate.money(body["amountCents"]), Date=translate.day(body["date"]),
                                    Reference=body.get("reference"), Status="AUTHORISED",
                                    PaymentType="ACCPAYPAYMENT"))
        return Result(items=items)

    # Reports ------------------------------------------------------------------------------------------------------

    async def _statement(self, ctx: RequestContext, req: XeroRequest, build) -> Result:
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
