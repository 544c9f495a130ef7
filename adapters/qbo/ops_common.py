"""Helpers shared by the QBO adapter's operation mixins: lists served from the reference cache, path parameters,
contacts and accounts named by a Xero element, statuses of writes."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from gateway.xero import query as xq
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.guids import is_guid
from gateway.xero.models import Pagination, XeroModel
from gateway.xero.request import ListQuery, OrderTerm, Result, XeroRequest

from . import codes
from .call import Call
from .errors import DUPLICATE_NAME
from .ids import QboRef
from .query import Resource, guids_in, plan
from .translate.common import Tx, text
from .translate.contacts import CUSTOMER, VENDOR
from .writes import Journal

if TYPE_CHECKING:
    from .adapter import QboAdapter

#: Suffix added to the name of a counterpart record when the contact's name is taken (DisplayName is unique across
#: Customer, Vendor and Employee, Fault 6240).
COUNTERPART_SUFFIX = {CUSTOMER: " (customer)", VENDOR: " (supplier)"}


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


async def resolved_guids(call: Call, query: ListQuery, resource: Resource) -> dict[str, tuple[QboRef, ...]]:
    """The QBO records behind every GUID the list parameters name."""
    return {guid: await call.resolve(guid) for guid in guids_in(query, resource)}


async def plan_for(call: Call, query: ListQuery, resource: Resource, model: type[XeroModel]):
    """Check the paths, resolve the GUIDs and plan the list."""
    check_paths(query, model)
    return plan(resource, query, resolved=await resolved_guids(call, query, resource))


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
    """Typing anchor of the mixins (they run on :class:`~adapters.qbo.adapter.QboAdapter`)."""

    code: str

    if TYPE_CHECKING:
        def call(self, ctx: Any, req: XeroRequest) -> Any: ...

    async def party(self: QboAdapter, call: Call, contact: Any, wanted: str, element: dict[str, Any],
                    journal: Journal, index: int) -> str:
        """The ``Id`` of the ``wanted`` record (Customer or Vendor) of a Xero contact, creating it when needed.

        A contact named by ``ContactID`` that exists only as the other entity gets a counterpart record of the
        wanted entity, registered as an alias of the same ContactID (upstream-contracts.md §4 hard case 1); a contact
        named only by ``Name`` is found by DisplayName, or created.

        Raises:
            ValidationException: no contact, or a ContactID the realm does not know.
        """
        if not isinstance(contact, dict) or not (text(contact.get("ContactID")) or text(contact.get("Name"))):
            raise ValidationException.single("A Contact must be specified for this type of transaction", element)
        t = await call.tx("customers", "vendors")
        other = VENDOR if wanted == CUSTOMER else CUSTOMER
        names = {CUSTOMER: t.refs.customers, VENDOR: t.refs.vendors}
        contact_id = text(contact.get("ContactID"))
        if contact_id is not None:
            if not is_guid(contact_id):
                raise ValidationException.single(f"'{contact_id}' is not a valid ContactID", element)
            guid = str(uuid.UUID(contact_id))
            refs = {r.entity: r for r in await call.resolve(guid) if r.entity in (CUSTOMER, VENDOR) and not r.part}
            if not refs:  # not handed out by this gateway yet: look among the cached records
                for entity in (CUSTOMER, VENDOR):
                    for row in names[entity].rows:
                        if t.forward(entity, str(row["Id"]), "") == guid:
                            refs[entity] = QboRef(entity, str(row["Id"]))
            if wanted in refs:
                return refs[wanted].qbo_id
            if other not in refs:
                raise ValidationException.single(f"The contact with ContactID '{contact_id}' could not be found",
                                                 element)
            source = names[other].get(refs[other].qbo_id) or {}
            return await self.counterpart(call, guid, wanted, str(source.get("DisplayName") or contact_id), element,
                                          journal, index)
        name = str(contact.get("Name"))
        found = names[wanted].named(name)
        if found is not None:
            return str(found["Id"])
        twin = names[other].named(name)
        if twin is not None:
            guid = t.forward(other, str(twin["Id"]), "")
            return await self.counterpart(call, guid, wanted, name, element, journal, index)
        row = await call.create(wanted, {"DisplayName": name}, label=f"contact:{index}", element=element)
        journal.add(wanted, row)
        return str(row["Id"])

    async def counterpart(self: QboAdapter, call: Call, guid: str, entity: str, name: str,
                          element: dict[str, Any], journal: Journal, index: int) -> str:
        """Create the ``entity`` record of a contact that exists only as the other entity; register the alias.

        QBO's DisplayName is unique across Customer, Vendor and Employee, so the counterpart usually cannot take
        the contact's own name (Fault 6240): it is then named with :data:`COUNTERPART_SUFFIX`."""
        try:
            row = await call.create(entity, {"DisplayName": name}, label=f"counterpart:{index}", element=element)
        except ValidationException as exc:
            if f"error {DUPLICATE_NAME}:" not in str(exc.elements):
                raise
            row = await call.create(entity, {"DisplayName": name + COUNTERPART_SUFFIX[entity]},
                                    label=f"counterpart-renamed:{index}", element=element)
        await self.ids.add_alias(call.realm_id, guid=guid, entity=entity, qbo_id=str(row["Id"]))
        journal.add(entity, row)
        return str(row["Id"])
