"""The ``/v3.1`` API: collections, single records, settings, ``/businesses`` and ``/user``.

Routes (one per operation of swagger.accounts.v3.1.json / swagger.user_business.v3.1.json the emulator serves;
``data/resources.toml`` says which):

- ``GET /{collection}`` → the list envelope (:mod:`.listing`); ``POST /{collection}`` ``{"<singular>": {...}}`` →
  201 with the record.
- ``GET /{collection}/{key}`` → the record; ``PUT`` → 200 with it; ``DELETE`` → 204, or 200 with the voided record
  (sales artefacts); ``POST /{collection}/{key}/release`` → 201 with the released record.
- ``GET /attachments/{key}/file`` → the attachment's bytes (``Accept: application/octet-stream`` required: the spec's
  header parameter "must always be set to application/octet-stream"; 406 otherwise, unconfirmed); a list of
  ``/attachments`` with only one of the two context filters answers 422 (spec: "Requires filtering by … as well").
- ``GET|PUT /financial_settings``, ``GET|PUT /business_settings``, ``GET|PUT /cis_settings``.
- ``GET /businesses`` (every business of the user, unpaged: ``$items_per_page`` 2147483647 as in Sage's
  best-practices guide), ``GET|PUT /businesses/{key}`` (``lead`` names the lead business), ``GET|PUT /user``.

Bodies: ``Content-Type: application/json`` (415 otherwise, "Response Codes"); a body that is not JSON, or not
wrapped in the resource's singular name, answers 422 RecordInvalid (wording unconfirmed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from . import errors, listing
from .catalogue import ResourceSpec
from .context import Context, a_string, copy_strings
from .handlers.attachments import file_bytes
from .handlers.settings import update_business_settings, update_cis_settings, update_financial_settings
from .state import STATE, EmulatorState
from .store import Business
from .wire import dumps, loads

PREFIX = "/v3.1"
BUSINESS = web.RequestKey("sage_business", Business)
UNPAGED = 2_147_483_647
USER_LOCALES = ("en-GB", "en-IE", "en-US", "es-US", "en-CA", "fr-CA", "fr-FR", "de-DE", "es-ES")


def json_response(body: Any, *, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    return web.Response(status=status, text=dumps(body), content_type="application/json", charset="utf-8",
                        headers=dict(headers or {}))


def error_response(error: errors.SageError) -> web.Response:
    return json_response(error.body(), status=error.status, headers=error.headers)


async def read_body(request: web.Request, wrapper: str) -> dict[str, Any]:
    """The unwrapped JSON object of a POST/PUT body.

    Raises:
        SageError: 415 for another media type; 422 for a body that is not JSON or lacks the wrapper.
    """
    if request.content_type != "application/json":
        raise errors.unsupported_media_type()
    text = await request.text()
    try:
        data = loads(text) if text.strip() else {}
    except ValueError:
        raise errors.record_invalid("The request body is not valid JSON", "") from None
    if not isinstance(data, dict) or not isinstance(data.get(wrapper), dict):
        raise errors.required(wrapper)
    state = request.app[STATE]
    if state.config.validate_requests:
        from . import spec

        problems = spec.request_errors(request.method, request.path, data, spec_dir=state.config.spec_dir)
        if problems:
            raise errors.invalid_items([(p.message, p.source) for p in problems])
    return data[wrapper]


def _state(request: web.Request) -> EmulatorState:
    return request.app[STATE]


def _business(request: web.Request) -> Business:
    return request[BUSINESS]


def _context(request: web.Request) -> Context:
    return _state(request).engine.context(_business(request))


def _answer(state: EmulatorState, business: Business, spec: ResourceSpec, record: dict[str, Any],
            query: Mapping[str, str], *, status: int = 200) -> web.Response:
    presented = state.engine.handler(spec.name).present(business, record, query)
    return json_response(listing.select(presented, query.get("attributes"), detail=True), status=status)


# ------------------------------------------------------------------------------------------------ collections


def collection_views(spec: ResourceSpec) -> dict[str, Any]:
    """The aiohttp handlers of one collection."""

    async def list_records(request: web.Request) -> web.Response:
        state, business, query = _state(request), _business(request), request.query
        handler = state.engine.handler(spec.name)
        key = state.config.items_per_page_key
        if spec.deleted and query.get("deleted_since"):
            stones = listing.deleted(spec, list(business.tombstones.get(spec.name, {}).values()), query)
            page = listing.envelope(spec, stones, query, per_page_key=key, present=lambda r: r)
            page["$items"] = [dict(s) for s in stones_page(stones, query)]
            return json_response(page)
        if spec.name == "attachments" and \
                bool(query.get("attachment_context_id")) != bool(query.get("attachment_context_type_id")):
            missing = "attachment_context_type_id" if query.get("attachment_context_id") else "attachment_context_id"
            raise errors.required(missing)
        records = listing.matching(spec, business.all(spec.name), query)
        return json_response(listing.envelope(spec, records, query, per_page_key=key,
                                              present=lambda r: handler.present(business, r, query)))

    async def get_record(request: web.Request) -> web.Response:
        state, business = _state(request), _business(request)
        record = state.engine.find(business, spec.name, request.match_info["key"])
        return _answer(state, business, spec, record, request.query)

    async def create(request: web.Request) -> web.Response:
        state, business = _state(request), _business(request)
        body = await read_body(request, spec.singular)
        record = state.engine.create(business, spec.name, body)
        return _answer(state, business, spec, record, {}, status=201)

    async def update(request: web.Request) -> web.Response:
        state, business = _state(request), _business(request)
        body = await read_body(request, spec.singular)
        record = state.engine.update(business, spec.name, request.match_info["key"], body)
        return _answer(state, business, spec, record, {})

    async def delete(request: web.Request) -> web.Response:
        state, business = _state(request), _business(request)
        record = state.engine.delete(business, spec.name, request.match_info["key"], request.query)
        if record is None:
            return web.Response(status=204)
        return _answer(state, business, spec, record, {})

    async def release(request: web.Request) -> web.Response:
        state, business = _state(request), _business(request)
        record = state.engine.release(business, spec.name, request.match_info["key"])
        return _answer(state, business, spec, record, {}, status=201)

    return {"list": list_records, "get": get_record, "create": create, "update": update, "delete": delete,
            "release": release}


def stones_page(stones: list[dict[str, Any]], query: Mapping[str, str]) -> list[dict[str, Any]]:
    """The page of tombstones the envelope describes (tombstones answer all their members)."""
    page, per_page = listing.page_size(query)
    last = max(1, -(-len(stones) // per_page))
    page = min(page, last)
    return stones[(page - 1) * per_page: page * per_page]


async def attachment_file(request: web.Request) -> web.Response:
    """``GET /attachments/{key}/file``: the file's bytes, typed as stored."""
    state, business = _state(request), _business(request)
    accepted = [part.split(";")[0].strip().lower() for part in request.headers.get("Accept", "").split(",")]
    if "application/octet-stream" not in accepted:
        raise errors.not_acceptable()
    record = state.engine.find(business, "attachments", request.match_info["key"])
    return web.Response(body=file_bytes(record), content_type="application/octet-stream",
                        headers={"Content-Disposition": f'attachment; filename="{record["file_name"]}"'})


