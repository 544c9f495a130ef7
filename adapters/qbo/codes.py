"""The QBO adapter's code tables (``mappings/qbo_*.toml``), validated once into typed, frozen objects.

Each table's header comment names its sources; the rules that use them live in :mod:`adapters.qbo.translate`.
Loading fails loudly (pydantic ``ValidationError``, ``ValueError``) on a malformed table, at first use.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

import mappings

#: Xero's AccountType enum (xero_accounting.yaml ``components.schemas.AccountType``).
XERO_ACCOUNT_TYPES = frozenset({"BANK", "CURRENT", "CURRLIAB", "DEPRECIATN", "DIRECTCOSTS", "EQUITY", "EXPENSE",
                                "FIXED", "INVENTORY", "LIABILITY", "NONCURRENT", "OTHERINCOME", "OVERHEADS",
                                "PREPAYMENT", "REVENUE", "SALES", "TERMLIAB", "PAYG"})
#: QBO AccountTypeEnum (Finance.xsd).
QBO_ACCOUNT_TYPES = frozenset({"Bank", "Accounts Receivable", "Other Current Asset", "Fixed Asset", "Other Asset",
                               "Accounts Payable", "Credit Card", "Other Current Liability", "Long Term Liability",
                               "Equity", "Income", "Cost of Goods Sold", "Expense", "Other Income", "Other Expense",
                               "Non-Posting"})
#: Xero LineAmountTypes enum.
LINE_AMOUNT_TYPES = frozenset({"Exclusive", "Inclusive", "NoTax"})


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QboAccountKind(_Frozen):
    """A QBO ``AccountType`` with the ``AccountSubType`` the gateway writes for it."""

    account_type: str
    sub_type: str

    @model_validator(mode="after")
    def _known(self) -> QboAccountKind:
        if self.account_type not in QBO_ACCOUNT_TYPES:
            raise ValueError(f"unknown QBO AccountType {self.account_type!r}")
        return self


class AccountToXero(_Frozen):
    type: dict[str, str]
    sub_type: dict[str, str]
    class_: dict[str, str] = Field(alias="class")
    classification_by_type: dict[str, str]
    system_account: dict[str, str]
    bank_account_type: dict[str, str]

    @model_validator(mode="after")
    def _known(self) -> AccountToXero:
        bad = [t for t in (*self.type.values(), *self.sub_type.values()) if t not in XERO_ACCOUNT_TYPES]
        bad += [t for t in self.type if t not in QBO_ACCOUNT_TYPES]
        if bad:
            raise ValueError(f"mappings/qbo_accounts.toml: unknown account types {bad}")
        return self


class AccountToQbo(_Frozen):
    type: dict[str, QboAccountKind]
    bank_account_type: dict[str, QboAccountKind]

    @model_validator(mode="after")
    def _complete(self) -> AccountToQbo:
        missing = XERO_ACCOUNT_TYPES - set(self.type)
        if missing:
            raise ValueError(f"mappings/qbo_accounts.toml: no QBO account kind for Xero types {sorted(missing)}")
        return self


class AccountCodes(_Frozen):
    """``mappings/qbo_accounts.toml``."""

    to_xero: AccountToXero
    to_qbo: AccountToQbo


class PseudoCode(_Frozen):
    sales: str
    purchases: str


class PseudoRate(_Frozen):
    code: str
    name: str
    revenue: bool
    expenses: bool


class CustomTaxType(_Frozen):
    prefix: str = Field(min_length=1)
    width: int = Field(ge=1, le=10)


class NoGlobalTaxCalculation(_Frozen):
    countries: tuple[str, ...]
    us_line_amount_types: Literal["Exclusive", "Inclusive", "NoTax"]


class TaxCodes(_Frozen):
    """``mappings/qbo_tax.toml``."""

    custom: CustomTaxType
    pseudo: dict[str, PseudoCode]
    pseudo_rates: dict[str, PseudoRate]
    line_amount_types: dict[str, str]
    no_global_tax_calculation: NoGlobalTaxCalculation

    @model_validator(mode="after")
    def _consistent(self) -> TaxCodes:
        if set(self.line_amount_types.values()) != LINE_AMOUNT_TYPES:
            raise ValueError("mappings/qbo_tax.toml: line_amount_types must cover Exclusive, Inclusive, NoTax")
        for code in self.pseudo.values():
            for tax_type in (code.sales, code.purchases):
                if tax_type not in self.pseudo_rates:
                    raise ValueError(f"mappings/qbo_tax.toml: no pseudo_rates entry for {tax_type}")
        return self


WriteAction = Literal["post", "void", "delete"]


class StatusWrites(_Frozen):
    document: dict[str, WriteAction]
    journal: dict[str, WriteAction]
    #: Xero status → ``Estimate.TxnStatus`` or ``delete``.
    quote: dict[str, str]
    #: Xero status → ``PurchaseOrder.POStatus`` or ``delete``.
    purchase_order: dict[str, Literal["Open", "Closed", "delete"]]


class QuoteStatuses(_Frozen):
    """``[quote]``: ``Estimate.TxnStatus`` → Xero status (``read``), and the status of a sent Pending estimate."""

    read: dict[str, str]
    sent: str


class Voidable(_Frozen):
    entities: tuple[str, ...]


class RepeatingStatuses(_Frozen):
    """``[repeating]``: ``RecurringInfo.Active`` → Xero status; ``IntervalType`` → (``Unit``, period factor)."""

    active: str
    inactive: str
    units: dict[str, tuple[Literal["WEEKLY", "MONTHLY"], int]]


class StatusCodes(_Frozen):
    """``mappings/qbo_statuses.toml``."""

    name_list: dict[Literal["active", "inactive"], str]
    document: dict[Literal["open", "settled", "voided"], str]
    journal: dict[Literal["posted", "voided"], str]
    payment: dict[Literal["posted", "voided"], str]
    bank: dict[Literal["posted", "voided"], str]
    quote: QuoteStatuses
    purchase_order: dict[Literal["Open", "Closed"], str]
    repeating: RepeatingStatuses
    write: StatusWrites
    voidable: Voidable


class PaymentCodes(_Frozen):
    """``mappings/qbo_payments.toml``."""

    purchase_payment_type: dict[str, Literal["Cash", "Check", "CreditCard"]]
    bill_payment_type: dict[str, Literal["Check", "CreditCard"]]
    xero_payment_type: dict[str, str]


class OrganisationActions(_Frozen):
    """``[actions]``: key actions a QBO company cannot do."""

    not_allowed: tuple[str, ...] = ()


class OrganisationCodes(_Frozen):
    """``mappings/qbo_organisation.toml``."""

    version_by_country: dict[str, str]
    address_types: dict[str, Literal["POBOX", "STREET", "DELIVERY"]]
    phone_types: dict[str, Literal["DEFAULT", "DDI", "MOBILE", "FAX", "OFFICE"]]
    actions: OrganisationActions = OrganisationActions()


@cache
def organisation() -> OrganisationCodes:
    """The organisation table."""
    return OrganisationCodes.model_validate(mappings.load("qbo_organisation"))


@cache
def accounts() -> AccountCodes:
    """The account table (loaded and validated once)."""
    return AccountCodes.model_validate(mappings.load("qbo_accounts"))


@cache
def tax() -> TaxCodes:
    """The tax table."""
    return TaxCodes.model_validate(mappings.load("qbo_tax"))


@cache
def statuses() -> StatusCodes:
    """The status table."""
    return StatusCodes.model_validate(mappings.load("qbo_statuses"))


@cache
def payments() -> PaymentCodes:
    """The payment-kind table."""
    return PaymentCodes.model_validate(mappings.load("qbo_payments"))


@cache
def currency_names() -> dict[str, str]:
    """ISO 4217 code → description (``mappings/currencies.toml``, the gateway's shared currency table)."""
    return dict(mappings.load("currencies").get("currency", {}))
