"""The base of the QBO adapter's operation mixins (:class:`OperationsBase`: what they need of the adapter) and the
helpers they share: lists served from the reference cache, path parameters, accounts named by a Xero element,
statuses of writes. Contacts named by an element are :mod:`adapters.qbo.contacts`'s; documents found by id or number
are :mod:`adapters.qbo.documents`'s."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Any

from gateway.xero import query as xq
from gateway.xero.dates import utcnow
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.models import Pagination, XeroModel
from gateway.xero.request import ListQuery, OrderTerm, RequestContext, Result, XeroRequest

from . import codes
from .ids import QboRef
from .query import Plan, Resource, guids_in, plan
from .translate.common import Tx, text
from .unit import QboUnit


def path_param(req: XeroRequest, name: str) -> str:
    """A path parameter (the front end always supplies the route's)."""
    value = req.path_params.get(name)
    if value is None:
        raise NotFound()
    return value


def check_paths(query: ListQuery, model: type[XeroModel]) -> None:
    """Refuse ``where``/``order`` paths the resource's model lacks (Xero's QueryParseException)."""
    if query.where is not None:
        xq.check_fields(query.where, model)
    if query.order:
        xq.check_fields(query.order, model)


def memory_list(models: Iterable[XeroModel], query: ListQuery, *, default_order: Sequence[OrderTerm],
                keep: Callable[[Any], bool] | None = None) -> Result:
    """A list served from translated models: ``where``, ``If-Modified-Since``, ``order``, paging in the gateway."""
    since = query.if_modified_since
    records = []
    index: dict[int, XeroModel] = {}
    for model in models:
        if keep is not None and not keep(model):
            continue
        if since is not None and "UpdatedDateUTC" in type(model).model_fields:
            stamp = getattr(model, "UpdatedDateUTC", None)
            if stamp is None or stamp <= since:
                continue
        record = model.model_dump(mode="python")
        if not xq.matches(query.where, record):
            continue
        records.append(record)
        index[id(record)] = model
    records = xq.sort_records(records, [*query.order, *default_order])
    ordered = [index[id(r)] for r in records]
    if query.page is None:
        return Result(items=ordered)
    size = query.page_size
    start = (query.page - 1) * size
    return Result(items=ordered[start:start + size],
                  pagination=Pagination(page=query.page, pageSize=size, pageCount=math.ceil(len(ordered) / size),
                                        itemCount=len(ordered)))


async def resolved_guids(unit: QboUnit, query: ListQuery, resource: Resource) -> dict[str, tuple[QboRef, ...]]:
    """The QBO records behind every GUID the list parameters name."""
    return {guid: await unit.resolve(guid) for guid in guids_in(query, resource)}


async def plan_for(unit: QboUnit, query: ListQuery, resource: Resource, model: type[XeroModel]) -> Plan:
    """Check the paths, resolve the GUIDs and plan the list.

    Raises:
        QueryParseException: a ``where`` or ``order`` path the resource's model lacks.
    """
    check_paths(query, model)
    return plan(resource, query, resolved=await resolved_guids(unit, query, resource))


def write_action(element: dict[str, Any], table: str) -> tuple[str, str | None]:
    """``(action, status asked for)`` of a write: ``post``, ``void`` or ``delete`` (``mappings/qbo_statuses.toml``).

    Raises:
        ValidationException: a status the resource does not have.
    """
    status = text(element.get("Status"))
    if status is None:
        return "post", None
    actions = getattr(codes.statuses().write, table)
    action = actions.get(status.upper())
    if action is None:
        raise ValidationException.single(f"'{status}' is not a valid status for this document", element)
    return action, status.upper()


def draft_warning(status: str | None, noun: str, posted: str) -> list[str]:
    """The warning of a DRAFT/SUBMITTED write (QBO has no such state; the document was posted)."""
    if status in ("DRAFT", "SUBMITTED"):
        return [f"QuickBooks Online has no {status.lower()} {noun}s: the {noun} was posted and is {posted}"]
    return []


def account_from(t: Tx, value: Any, element: dict[str, Any], *, what: str = "Account") -> dict[str, Any] | None:
    """The QBO account a Xero account object (``{AccountID}`` or ``{Code}``) names, ``None`` when absent.

    Raises:
        ValidationException: it names no account of the realm.
    """
    if not isinstance(value, dict):
        return None
    code = text(value.get("Code"))
    account_id = text(value.get("AccountID"))
    if code is not None:
        row = t.refs.accounts.coded(code)
    elif account_id is not None:
        row = next((r for r in t.refs.accounts.rows
                    if t.forward("Account", str(r["Id"]), "") == account_id.lower()), None)
    else:
        return None
    if row is None:
        raise ValidationException.single(f"{what} '{code or account_id}' does not exist", element)
    return row


class OperationsBase:
    """What the operation mixins need of the adapter (:class:`~adapters.qbo.adapter.QboAdapter` provides it).

    Attributes:
        code: the gateway source code.
        settings: the gateway settings.
    """

    code: str
    settings: Any

    def api_root(self) -> str:
        """This source's Accounting API root as clients reach it (``{public_url}/{code}/api.xro/2.0``)."""
        return f"{self.settings.public_url}/{self.code}/api.xro/2.0"

    def unit(self, ctx: RequestContext, req: XeroRequest) -> AbstractAsyncContextManager[QboUnit]:
        """Open the unit of work of one Xero call (:class:`adapters.qbo.unit.QboUnit`)."""
        raise NotImplementedError

    @staticmethod
    def today() -> date:
        """Today's date (UTC) for defaults QBO needs (an inventory item's start date)."""
        return utcnow().date()