# ------------------------------------------------------------------------------------------------ settings


def settings_views(name: str) -> tuple[Any, Any]:
    update_settings = {"financial_settings": update_financial_settings, "business_settings": update_business_settings,
                       "cis_settings": update_cis_settings}[name]

    async def get(request: web.Request) -> web.Response:
        return json_response(_business(request).settings[name])

    async def put(request: web.Request) -> web.Response:
        body = await read_body(request, name)
        return json_response(update_settings(_context(request), body))

    return get, put


# ------------------------------------------------------------------------------------------------ businesses, user


async def list_businesses(request: web.Request) -> web.Response:
    state = _state(request)
    records = [b.record for b in state.store.businesses.values()]
    query = request.query
    return json_response({"$total": len(records), "$page": 1, "$next": None, "$back": None,
                          "$items_per_page": UNPAGED,
                          "$items": [listing.select(r, query.get("attributes"), detail=False) for r in records]})


def _business_by_key(request: web.Request) -> Business:
    business = _state(request).store.business(request.match_info["key"])
    if business is None:
        raise errors.record_not_found("key")
    return business


async def get_business(request: web.Request) -> web.Response:
    return json_response(_business_by_key(request).record)


async def put_business(request: web.Request) -> web.Response:
    business = _business_by_key(request)
    body = await read_body(request, "business")
    record = dict(business.record)
    copy_strings(body, record, ("name", "address_line_1", "address_line_2", "city", "region", "postal_code",
                                "telephone", "mobile", "website"))
    record["displayed_as"] = record["name"]
    record["updated_at"] = _state(request).clock.stamp()
    business.record = record
    return json_response(record)


async def get_user(request: web.Request) -> web.Response:
    return json_response(_state(request).store.user)


async def put_user(request: web.Request) -> web.Response:
    state = _state(request)
    body = await read_body(request, "user")
    user = dict(state.store.user)
    copy_strings(body, user, ("first_name", "last_name", "initials"))
    if body.get("locale") is not None:
        if a_string(body["locale"], "locale") not in USER_LOCALES:
            raise errors.record_invalid("is not included in the list", "locale")
        user["locale"] = body["locale"]
    user["displayed_as"] = f"{user['first_name']} {user['last_name']}"
    user["updated_at"] = state.clock.stamp()
    state.store.user = user
    return json_response(user)


#: Paths under /v3.1 that are not scoped to a business (no X-Business needed).
UNSCOPED = ("/businesses", "/user")


def add_routes(app: web.Application, specs: Mapping[str, ResourceSpec]) -> None:
    router = app.router
    router.add_get(PREFIX + "/businesses", list_businesses)
    router.add_get(PREFIX + "/businesses/{key}", get_business)
    router.add_put(PREFIX + "/businesses/{key}", put_business)
    router.add_get(PREFIX + "/user", get_user)
    router.add_put(PREFIX + "/user", put_user)
    for name in ("financial_settings", "business_settings", "cis_settings"):
        get, put = settings_views(name)
        router.add_get(f"{PREFIX}/{name}", get)
        router.add_put(f"{PREFIX}/{name}", put)
    router.add_get(PREFIX + "/attachments/{key}/file", attachment_file)
    for spec in specs.values():
        views = collection_views(spec)
        base = f"{PREFIX}/{spec.name}"
        if "list" in spec.operations:
            router.add_get(base, views["list"])
        if "create" in spec.operations:
            router.add_post(base, views["create"])
        if "get" in spec.operations:
            router.add_get(base + "/{key}", views["get"])
        if "update" in spec.operations:
            router.add_put(base + "/{key}", views["update"])
        if "delete" in spec.operations:
            router.add_delete(base + "/{key}", views["delete"])
        if "release" in spec.operations:
            router.add_post(base + "/{key}/release", views["release"])
