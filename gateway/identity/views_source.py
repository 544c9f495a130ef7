"""Host mode's source chooser: the first page of ``GET https://login.xero.com/identity/connect/authorize``.

In host mode (gateway/hostmode) the authorize URL carries no source code, so the person first picks the accounting
system that keeps their books, among the sources this gateway has configured (:class:`gateway.sources.SourcePool`
starts them; an unconfigured one is not offered). Configured means: the build has the source's adapter and, for a
source whose users consent at the source (QBO 1004, Sage Accounting 1009, partner ledgers 1010), the operator
registered the gateway's developer app there (``sources set``). Sage 50 (1001) needs nothing more: its consent pairs
the person's connector (:mod:`.views_agent`), so no connector has to exist beforehand. The choice continues into
that source's own flow at ``/{code}/identity/connect/authorize`` with the same query (sign-in and consent, the
source's own consent, or pairing), on the same host; a source's own consent comes back to that host too
(:mod:`.views_upstream`, host mode). With one configured source there is nothing to choose: the browser goes
straight on.

The chooser is a plain GET form and changes nothing, so it needs no CSRF token; the authorize request is validated
in full by the source's own authorize endpoint (an unknown client gets an error page there and here).
"""

from __future__ import annotations

from aiohttp import web

from gateway.appkeys import IDENTITY
from gateway.settings import SOURCE_CODES
from gateway.xero.errors import XeroApiError

from . import pages
from .flow import AUTHORIZE_PATH, canonical_query, path, redirect
from .state import IdentityState

#: The chooser's form target (host mode only: it has no ``/{code}`` prefix).
SOURCE_PATH = "/identity/connect/source"


async def configured_sources(state: IdentityState) -> list[str]:
    """The source codes that can serve a consent now, in code order."""
    codes = []
    for code in SOURCE_CODES:
        try:
            await state.sources.get(code)
        except XeroApiError:
            continue
        codes.append(code)
    return codes


def _continue(state: IdentityState, code: str, query: str) -> web.Response:
    return redirect(path(state, code, AUTHORIZE_PATH) + "?" + query)


async def choose(request: web.Request) -> web.StreamResponse:
    """``GET /identity/connect/authorize?…`` in host mode: the chooser page, or straight on with one source."""
    state = request.app[IDENTITY]
    query = canonical_query(request.rel_url.raw_query_string)
    if query is None:
        return pages.error_page("Start from the application you want to connect.")
    sources = await configured_sources(state)
    if not sources:
        return pages.error_page("No accounting system is configured on this gateway.", status=503)
    client_id = request.query.get("client_id", "")
    client = await state.store.get_client(client_id, code=sources[0]) if client_id else None
    if client is None:  # RFC 6749 §4.1.2.1: never redirect for an unknown client
        return pages.error_page("This application is not registered.", detail="invalid_client")
    if len(sources) == 1:
        return _continue(state, sources[0], query)
    return pages.source_chooser_page(action=SOURCE_PATH, authorize=query, app_name=client.name, sources=sources)


async def chosen(request: web.Request) -> web.StreamResponse:
    """``GET /identity/connect/source?authorize=…&source=CODE``: continue into the chosen source's flow."""
    state = request.app[IDENTITY]
    query = canonical_query(request.query.get("authorize", ""))
    if query is None:
        return pages.error_page("Start from the application you want to connect.")
    code = request.query.get("source", "")
    if code not in await configured_sources(state):
        return pages.error_page("Choose one of the accounting systems offered.", heading="Unknown accounting system")
    return _continue(state, code, query)
