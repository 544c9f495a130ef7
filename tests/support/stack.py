"""One API over the test stacks of every source: a gateway app reached with a real access token.

A stack is whatever sits behind ``/{code}/api.xro/2.0`` in a test: the native ledger in process
(:mod:`tests.support.native`), the gateway in front of the QBO emulator (:mod:`tests.support.qbo`) or of the Sage
emulator (:mod:`tests.support.sage`). Each is built through the public path only (gateway app, identity, source
pool, registered upstream source), so it survives refactors of the adapters' construction. All of them answer
:meth:`Stack.api` the same way; the contract walk (``tests/contract``) and the benchmarks rely on nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestClient

from gateway import appkeys


@dataclass
class Answer:
    """One response of the gateway.

    Attributes:
        status: the HTTP status.
        body: the parsed JSON body, else the body as text, ``None`` when empty.
        headers: the response headers.
        raw: the body as sent.
        url: the request URL as sent (absolute, query included).
    """

    status: int
    body: Any
    headers: Mapping[str, str]
    raw: bytes
    url: str = ""


class Stack:
    """The shared behaviour of the stacks; subclasses provide :attr:`code`, :attr:`provider_name` (the calling
    app's name, every envelope's ``ProviderName``), :attr:`gateway`, :attr:`access_token`, :attr:`tenant_id` and
    :attr:`spec` (a :class:`tests.xero_spec.XeroSpec` or ``None``)."""

    code: str
    provider_name: str
    gateway: TestClient
    access_token: str
    tenant_id: str
    spec: Any

    @property
    def api_root(self) -> str:
        """``/{code}/api.xro/2.0``: the Accounting API of the stack's source."""
        return f"/{self.code}/api.xro/2.0"

    @property
    def adapter(self) -> Any:
        """The started adapter behind the stack (white-box checks only)."""
        return self.gateway.app[appkeys.SOURCES].started()[self.code]

    def auth_headers(self, tenant_id: str | None = None, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The headers of an Accounting API call: bearer token, ``xero-tenant-id`` (default the stack's tenant),
        ``Accept: application/json``, then ``extra``."""
        return {"Authorization": f"Bearer {self.access_token}", "xero-tenant-id": tenant_id or self.tenant_id,
                "Accept": "application/json", **(extra or {})}

    async def api(self, method: str, path: str, *, params: Mapping[str, str] | None = None, body: Any = None,
                  data: bytes | None = None, headers: Mapping[str, str] | None = None, tenant_id: str | None = None,
                  validate: bool = True) -> Answer:
        """One Accounting API call, ``{api_root}{path}``.

        Args:
            method: the HTTP method.
            path: the path below ``/api.xro/2.0`` (``/Invoices``).
            params: query parameters.
            body: a JSON body.
            data: a raw body (attachments), used when ``body`` is ``None``.
            headers: extra or overriding request headers.
            tenant_id: the ``xero-tenant-id`` (default the stack's tenant).
            validate: validate the answer against Xero's spec when the stack has one.

        Returns:
            The answer, whatever its status.

        Raises:
            AssertionError: ``validate`` and the answer does not conform to Xero's spec.
        """
        kwargs: dict[str, Any] = {"headers": self.auth_headers(tenant_id, headers), "params": params or {}}
        if body is not None:
            kwargs["json"] = body
        elif data is not None:
            kwargs["data"] = data
        response = await self.gateway.request(method, f"{self.api_root}{path}", **kwargs)
        raw = await response.read()
        url = str(response.url)
        if validate and self.spec is not None:
            self.spec.validate_response(method, url, response.status, raw, dict(response.headers))
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return Answer(response.status, parsed, response.headers, raw, url)
