"""Building the native ledger's field maps (:mod:`adapters.common.fields`): the populated columns come from the
SQL field maps (:mod:`.fieldmaps`), the rest is declared by hand beside each translator (:mod:`.fidelity` and its
siblings)."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import Column

from adapters.common import fields

from .. import sqlquery

#: The ``source`` of ``HasAttachments`` and ``Attachments`` on the resources ops_attachment_flags flags.
ATTACHMENTS = "attachments table: true when the record has a file (adapters.native.ops_attachment_flags)"
ATTACHMENT_LIST = "attachments table: the record's files (adapters.native.ops_attachment_flags)"


def _columns(sql: sqlquery.FieldMap) -> dict[str, fields.Field]:
    """Top-level paths of ``sql`` whose expression is a plain column, as populated fields (``table.column``)."""
    out = {}
    for path, field in sql.fields.items():
        expression = getattr(field.column, "expression", field.column)
        if "." not in path and isinstance(expression, Column) and expression.table is not None:
            out[path] = fields.populated(path, f"{expression.table.name}.{expression.name}")
    return out


def declare(resource: str, model: type[BaseModel], sql: sqlquery.FieldMap | None,
            *explicit: fields.Field | list[fields.Field]) -> fields.FieldMap:
    """``resource``'s map: the SQL map's columns, with ``explicit`` declarations winning over them."""
    by_path = _columns(sql) if sql is not None else {}
    for item in explicit:
        for field in [item] if isinstance(item, fields.Field) else item:
            by_path[field.xero_path] = field
    return fields.FieldMap(resource, model, list(by_path.values()))
