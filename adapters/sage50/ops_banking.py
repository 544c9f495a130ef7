"""Payments, Prepayments, BankTransactions, BankTransfers and ManualJournals on Sage 50 (reads;
:mod:`adapters.sage50.translate.banking`, :mod:`adapters.sage50.translate.prepayments`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.models import Invoice as InvoiceRef  # the spec's Invoice as an Allocation names it
from gateway.xero.models.documents import Allocation, BankTransaction, BankTransfer, ManualJournal, Payment, Prepayment
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from . import listing
from .batch import run_elements
from .errors import AgentUnavailable
from .ops_base import OpsBase
from .translate import banking as tr
from .translate import history as hist
from .translate import prepayments as prepaid
from .translate import writes as w
from .translate.elements import Invalid
from .translate.elements import amount as el_amount
from .translate.elements import day as el_day
from .translate.elements import items as el_items
from .translate.elements import sub as el_sub
from .translate.elements import text as el_text
from .unit import number, text

_BY_DATE = [OrderTerm("Date")]


class BankingOps(OpsBase):
    async def get_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Payments``: allocated receipts and payments, one per paid document; ``where``, ``order``, paging,
        ``If-Modified-Since``."""
        books, headers = await self._books(ctx)
        page = listing.select([tr.payment(books, p) for p in tr.payment_pairs(books)], req.query,
                              default_order=_BY_DATE)
        return Result(items=page.items, pagination=page.pagination, headers=headers)

    async def get_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Payments/{PaymentID}``. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        wanted = req.path_params.get("PaymentID", "").lower()
        return self._one([p for p in (tr.payment(books, pair) for pair in tr.payment_pairs(books))
                          if p.PaymentID == wanted], headers)

    async def get_payment_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Payments/{PaymentID}/History`` ← its allocations' stamps. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        wanted = req.path_params.get("PaymentID", "").lower()
        pair = next((p for p in tr.payment_pairs(books) if books.guid("payment", p.key) == wanted), None)
        if pair is None:
            raise NotFound()
        return Result(items=hist.payment_history(books, pair.payer, pair.document, pair.amount), headers=headers)

    async def get_prepayment_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Prepayments/{PrepaymentID}/History`` ← the SA/PA's stamps and allocations. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        wanted = req.path_params.get("PrepaymentID", "").lower()
        header = next((h for h in prepaid.prepayment_headers(books)
                       if books.guid("prepayment", number(h.get("HEADER_NUMBER"))) == wanted), None)
        if header is None:
            raise NotFound()
        return Result(items=hist.prepayment_history(books, header), headers=headers)

    async def get_bank_transactions_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions/{BankTransactionID}/History`` ← the header's stamps. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        key = books.find(req.path_params.get("BankTransactionID", "").lower(), "header")
        header = books.headers.get(int(key)) if key else None
        if header is None or str(header.get("TYPE")) not in tr.SPEND + tr.RECEIVE:
            raise NotFound()
        subject = "Spend money" if str(header.get("TYPE")) in tr.SPEND else "Receive money"
        return Result(items=hist.posting_history(books, header, subject), headers=headers)

    async def get_bank_transfer_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers/{BankTransferID}/History`` ← its journal's stamps. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        wanted = req.path_params.get("BankTransferID", "").lower()
        if not any(t.BankTransferID == wanted for t in self._transfers(books)):
            raise NotFound()
        header = books.headers[int(books.find(wanted, "header") or -1)]
        return Result(items=hist.posting_history(books, header, "Bank transfer"), headers=headers)

    async def get_manual_journals_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals/{ManualJournalID}/History`` ← its journal's stamps. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        wanted = req.path_params.get("ManualJournalID", "").lower()
        if not any(j.ManualJournalID == wanted for j in self._journals(books)):
            raise NotFound()
        header = books.headers[int(books.find(wanted, "header") or -1)]
        return Result(items=hist.posting_history(books, header, "Manual journal"), headers=headers)

    async def get_prepayments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Prepayments`` ← the unallocated part of SA/PA receipts and payments on account: ``where``,
        ``order``, paging, ``If-Modified-Since``."""
        books, headers = await self._books(ctx)
        models = [prepaid.prepayment(books, h) for h in prepaid.prepayment_headers(books)]
        page = listing.select(models, req.query, default_order=_BY_DATE)
        return Result(items=page.items, pagination=page.pagination, headers=headers)

    async def get_prepayment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Prepayments/{PrepaymentID}``. Raises ``NotFound`` (also once it is allocated in full)."""
        books, headers = await self._books(ctx)
        wanted = req.path_params.get("PrepaymentID", "").lower()
        return self._one([p for p in (prepaid.prepayment(books, h) for h in prepaid.prepayment_headers(books))
                          if p.PrepaymentID == wanted], headers)

    async def get_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions`` ← BP/BR/CP/CR/VP/VR: ``where``, ``order``, paging, ``If-Modified-Since``."""
        books, headers = await self._books(ctx)
        models = [tr.bank_transaction(books, h) for h in books.headers_of(*tr.SPEND, *tr.RECEIVE)]
        page = listing.select(models, req.query, default_order=_BY_DATE)
        return Result(items=page.items, pagination=page.pagination, headers=headers)

    async def get_bank_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions/{BankTransactionID}``. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        key = books.find(req.path_params.get("BankTransactionID", ""), "header")
        header = books.headers.get(int(key)) if key else None
        if header is None or str(header.get("TYPE")) not in tr.SPEND + tr.RECEIVE:
            raise NotFound()
        return self._one([tr.bank_transaction(books, header)], headers)

    def _transfers(self, books):
        out = []
        for group in tr.journal_groups(books):
            parts = tr.transfer_of(books, group)
            if parts is not None:
                out.append(tr.bank_transfer(books, group, parts))
        return out

    async def get_bank_transfers(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers`` ← JC/JD pairs between two bank nominals: ``where``, ``order``."""
        books, headers = await self._books(ctx)
        page = listing.select(self._transfers(books), req.query, default_order=_BY_DATE)
        return Result(items=page.items, headers=headers)

    async def get_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers/{BankTransferID}``. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        wanted = req.path_params.get("BankTransferID", "").lower()
        return self._one([t for t in self._transfers(books) if t.BankTransferID == wanted], headers)

    def _journals(self, books):
        return [tr.manual_journal(books, g) for g in tr.journal_groups(books) if tr.transfer_of(books, g) is None]

    async def get_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals`` ← JD/JC groups that are not bank transfers: ``where``, ``order``, paging."""
        books, headers = await self._books(ctx)
        page = listing.select(self._journals(books), req.query, default_order=_BY_DATE)
        return Result(items=page.items, pagination=page.pagination, headers=headers)

    async def get_manual_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals/{ManualJournalID}``. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        wanted = req.path_params.get("ManualJournalID", "").lower()
        return self._one([j for j in self._journals(books) if j.ManualJournalID == wanted], headers)


RESUME = "resume"


class BankingWriteOps(OpsBase):
    async def create_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Payments``: a receipt (SA) or payment (PA) on account into the bank account, then
        ``AllocatePayment`` against the invoice's splits (sage50.md §5 [rec]). Raises ``ValidationException``
        (invoice, bank account, amount above what is outstanding, lock date)."""
        return await self._write_payments(ctx, req)

    async def create_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Payments``: as ``PUT``."""
        return await self._write_payments(ctx, req)

    async def _write_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        jobs, books, headers = await self._jobs(ctx, req)

        async def prepare(index: int, element: Mapping[str, Any]) -> Any:
            if await jobs.queued(f"post:{index}"):
                return RESUME
            doc = _paid_document(books, element)
            if doc is None:
                raise Invalid("The invoice does not exist in this organisation (Sage 50 payments pay invoices).")
            account = el_sub(element, "Account")
            bank = el_text(account, "Code") or (books.find(el_text(account, "AccountID").lower(), "account") or "")
            w.check_nominal(books, bank, bank=True)
            amount = el_amount(element, "Amount")
            if amount is None or amount <= 0:
                raise Invalid("Amount must be greater than zero.")
            when = w.require_date(element)
            w.check_lock(books, when)
            w.allocation_items(books, doc, 0, amount, when)  # validates amount ≤ outstanding
            kind = "SA" if text(doc.get("TYPE")) == "SI" else "PA"
            reference = el_text(element, "Reference") or text(doc.get("INV_REF"))
            payload = w.transaction_post(
                kind=kind, account_ref=text(doc.get("ACCOUNT_REF")), when=when, due=None, inv_ref=reference[:30],
                details=f"Payment of {text(doc.get('INV_REF'))}"[:60], bank_code=bank,
                splits=[{"NOMINAL_CODE": bank, "DETAILS": reference[:60], "NET_AMOUNT": str(amount),
                         "TAX_AMOUNT": "0.00", "TAX_CODE": 9}])
            return number(doc.get("HEADER_NUMBER")), amount, when, payload

        async def perform(index: int, element: Mapping[str, Any], plan: Any) -> Any:
            if plan == RESUME:  # an earlier attempt queued the receipt; it may have stopped before the allocation
                posted = await jobs.run(f"post:{index}", {}, element)
                found = _paid_document(await self._fresh(ctx), element)
                doc_number = number(found.get("HEADER_NUMBER")) if found else None
                amount, when = el_amount(element, "Amount"), el_day(element, "Date")
                if doc_number is None or amount is None or when is None:
                    raise AgentUnavailable("an earlier attempt of this payment stopped before its allocation and "
                                           "its invoice is no longer found; allocate it in Sage 50")
            else:
                doc_number, amount, when, payload = plan
                posted = await jobs.run(f"post:{index}", payload, element)
            header = number(posted.get("header_number"))
            fresh = await self._fresh(ctx)
            pair_key = f"{header}/{doc_number}"
            if await jobs.queued(f"allocate:{index}"):  # queued before: its outcome, never a second allocation
                await jobs.run(f"allocate:{index}", {}, element)
                fresh = await self._fresh(ctx)
            elif not any(p.key == pair_key for p in tr.payment_pairs(fresh)):
                paying = fresh.splits.get(header or -1, [{}])[0]
                try:
                    items = w.allocation_items(fresh, fresh.headers[doc_number],
                                               number(paying.get("TRAN_NUMBER")) or 0, amount, when)
                except Invalid as exc:  # the invoice was paid meanwhile: the receipt stays on account
                    raise ValidationException.single(f"{exc} (the receipt is posted on account in Sage 50)",
                                                     dict(element)) from None
                await jobs.run(f"allocate:{index}", {"object": "AllocatePayment", "action": "create", "header": {},
                                                     "items": items, "reference": None}, element)
                fresh = await self._fresh(ctx)
            pair = next((p for p in tr.payment_pairs(fresh) if p.key == pair_key), None)
            if pair is None:
                raise AgentUnavailable("the connector reported the payment done but did not return its allocation; "
                                       "it will appear after the next sync")
            return tr.payment(fresh, pair)

        items = await run_elements(req.elements, summarize_errors=req.query.summarize_errors, model=Payment,
                                   prepare=prepare, perform=perform)
        return Result(items=items, headers=headers)

    async def create_prepayment_allocations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Prepayments/{PrepaymentID}/Allocations`` → ``AllocatePayment`` of the invoice's splits against the
        SA/PA's split (sage50.md §5): the allocated part becomes a Payment of the invoice, the rest stays the
        prepayment. Raises ``NotFound``, ``ValidationException`` (another contact or ledger, more than remains on
        either side, lock date)."""
        jobs, books, headers = await self._jobs(ctx, req)
        wanted = req.path_params.get("PrepaymentID", "").lower()
        paying = next((h for h in prepaid.prepayment_headers(books)
                       if books.guid("prepayment", number(h.get("HEADER_NUMBER"))) == wanted), None)
        if paying is None:
            raise NotFound()
        paying_split = books.splits.get(number(paying.get("HEADER_NUMBER")) or -1, [{}])[0]
        prepayment_ref = Prepayment(PrepaymentID=wanted)

        async def prepare(index: int, element: Mapping[str, Any]) -> Any:
            if await jobs.queued(f"allocate:{index}"):
                return RESUME
            return w.allocation_plan(books, paying, element, noun="prepayment")

        async def perform(index: int, element: Mapping[str, Any], plan: Any) -> Any:
            await jobs.run(f"allocate:{index}", {} if plan == RESUME else plan[0], element)
            fresh = await self._fresh(ctx)
            pair_key = f"{number(paying.get('HEADER_NUMBER'))}/"
            if plan == RESUME:
                invoice_id = el_text(el_sub(element, "Invoice"), "InvoiceID").lower()
                invoice = fresh.headers.get(int(fresh.find(invoice_id, "header") or -1))
                amount, when = el_amount(element, "Amount"), el_day(element, "Date")
            else:
                _, invoice, amount, when = plan
            if invoice is None or not any(p.key == pair_key + str(number(invoice.get("HEADER_NUMBER")))
                                          for p in tr.payment_pairs(fresh)):
                raise AgentUnavailable("the connector reported the allocation done but did not return it; it will "
                                       "appear after the next sync")
            invoice_splits = {number(x.get("TRAN_NUMBER")) for x in fresh.splits.get(
                number(invoice.get("HEADER_NUMBER")) or -1, [])}
            usages = [number(u.get("USAGE_NUMBER")) or 0 for u in fresh.usages_by_split.get(
                number(paying_split.get("TRAN_NUMBER")) or -1, []) if number(u.get("SPLIT_NUMBER")) in invoice_splits]
            return Allocation(AllocationID=fresh.guid("usage", max(usages)) if usages else None,
                              Invoice=InvoiceRef(InvoiceID=fresh.guid("header", number(invoice.get("HEADER_NUMBER"))),
                                                 InvoiceNumber=text(invoice.get("INV_REF")) or None),
                              Prepayment=prepayment_ref, Amount=amount, Date=when)

        items = await run_elements(req.elements, summarize_errors=req.query.summarize_errors, model=Allocation,
                                   prepare=prepare, perform=perform)
        return Result(items=items, headers=headers)

    async def create_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /BankTransactions`` → ``TransactionPost`` BP (SPEND) / BR (RECEIVE) on the bank nominal."""
        return await self._write_bank_transactions(ctx, req)

    async def update_or_create_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransactions``: new ones as ``PUT``; posted Sage 50 transactions cannot be changed."""
        return await self._write_bank_transactions(ctx, req)

    async def _write_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        jobs, books, headers = await self._jobs(ctx, req)
        references: set[str] = set()

        async def prepare(index: int, element: Mapping[str, Any]) -> Any:
            if await jobs.queued(f"post:{index}"):
                return RESUME
            if el_text(element, "BankTransactionID"):
                raise Invalid("This bank transaction is posted in Sage 50 and cannot be changed through the API.")
            kind = el_text(element, "Type")
            if kind not in ("SPEND", "RECEIVE"):
                raise Invalid("Type must be SPEND or RECEIVE (Sage 50 bank payments and receipts).")
            account = el_sub(element, "BankAccount")
            bank = el_text(account, "Code") or (books.find(el_text(account, "AccountID").lower(), "account") or "")
            w.check_nominal(books, bank, bank=True)
            when = w.require_date(element)
            w.check_lock(books, when)
            splits = w.posting_splits(books, element, kind=kind, default_tax="T9")
            contact = el_text(el_sub(element, "Contact"), "Name")
            reference = el_text(element, "Reference")[:30] or w.next_reference(books, kind, references)
            references.add(reference)
            return w.transaction_post(kind=kind, account_ref=bank, when=when, due=None, inv_ref=reference,
                                      details=contact or kind.title(), splits=splits, bank_code=bank)

        async def perform(index: int, element: Mapping[str, Any], plan: Any) -> Any:
            result = await jobs.run(f"post:{index}", {} if plan == RESUME else plan, element)
            fresh = await self._fresh(ctx)
            header = fresh.headers.get(number(result.get("header_number")) or -1)
            if header is None:
                raise AgentUnavailable("the connector reported the posting done but did not return it")
            return tr.bank_transaction(fresh, header)

        items = await run_elements(req.elements, summarize_errors=req.query.summarize_errors,
                                   model=BankTransaction, prepare=prepare, perform=perform)
        return Result(items=items, headers=headers)

    async def create_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /BankTransfers`` → a balanced ``JournalPost``: credit the source bank, debit the target bank."""
        jobs, books, headers = await self._jobs(ctx, req)

        async def prepare(index: int, element: Mapping[str, Any]) -> Any:
            if await jobs.queued(f"post:{index}"):
                return RESUME
            codes = []
            for side in ("FromBankAccount", "ToBankAccount"):
                account = el_sub(element, side)
                code = el_text(account, "Code") or (books.find(el_text(account, "AccountID").lower(), "account") or "")
                w.check_nominal(books, code, bank=True)
                codes.append(code)
            if codes[0] == codes[1]:
                raise Invalid("The two bank accounts of a transfer must differ.")
            amount = el_amount(element, "Amount")
            if amount is None or amount <= 0:
                raise Invalid("Amount must be greater than zero.")
            when = el_day(element, "Date") or date.today()
            w.check_lock(books, when)
            reference = el_text(element, "Reference") or "Bank transfer"
            return w.journal_post(when=when, inv_ref=reference, details="Bank transfer",
                                  lines=[(codes[0], -amount, reference), (codes[1], amount, reference)])

        async def perform(index: int, element: Mapping[str, Any], plan: Any) -> Any:
            result = await jobs.run(f"post:{index}", {} if plan == RESUME else plan, element)
            fresh = await self._fresh(ctx)
            wanted = fresh.guid("header", number(result.get("header_number")))
            found = [t for t in self._transfers(fresh) if t.BankTransferID == wanted]
            if not found:
                raise AgentUnavailable("the connector reported the transfer done but did not return it")
            return found[0]

        items = await run_elements(req.elements, summarize_errors=req.query.summarize_errors, model=BankTransfer,
                                   prepare=prepare, perform=perform)
        return Result(items=items, headers=headers)

    async def create_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /ManualJournals`` → ``JournalPost`` (JD/JC). Sage 50 keeps no draft journals: a DRAFT journal is
        posted, with a warning."""
        return await self._write_journals(ctx, req)

    async def update_or_create_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /ManualJournals``: new ones as ``PUT``; posted journals cannot be changed."""
        return await self._write_journals(ctx, req)

    async def _write_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        jobs, books, headers = await self._jobs(ctx, req)
        warnings: list[str] = []

        async def prepare(index: int, element: Mapping[str, Any]) -> Any:
            if await jobs.queued(f"post:{index}"):
                return RESUME
            if el_text(element, "ManualJournalID"):
                raise Invalid("This journal is posted in Sage 50 and cannot be changed through the API.")
            narration = el_text(element, "Narration")
            if not narration:
                raise Invalid("Narration is required.")
            when = el_day(element, "Date") or date.today()
            w.check_lock(books, when)
            lines = []
            for line in el_items(element, "JournalLines"):
                code = el_text(line, "AccountCode") or (books.find(el_text(line, "AccountID").lower(), "account")
                                                        or "")
                if not code or books.row("NOMINAL_LEDGER", code) is None:
                    raise Invalid(f"Account code '{code}' is not a valid code for this document.")
                amount = el_amount(line, "LineAmount")
                if amount is None or amount == 0:
                    raise Invalid("Each journal line needs a non-zero LineAmount.")
                lines.append((code, amount, el_text(line, "Description")))
            if len(lines) < 2:
                raise Invalid("A journal needs at least two lines.")
            if (el_text(element, "Status") or "DRAFT") == "DRAFT":
                warnings.append("Sage 50 keeps no draft journals: this journal was posted.")
            return w.journal_post(when=when, inv_ref=narration[:30], details=narration, lines=lines)

        async def perform(index: int, element: Mapping[str, Any], plan: Any) -> Any:
            result = await jobs.run(f"post:{index}", {} if plan == RESUME else plan, element)
            fresh = await self._fresh(ctx)
            wanted = fresh.guid("header", number(result.get("header_number")))
            found = [j for j in self._journals(fresh) if j.ManualJournalID == wanted]
            if not found:
                raise AgentUnavailable("the connector reported the journal done but did not return it")
            return found[0]

        items = await run_elements(req.elements, summarize_errors=req.query.summarize_errors, model=ManualJournal,
                                   prepare=prepare, perform=perform)
        return Result(items=items, headers=headers, warnings=sorted(set(warnings)))


def _paid_document(books: Any, element: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The SI/PI header a payment element names (``Invoice.InvoiceID`` or ``Invoice.InvoiceNumber``), or ``None``."""
    target = el_sub(element, "Invoice")
    guid = el_text(target, "InvoiceID").lower()
    doc = None
    if guid:
        key = books.find(guid, "header")
        doc = books.headers.get(int(key)) if key else None
    elif el_text(target, "InvoiceNumber"):
        doc = next((h for h in books.headers_of("SI", "PI")
                    if text(h.get("INV_REF")) == el_text(target, "InvoiceNumber")), None)
    return doc if doc is not None and text(doc.get("TYPE")) in ("SI", "PI") else None
