"""Rendered answers of reads, kept in process under the tenant's data version (issue 10: a native Invoices page of
100 invoices costs tens of milliseconds to read, translate and render; the same bytes cost a dictionary lookup).

How a ``GET`` uses it (:func:`gateway.api.handler.handle`): only after the guard has checked the token, scopes and
tenant and the rate limiter has admitted the call, and after the query and headers have been validated, the handler
asks the adapter for the version of the tenant's data (:meth:`adapters.base.SourceAdapter.answer_version`, ``None``
for an operation the adapter does not declare cacheable). With a version, :func:`answer_key` names the answer; a
kept answer is sent as a new response with the same status, headers and body, else the operation runs and a
``200`` answer is kept. Errors are never kept. The adapter changes the version in the same transaction as any
change of the tenant's data, in whichever process, so the next read after a commit misses and reads afresh.

The key holds everything the answer depends on besides the data: source, tenant, version, operation, path
parameters, the query as sent (decoded pairs in order: ``unitdp``, ``summarizeErrors``, ``page``, ``where``…), the
``Accept`` header (XML or JSON, and the operation chosen by it), ``If-Modified-Since``, the envelope's
``ProviderName`` (the app's name), and the caller (app, user, scopes: an answer is never shared between callers
that the adapter could answer differently, e.g. ``createdByMyApp``).

Each answer is Xero's: the envelope's ``Id`` (a new GUID per response) and ``DateTimeUTC`` (the time of the
response) are written afresh on every hit (:class:`KeptAnswer` keeps the body cut around them), in the form the
renderer uses (:func:`gateway.xero.envelope.build_envelope` and :func:`gateway.xero.xmlrender.envelope_xml`).

Memory is bounded by ``[answer_cache] max_bytes`` (bodies plus a fixed allowance per answer), least recently used
dropped first; ``[answer_cache] enabled = false`` turns it off (gateway/settings.py).
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from aiohttp import web
from cachetools import LRUCache

from gateway.settings import AnswerCacheSettings
from gateway.xero.dates import to_msdate, utcnow
from gateway.xero.envelope import to_json_bytes
from gateway.xero.request import RequestContext
from gateway.xero.xmlrender import xml_timestamp

#: Bytes counted per kept answer besides its body (the key, headers and objects), so that many tiny answers are
#: bounded too.
ENTRY_OVERHEAD = 1024

#: Request headers that change an answer besides the query (gateway/api/params.py, render.py, routes.py).
ANSWER_HEADERS = ("Accept", "If-Modified-Since")


#: Where the envelope's fields sit: in its head, before the first record (Xero's order: ``Id``, ``Status``,
#: ``ProviderName``, ``DateTimeUTC``, then the collection); the ProviderName is an app's name, so the head is short.
_HEAD = 4096
#: The envelope's ``Id`` and ``DateTimeUTC`` values: JSON string literals (with their quotes) or XML element texts.
_JSON_FIELDS = re.compile(rb'^\{"Id":("[^"]*")(.*?"DateTimeUTC":)("[^"]*")', re.S)
_XML_FIELDS = re.compile(rb"^(.{0,200}?<Id>)([^<]*)(</Id>.*?<DateTimeUTC>)([^<]*)(</DateTimeUTC>)", re.S)


def _fresh_json() -> tuple[bytes, bytes]:
    return to_json_bytes(str(uuid.uuid4())), to_json_bytes(to_msdate(utcnow()))


def _fresh_xml() -> tuple[bytes, bytes]:
    return str(uuid.uuid4()).encode(), xml_timestamp(utcnow()).encode()


@dataclass(frozen=True, slots=True)
class KeptAnswer:
    """One rendered answer: ``status``, ``headers`` as rendered (Content-Type and the adapter's), ``body``; for an
    envelope, ``parts`` is the body cut around its ``Id`` and ``DateTimeUTC`` values (head, middle, tail) and
    ``fresh`` makes new values for them."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    parts: tuple[bytes, bytes, bytes] | None = None
    fresh: Callable[[], tuple[bytes, bytes]] | None = None

    @classmethod
    def of(cls, status: int, headers: tuple[tuple[str, str], ...], body: bytes) -> KeptAnswer:
        """Keep ``body``, cut around the envelope's ``Id`` and ``DateTimeUTC`` when it is a JSON or XML envelope."""
        head = body[:_HEAD]
        found = _JSON_FIELDS.match(head)
        if found is not None:
            parts = (b'{"Id":', found.group(2), body[found.end():])
            return cls(status, headers, body, parts, _fresh_json)
        found = _XML_FIELDS.match(head)
        if found is not None:
            parts = (found.group(1), found.group(3), found.group(5) + body[found.end():])
            return cls(status, headers, body, parts, _fresh_xml)
        return cls(status, headers, body)

    def response(self) -> web.Response:
        """A new response with the kept status, headers and body (middlewares add their own headers to it), its
        envelope's ``Id`` and ``DateTimeUTC`` new."""
        body = self.body
        if self.parts is not None and self.fresh is not None:
            envelope_id, now = self.fresh()
            head, middle, tail = self.parts
            body = b"".join((head, envelope_id, middle, now, tail))
        return web.Response(status=self.status, body=body, headers=dict(self.headers))


def _size(answer: KeptAnswer) -> int:
    return len(answer.body) + ENTRY_OVERHEAD


def answer_key(request: web.Request, ctx: RequestContext, *, version: Hashable, operation_id: str,
               path_params: dict[str, str], provider_name: str) -> Hashable:
    """The key of an answer: everything it depends on besides the tenant's data, with the data's ``version``."""
    headers = tuple(request.headers.get(name) for name in ANSWER_HEADERS)
    return (ctx.source_code, ctx.tenant_id, version, operation_id, tuple(sorted(path_params.items())),
            tuple(request.query.items()), headers, provider_name, ctx.client_id, ctx.user_id,
            tuple(sorted(ctx.scopes)))


class AnswerCache:
    """Kept answers by :func:`answer_key`, bounded in bytes.

    Args:
        max_bytes: bodies (plus :data:`ENTRY_OVERHEAD` each) kept at most; an answer larger than that is not kept.
    """

    def __init__(self, max_bytes: int) -> None:
        self._answers: LRUCache[Hashable, KeptAnswer] = LRUCache(maxsize=max_bytes, getsizeof=_size)
        self._pending: dict[Hashable, asyncio.Future[None]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> web.Response | None:
        """A new response of the answer kept under ``key``, or ``None``."""
        kept = self._answers.get(key)
        if kept is None:
            self.misses += 1
            return None
        self.hits += 1
        return kept.response()

    def put(self, key: Hashable, response: web.StreamResponse) -> None:
        """Keep ``response`` under ``key`` when it is a ``200`` with its whole body in memory (never an error)."""
        if response.status != 200 or not isinstance(response, web.Response):
            return
        body = response.body
        if not isinstance(body, bytes):
            return
        kept = KeptAnswer.of(response.status, tuple(response.headers.items()), body)
        if _size(kept) <= self._answers.maxsize:
            self._answers[key] = kept

    async def wait(self, key: Hashable) -> web.Response | None:
        """When another call is computing the answer of ``key`` (:meth:`computing`), wait for it and return a new
        response of its kept answer; ``None`` when none is computed, or it ended without keeping one (an error):
        the caller then computes its own. Concurrent misses of one answer (50 clients on the same page after a
        write) thus cost one computation, not one each."""
        pending = self._pending.get(key)
        if pending is None:
            return None
        await asyncio.shield(pending)
        return self.get(key)

    def computing(self, key: Hashable) -> bool:
        """Mark ``key``'s answer as being computed by the caller, who MUST call :meth:`done` afterwards, whatever
        happens; ``False`` (nothing marked) when another call is already computing it."""
        if key in self._pending:
            return False
        self._pending[key] = asyncio.get_running_loop().create_future()
        return True

    def done(self, key: Hashable) -> None:
        """End :meth:`computing`: the calls waiting for ``key`` resume."""
        pending = self._pending.pop(key, None)
        if pending is not None and not pending.done():
            pending.set_result(None)

    @property
    def size(self) -> int:
        """Bytes counted for the kept answers."""
        return int(self._answers.currsize)

    def clear(self) -> None:
        """Forget every kept answer."""
        self._answers.clear()


def make_cache(settings: AnswerCacheSettings) -> AnswerCache | None:
    """The process's answer cache, or ``None`` when ``[answer_cache] enabled = false``."""
    return AnswerCache(settings.max_bytes) if settings.enabled else None
