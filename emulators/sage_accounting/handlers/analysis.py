"""``/analysis_types`` and ``/analysis_type_categories``: the business's analysis types and their categories.

Shapes: the spec's ``AnalysisType``, ``AnalysisTypeCategory``, ``putAnalysisTypes`` and ``postAnalysisTypeCategories``
(swagger.accounts.v3.1.json). Rules and their sources:

- A business has a fixed set of analysis types (the spec offers GET and PUT on ``/analysis_types``, no POST or
  DELETE): :data:`DEFAULT_TYPES` are made with every business (their names are the emulator's; Sage lets the user
  rename them, which PUT does). ``analysis_type_categories`` of a type are answered nested, live.
- A category needs an ``analysis_type_id`` and a ``name`` (422 otherwise; the post definition requires nothing inside
  the wrapper, so the messages are the emulator's); ``code`` defaults to the name; names are unique within a type
  (inferred, 422). A category used on a document line cannot be deleted (inferred, as ledger records in use).
- Lines of sales and purchase artefacts name categories by id (``analysis_type_categories``: an array of ids in the
  post bodies) and answer them as ``AnalysisTypeLineItem`` s (:func:`line_categories`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from .. import errors
from ..context import Context, a_list, a_string, base_ref
from ..store import Business
from .base import Handler

#: The analysis types every business starts with (names are the emulator's).
DEFAULT_TYPES = ("Department", "Cost Centre", "Project")
_NAMESPACE = uuid.UUID("5f0c3a9e-2b7d-4e61-9a83-1c4d7e2f6b08")
DOCUMENT_COLLECTIONS = ("sales_invoices", "sales_credit_notes", "purchase_invoices", "purchase_credit_notes",
                        "sales_quotes")
LINE_KEYS = ("invoice_lines", "credit_note_lines", "quote_lines")


def install_analysis_types(business: Business, stamp: str) -> None:
    """The default analysis types (ids derived from the business id, so that no other id changes)."""
    for level, name in enumerate(DEFAULT_TYPES, start=1):
        type_id = uuid.uuid5(_NAMESPACE, f"{business.id}/{level}").hex
        if business.get("analysis_types", type_id) is not None:
            continue
        business.put("analysis_types", {
            "id": type_id, "displayed_as": name, "$path": f"/analysis_types/{type_id}", "created_at": stamp,
            "updated_at": stamp, "name": name, "active_areas": ["sales", "purchasing"],
            "analysis_type_level": [str(level)]})


def line_categories(ctx: Context, given: Any, source: str) -> list[dict[str, Any]]:
    """The stored ``analysis_type_categories`` of a line from the ids a request gives (one per type at most)."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, category_id in enumerate(a_list(given, source)):
        category = ctx.lookup("analysis_type_categories", category_id, f"{source}[{index}]")
        type_id = category["analysis_type"]["id"]
        if type_id in seen:
            raise errors.record_invalid("names two categories of one analysis type", f"{source}[{index}]")
        seen.add(type_id)
        out.append({**base_ref(category), "analysis_type": base_ref(ctx.business.get("analysis_types", type_id)
                                                                    or {"id": type_id})})
    return out


def categories_in_use(business: Business) -> set[str]:
    """Ids of the categories any document line names."""
    return {c["id"] for name in DOCUMENT_COLLECTIONS for record in business.all(name) for key in LINE_KEYS
            for line in record.get(key) or [] for c in line.get("analysis_type_categories") or []}


class AnalysisTypes(Handler):
    """``/analysis_types``: GET and PUT (rename, active areas)."""

    def update(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        if body.get("name") is not None:
            name = a_string(body["name"], "name").strip()
            if not name:
                raise errors.required("name")
            record["name"] = record["displayed_as"] = name
        if body.get("active_areas") is not None:
            record["active_areas"] = [a_string(a, "active_areas") for a in a_list(body["active_areas"],
                                                                                 "active_areas")]
        ctx.touch(record)
        return record

    def present(self, business: Business, record: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any]:
        """``analysis_type_categories``: the type's live categories."""
        categories = [base_ref(c) | {"code": c.get("code"), "name": c.get("name")}
                      for c in business.all("analysis_type_categories")
                      if c["analysis_type"]["id"] == record["id"]]
        return {**record, "analysis_type_categories": categories}


class AnalysisTypeCategories(Handler):
    """``/analysis_type_categories``."""

    def _build(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> None:
        type_id = body.get("analysis_type_id") or (record.get("analysis_type") or {}).get("id")
        if not type_id:
            raise errors.required("analysis_type_id")
        kind = ctx.lookup("analysis_types", type_id, "analysis_type_id")
        name = a_string(body["name"], "name").strip() if body.get("name") is not None else record.get("name", "")
        if not name:
            raise errors.required("name")
        if any(c["analysis_type"]["id"] == kind["id"] and c["id"] != record.get("id")
               and c["name"].lower() == name.lower() for c in ctx.business.all("analysis_type_categories")):
            raise errors.record_invalid("has already been taken", "name")
        code = a_string(body["code"], "code") if body.get("code") is not None else record.get("code") or name
        record.update({"analysis_type": base_ref(kind), "name": name, "code": code, "displayed_as": name,
                       "combined_id": f"{kind['id']}:{code}"})

    def create(self, ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
        record = ctx.new_record("analysis_type_categories")
        self._build(ctx, record, body)
        ctx.business.put("analysis_type_categories", record)
        return record

    def update(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        draft = dict(record)
        self._build(ctx, draft, body)
        record.update(draft)
        ctx.touch(record)
        return record

    def delete(self, ctx: Context, record: dict[str, Any], params: Mapping[str, str]) -> None:
        if record["id"] in categories_in_use(ctx.business):
            raise errors.record_invalid("is in use and cannot be deleted", "id")
        self.remove(ctx, record)
        return None
