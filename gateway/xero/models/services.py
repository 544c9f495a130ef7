"""Xero's organisation services and settings objects: invoice reminders, CIS settings, online invoices, payment
services and the ``/Setup`` conversion.

Field names and types from ``components.schemas`` of ``xero_accounting.yaml`` (v16.1.0): ``InvoiceReminder``,
``CISSetting``, ``OnlineInvoice``, ``PaymentService``, ``Setup`` (``ConversionDate``, ``ConversionBalances``,
``BalanceDetails``) and ``ImportSummaryObject`` (``ImportSummary``, ``ImportSummaryAccounts``,
``ImportSummaryOrganisation``). Conventions of :mod:`gateway.xero.models.core` apply.
"""

from decimal import Decimal

from .core import Account, Money, ValidationError, XeroModel


class InvoiceReminder(XeroModel):
    """Spec ``InvoiceReminder`` (``GET /InvoiceReminders/Settings``)."""

    Enabled: bool | None = None


class CISSetting(XeroModel):
    """Spec ``CISSetting`` (``GET /Contacts/{ContactID}/CISSettings``)."""

    CISEnabled: bool | None = None
    Rate: Money | None = None


class OnlineInvoice(XeroModel):
    """Spec ``OnlineInvoice`` (``GET /Invoices/{InvoiceID}/OnlineInvoice``)."""

    OnlineInvoiceUrl: str | None = None


class PaymentService(XeroModel):
    """Spec ``PaymentService``."""

    PaymentServiceID: str | None = None
    PaymentServiceName: str | None = None
    PaymentServiceUrl: str | None = None
    PayNowText: str | None = None
    PaymentServiceType: str | None = None
    ValidationErrors: list[ValidationError] | None = None


class ConversionDate(XeroModel):
    """Spec ``ConversionDate``: ``Month`` 1-12, ``Year`` after 2006."""

    Month: int | None = None
    Year: int | None = None


class BalanceDetails(XeroModel):
    """Spec ``BalanceDetails``: one currency's opening balance (debits positive)."""

    Balance: Decimal | None = None
    CurrencyCode: str | None = None
    CurrencyRate: Money | None = None


_BalanceDetailsT = BalanceDetails  # fields below are named like their types


class ConversionBalances(XeroModel):
    """Spec ``ConversionBalances``: an account's opening balance at the conversion date (debits positive)."""

    AccountCode: str | None = None
    Balance: Decimal | None = None
    BalanceDetails: list[_BalanceDetailsT] | None = None


_ConversionDateT = ConversionDate
_ConversionBalancesT = ConversionBalances


class Setup(XeroModel):
    """Spec ``Setup`` (``POST /Setup``): chart of accounts, conversion date and conversion balances."""

    ConversionDate: _ConversionDateT | None = None
    ConversionBalances: list[_ConversionBalancesT] | None = None
    Accounts: list[Account] | None = None


class ImportSummaryAccounts(XeroModel):
    """Spec ``ImportSummaryAccounts``: counts of the chart of accounts after a setup."""

    Total: int | None = None
    New: int | None = None
    Updated: int | None = None
    Deleted: int | None = None
    Locked: int | None = None
    System: int | None = None
    Errored: int | None = None
    Present: bool | None = None
    NewOrUpdated: int | None = None


class ImportSummaryOrganisation(XeroModel):
    """Spec ``ImportSummaryOrganisation``."""

    Present: bool | None = None


class ImportSummary(XeroModel):
    """Spec ``ImportSummary``."""

    Accounts: ImportSummaryAccounts | None = None
    Organisation: ImportSummaryOrganisation | None = None


_ImportSummaryT = ImportSummary


class ImportSummaryObject(XeroModel):
    """Spec ``ImportSummaryObject``: the answer of ``POST /Setup``."""

    ImportSummary: _ImportSummaryT | None = None
