"""``/admin/activity`` (filters: app, tenant, kind, from, to) and ``/admin/activity.csv`` (the same rows as CSV)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from aiohttp import web

from gateway.store import activity

from .auth import operator
from .render import page
from .state import CONSOLE

FILTERS = ("client_id", "tenant_id", "kind", "since", "until")


def _day(raw: str, *, end: bool) -> datetime | None:
    """A ``YYYY-MM-DD`` filter as the start of that day UTC (``until``: the start of the next day)."""
    if not raw:
        return None
    start = datetime.combine(datetime.fromisoformat(raw).date(), time(0), UTC)
    return start + timedelta(days=1) if end else start


async def _rows(request: web.Request) -> tuple[dict[str, str], list[activity.Activity], str | None]:
    wanted = {k: request.query.get(k, "").strip() for k in FILTERS}
    kind = wanted["kind"] if wanted["kind"] in activity.KINDS else None
    try:
        since, until = _day(wanted["since"], end=False), _day(wanted["until"], end=True)
    except ValueError:
        return wanted, [], "Dates are YYYY-MM-DD."
    rows = await activity.query(request.app[CONSOLE].db, client_id=wanted["client_id"] or None,
                                tenant_id=wanted["tenant_id"] or None, kind=kind, since=since, until=until)
    return wanted, rows, None


@operator
async def list_activity(request: web.Request) -> web.StreamResponse:
    wanted, rows, error = await _rows(request)
    query: dict[str, Any] = {k: v for k, v in wanted.items() if v}
    return page(request, "activity.html", {"rows": rows, "wanted": wanted, "kinds": activity.KINDS, "error": error,
                                           "csv_query": query}, status=400 if error else 200)


@operator
async def export_csv(request: web.Request) -> web.StreamResponse:
    _, rows, error = await _rows(request)
    if error:
        raise web.HTTPBadRequest(text=error)
    return web.Response(text=activity.to_csv(rows), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": 'attachment; filename="activity.csv"'})
