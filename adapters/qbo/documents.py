"""The two document families of the QBO adapter — Invoices (QBO Invoice + Bill) and CreditNotes (QBO CreditMemo +
VendorCredit) — and how a document is found by GUID or number. Shared by the document and payment operations, so
that no operation mixin imports another."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gateway.xero.errors import NotFound
from gateway.xero.guids import is_guid
from gateway.xero.models import XeroModel
from gateway.xero.models.documents import CreditNote, Invoice

from . import refdata
from .query import Resource, quote
from .resources import CREDIT_NOTES, INVOICES
from .translate.common import Tx
from .translate.documents import CREDIT_KINDS, INVOICE_KINDS, DocKind, credit_note_to_xero, invoice_to_xero
from .translate.lines import accounts_needing_items, generated_item_name
from .unit import QboUnit

if TYPE_CHECKING:
    from .batch import Journal

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


async def ensure_sales_items(unit: QboUnit, element: dict[str, Any], t: Tx, journal: Journal) -> Tx:
    """Create (or reactivate) the item of every account a sales element's lines name without an item (QBO sales
    lines need an item, :func:`adapters.qbo.translate.lines.accounts_needing_items`); returns the refreshed
    translation context. Creations go in ``journal``."""
    needed = accounts_needing_items(element, t)
    for account in needed:
        name = generated_item_name(account)
        dormant = t.refs.items.coded(name)
        if dormant is not None and dormant.get("Active") is False:
            # An earlier refused document's undo made it inactive; QBO keeps the Name taken (6240).
            current_item = await unit.read("Item", str(dormant["Id"]))
            await unit.update("Item", current_item, {"Active": True}, label=f"item:{account['Id']}",
                              element=element)
            continue
        item = await unit.create("Item", {"Name": name, "Type": "Service",
                                          "IncomeAccountRef": {"value": str(account["Id"])}},
                                 label=f"item:{account['Id']}", element=element)
        journal.add("Item", item)
    return await unit.refresh("items") if needed else t
