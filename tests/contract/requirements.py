"""What the contract walk needs from a source's data and options, declared per source (SQLAlchemy's compliance
suite and its ``Requirements`` are the model: the suite is written once, each dialect declares what it cannot
provide).

The walk calls every operation a source's adapter implements (``SourceAdapter.supported_operations``). A step is
skipped only when its recipe needs data the source's stack lacks and the source declares that here, with the
reason. Every requirement a recipe names must be one of :data:`KNOWN` (a typo fails the walk instead of skipping),
and every declaration must name a known requirement (:func:`check_declarations`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: Every requirement a recipe may name → what it means.
KNOWN: dict[str, str] = {
    "contact_numbers": "contacts carry a ContactNumber (Xero's second key for GET /Contacts/{ContactNumber})",
    "demo_contact_groups": "the company has contact groups before the walk (else getContactGroup is walked on the "
                           "walk's own group, by the delete recipes)",
    "two_bank_accounts": "at least two active BANK accounts (bank transfers)",
    "tracking_on_lines": "line items accept a Tracking category option",
    "overpayments": "RECEIVE-OVERPAYMENT bank transactions create an Overpayment",
    "prepayments": "RECEIVE-PREPAYMENT bank transactions create a Prepayment",
    "draft_invoices": "invoices kept as DRAFT (else posted: AUTHORISED with a warning)",
    "draft_manual_journals": "manual journals kept as DRAFT (else created POSTED)",
    "draft_purchase_orders": "purchase orders kept as DRAFT (else posted: AUTHORISED with a warning)",
    "posted_manual_journal_edits": "a posted manual journal can be changed (else only deleted)",
    "exact_account_types": "an account reads back with the Xero Type it was created with",
    "account_deletion": "deleteAccount deletes (Status DELETED; else the account is archived, Status ARCHIVED)",
    "report_tracking": "reports filtered by a tracking category or option (else Xero's 501 for the parameter)",
    "line_tax_from_rate": "a line's tax is its amount × its TaxType's EffectiveRate (not computed per transaction)",
    "ledger_reports": "reports built from every posting of the company (ProfitAndLoss, BalanceSheet, TrialBalance, "
                      "BankSummary)",
    "report_periods": "reports compared over periods (periods, timeframe; else Xero's 501 for the parameter)",
    "document_edits": "an existing invoice, credit note or bank transaction can be changed (else an upsert naming one "
                      "answers Xero's 400 and the upsert creates a new one)",
    "empty_organisation": "the walked company has no transactions yet (POST /Setup sets up only such a company; "
                          "else Xero's 400 naming why)",
}


@dataclass(frozen=True)
class Requirements:
    """The requirements one source's stack does not provide.

    Attributes:
        code: the source code.
        lacks: requirement name (one of :data:`KNOWN`) → why the source's data lacks it.
    """

    code: str
    lacks: Mapping[str, str] = field(default_factory=dict)

    def lacking(self, requirement: str) -> str | None:
        """Why the source lacks ``requirement``, or ``None`` when it provides it.

        Raises:
            AssertionError: ``requirement`` is not one of :data:`KNOWN`.
        """
        assert requirement in KNOWN, f"unknown requirement {requirement!r} (known: {sorted(KNOWN)})"
        return self.lacks.get(requirement)

    def provides(self, requirement: str) -> bool:
        return self.lacking(requirement) is None


#: Per source: the reference adapter (the native ledger on its demo company) provides everything but an empty company.
DECLARED: dict[str, Requirements] = {
    "1000": Requirements("1000", {
        "empty_organisation": "the walk runs on the demo company and its year of transactions; the 2xx of POST /Setup "
                              "on an empty company is tested in tests/adapters/native/planning/test_setup.py",
    }),
    "1001": Requirements("1001", {
        "draft_manual_journals": "Sage 50 posts a journal when it is entered (SDO JournalPost); it has no draft "
                                 "journals",
        "posted_manual_journal_edits": "a posted Sage 50 journal cannot be changed or deleted through SDO "
                                       "(sage50.md §4: JournalPost only posts)",
        "document_edits": "posted Sage 50 transactions cannot be amended, voided or deleted through SDO (sage50.md "
                          "§4: TransactionPost only posts), and SDO has no edit of an unposted invoice either",
        "prepayments": "Sage 50 takes money on account (SA/PA) against the debtors or creditors control account, "
                       "without nominal lines or VAT, so a RECEIVE-PREPAYMENT bank transaction with account lines "
                       "has no posting; prepayments are read from the company's receipts on account",
        "report_tracking": "Sage 50's departments are not applied to the reports computed from AUDIT_JOURNAL yet "
                           "(the adapter answers 400 naming the parameter)",
    }),
    "1004": Requirements("1004", {
        "draft_invoices": "QBO invoices have no draft state: the adapter posts them and warns",
        "demo_contact_groups": "QBO has no contact groups: the gateway keeps them, so a new company has none",
        "draft_manual_journals": "QBO journal entries have no draft state: the adapter posts them and warns",
        "draft_purchase_orders": "QBO purchase orders are Open or Closed (POStatus): the adapter posts them and "
                                 "warns",
        "account_deletion": "QBO accounts cannot be deleted, only made inactive (Active false)",
        "line_tax_from_rate": "US sales tax is computed by QuickBooks per transaction (TxnTaxDetail), not from the "
                              "line's TaxCode rate; the emulator's sample company computes none",
        "report_tracking": "QBO reports filter by Class/Department, which the adapter does not map from tracking "
                           "parameters yet (it answers 501 naming the parameter)",
        "report_periods": "the adapter answers 501 for comparison periods on QBO reports",
    }),
    "1009": Requirements("1009", {
        "draft_manual_journals": "Sage journals are posted when created; the adapter refuses DRAFT",
        "posted_manual_journal_edits": "a posted Sage journal cannot be edited, only deleted",
        "exact_account_types": "Sage pairs Xero's EXPENSE and OVERHEADS into one ledger type, OVERHEADS "
                               "(mappings/sage_account_types.toml)",
        "report_tracking": "reports computed from Sage's ledger entries carry no analysis types, so the adapter "
                           "answers 400 for a tracking parameter",
        "account_deletion": "Sage ledger accounts cannot be deleted (no DELETE /ledger_accounts): the adapter takes "
                            "them out of the chart, read back ARCHIVED",
        "demo_contact_groups": "Sage Accounting has no contact groups: the gateway keeps them, and a business has "
                               "none until the walk creates one (getContactGroup is walked on it later)",
    }),
    "1010": Requirements("1010", {
        "draft_manual_journals": "the Partner Bookkeeping API posts a journal entry when it is created; the adapter "
                                 "refuses DRAFT (docs/partner-api.md)",
        "report_tracking": "the partner API's trial balance carries no tracking, so the adapter answers 400 for a "
                           "tracking parameter",
    }),
}


def requirements_of(code: str) -> Requirements:
    """The declaration of ``code`` (an undeclared source provides everything the walk needs)."""
    return DECLARED.get(code, Requirements(code))


def check_declarations() -> list[str]:
    """Declarations naming a requirement that is not in :data:`KNOWN`, as ``"code: name"``."""
    return [f"{code}: {name}" for code, req in DECLARED.items() for name in req.lacks if name not in KNOWN]
