"""Exactly-once for the native ledger's keyed writes: the ``Idempotency-Key`` commits with the write.

The gateway claims a key in its database before the call and completes it after (``gateway/api/idempotency.py``);
a crash between the ledger's commit and that completion leaves the outcome unknown, and the gateway then asks
:meth:`adapters.base.SourceAdapter.recorded_write`. The ledger answers from :class:`~.tables.keys.KeyedWrite`,
written in the write's own transaction: present exactly when the write committed, so a retry replays the first
answer instead of writing a second invoice. The key is scoped as the gateway scopes it: source code, app
(``client_id``) and tenant.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.xero import models
from gateway.xero.models import XeroModel, dump
from gateway.xero.request import RequestContext, Result, XeroRequest

from .tables.keys import KeyedWrite

_MODELS_PACKAGE = f"{models.__name__}."


def result_to_json(result: Result) -> str:
    """A write's answer as JSON text: each item's model class (``module:qualname``) and wire form, the warnings,
    the status and the headers.

    Raises:
        ValueError: the result carries binary content (no write answers that).
    """
    if result.content is not None:
        raise ValueError("a keyed write answers models, not binary content")
    items = [{"model": f"{type(item).__module__}:{type(item).__qualname__}", "fields": dump(item)}
             for item in result.items]
    return json.dumps({"items": items, "warnings": result.warnings, "status": result.status,
                       "headers": result.headers})


def result_from_json(text: str) -> Result:
    """The :class:`Result` stored by :func:`result_to_json` (numbers read back as ``Decimal``, never float).

    Raises:
        ValueError: an item names no model of :mod:`gateway.xero.models`.
    """
    data: dict[str, Any] = json.loads(text, parse_float=Decimal)
    items: list[XeroModel] = []
    for item in data["items"]:
        model = _model(item["model"])
        if model is None:
            raise ValueError(f"stored keyed write names an unknown model {item['model']!r}")
        items.append(model.model_validate(item["fields"]))
    return Result(items=items, warnings=list(data["warnings"]), status=int(data["status"]),
                  headers=dict(data["headers"]))


def _model(name: str) -> type[XeroModel] | None:
    """The canonical model class named ``module:qualname``, only from :mod:`gateway.xero.models` (two classes may
    share a name there: ``core.Invoice`` and ``documents.Invoice``)."""
    module_name, _, qualname = name.partition(":")
    if not module_name.startswith(_MODELS_PACKAGE):
        return None
    found = getattr(importlib.import_module(module_name), qualname, None)
    return found if isinstance(found, type) and issubclass(found, XeroModel) else None


def _scope(ctx: RequestContext, key: str) -> tuple[Any, ...]:
    return (KeyedWrite.source_code == ctx.source_code, KeyedWrite.client_id == ctx.client_id,
            KeyedWrite.tenant_id == ctx.tenant_id, KeyedWrite.idempotency_key == key)


async def record(session: AsyncSession, ctx: RequestContext, req: XeroRequest, answer: Any, *,
                 now: dt.datetime, keep: dt.timedelta) -> None:
    """Add the key and answer of a keyed write to the write's transaction (nothing without a key), and drop the
    keys older than ``keep``.

    Args:
        session: the write's session, inside its transaction (the row commits or rolls back with the write).
        answer: the operation's answer; only a :class:`Result` is recorded.
        now: the write's time (aware UTC).
        keep: how long the gateway may still ask for a key: its ``[idempotency]`` ``in_progress_timeout`` plus
            ``retention`` (a key claimed just before a crash stays claimable that long).
    """
    key = req.idempotency_key
    if not key or not isinstance(answer, Result):
        return
    await session.execute(delete(KeyedWrite).where(KeyedWrite.created_at < now - keep))
    existing = await session.scalar(select(KeyedWrite).where(*_scope(ctx, key)))
    if existing is not None:  # a re-execution the gateway chose to make: the latest answer stands
        existing.result, existing.operation_id, existing.created_at = result_to_json(answer), req.operation_id, now
        return
    session.add(KeyedWrite(source_code=ctx.source_code, client_id=ctx.client_id, tenant_id=ctx.tenant_id,
                           idempotency_key=key, operation_id=req.operation_id, result=result_to_json(answer),
                           created_at=now))


async def recorded(session: AsyncSession, ctx: RequestContext, req: XeroRequest) -> Result | None:
    """The answer of the committed write made under ``req.idempotency_key`` for this operation, or ``None``."""
    key = req.idempotency_key
    if not key:
        return None
    row = await session.scalar(select(KeyedWrite).where(*_scope(ctx, key)))
    if row is None or row.operation_id != req.operation_id:
        return None
    return result_from_json(row.result)
