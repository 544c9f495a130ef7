"""The documents that may carry history records and attachments, resolved lazily by ``"module:Class"``.

History and attachments hang off a parent document named by its Xero collection (``Invoices``, ``Quotes``…)
and id. The parent must exist and belong to the tenant. Its table may live in a module another part of the
ledger provides (credit notes, bank transactions… in :mod:`adapters.native.tables.documents`), so the classes are named
here as
``"module:Class"`` strings and imported on first use (the pattern of :mod:`adapters.registry`): a table that
does not exist (yet) makes the operation answer 501 for that resource instead of breaking the adapter.

Every parent table has ``company_id`` (the tenant) and a column holding the Xero id (:attr:`Parent.id_column`);
tables shared by several resources (quotes and purchase orders; bank transactions, overpayments and
prepayments) are told apart by a kind column.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import mappings
from gateway.xero.errors import NotFound, OperationNotSupported
from gateway.xero.guids import normalise_guid


@dataclass(frozen=True)
class Parent:
    """Where a resource's rows live.

    Attributes:
        target: ``"module:Class"`` of the SQLAlchemy table.
        id_column: the column holding the resource's Xero id (``id``; ``credit_id`` for overpayments and
            prepayments, which live on the bank transaction that created them).
        kind_column: a column that must hold one of ``kinds`` (tables shared by several resources), or ``None``.
        kinds: the values of ``kind_column`` this resource's rows have.
    """

    target: str
    id_column: str = "id"
    kind_column: str | None = None
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Found:
    """A parent document: its row and its Xero id (what history and attachments are filed under)."""

    row: Any
    record_id: str

    @property
    def document_type(self) -> str | None:
        """The row's ``type`` column (``ACCREC``, ``ACCRECCREDIT``…), if it has one."""
        value = getattr(self.row, "type", None)
        return value if isinstance(value, str) else None


_DOCUMENTS = "adapters.native.tables.documents"
#: Collection name → table. Resources of the native ledger; a resource not listed here has no history or
#: attachment operations on this ledger.
PARENTS: dict[str, Parent] = {
    "Accounts": Parent("adapters.native.tables.core:Account"),
    "Contacts": Parent("adapters.native.tables.core:Contact"),
    "Invoices": Parent("adapters.native.tables.core:Invoice"),
    "Payments": Parent("adapters.native.tables.core:Payment"),
    "Quotes": Parent("adapters.native.tables.workflow:WorkflowDocument", kind_column="kind", kinds=("QUOTE",)),
    "PurchaseOrders": Parent("adapters.native.tables.workflow:WorkflowDocument", kind_column="kind",
                             kinds=("PURCHASEORDER",)),
    "Items": Parent("adapters.native.tables.catalogue:Item"),
    "CreditNotes": Parent(f"{_DOCUMENTS}:CreditNote"),
    "BankTransactions": Parent(f"{_DOCUMENTS}:BankTransaction"),
    "BankTransfers": Parent(f"{_DOCUMENTS}:BankTransfer"),
    "ManualJournals": Parent(f"{_DOCUMENTS}:ManualJournal"),
    "Overpayments": Parent(f"{_DOCUMENTS}:BankTransaction", id_column="credit_id", kind_column="type",
                           kinds=("RECEIVE-OVERPAYMENT", "SPEND-OVERPAYMENT")),
    "Prepayments": Parent(f"{_DOCUMENTS}:BankTransaction", id_column="credit_id", kind_column="type",
                          kinds=("RECEIVE-PREPAYMENT", "SPEND-PREPAYMENT")),
    "Receipts": Parent("adapters.native.tables.expenses:ReceiptRow"),
    "ExpenseClaims": Parent("adapters.native.tables.expenses:ExpenseClaimRow"),
    "RepeatingInvoices": Parent("adapters.native.tables.repeating:RepeatingInvoiceRow"),
    "BatchPayments": Parent("adapters.native.tables.batch_payments:BatchPaymentRow"),
}


def resolve(resource: str) -> type[Any] | None:
    """The table class of ``resource``, or ``None`` when the resource is unknown or its module/class does not
    exist."""
    parent = PARENTS.get(resource)
    if parent is None:
        return None
    module_name, _, class_name = parent.target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        return None
    return getattr(module, class_name, None)


async def find(session: AsyncSession, *, company_id: str, resource: str, record_id: str, operation_id: str,
               source_code: str) -> Found:
    """The parent document, checked to exist and to belong to the tenant.

    Args:
        session: the request's session.
        company_id: the tenant.
        resource: the collection name (``"Invoices"``).
        record_id: the id from the path (GUID, hyphens optional).
        operation_id, source_code: for the 501 answer.

    Returns:
        The row and its Xero id.

    Raises:
        NotFound: no such document for this tenant (or one of another resource).
        OperationNotSupported: the resource's table is not available in this ledger.
    """
    table = resolve(resource)
    if table is None:
        raise OperationNotSupported(operation_id, source_code, f"{resource} are not kept by this ledger")
    parent = PARENTS[resource]
    guid = normalise_guid(record_id or "")
    if guid is None:
        raise NotFound()
    query = select(table).where(getattr(table, parent.id_column) == guid, table.company_id == company_id)
    if parent.kind_column is not None:
        query = query.where(getattr(table, parent.kind_column).in_(parent.kinds))
    row = await session.scalar(query.limit(1))
    if row is None:
        raise NotFound()
    return Found(row=row, record_id=guid)


# The History and Attachments operations the parents give, from the operation table ---------------------------------

_ID = r"/(?P<resource>[A-Za-z]+)/\{(?P<id_param>[A-Za-z]+)\}"
#: (method, path pattern) → (generic implementation in ``ops_history``/``ops_attachments``, extra keyword
#: arguments): the History and Attachments operations of the spec, one per parent resource.
_SHAPES: tuple[tuple[str, re.Pattern[str], str, dict[str, str]], ...] = (
    ("GET", re.compile(_ID + r"/History$"), "_history_records", {}),
    ("PUT", re.compile(_ID + r"/History$"), "_add_notes", {}),
    ("GET", re.compile(_ID + r"/Attachments$"), "_attachment_list", {}),
    ("GET", re.compile(_ID + r"/Attachments/\{AttachmentID\}$"), "_attachment_content", {"by": "AttachmentID"}),
    ("GET", re.compile(_ID + r"/Attachments/\{FileName\}$"), "_attachment_content", {"by": "FileName"}),
    ("PUT", re.compile(_ID + r"/Attachments/\{FileName\}$"), "_attachment_upload", {}),
    ("POST", re.compile(_ID + r"/Attachments/\{FileName\}$"), "_attachment_upload", {}),
)


def resource_operations() -> dict[str, tuple[str, str, str]]:
    """Every History/Attachments ``operationId`` the native ledger serves → ``(implementation, resource,
    id parameter)``, from ``mappings/xero_operations.toml`` and :data:`PARENTS`."""
    found: dict[str, tuple[str, str, str]] = {}
    for row in mappings.load("xero_operations")["operation"]:
        for method, pattern, implementation, _extra in _SHAPES:
            match = pattern.match(row["path"])
            if row["method"] == method and match and match["resource"] in PARENTS:
                found[row["id"]] = (implementation, match["resource"], match["id_param"])
    return found
