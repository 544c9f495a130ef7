"""The public pages adapters publish below ``/{code}``: online invoices (``GET /{code}/online/invoice/{token}``).

``getOnlineInvoice`` answers an ``OnlineInvoiceUrl`` that a customer opens in a browser, without any sign-in (Xero's
online invoices, https://developer.xero.com/documentation/api/accounting/invoices). The token in the URL is the
credential; the adapter that issued it renders the page (:meth:`adapters.base.SourceAdapter.online_invoice`).
Unknown tokens answer a plain 404, as any unknown path.
"""

from __future__ import annotations

from aiohttp import web

from gateway import appkeys
from gateway.http.routing import Router
from gateway.xero.errors import NotFound

#: The route below ``/{code}`` (``adapters.native.resources.online_invoices.PATH`` builds the same URL).
ONLINE_INVOICE = "/online/invoice/{token}"


async def online_invoice(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """Serve an online invoice page. Raises ``NotFound`` (404) for a token no adapter issued."""
    adapter = await request.app[appkeys.SOURCES].get(code)
    page = await adapter.online_invoice(params.get("token", ""))
    if page is None or page.content is None:
        raise NotFound()
    return web.Response(body=page.content, headers={
        "Content-Type": page.content_type or "application/pdf", "Content-Disposition": "inline",
        "Cache-Control": "no-store", "X-Robots-Tag": "noindex"})


def setup(router: Router) -> None:
    """Register the public pages on ``router`` (below ``/{code}``)."""
    router.add("GET", ONLINE_INVOICE, online_invoice)
