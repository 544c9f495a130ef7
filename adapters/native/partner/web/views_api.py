"""The partner API's resource routes under ``/ledger/api/v1`` (issue 16; ``adapters/native/partner/web/openapi.json``).

Every route takes ``Authorization: Bearer <access token>`` from the partner OAuth server (:mod:`.oauth`), checks
the route's scope (:mod:`.scopes`) and that the token's user may reach the company, then asks the ledger-side
services (:class:`adapters.native.partner.service.PartnerLedger`). Errors are
``{"error": {"code", "message", "retryable"}}`` (:class:`adapters.native.partner.errors.PartnerError`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from adapters.native.partner.errors import PartnerError
from adapters.native.partner.reads import ListParams
from adapters.native.partner.tables import PartnerToken
from adapters.native.partner.wire import decode_cursor, parse_date, parse_limit, parse_since

from .keys import partner_state
from .responses import Handler, answers_errors
from .scopes import READ, WRITE

BASE = "/ledger/api/v1"


async def _token(request: web.Request, scopes: tuple[str, ...]) -> PartnerToken:
    """The request's live access token, when it holds one of ``scopes``.

    Raises:
        PartnerError: ``invalid_token`` (none, unknown, expired, revoked), ``missing_scope``.
    """
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() != "bearer " or not auth[7:].strip():
        raise PartnerError("invalid_token", "A bearer access token is required")
    row = await partner_state(request.app).ledger.oauth.find_access_token(auth[7:].strip())
    if row is None:
        raise PartnerError("invalid_token", "The access token is invalid or has expired")
    if not set(row.scope.split()) & set(scopes):
        raise PartnerError("missing_scope", f"This call needs the scope {' or '.join(scopes)}")
    return row


def _params(request: web.Request) -> ListParams:
    query = request.query
    return ListParams(limit=parse_limit(query.get("limit")), cursor=decode_cursor(query.get("cursor")),
                      updated_since=parse_since(query.get("updatedSince")))


def _date(request: web.Request, name: str):
    value = request.query.get(name)
    if value is None:
        return None
    try:
        return parse_date(value, field=name)
    except PartnerError as exc:
        raise PartnerError("invalid_request", exc.message) from None


def _list(resource: str, read: Callable[..., Awaitable[Any]], **filters: str) -> Handler:
    """A company-scoped list route; ``filters`` maps keyword arguments of ``read`` to query parameters."""
    @answers_errors
    async def handler(request: web.Request) -> web.StreamResponse:
        token = await _token(request, READ[resource])
        ledger = partner_state(request.app).ledger
        company_id = request.match_info["companyId"]
        params = _params(request)
        await ledger.check_company(token.user_id, company_id)
        extra = {arg: request.query.get(name) for arg, name in filters.items()}
        page = await read(ledger, company_id, params, **extra)
        return web.json_response(page.body())

    return handler


@answers_errors
async def get_companies(request: web.Request) -> web.StreamResponse:
    token = await _token(request, READ["companies"])
    page = await partner_state(request.app).ledger.companies(token.user_id, _params(request))
    return web.json_response(page.body())


@answers_errors
async def get_company(request: web.Request) -> web.StreamResponse:
    token = await _token(request, READ["companies"])
    company = await partner_state(request.app).ledger.company(token.user_id, request.match_info["companyId"])
    return web.json_response(company)


def _report(name: str) -> Handler:
    @answers_errors
    async def handler(request: web.Request) -> web.StreamResponse:
        token = await _token(request, READ["reports"])
        report = await partner_state(request.app).ledger.report(
            name, token.user_id, request.match_info["companyId"], from_date=_date(request, "fromDate"),
            to_date=_date(request, "toDate"), as_of=_date(request, "asOf"), account_id=request.query.get("accountId"))
        return web.json_response(report)

    return handler


def _post(intent: str) -> Handler:
    @answers_errors
    async def handler(request: web.Request) -> web.StreamResponse:
        token = await _token(request, WRITE[intent])
        try:
            body = json.loads(await request.read() or b"null")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise PartnerError("invalid_request", "The request body must be a JSON object")
        state = partner_state(request.app)
        client = await state.ledger.oauth.get_client(token.client_id)
        receipt = await state.ledger.post(
            intent, client_id=token.client_id, app_name=client.client_name if client else token.client_id,
            user_id=token.user_id, company_id=request.match_info["companyId"],
            key=request.headers.get("Idempotency-Key"), body=body)
        return web.json_response(receipt, status=200 if receipt["idempotentReplay"] else 201)

    return handler


@answers_errors
async def not_found(request: web.Request) -> web.StreamResponse:
    raise PartnerError("not_found", f"No partner API route {request.method} {request.path}")


def register(app: web.Application) -> None:
    """Add the resource routes to ``app.router`` (before the gateway's ``/{code}`` catch-all)."""
    company = BASE + "/companies/{companyId}"
    add = app.router.add_route
    add("GET", BASE + "/companies", get_companies)
    add("GET", company, get_company)
    add("GET", company + "/accounts", _list("accounts", lambda ledger, c, p: ledger.accounts(c, p)))
    add("GET", company + "/bank-accounts", _list("bank-accounts", lambda ledger, c, p: ledger.bank_accounts(c, p)))
    add("GET", company + "/journal-entries",
        _list("journal-entries", lambda ledger, c, p: ledger.journal_entries(c, p)))
    add("GET", company + "/journal-lines",
        _list("journal-lines", lambda ledger, c, p, **f: ledger.journal_lines(c, p, **f), account_id="accountId"))
    add("GET", company + "/bank-transactions",
        _list("bank-transactions", lambda ledger, c, p, **f: ledger.bank_transactions(c, p, **f),
              bank_account_id="bankAccountId"))
    add("GET", company + "/reconciliations",
        _list("reconciliations", lambda ledger, c, p, **f: ledger.reconciliations(c, p, **f),
              bank_account_id="bankAccountId"))
    for name in ("profit-and-loss", "balance-sheet", "trial-balance", "general-ledger"):
        add("GET", f"{company}/reports/{name}", _report(name))
    for path, intent in (("purchases", "purchase"), ("deposits", "deposit"), ("transfers", "transfer"),
                         ("bill-payments", "bill_payment"), ("journal-entries", "journal_entry")):
        add("POST", f"{company}/{path}", _post(intent))
    add("*", BASE + "/{tail:.*}", not_found)
