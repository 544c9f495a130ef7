"""The four sources' stacks for the fidelity checks, and the reads that collect what each resource serves.

Stacks come from :mod:`tests.contract.conftest` (its ``STACKS``: native demo company, Sage 50 stand-in through the
real connector, the QBO and Sage Accounting emulators), so the fields seen are what the translators produce on the
public path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from joserfc.jwk import RSAKey

from tests.contract.conftest import _STOPS, STACKS
from tests.support.stack import Stack

from .makers import MAKERS

#: The Xero id field of each collection's records (single reads go to ``/{collection}/{id}``).
ID_FIELDS = {"Contacts": "ContactID", "Invoices": "InvoiceID", "Accounts": "AccountID", "Items": "ItemID",
             "CreditNotes": "CreditNoteID", "Payments": "PaymentID", "BankTransactions": "BankTransactionID",
             "ManualJournals": "ManualJournalID", "ContactGroups": "ContactGroupID", "TaxRates": None,
             "Currencies": None, "BankTransfers": "BankTransferID", "Quotes": "QuoteID",
             "PurchaseOrders": "PurchaseOrderID", "RepeatingInvoices": "RepeatingInvoiceID", "Users": "UserID",
             "BrandingThemes": "BrandingThemeID", "TrackingCategories": "TrackingCategoryID",
             "Journals": "JournalID", "Organisation": None, "Receipts": "ReceiptID",
             "ExpenseClaims": "ExpenseClaimID", "BatchPayments": "BatchPaymentID", "Budgets": "BudgetID",
             "Overpayments": "OverpaymentID", "Prepayments": "PrepaymentID",
             "LinkedTransactions": "LinkedTransactionID", "Employees": "EmployeeID", "PaymentServices": None}
#: The answer's collection key where it is not the path's name.
COLLECTION_KEYS = {"Organisation": "Organisations"}
#: Single reads per collection: enough to see fields Xero gives on a single read only, few enough to stay quick.
SINGLE_READS = 3


async def served_records(stack: Stack, resource: str) -> list[dict[str, Any]]:
    """Every record of ``resource`` on the list's first page, and the first :data:`SINGLE_READS` read one by one
    (a contact group, or a record of :data:`.makers.MAKERS`, is made first where the source has none).

    Raises:
        AssertionError: a read that does not answer 200.
    """
    params = {"page": "1"} if resource in ("Contacts", "Invoices", "CreditNotes", "Payments", "BankTransactions",
                                           "ManualJournals") else None
    answer = await stack.api("GET", f"/{resource}", params=params, validate=False)
    assert answer.status == 200, (resource, answer.status, answer.body)
    if resource == "ContactGroups" and not answer.body[resource]:  # the gateway keeps none until one is made
        made = await stack.api("PUT", "/ContactGroups", body={"ContactGroups": [{"Name": "Fidelity check"}]},
                               validate=False)
        assert made.status == 200, made.body
        answer = await stack.api("GET", f"/{resource}", validate=False)
    elif resource in MAKERS and not answer.body[resource]:  # a resource the demo company starts without
        await MAKERS[resource](stack)
        answer = await stack.api("GET", f"/{resource}", validate=False)
    key = COLLECTION_KEYS.get(resource, resource)
    records = list(answer.body[key])
    id_field = ID_FIELDS.get(resource)
    for record in list(records)[:SINGLE_READS] if id_field else []:
        one = await stack.api("GET", f"/{resource}/{record[id_field]}", validate=False)
        assert one.status == 200, (resource, one.status, one.body)
        records.extend(one.body[key])
    return records


class OneStackAtATime:
    """The stacks of a module's tests, started on first use and kept while the tests ask for the same source (the
    tests are listed source by source), so that each source's stack starts once per module.

    Args:
        root: where each stack keeps its data (a folder per source and start).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.current: Stack | None = None

    async def get(self, code: str) -> Stack:
        """The stack of source ``code`` (the previous source's stack is stopped first)."""
        if self.current is not None and self.current.code == code:
            return self.current
        await self.close()
        pem = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True).as_pem(private=True)
        folder = self.root / f"{code}-{len(list(self.root.iterdir()))}"
        self.current = await STACKS[code](folder, pem)
        return self.current

    async def close(self) -> None:
        """Stop the running stack, if any."""
        if self.current is not None:
            stopping, self.current = self.current, None
            await _STOPS[stopping.code](stopping)
