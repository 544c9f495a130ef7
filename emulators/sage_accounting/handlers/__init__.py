"""Resource handlers: what creating, updating and deleting a record of each collection does.

``handler_for(spec)`` picks the class named by the ``handler`` column of ``data/resources.toml``.
"""

from __future__ import annotations

from ..catalogue import ResourceSpec
from .analysis import AnalysisTypeCategories, AnalysisTypes
from .artefacts import Artefacts
from .attachments import Attachments
from .banking import BankTransfers, Journals, OtherPayments
from .base import Handler, ReadOnly
from .catalogue import BankAccounts, Contacts, LedgerAccounts, Products, Services, TaxRates
from .payments import ContactAllocations, ContactPayments
from .quotes import SalesQuotes

HANDLERS: dict[str, type[Handler]] = {
    "reference": ReadOnly,
    "read_only": ReadOnly,
    "ledger_accounts": LedgerAccounts,
    "bank_accounts": BankAccounts,
    "contacts": Contacts,
    "products": Products,
    "services": Services,
    "tax_rates": TaxRates,
    "artefacts": Artefacts,
    "contact_payments": ContactPayments,
    "contact_allocations": ContactAllocations,
    "other_payments": OtherPayments,
    "bank_transfers": BankTransfers,
    "journals": Journals,
    "attachments": Attachments,
    "sales_quotes": SalesQuotes,
    "analysis_types": AnalysisTypes,
    "analysis_type_categories": AnalysisTypeCategories,
}


def handler_for(spec: ResourceSpec) -> Handler:
    """The handler of ``spec``.

    Raises:
        KeyError: ``spec.handler`` names no handler (a defect in resources.toml).
    """
    return HANDLERS[spec.handler](spec)


__all__ = ["HANDLERS", "Handler", "handler_for"]
