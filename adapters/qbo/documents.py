"""The two document families of the QBO adapter — Invoices (QBO Invoice + Bill) and CreditNotes (QBO CreditMemo +
VendorCredit) — and how a document is found by GUID or number. Shared by the document and payment operations, so
that no operation mixin imports another."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gateway.xero.errors import NotFound
from gateway.xero.guids import is_guid
from gateway.xero.models import XeroModel
from gateway.xero.models.documents import CreditNote, Invoice

from . import refdata
from .query import Resource, quote
from .resources import CREDIT_NOTES, INVOICES
from .translate.common import Tx
from .translate.documents import CREDIT_KINDS, INVOICE_KINDS, DocKind, credit_note_to_xero, invoice_to_xero
from .unit import QboUnit

#: Reference kinds a document write needs (translation, tax codes, contacts' names).
WRITE_KINDS = (*refdata.DOCUMENT_KINDS, "taxcodes")


@dataclass(frozen=True)
class Family:
    """Invoices or CreditNotes."""

    resource: Resource
    kinds: tuple[DocKind, ...]
    model: type[XeroModel]
    id_field: str
    number_field: str
    noun: str

    def translate(self, row: dict[str, Any], kind: DocKind, t: Tx) -> XeroModel:
        if self.model is Invoice:
            return invoice_to_xero(row, kind, t)
        return credit_note_to_xero(row, kind, t)


INVOICE_FAMILY = Family(INVOICES, INVOICE_KINDS, Invoice, "InvoiceID", "InvoiceNumber", "invoice")
CREDIT_FAMILY = Family(CREDIT_NOTES, CREDIT_KINDS, CreditNote, "CreditNoteID", "CreditNoteNumber", "credit note")


async def find_document(unit: QboUnit, family: Family, key: str) -> tuple[str, dict[str, Any]]:
    """A document by GUID, or by its number (``GET /Invoices/{InvoiceNumber}``). Raises NotFound."""
    entities = [k.entity for k in family.kinds]
    if is_guid(key):
        ref = await unit.find(key, entities)
        if ref is None:
            raise NotFound()
        return ref.entity, await unit.read(ref.entity, ref.qbo_id)
    texts = [f"SELECT * FROM {e} WHERE DocNumber = {quote(key)}" for e in entities]  # noqa: S608 - quoted
    for entity, answer in zip(entities, await unit.queries(texts), strict=True):
        for row in answer.get(entity) or []:
            if str(row.get("DocNumber")) == key:
                return entity, row
    raise NotFound()
