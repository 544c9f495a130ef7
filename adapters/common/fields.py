"""Field declarations: for one resource of one source, what becomes of every field of the Xero model.

Each translator module declares a :class:`FieldMap` per resource it serves, beside the code that reads the source's
fields; its package (``adapters/<source>/translate/__init__.py``) lists them in ``FIELD_MAPS`` (Xero collection
name → map). Nothing else keeps this table: ``tools/gen_fields.py`` renders ``docs/fields-<code>.md`` from it,
``GET /{code}/gateway/capabilities`` serves it, and ``tests/fidelity`` reads every resource through each source's
stack and fails when a field the answer carries is not declared served, or a declared one never shows (issue 14,
"a fidelity report per source, generated").

A field is one of:

- ``populated``: read from the source; ``source`` names the source's field in its own terms (QBO
  ``Invoice.DocNumber``, Sage ``sales_invoices.invoice_number``, Sage 50 ``AUDIT_HEADER.INV_REF``, a native column).
  A field declared with :func:`read` names a path into the source's record and a conversion: the translator takes
  its value from :meth:`FieldMap.read`, so the declaration is the code that reads it and the two cannot drift.
- ``computed``: derived by the gateway from source data; ``source`` says how.
- ``kept``: held by the gateway in its own database (GUIDs issued for upstream ids, attachments, notes).
- ``lost``: never populated; ``note`` says why.

``condition`` marks a served field that appears only on some records or reads ("only on a single read", "once
paid"); without one, every record the source serves carries the field. Paths are the model's top-level field
names: a nested object (``Contact`` on an Invoice, ``LineItems``) is declared as a whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, Literal

from pydantic import BaseModel

Kind = Literal["populated", "computed", "kept", "lost"]
KINDS: tuple[Kind, ...] = ("populated", "computed", "kept", "lost")
#: Kinds whose fields the gateway's answers carry.
SERVED: frozenset[str] = frozenset({"populated", "computed", "kept"})

#: Per-element outcome fields of Xero's write responses (spec: ``HasErrors``, ``ValidationErrors``, ``Warnings``,
#: ``StatusAttributeString``, ``HasValidationErrors``); the gateway sets them on a write's answer, never on a read.
WRITE_OUTCOME = ("HasErrors", "HasValidationErrors", "StatusAttributeString", "ValidationErrors", "Warnings")


@dataclass(frozen=True)
class Field:
    """What becomes of one Xero field for one source.

    Attributes:
        xero_path: the Xero model's field name (``InvoiceNumber``).
        kind: ``populated``, ``computed``, ``kept`` or ``lost``.
        source: the source's field (populated), how it is derived (computed), where the gateway keeps it (kept).
        note: why it is lost, or a remark.
        condition: when a served field is present ("only on a single read"); empty when always.
        path: for a field declared with :func:`read`, the dotted path of its value in the source's record.
        convert: for a field declared with :func:`read`, what turns the value at ``path`` into the Xero value;
            ``None`` for a field the translator reads itself.
    """

    xero_path: str
    kind: Kind
    source: str = ""
    note: str = ""
    condition: str = ""
    path: str = ""
    convert: Callable[[Any], Any] | None = dataclass_field(default=None, compare=False, repr=False)

    def as_json(self) -> dict[str, str]:
        """The declaration as JSON-ready strings (empty attributes left out)."""
        out = {"XeroField": self.xero_path, "Kind": self.kind, "Source": self.source, "Note": self.note,
               "Condition": self.condition}
        return {k: v for k, v in out.items() if v}


def populated(xero_path: str, source: str, *, note: str = "", condition: str = "") -> Field:
    """A field read from the source's field ``source`` (named as the source names it)."""
    return Field(xero_path, "populated", source, note, condition)


def read(xero_path: str, path: str, convert: Callable[[Any], Any], *, record: str | tuple[str, ...] = "",
         note: str = "", condition: str = "") -> Field:
    """A populated field the translator reads through its map (:meth:`FieldMap.read`).

    Args:
        xero_path: the Xero field.
        path: where the value is in the source's record, in the source's own names; dots step into nested objects
            (QBO ``TxnTaxDetail.TotalTax``).
        convert: the source value (``None`` when the path is absent) → the Xero value.
        record: the source's name for the record, prefixed to ``path`` in the ``source`` the documents show
            (Sage ``contacts`` → ``contacts.reference``); several when one translator reads records of several
            kinds (QBO ``("Customer", "Vendor")`` → ``Customer.AcctNum / Vendor.AcctNum``).
        note: a remark on the conversion ("1 when zero").
        condition: as for :func:`populated`.
    """
    records = (record,) if isinstance(record, str) else record
    source = " / ".join(f"{name}.{path}" for name in records if name) or path
    return Field(xero_path, "populated", source, note, condition, path, convert)


def or_none(value: Any) -> Any:
    """A :func:`read` converter: the source value, ``None`` when it is empty (``""``, ``0``, ``[]``) or absent,
    as Xero leaves out a field it has no value for."""
    return value or None


def computed(xero_path: str, how: str, *, condition: str = "") -> Field:
    """A field the gateway derives from source data, ``how`` saying from what."""
    return Field(xero_path, "computed", how, "", condition)


def kept(xero_path: str, where: str, *, condition: str = "") -> Field:
    """A field the gateway keeps in its own database (``where`` names the store)."""
    return Field(xero_path, "kept", where, "", condition)


def lost(*xero_paths: str, reason: str) -> list[Field]:
    """Fields the source cannot give and the gateway does not keep, with the reason."""
    return [Field(path, "lost", "", reason) for path in xero_paths]


