"""Transport to the QBO Accounting API: a subclass of :class:`adapters.common.http.UpstreamClient` that supplies
only what is QBO's own (the template — credentials once per call, one refresh after a 401, bounded retries of
idempotent calls, decoding, counting — is the common one):

- URL ``{api_base}/v3/company/{realmId}{path}`` with ``minorversion=75`` on every call (upstream-contracts.md §1
  "Transport": versions 1–74 are no longer served; 75 is the latest documented), ``Accept: application/json``,
  ``Authorization: Bearer`` with the call's token (:class:`adapters.common.http.TenantAuth`: the client never stores
  a token).
- Idempotent calls — reads, queries, reports, batches made of queries, and writes that carry a ``requestid`` (QBO
  replays the first answer to a repeated ``requestid``, §1 "Idempotency") — are retried on transient failures; the
  adapter gives every write a ``requestid``.
- At most ``concurrency`` calls per realm are in flight from this process (QBO allows 10 concurrent requests per
  realm and app, §1 "Throttling"); a 429 is never retried here: it reaches the client as Xero's 429 with
  ``Retry-After`` (:mod:`adapters.qbo.errors`).
- Error answers raise :class:`adapters.qbo.errors.QboFault` (any of QBO's three envelopes); exhausted transport
  retries raise :class:`adapters.qbo.errors.QboUnavailable` (503). ``intuit_tid`` (QBO's trace id header) is logged
  with every fault.
- The consent's company look-up (:meth:`QboClient.company_info`) goes through the same client, with the consent's
  token (:class:`adapters.common.http.FixedAuth`), sent once.

Every call takes the Xero call's :class:`~adapters.common.http.TenantAuth` (``client.auth(tenant_id)`` makes one;
the adapter's unit of work holds it for the whole call).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import aiohttp
import structlog

from adapters.base import CredentialsProvider, UpstreamCredentials, UpstreamToken
from adapters.common.errors import reauthorization_required
from adapters.common.http import (
    DEFAULT_ATTEMPTS,
    DEFAULT_BACKOFF_MAX,
    DEFAULT_TIMEOUT,
    Answer,
    FixedAuth,
    TenantAuth,
    Transient,
    UpstreamClient,
    encode_json,
)

from .errors import QboFault, QboUnavailable, parse_fault

log = structlog.get_logger("adapters.qbo")

#: ``minorversion`` sent on every call (upstream-contracts.md §1 "Transport").
MINOR_VERSION = "75"
#: The system's name in errors.
SYSTEM = "QuickBooks Online"
#: Concurrent calls per realm from one process (QBO: 10 per realm and app).
DEFAULT_CONCURRENCY = 10
#: Queries longer than this go as ``POST /query`` (``Content-Type: application/text``, §1 "Query").
MAX_GET_QUERY = 1500
#: Items in one ``POST /batch`` (§1 "CDC, batch, reports": at most 30).
MAX_BATCH_ITEMS = 30


class QboClient(UpstreamClient):
    """The adapter's HTTP client (one per adapter instance, hence per process).

    Args:
        code: the gateway source code (``"1004"``).
        tokens: the upstream credentials provider (``services.credentials``).
        timeout: seconds per HTTP exchange.
        attempts: tries of an idempotent call.
        backoff_max: cap of one backoff wait, seconds.
        concurrency: calls in flight per realm.
        minor_version: QBO ``minorversion``.
    """

    log_prefix = "qbo"

    def __init__(self, *, code: str, tokens: CredentialsProvider, timeout: float = DEFAULT_TIMEOUT,
                 attempts: int = DEFAULT_ATTEMPTS, backoff_max: float = DEFAULT_BACKOFF_MAX,
                 concurrency: int = DEFAULT_CONCURRENCY, minor_version: str = MINOR_VERSION) -> None:
        super().__init__(code=code, system=SYSTEM, credentials=tokens, user_agent="xero-gateway-qbo",
                         timeout=timeout, attempts=attempts, backoff_max=backoff_max, concurrency=concurrency)
        self.minor_version = minor_version

    # Hooks ----------------------------------------------------------------------------------------------------------

    def url(self, creds: UpstreamCredentials, path: str) -> str:
        return f"{creds.api_base}/v3/company/{creds.tenant_key}{path}"

    def params(self, params: Mapping[str, str] | None) -> dict[str, str]:
        return {**(params or {}), "minorversion": self.minor_version}

    def parse_error(self, answer: Answer, method: str, path: str) -> QboFault:
        fault = parse_fault(answer.status, answer.body, retry_after=answer.headers.get("retry-after"),
                            intuit_tid=answer.headers.get("intuit_tid"))
        log.warning("qbo_fault", method=method, path=path, status=answer.status, codes=sorted(fault.codes),
                    intuit_tid=fault.intuit_tid)
        return fault

    def unavailable(self, message: str) -> QboUnavailable:
        return QboUnavailable(message)

    def decode(self, body: bytes) -> dict[str, Any]:
        return _decode(body)

    # Calls ----------------------------------------------------------------------------------------------------------

    async def realm_id(self, tenant_id: str) -> str:
        """The tenant's QBO ``realmId``, outside any Xero call (the CLI, tests); a unit of work reads it from its
        own credentials instead."""
        return (await self.tokens.credentials(self.code, tenant_id)).tenant_key

    async def get(self, auth: TenantAuth, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        """``GET {path}`` (idempotent). Raises :class:`QboFault`, :class:`QboUnavailable`, ``Unauthorized``."""
        return await self.request(auth, "GET", path, params=params, idempotent=True)

    async def post(self, auth: TenantAuth, path: str, body: dict[str, Any], *, request_id: str | None,
                   params: dict[str, str] | None = None) -> dict[str, Any]:
        """``POST {path}`` with a JSON body; with ``request_id`` the call is idempotent (retried on transient
        failures, QBO replays the first answer)."""
        query = dict(params or {})
        if request_id:
            query["requestid"] = request_id
        return await self.request(auth, "POST", path, params=query, data=encode_json(body),
                                  content_type="application/json", idempotent=request_id is not None)

    async def query(self, auth: TenantAuth, text: str) -> dict[str, Any]:
        """Run one QBO query; returns its ``QueryResponse`` object (``{}`` when nothing matched)."""
        if len(text) > MAX_GET_QUERY:
            answer = await self.request(auth, "POST", "/query", data=text.encode("utf-8"),
                                        content_type="application/text", idempotent=True)
        else:
            answer = await self.request(auth, "GET", "/query", params={"query": text}, idempotent=True)
        return answer.get("QueryResponse") or {}

    async def queries(self, auth: TenantAuth, texts: list[str]) -> list[dict[str, Any]]:
        """Run several queries in as few requests as possible: one ``GET /query`` for one, ``POST /batch``
        (≤ 30 items per request) for more.

        Returns:
            One ``QueryResponse`` object per query, in order.

        Raises:
            QboFault: a batch item failed (its own ``Fault``), or the request did.
        """
        if len(texts) == 1:
            return [await self.query(auth, texts[0])]
        out: list[dict[str, Any]] = []
        for start in range(0, len(texts), MAX_BATCH_ITEMS):
            chunk = texts[start:start + MAX_BATCH_ITEMS]
            items = [{"bId": f"q{start + i}", "Query": text} for i, text in enumerate(chunk)]
            answer = await self.request(auth, "POST", "/batch", data=encode_json({"BatchItemRequest": items}),
                                        content_type="application/json", idempotent=True)
            by_id = {str(item.get("bId")): item for item in answer.get("BatchItemResponse") or []}
            for i in range(len(chunk)):
                item = by_id.get(f"q{start + i}") or {}
                if "Fault" in item:
                    raise parse_fault(400, json.dumps({"Fault": item["Fault"]}))
                out.append(item.get("QueryResponse") or {})
        return out

    async def report(self, auth: TenantAuth, name: str, params: dict[str, str]) -> dict[str, Any]:
        """``GET /reports/{name}`` (idempotent); returns the report body ``{Header, Columns, Rows}``."""
        return await self.request(auth, "GET", f"/reports/{name}", params=params, idempotent=True)

    async def company_info(self, token: UpstreamToken, realm_id: str) -> dict[str, Any]:
        """The realm's ``CompanyInfo`` with a fresh consent's token (``SELECT * FROM CompanyInfo``), sent once.

        Raises:
            QboFault: QBO refused (the consent then fails). QboUnavailable: transport failure or not JSON.
            Unauthorized: QBO refused the fresh token.
        """
        creds = UpstreamCredentials(code=self.code, tenant_id="", tenant_key=realm_id,
                                    access_token=token.access_token, token_type=token.token_type,
                                    api_base=token.api_base, expires_at=token.expires_at, authorization_id="")
        answer = await self.request(FixedAuth(creds, self.system), "GET", "/query",
                                    params={"query": "SELECT * FROM CompanyInfo"}, idempotent=False)
        return ((answer.get("QueryResponse") or {}).get("CompanyInfo") or [{}])[0]


    async def upload(self, auth: TenantAuth, metadata: dict[str, Any], *, file_name: str, content_type: str,
                     content: bytes, request_id: str) -> dict[str, Any]:
        """``POST /upload`` (``multipart/form-data``: ``file_metadata_01`` the ``Attachable`` JSON, ``file_content_01``
        the file; Intuit "Attach images and notes"), idempotent through ``request_id``.

        Returns:
            The created ``Attachable``.

        Raises:
            QboFault: QBO refused the upload or the file (the item's own ``Fault``).
        """
        form = aiohttp.MultipartWriter("form-data")
        meta = form.append(encode_json(metadata), {"Content-Type": "application/json"})
        meta.set_content_disposition("form-data", name="file_metadata_01", filename="attachment.json")
        part = form.append(content, {"Content-Type": content_type})
        part.set_content_disposition("form-data", name="file_content_01", filename=file_name)
        answer = await self.request(auth, "POST", "/upload", params={"requestid": request_id},
                                    data=await form.as_bytes(), content_type=form.content_type, idempotent=True)
        item = (answer.get("AttachableResponse") or [{}])[0]
        if "Fault" in item:
            raise parse_fault(400, json.dumps({"Fault": item["Fault"]}, default=str))
        attachable = item.get("Attachable")
        if not isinstance(attachable, dict):
            raise QboUnavailable("QuickBooks Online answered an upload without the Attachable")
        return attachable

    async def pdf(self, auth: TenantAuth, entity: str, qbo_id: str) -> bytes:
        """``GET /{entity}/{Id}/pdf`` with ``Accept: application/pdf`` (QBO's "Get … as PDF" of its sales forms),
        sent once (one renewal after a 401, as every call).

        Raises:
            QboFault: QBO refused (an entity without a PDF, an unknown Id). QboUnavailable: transport failure.
            Unauthorized: the authorization is gone.
        """
        if self._session is None:
            await self.start()
        path = f"/{entity.lower()}/{qbo_id}/pdf"
        creds = await auth.current()
        for attempt in range(2):
            headers = {**self.headers(creds), "Accept": "application/pdf"}
            try:
                answer = await self._once(creds.tenant_id, "GET", self.url(creds, path), path, self.params(None),
                                          headers, None, check_body=False)
            except Transient as exc:
                raise exc.error if exc.error is not None else self.unavailable(f"GET {path}: {exc}") from None
            if answer.status != 401:
                break
            if attempt == 1:
                raise reauthorization_required(self.system)
            creds = await auth.renewed(creds)
        if answer.status >= 400:
            raise self.parse_error(answer, "GET", path)
        return answer.body

    async def fetch_file(self, url: str) -> tuple[bytes, str]:
        """The bytes and ``Content-Type`` behind an ``Attachable``'s ``TempDownloadUri`` (a pre-signed URL: no
        token is sent).

        Raises:
            QboUnavailable: the URL could not be read.
        """
        if self._session is None:
            await self.start()
        assert self._session is not None
        self.count("GET", "TempDownloadUri")
        try:
            async with self._session.get(url) as response:
                body = await response.read()
                if response.status != 200:
                    raise QboUnavailable(f"the attachment download answered HTTP {response.status}")
                return body, response.content_type
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise QboUnavailable(f"the attachment download failed: {type(exc).__name__}") from None


def _decode(body: bytes) -> dict[str, Any]:
    """QBO JSON with ``Decimal`` numbers. Raises ``ValueError`` for anything that is not a JSON object."""
    data = json.loads(body.decode("utf-8"), parse_float=Decimal) if body.strip() else {}
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data
