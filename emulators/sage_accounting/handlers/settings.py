"""``/financial_settings``, ``/business_settings`` and ``/cis_settings``: one record per business, GET and PUT.

Shapes: the spec's ``FinancialSettings``/``putFinancialSettings`` and ``BusinessSettings``/``putBusinessSettings``.
Allowed values from the spec's member descriptions: ``accounting_type`` "accrual or cash";
``sales_tax_calculation``/``purchase_tax_calculation`` "invoice", "cash". Members the emulator does not act on are
stored and echoed. ``CisSettings`` (UK Construction Industry Scheme): ``contractor``/``subcontractor`` flags (false for
a new business: the emulator's choice), references stored as given.
"""

from __future__ import annotations

from typing import Any

from .. import errors
from ..context import Context, a_date, a_string, an_object, base_ref, copy_bools, copy_strings, opt_money

ACCOUNTING_TYPES = ("accrual", "cash")
TAX_CALCULATIONS = ("invoice", "cash")


def update_financial_settings(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """Apply a ``financial_settings`` PUT body; returns the stored record.

    Raises:
        SageError: 422 for a value outside the documented set or of the wrong type.
    """
    record = dict(ctx.business.settings["financial_settings"])
    for member in ("year_end_date", "year_end_lockdown_date", "accounts_start_date", "mtd_authenticated_date"):
        if body.get(member) is not None:
            record[member] = a_date(body[member], member).isoformat()
    for member, allowed in (("accounting_type", ACCOUNTING_TYPES), ("sales_tax_calculation", TAX_CALCULATIONS),
                            ("purchase_tax_calculation", TAX_CALCULATIONS)):
        if body.get(member) is not None:
            if body[member] not in allowed:
                raise errors.record_invalid("is not included in the list", member)
            record[member] = body[member]
    if body.get("base_currency_id") is not None:
        record["base_currency"] = base_ref(ctx.lookup("currencies", body["base_currency_id"], "base_currency_id"))
    copy_bools(body, record, ("multi_currency_enabled", "use_live_exchange_rates", "mtd_connected",
                              "postponed_accounting", "destination_vat"))
    copy_strings(body, record, ("tax_number", "general_tax_number", "mtd_activation_status"))
    for member in ("flat_rate_tax_percentage", "recoverable_percentage", "default_irpf_rate"):
        if member in body:
            record[member] = opt_money(body, member, member)
    for member in ("tax_scheme_id", "tax_return_frequency_id", "tax_office_id"):
        if body.get(member) is not None:
            record[member.removesuffix("_id")] = {"id": a_string(body[member], member)}
    record["updated_at"] = ctx.stamp()
    ctx.business.settings["financial_settings"] = record
    return record


def update_business_settings(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """Apply a ``business_settings`` PUT body; returns the stored record.

    Raises:
        SageError: 422 for a ledger account that does not exist or a value of the wrong type.
    """
    record = dict(ctx.business.settings["business_settings"])
    copy_strings(body, record, ("siret", "rcs_number"))
    copy_bools(body, record, ("management_centre_member", "auxiliary_accounts_visible", "wizard_complete"))
    if "share_capital" in body:
        record["share_capital"] = opt_money(body, "share_capital", "share_capital")
    for member in ("business_activity_type_id", "legal_form_type_id", "business_type_id"):
        if body.get(member) is not None:
            record[member.removesuffix("_id")] = {"id": a_string(body[member], member)}
    if body.get("country_of_registration_id") is not None:
        record["country_of_registration"] = base_ref(ctx.lookup("countries", body["country_of_registration_id"],
                                                                "country_of_registration_id"))
    if body.get("default_ledger_accounts") is not None:
        given = an_object(body["default_ledger_accounts"], "default_ledger_accounts")
        defaults = dict(record.get("default_ledger_accounts") or {})
        for member, value in given.items():
            if not member.endswith("_ledger_account_id") or value is None:
                continue
            account = ctx.lookup("ledger_accounts", value, f"default_ledger_accounts.{member}")
            defaults[member.removesuffix("_id")] = base_ref(account)
        record["default_ledger_accounts"] = defaults
    record["updated_at"] = ctx.stamp()
    ctx.business.settings["business_settings"] = record
    return record


def update_cis_settings(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """Apply a ``cis_settings`` PUT body; returns the stored record.

    Raises:
        SageError: 422 for a value of the wrong type or an unknown tax rate.
    """
    record = dict(ctx.business.settings["cis_settings"])
    copy_bools(body, record, ("contractor", "subcontractor"))
    copy_strings(body, record, ("unique_tax_reference", "accounts_office_reference", "paye_reference"))
    if body.get("tax_rate_id") is not None:
        record["tax_rate"] = base_ref(ctx.lookup("tax_rates", body["tax_rate_id"], "tax_rate_id"))
    ctx.business.settings["cis_settings"] = record
    return record
