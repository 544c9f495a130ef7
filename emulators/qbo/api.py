"""The data service: ``/v3/company/{realmId}/…`` operations, answered as QBO answers them.

- ``GET /{entity}/{id}`` read → ``{"<Entity>": {…}, "time"}``; ``GET /preferences`` and ``/companyinfo/{id}``.
- ``POST /{entity}`` create, or update when the body has an ``Id`` (``"sparse": true`` for a sparse update);
  ``?operation=update`` says the same; ``?operation=delete``; ``?operation=void``; BillPayment
  ``?operation=update&include=void``.
- ``GET /query?query=…`` or ``POST /query`` (body: the query text, ``application/text``).
- ``GET /cdc?entities=A,B&changedSince=ISO`` (30-day look-back, at most 1000 objects).
- ``POST /batch`` ``{"BatchItemRequest": [{bId, operation, <Entity>} | {bId, Query}]}`` (at most 30 items); every
  item is processed on its own and carries its own ``Fault`` (samples/platform/Batch.json).
- ``GET /reports/{name}`` (:mod:`emulators.qbo.reports`).

Sources for each rule: upstream-contracts.md §1 and the samples named in the docstrings below.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

from aiohttp import web

from . import faults, reports
from .clock import parse_datetime
from .entities import Engine, EntitySpec, catalogue
from .query import Query, parse, project, run, validate_fields
from .state import EmulatorState
from .store import Realm, clone

CDC_LOOKBACK_DAYS = 30
CDC_MAX_OBJECTS = 1000


# ------------------------------------------------------------------------------------------------ JSON


def to_wire(value: Any) -> Any:
    """Records hold ``Decimal`` money; JSON numbers carry it on the wire (a float holds every 2–4 dp amount's
    shortest decimal form exactly, so the digits written are the Decimal's)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_wire(v) for v in value]
    return value


def json_response(body: dict[str, Any], *, status: int = 200) -> web.Response:
    return web.Response(status=status, text=faults.dumps(to_wire(body)), content_type="application/json",
                        charset="UTF-8")


def fault_response(state: EmulatorState, fault: faults.QboFault) -> web.Response:
    return json_response(fault.body(state.clock.response_time()), status=fault.status)


async def read_json(request: web.Request) -> Any:
    """The request body as JSON with ``Decimal`` numbers.

    Raises:
        QboFault: the body is not JSON (wording unconfirmed).
    """
    text = await request.text()
    try:
        return json.loads(text, parse_float=Decimal) if text.strip() else {}
    except ValueError:
        raise faults.invalid_request("Request body is not valid JSON") from None


def answer_form(spec: EntitySpec, record: dict[str, Any]) -> dict[str, Any]:
    """A record as QBO answers it: a wrapper (RecurringTransaction, ``{"Invoice": {…}}``) without the key the
    emulator keeps it under (RecurringTransaction.json ``query_response``)."""
    if spec.wrapper:
        return {k: v for k, v in record.items() if k not in ("Id", "SyncToken", "domain", "sparse")}
    return record


# ------------------------------------------------------------------------------------------------ services


class DataService:
    """The operations of one realm (shared by the HTTP handlers and batch items)."""

    def __init__(self, state: EmulatorState, realm: Realm) -> None:
        self.state = state
        self.realm = realm
        self.engine = Engine(realm, state.clock)
        self.cat = catalogue()

    def spec(self, segment: str) -> EntitySpec:
        spec = self.cat.lookup(segment)
        if spec is None:
            raise faults.unsupported_operation(f"Could not find resource for relative : /v3/company/"
                                               f"{self.realm.realm_id}/{segment}")
        return spec

    def check_body(self, spec: EntitySpec, body: Any) -> dict[str, Any]:
        """A write body must be an object naming only properties the XSD knows (Fault 2010)."""
        if not isinstance(body, dict):
            raise faults.invalid_request(f"Request body must be a {spec.name} object")
        if self.state.check_properties:
            from . import xsd

            try:
                xsd.check_properties(spec.name, body, xsd_dir=self.state.config.xsd_dir)
            except KeyError:
                pass  # an entity the XSD does not declare: nothing to check against
            except xsd.XsdMismatch as mismatch:
                name = mismatch.path.split(".", 1)[-1] if mismatch.path else spec.name
                raise faults.unsupported_property(name) from None
        return body

    def read(self, spec: EntitySpec, entity_id: str) -> dict[str, Any]:
        record = self.realm.get(spec.name, entity_id)
        if record is None:
            raise faults.object_not_found()
        return answer_form(spec, clone(record))

    def write(self, spec: EntitySpec, body: Any, *, operation: str | None, include: str | None) -> dict[str, Any]:
        """Create / update / delete / void by ``operation``; returns the entity object of the response."""
        body = self.check_body(spec, body)
        op = (operation or "").lower()
        if op == "delete":
            return self._notify(spec, "Delete", self.engine.delete(spec, body))
        if op == "void":
            return self._notify(spec, "Void", self.engine.void(spec, body))
        if op not in ("", "update", "create"):
            raise faults.unsupported_operation(operation or "")
        if op == "update" or (op == "" and body.get("Id") not in (None, "")):
            return self._notify(spec, "Update", self.engine.update(
                spec, body, include_void=(include or "").lower() == "void"))
        return self._notify(spec, "Create", self.engine.create(spec, body))

    def _notify(self, spec: EntitySpec, operation: str, result: dict[str, Any]) -> dict[str, Any]:
        """Queue Intuit's webhook notification of a write (:mod:`emulators.qbo.webhooks`); returns ``result``."""
        if isinstance(result, dict) and result.get("Id"):
            self.state.webhooks.changed(self.realm.realm_id, spec.name, str(result["Id"]), operation,
                                        self.state.clock.now())
        return result

    def known_property(self, spec: EntitySpec) -> Any:
        if not self.state.check_properties:
            return lambda name: True
        from . import xsd

        try:
            names = {n.lower() for n in xsd.element_names(spec.name, xsd_dir=self.state.config.xsd_dir)}
        except KeyError:
            return lambda name: True
        return lambda name: name.lower() in names

    def query(self, text: str) -> dict[str, Any]:
        """Run a query; returns the ``QueryResponse`` object."""
        query: Query = parse(text)
        spec = self.cat.by_name.get(query.entity) or next(
            (s for s in self.cat.by_name.values() if s.name.lower() == query.entity.lower()), None)
        if spec is None:
            # Wording as quoted by public clients of QBO (4001); unconfirmed.
            raise faults.query_validation_error(f"Invalid context declaration: {query.entity}")
        validate_fields(query, known=self.known_property(spec))
        rows, total = run(query, self.realm.all(spec.name), active_only=spec.kind == "name")
        if query.count:
            return {"totalCount": total}
        if not rows:
            return {}
        return {spec.name: [answer_form(spec, project(clone(r), query.fields)) for r in rows],
                "startPosition": query.start_position, "maxResults": len(rows)}

    def cdc(self, entities: str | None, changed_since: str | None) -> list[dict[str, Any]]:
        """Change data capture: per entity, the records changed since ``changed_since`` and deletion stubs.

        Raises:
            QboFault: 2020 for a missing parameter; 2010-family for a bad date or one beyond the 30-day look-back
                (wording unconfirmed).
        """
        if not entities:
            raise faults.required_param("entities")
        if not changed_since:
            raise faults.required_param("changedSince")
        since = parse_datetime(changed_since)
        if since is None:
            raise faults.invalid_request(f"Invalid changedSince: {changed_since}", "changedSince")
        if since < self.state.clock.now() - timedelta(days=CDC_LOOKBACK_DAYS):
            raise faults.invalid_request("changedSince is more than 30 days in the past", "changedSince")
        out: list[dict[str, Any]] = []
        budget = CDC_MAX_OBJECTS
        for name in [e.strip() for e in entities.split(",") if e.strip()]:
            spec = self.spec(name)
            changed = []
            for row in [*self.realm.all(spec.name), *self.realm.tombstones.get(spec.name, {}).values()]:
                stamp = parse_datetime(str((row.get("MetaData") or {}).get("LastUpdatedTime", "")))
                if stamp is not None and stamp >= since:
                    changed.append((stamp, row))
            changed.sort(key=lambda pair: pair[0])
            rows = [clone(row) for _, row in changed[:budget]]
            budget -= len(rows)
            out.append({spec.name: rows, "startPosition": 1, "maxResults": len(rows), "totalCount": len(changed)}
                       if rows else {})
        return out

    def batch(self, body: Any) -> list[dict[str, Any]]:
        """Run batch items one by one (samples/platform/Batch.json).

        Raises:
            QboFault: the body is not a batch, or has more items than allowed (wording unconfirmed).
        """
        items = body.get("BatchItemRequest") if isinstance(body, dict) else None
        if not isinstance(items, list) or not items:
            raise faults.required_param("BatchItemRequest")
        if len(items) > self.state.config.max_batch_items:
            raise faults.invalid_request(
                f"Number of items in the batch request exceeds the maximum of {self.state.config.max_batch_items}",
                "BatchItemRequest")
        return [self.batch_item(item) for item in items]

    def batch_item(self, item: Any) -> dict[str, Any]:
        if not isinstance(item, dict):
            return {"Fault": faults.invalid_request("A batch item must be an object").fault_only()}
        out: dict[str, Any] = {"bId": item.get("bId")}
        try:
            if "Query" in item:
                out["QueryResponse"] = self.query(str(item["Query"]))
                return out
            entity_keys = [k for k in item if k not in ("bId", "operation", "optionsData") and k[:1].isupper()]
            if len(entity_keys) != 1:
                raise faults.required_param("operation entity")
            spec = self.spec(entity_keys[0])
            if spec.name != entity_keys[0]:
                raise faults.unsupported_operation(entity_keys[0])
            operation = str(item.get("operation") or "create").lower()
            if operation not in ("create", "update", "delete", "void"):
                raise faults.unsupported_operation(operation)
            result = self.write(spec, item[entity_keys[0]], operation=operation, include=None)
            out[spec.name] = result
        except faults.QboFault as fault:
            out["Fault"] = fault.fault_only()
        return out


# ------------------------------------------------------------------------------------------------ handlers


SERVICE = web.RequestKey("qbo_service", DataService)


def service(request: web.Request) -> DataService:
    return request[SERVICE]


async def read_entity(request: web.Request) -> web.Response:
    svc = service(request)
    spec = svc.spec(request.match_info["entity"])
    entity_id = request.match_info.get("entity_id") or ("1" if spec.kind == "singleton" else "")
    if not entity_id:
        raise faults.unsupported_operation(f"GET /{request.match_info['entity']}")
    return json_response({spec.name: svc.read(spec, entity_id), "time": svc.state.clock.response_time()})


async def write_entity(request: web.Request) -> web.Response:
    svc = service(request)
    spec = svc.spec(request.match_info["entity"])
    body = await read_json(request)
    result = svc.write(spec, body, operation=request.query.get("operation"), include=request.query.get("include"))
    return json_response({spec.name: result, "time": svc.state.clock.response_time()})


async def query(request: web.Request) -> web.Response:
    svc = service(request)
    text = request.query.get("query")
    if request.method == "POST" and not text:
        text = await request.text()
    if not text:
        raise faults.query_parse_error("The query provided was empty")
    return json_response({"QueryResponse": svc.query(text), "time": svc.state.clock.response_time()})


async def cdc(request: web.Request) -> web.Response:
    svc = service(request)
    result = svc.cdc(request.query.get("entities"), request.query.get("changedSince"))
    return json_response({"CDCResponse": [{"QueryResponse": result}], "time": svc.state.clock.response_time()})


async def batch(request: web.Request) -> web.Response:
    svc = service(request)
    items = svc.batch(await read_json(request))
    return json_response({"BatchItemResponse": items, "time": svc.state.clock.response_time()})


async def report(request: web.Request) -> web.Response:
    svc = service(request)
    body = reports.build(request.match_info["name"], svc.realm, svc.state.clock, dict(request.query),
                         svc.state.seed.reports)
    return json_response(body)


def add_routes(app: web.Application) -> None:
    prefix = "/v3/company/{realm_id}"
    app.router.add_route("*", prefix + "/query", query)
    app.router.add_get(prefix + "/cdc", cdc)
    app.router.add_post(prefix + "/batch", batch)
    app.router.add_get(prefix + "/reports/{name}", report)
    app.router.add_get(prefix + "/{entity}/{entity_id}", read_entity)
    app.router.add_get(prefix + "/{entity}", read_entity)
    app.router.add_post(prefix + "/{entity}", write_entity)