def write_outcome(model: type[BaseModel]) -> list[Field]:
    """The model's :data:`WRITE_OUTCOME` fields, computed on write answers only."""
    return [computed(name, "the outcome of the element in a write's answer", condition="only on a write's answer")
            for name in WRITE_OUTCOME if name in model.model_fields]


def _flatten(items: Iterable[Field | Iterable[Any]]) -> Iterable[Field]:
    for item in items:
        if isinstance(item, Field):
            yield item
        else:
            yield from _flatten(item)


def _dig(record: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` of ``record``; ``None`` when a step is absent or not an object."""
    value: Any = record
    for step in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(step)
    return value


class DeclarationError(ValueError):
    """A field map that names a field its model does not have, names one twice, or lacks a source or reason."""


@dataclass(frozen=True)
class Audit:
    """A field map compared with what the gateway actually served.

    Attributes:
        undeclared: fields present in an answer but not declared served (or declared lost).
        never_seen: unconditional served fields that no answer carried.
    """

    undeclared: frozenset[str]
    never_seen: frozenset[str]

    @property
    def ok(self) -> bool:
        return not self.undeclared and not self.never_seen


class FieldMap:
    """Every field of one Xero model for one resource of one source.

    Args:
        resource: Xero's collection name (``Invoices``).
        model: the canonical model the translator returns (:mod:`gateway.xero.models`).
        fields: the declarations, in any order; lists (as :func:`lost` returns), nested or not, are flattened.

    Raises:
        DeclarationError: a path that is not a field of ``model``, a path declared twice, a populated, computed or
            kept field without ``source``, a lost one without ``note``.
    """

    def __init__(self, resource: str, model: type[BaseModel], *fields: Field | Iterable[Field]) -> None:
        self.resource = resource
        self.model = model
        flat = list(_flatten(fields))
        by_path: dict[str, Field] = {}
        for field in flat:
            if field.xero_path not in model.model_fields:
                raise DeclarationError(f"{resource}: {model.__name__} has no field {field.xero_path!r}")
            if field.xero_path in by_path:
                raise DeclarationError(f"{resource}: {field.xero_path} declared twice")
            if field.kind in SERVED and not field.source:
                raise DeclarationError(f"{resource}: {field.xero_path} is {field.kind} without a source")
            if field.kind == "lost" and not field.note:
                raise DeclarationError(f"{resource}: {field.xero_path} is lost without a reason")
            by_path[field.xero_path] = field
        # Model order, so that documents follow the spec's field order.
        self.fields: dict[str, Field] = {name: by_path[name] for name in model.model_fields if name in by_path}

    def __getitem__(self, xero_path: str) -> Field:
        return self.fields[xero_path]

    def source(self, xero_path: str) -> str:
        """The source field declared for ``xero_path`` (what a translator reads).

        Raises:
            KeyError: ``xero_path`` is not declared, or not declared populated.
        """
        field = self.fields[xero_path]
        if field.kind != "populated":
            raise KeyError(f"{self.resource}.{xero_path} is {field.kind}, not populated")
        return field.source

    @property
    def undeclared(self) -> list[str]:
        """The model's fields this map does not declare (a complete map has none)."""
        return [name for name in self.model.model_fields if name not in self.fields]

    def read(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """The values of the fields declared with :func:`read`, taken from one source record.

        Args:
            record: the source's record as its API gives it (a JSON object).

        Returns:
            Xero field name → converted value, for every :func:`read` field of the map (a value ``None`` when the
            converter gives none), ready to pass to the model.
        """
        return {name: f.convert(_dig(record, f.path)) for name, f in self.fields.items() if f.convert is not None}

    def of_kind(self, kind: str) -> list[Field]:
        """The declarations of one kind, in model order."""
        return [f for f in self.fields.values() if f.kind == kind]

    def counts(self) -> dict[str, int]:
        """Declarations per kind, plus ``total`` (the model's field count)."""
        out = {kind: len(self.of_kind(kind)) for kind in KINDS}
        out["total"] = len(self.model.model_fields)
        return out

    def populated_share(self) -> float:
        """Share of the model's fields populated from the source, 0.0-1.0 (a ratio of counts, not money)."""
        total = len(self.model.model_fields)
        return len(self.of_kind("populated")) / total if total else 0.0

    def audit(self, records: Iterable[Mapping[str, Any]]) -> Audit:
        """Compare the declarations with answered records (Xero JSON objects of this resource).

        Only the model's own fields count (JSON companions such as ``DateString`` are rendering, not fields).
        """
        seen: set[str] = set()
        for record in records:
            seen.update(k for k, v in record.items() if k in self.model.model_fields and v is not None)
        served = {p for p, f in self.fields.items() if f.kind in SERVED}
        must = {p for p, f in self.fields.items() if f.kind in SERVED and not f.condition}
        return Audit(undeclared=frozenset(seen - served), never_seen=frozenset(must - seen))

    def as_json(self) -> dict[str, Any]:
        """``{"Resource", "Model", "Counts", "Fields": [...]}`` for the capabilities document."""
        return {"Resource": self.resource, "Model": self.model.__name__, "Counts": self.counts(),
                "Fields": [f.as_json() for f in self.fields.values()]}


def collect(*maps: FieldMap) -> dict[str, FieldMap]:
    """``FIELD_MAPS`` of a translate package: resource → map, in resource name order.

    Raises:
        DeclarationError: two maps for one resource.
    """
    out: dict[str, FieldMap] = {}
    for fmap in maps:
        if fmap.resource in out:
            raise DeclarationError(f"{fmap.resource} declared by two field maps")
        out[fmap.resource] = fmap
    return dict(sorted(out.items()))
