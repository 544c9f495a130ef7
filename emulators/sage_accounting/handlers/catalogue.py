"""Ledger accounts, bank accounts, contacts, products, services and tax rates.

Shapes: the spec's ``LedgerAccount``, ``BankAccount``, ``Contact``, ``Product``, ``Service``, ``TaxRate`` and their
``post*``/``put*`` definitions. Rules and sources:

- ``displayed_as`` of a ledger account or bank account is ``"<name> (<nominal code>)"`` and of a contact
  ``"<name> (<reference>)"`` (inferred from Sage's UI; unconfirmed), of a product or service its description.
- ``nominal_code`` is unique per business (inferred; 422 otherwise). ``control_name`` cannot be set (spec:
  "You cannot add ledger accounts with control name and you cannot modify the control name").
- ``visible_in_*`` flags default per ledger-account type (``data/chart_uk.toml`` ``[visibility]``) and
  ``visible_scopes`` lists the same areas in the spec's scope names (``bank``, ``sales``, ``purchasing``,
  ``other_payment``, ``other_receipt``, ``reporting``, ``journals``).
- ``balance_details`` is answered when ``show_balance_details=true`` with ``from_date`` and ``to_date`` (spec
  parameter text: "requires from_date and to_date"); ``BankAccount.balance`` is the ledger balance of its ledger
  account; ``Contact.balance`` with ``show_balance=true`` is the contact's outstanding receivables less payables.
- POST ``/bank_accounts`` creates the account's own ledger account (upstream-contracts.md §2: "each carries its own
  ledger_account") at the given ``nominal_code`` or the next free code from 1200 (UK bank range).
- A contact, product, service or bank account in use by a document or posting cannot be deleted (422; Sage's
  ``deletable`` flag says the same; wording unconfirmed).
- Tax rates are read-only for a UK business: the spec marks POST/PUT/DELETE ``/tax_rates`` "(US only)".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import errors, ledger
from ..catalogue import chart
from ..context import (
    ZERO,
    Context,
    a_bool,
    a_list,
    a_string,
    an_object,
    base_ref,
    copy_bools,
    copy_strings,
    money,
    opt_money,
)
from ..listing import truthy
from ..store import Business
from .base import Handler

#: ``visible_in`` area → (``visible_in_*`` flag, ``visible_scopes`` name).
AREAS = {
    "banking": ("visible_in_banking", "bank"),
    "sales": ("visible_in_sales", "sales"),
    "expenses": ("visible_in_expenses", "purchasing"),
    "other_payments": ("visible_in_other_payments", "other_payment"),
    "other_receipts": ("visible_in_other_receipts", "other_receipt"),
    "journals": ("visible_in_journals", "journals"),
    "reporting": ("visible_in_reporting", "reporting"),
}
ADDRESS_STRINGS = ("address_line_1", "address_line_2", "city", "postal_code", "name", "region")
PERSON_STRINGS = ("name", "job_title", "telephone", "mobile", "email", "fax")
BANK_DETAIL_STRINGS = ("account_name", "account_number", "sort_code", "bic", "iban")
CREDIT_TERMS = ("month_end_invoice", "date_from_invoice", "immediate_invoice", "month_end_payment",
                "date_from_payment", "immediate_payment")
DOCUMENT_COLLECTIONS = ("sales_invoices", "sales_credit_notes", "purchase_invoices", "purchase_credit_notes")


def an_int(value: Any, source: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise errors.record_invalid("is not a valid number", source)
    return value


def contacts_in_use(business: Business) -> set[str]:
    """Ids of contacts any document, payment or allocation refers to (memoised per business revision)."""
    def compute() -> set[str]:
        names = (*DOCUMENT_COLLECTIONS, "contact_payments", "contact_allocations", "other_payments")
        return {(r.get("contact") or {}).get("id") for name in names for r in business.all(name)} - {None}

    return business.memoised("contacts_in_use", compute)


# ------------------------------------------------------------------------------------------------ ledger accounts


def visibility_flags(type_id: str) -> dict[str, bool]:
    areas = set(chart().visibility.get(type_id, ()))
    return {flag: area in areas for area, (flag, _) in AREAS.items()}


def visible_scopes(record: dict[str, Any]) -> list[str]:
    return [scope for area, (flag, scope) in AREAS.items() if record.get(flag)]


def new_ledger_account(ctx: Context, *, type_id: str, name: str, nominal_code: int, display_name: str | None = None,
                       tax_rate_id: str | None = None, control: str | None = None,
                       included_in_chart: bool = True) -> dict[str, Any]:
    """Store a ledger account (the chart seed and bank accounts use this too)."""
    record = ctx.new_record(
        "ledger_accounts", displayed_as=f"{name} ({nominal_code})", name=name, display_name=display_name or name,
        nominal_code=nominal_code, ledger_account_type=ctx.ref("ledger_account_types", type_id),
        included_in_chart=included_in_chart, fixed_tax_rate=False, is_control_account=control is not None,
        display_formatted=f"{nominal_code} - {name}", tax_recoverable=True, cis_materials=False, cis_labour=False,
        tax_instalment=False, **visibility_flags(type_id))
    if tax_rate_id:
        record["tax_rate"] = ctx.ref("tax_rates", tax_rate_id)
    if control:
        record["_control"] = control
    record["visible_scopes"] = visible_scopes(record)
    return ctx.business.put("ledger_accounts", record)


class LedgerAccounts(Handler):
    """``/ledger_accounts``: list, get, create, update (no delete in the spec)."""

    def _check_code(self, ctx: Context, code: Any, own_id: str | None = None) -> int:
        code = an_int(code, "nominal_code", minimum=1)
        for other in ctx.business.all("ledger_accounts"):
            if other["nominal_code"] == code and other["id"] != own_id:
                raise errors.record_invalid("has already been taken", "nominal_code")
        return code

    def _apply(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> None:
        if body.get("control_name") not in (None, ""):
            raise errors.record_invalid("cannot be set", "control_name")
        if "ledger_account_type_id" in body:
            if record.get("is_control_account"):
                raise errors.record_invalid("cannot be changed on a control account", "ledger_account_type_id")
            record["ledger_account_type"] = base_ref(ctx.lookup("ledger_account_types", body["ledger_account_type_id"],
                                                                "ledger_account_type_id"))
        if "nominal_code" in body:
            record["nominal_code"] = self._check_code(ctx, body["nominal_code"], record.get("id"))
        copy_strings(body, record, ("name", "display_name"))
        if "tax_rate_id" in body:
            ref = ctx.optional_ref(body, "tax_rate_id", "tax_rates")
            if ref is None:
                record.pop("tax_rate", None)
            else:
                record["tax_rate"] = ref
        copy_bools(body, record, ("included_in_chart", "fixed_tax_rate", "tax_recoverable", "cis_materials",
                                  "cis_labour", *(flag for flag, _ in AREAS.values())))
        if "recoverable_percentage" in body:
            record["recoverable_percentage"] = opt_money(body, "recoverable_percentage", "recoverable_percentage")
        if body.get("gifi_code") is not None:
            record["gifi_code"] = an_int(body["gifi_code"], "gifi_code")
        record["displayed_as"] = f"{record['name']} ({record['nominal_code']})"
        record["display_formatted"] = f"{record['nominal_code']} - {record['name']}"
        record["visible_scopes"] = visible_scopes(record)

    def create(self, ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
        type_id = ctx.lookup("ledger_account_types", body["ledger_account_type_id"], "ledger_account_type_id")["id"]
        code = self._check_code(ctx, body["nominal_code"])
        name = a_string(body["name"], "name")
        a_bool(body["included_in_chart"], "included_in_chart")
        record = ctx.new_record("ledger_accounts", name=name, nominal_code=code, is_control_account=False,
                                **visibility_flags(type_id))
        self._apply(ctx, record, body)
        return ctx.business.put("ledger_accounts", record)

    def update(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        draft = dict(record)
        self._apply(ctx, draft, body)
        record.update(draft)
        ctx.touch(record)
        return record

    def present(self, business: Business, record: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any]:
        if not truthy(params.get("show_balance_details")):
            return record
        start, end = _date_range(params)
        return {**record, "balance_details": ledger.balance_details(business, record["id"], start, end)}


def _date_range(params: Mapping[str, str]) -> tuple[Any, Any]:
    from ..clock import parse_date

    missing = [name for name in ("from_date", "to_date") if not params.get(name)]
    if missing:
        raise errors.invalid_items([(errors.REQUIRED, name) for name in missing])
    start, end = parse_date(params["from_date"]), parse_date(params["to_date"])
    if start is None or end is None:
        raise errors.record_invalid("is not a valid date", "from_date" if start is None else "to_date")
    return start, end


# ------------------------------------------------------------------------------------------------ bank accounts


class BankAccounts(Handler):
    """``/bank_accounts``: each bank account has its own BANK (or LINE_OF_CREDIT) ledger account."""

    FIRST_CODE = 1200

    def _details(self, body: dict[str, Any], record: dict[str, Any], *, creating: bool) -> None:
        if "bank_account_details" in body or creating:
            details = an_object(body.get("bank_account_details") or {}, "bank_account_details")
            merged = dict(record.get("bank_account_details") or {})
            copy_strings(details, merged, BANK_DETAIL_STRINGS, "bank_account_details.")
            if not merged.get("account_name"):
                raise errors.required("bank_account_details.account_name")
            record["bank_account_details"] = merged

    def _next_code(self, ctx: Context) -> int:
        used = {a["nominal_code"] for a in ctx.business.all("ledger_accounts")}
        code = self.FIRST_CODE
        while code in used:
            code += 1
        return code

    def create(self, ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
        type_id = ctx.lookup("bank_account_types", body["bank_account_type_id"], "bank_account_type_id")["id"]
        record = ctx.new_record("bank_accounts", bank_account_type=ctx.ref("bank_account_types", type_id),
                                editable=True, is_active=True)
        self._details(body, record, creating=True)
        account = None
        if body.get("ledger_account_id"):
            account = ctx.lookup("ledger_accounts", body["ledger_account_id"], "ledger_account_id")
            if account["ledger_account_type"]["id"] not in ("BANK", "LINE_OF_CREDIT"):
                raise errors.record_invalid("is not a bank ledger account", "ledger_account_id")
            if any(b["ledger_account"]["id"] == account["id"] for b in ctx.business.all("bank_accounts")):
                raise errors.record_invalid("is already used by another bank account", "ledger_account_id")
            code = account["nominal_code"]
        else:
            code = body.get("nominal_code")
            code = self._next_code(ctx) if code is None else an_int(code, "nominal_code", minimum=1)
            if any(a["nominal_code"] == code for a in ctx.business.all("ledger_accounts")):
                raise errors.record_invalid("has already been taken", "nominal_code")
        record["nominal_code"] = code
        self._apply(ctx, record, body)  # every check is done before anything is stored
        if account is None:
            account = new_ledger_account(ctx, type_id=chart().bank_ledger_types.get(type_id, "BANK"),
                                         name=record["bank_account_details"]["account_name"], nominal_code=code)
        record["ledger_account"] = base_ref(account)
        return ctx.business.put("bank_accounts", record)

    def _apply(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> None:
        currency = ctx.optional_ref(body, "currency_id", "currencies") or record.get("currency") \
            or ctx.ref("currencies", ctx.business.settings["financial_settings"]["base_currency"]["id"])
        record["currency"] = currency
        method = ctx.optional_ref(body, "default_payment_method_id", "payment_methods")
        if method:
            record["default_payment_method"] = method
        copy_bools(body, record, ("is_active",))
        if body.get("main_address") is not None:
            record["main_address"] = address(ctx, an_object(body["main_address"], "main_address"), "main_address",
                                             record.get("main_address"))
        if body.get("main_contact_person") is not None:
            person = dict(record.get("main_contact_person") or {})
            copy_strings(an_object(body["main_contact_person"], "main_contact_person"), person, PERSON_STRINGS,
                         "main_contact_person.")
            record["main_contact_person"] = person
        if body.get("gifi_code") is not None:
            record["gifi_code"] = an_int(body["gifi_code"], "gifi_code")
        record["displayed_as"] = f"{record['bank_account_details']['account_name']} ({record['nominal_code']})"

    def update(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        draft = dict(record)
        if "bank_account_type_id" in body:
            draft["bank_account_type"] = base_ref(ctx.lookup("bank_account_types", body["bank_account_type_id"],
                                                             "bank_account_type_id"))
        self._details(body, draft, creating=False)
        account = ctx.business.collections["ledger_accounts"][record["ledger_account"]["id"]]
        code = account["nominal_code"]
        if body.get("nominal_code") is not None:
            code = an_int(body["nominal_code"], "nominal_code", minimum=1)
            if any(a["nominal_code"] == code and a["id"] != account["id"] for a in ctx.business.all("ledger_accounts")):
                raise errors.record_invalid("has already been taken", "nominal_code")
        draft["nominal_code"] = code
        self._apply(ctx, draft, body)
        record.update(draft)
        account.update(nominal_code=code, name=record["bank_account_details"]["account_name"])
        account["displayed_as"] = f"{account['name']} ({code})"
        account["display_formatted"] = f"{code} - {account['name']}"
        ctx.touch(account)
        record["ledger_account"] = base_ref(account)
        ctx.touch(record)
        return record

    def _used(self, business: Business, record: dict[str, Any]) -> bool:
        return record["ledger_account"]["id"] in ledger.totals_by_account(business)

    def delete(self, ctx: Context, record: dict[str, Any], params: Mapping[str, str]) -> None:
        if self._used(ctx.business, record):
            raise errors.record_invalid("Bank account has transactions and cannot be deleted", "id")
        self.remove(ctx, record)
        return None

    def present(self, business: Business, record: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any]:
        debits, credits = ledger.account_totals(business, record["ledger_account"]["id"])
        return {**record, "balance": debits - credits, "deletable": not self._used(business, record)}


# ------------------------------------------------------------------------------------------------ contacts


def address(ctx: Context, body: dict[str, Any], source: str, current: dict[str, Any] | None) -> dict[str, Any]:
    """An embedded ``Address`` from a post/put address object."""
    record = dict(current) if current else ctx.new_record("addresses")
    copy_strings(body, record, ADDRESS_STRINGS, source + ".")
    if body.get("country_id") is not None:
        record["country"] = base_ref(ctx.lookup("countries", body["country_id"], f"{source}.country_id"))
    if body.get("address_type_id") is not None:
        record["address_type"] = {"id": a_string(body["address_type_id"], f"{source}.address_type_id")}
    copy_bools(body, record, ("is_main_address",), source + ".")
    record["displayed_as"] = ", ".join(str(record[k]) for k in ("address_line_1", "city", "postal_code")
                                       if record.get(k))
    return record


class Contacts(Handler):
    """``/contacts``: one contact may be a CUSTOMER, a VENDOR or both (``contact_types``)."""

    STRINGS = ("reference", "tax_number", "notes", "locale", "credit_terms_and_conditions", "source_guid",
               "aux_reference", "registered_number", "tax_calculation", "auxiliary_account")

    def _apply(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> None:
        copy_strings(body, record, ("name", *self.STRINGS))
        if "contact_type_ids" in body:
            ids = a_list(body["contact_type_ids"], "contact_type_ids")
            if not ids:
                raise errors.required("contact_type_ids")
            record["contact_types"] = [base_ref(ctx.lookup("contact_types", i, "contact_type_ids")) for i in ids]
        for member, collection in (("default_sales_ledger_account_id", "ledger_accounts"),
                                   ("default_purchase_ledger_account_id", "ledger_accounts"),
                                   ("default_sales_tax_rate_id", "tax_rates"), ("currency_id", "currencies")):
            if member in body:
                ref = ctx.optional_ref(body, member, collection)
                key = member.removesuffix("_id")
                if ref is None:
                    record.pop(key, None)
                else:
                    record[key] = ref
        if body.get("credit_terms") is not None:
            if body["credit_terms"] not in CREDIT_TERMS:
                raise errors.record_invalid("is not included in the list", "credit_terms")
            record["credit_terms"] = body["credit_terms"]
        if "credit_limit" in body:
            record["credit_limit"] = opt_money(body, "credit_limit", "credit_limit")
        if body.get("credit_days") is not None:
            record["credit_days"] = an_int(body["credit_days"], "credit_days")
        copy_bools(body, record, ("destination_vat_blocking",))
        for member in ("main_address", "delivery_address"):
            if body.get(member) is not None:
                record[member] = address(ctx, an_object(body[member], member), member, record.get(member))
        if body.get("main_contact_person") is not None:
            given = an_object(body["main_contact_person"], "main_contact_person")
            person = dict(record.get("main_contact_person") or ctx.new_record("contact_persons", is_main_contact=True))
            copy_strings(given, person, PERSON_STRINGS, "main_contact_person.")
            copy_bools(given, person, ("is_main_contact", "is_preferred_contact"), "main_contact_person.")
            if given.get("contact_person_type_ids") is not None:
                person["contact_person_types"] = [
                    {"id": a_string(i, "main_contact_person.contact_person_type_ids")}
                    for i in a_list(given["contact_person_type_ids"], "main_contact_person.contact_person_type_ids")]
            person["displayed_as"] = person.get("name", "")
            record["main_contact_person"] = person
            if person.get("email"):
                record["email"] = person["email"]
        if body.get("bank_account_details") is not None:
            details = dict(record.get("bank_account_details") or {})
            copy_strings(an_object(body["bank_account_details"], "bank_account_details"), details,
                         BANK_DETAIL_STRINGS, "bank_account_details.")
            record["bank_account_details"] = details
        if body.get("tax_treatment") is not None:
            treatment = dict(record.get("tax_treatment") or {})
            copy_bools(an_object(body["tax_treatment"], "tax_treatment"), treatment,
                       ("home_tax", "eu_tax_registered", "eu_not_tax_registered", "rest_of_world_tax",
                        "is_importer"), "tax_treatment.")
            record["tax_treatment"] = treatment
        reference = record.get("reference")
        record["displayed_as"] = f"{record['name']} ({reference})" if reference else record["name"]

    def create(self, ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
        base_currency = ctx.business.settings["financial_settings"]["base_currency"]["id"]
        record = ctx.new_record("contacts", currency=ctx.ref("currencies", base_currency), is_active=True,
                                system=False, gdpr_obfuscated=False, has_unfinished_recurring_invoices=False,
                                cis_registered=False, ni_based=False)
        self._apply(ctx, record, body)
        return ctx.business.put("contacts", record)

    def update(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        draft = dict(record)
        self._apply(ctx, draft, body)
        record.update(draft)
        ctx.touch(record)
        return record

    def _used(self, business: Business, record: dict[str, Any]) -> bool:
        return record["id"] in contacts_in_use(business)

    def delete(self, ctx: Context, record: dict[str, Any], params: Mapping[str, str]) -> None:
        if self._used(ctx.business, record):
            raise errors.record_invalid("Contact has transactions and cannot be deleted", "id")
        self.remove(ctx, record)
        return None

    def present(self, business: Business, record: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any]:
        out = {**record, "deletable": not self._used(business, record)}
        if truthy(params.get("show_balance")):
            out["balance"] = contact_balance(business, record["id"])
        return out


def contact_balance(business: Business, contact_id: str) -> Any:
    """Outstanding receivables (sales invoices less sales credit notes and unallocated receipts) less payables
    (purchase invoices less purchase credit notes and unallocated payments)."""
    def compute() -> dict[str, Any]:
        signs = {"sales_invoices": 1, "sales_credit_notes": -1, "purchase_invoices": -1, "purchase_credit_notes": 1}
        totals: dict[str, Any] = {}
        for name, sign in signs.items():
            for doc in business.all(name):
                if doc["status"]["id"] not in ("DRAFT", "VOID"):
                    key = doc["contact"]["id"]
                    totals[key] = totals.get(key, ZERO) + sign * doc["outstanding_amount"]
        for poa in business.all("payments_on_account"):
            key = poa["contact"]["id"]
            totals[key] = totals.get(key, ZERO) - poa["_sign"] * poa["outstanding_amount"]
        return totals

    return business.memoised("contact_balances", compute).get(contact_id, ZERO)


# ------------------------------------------------------------------------------------------------ items


def _line_uses(business: Business, member: str, item_id: str) -> bool:
    """Whether any artefact line refers to the product or service ``item_id``."""
    def compute() -> set[str]:
        return {(line.get(member) or {}).get("id") for name in DOCUMENT_COLLECTIONS for doc in business.all(name)
                for line in doc.get("invoice_lines", doc.get("credit_note_lines", []))} - {None}

    return item_id in business.memoised(f"items_in_use:{member}", compute)


class Items(Handler):
    """Shared by ``/products`` and ``/services`` (they differ in their price lists)."""

    kind = "product"
    prices = ("sales_prices", "price_name", "price", "price_includes_tax", "product_sales_price_type")

    def _apply(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> None:
        copy_strings(body, record, ("description", "item_code", "notes", "source_guid", "purchase_description"))
        for member, collection in (("sales_ledger_account_id", "ledger_accounts"),
                                   ("purchase_ledger_account_id", "ledger_accounts"),
                                   ("sales_tax_rate_id", "tax_rates"), ("purchase_tax_rate_id", "tax_rates"),
                                   ("usual_supplier_id", "contacts")):
            if member in body:
                ref = ctx.optional_ref(body, member, collection)
                key = member.removesuffix("_id")
                if ref is None:
                    record.pop(key, None)
                else:
                    record[key] = ref
        copy_bools(body, record, ("active", "oss_service") if self.kind == "service" else ("active",))
        if "cost_price" in body:
            record["cost_price"] = opt_money(body, "cost_price", "cost_price")
        if body.get("catalog_item_type_id") is not None and self.kind == "product":
            record["catalog_item_type"] = {"id": a_string(body["catalog_item_type_id"], "catalog_item_type_id")}
        list_key, name_key, amount_key, includes_key, type_key = self.prices
        if body.get(list_key) is not None:
            rows = []
            for index, given in enumerate(a_list(body[list_key], list_key)):
                given = an_object(given, f"{list_key}[{index}]")
                row = ctx.new_record(list_key)
                row.pop("$path")
                copy_strings(given, row, (name_key,), f"{list_key}.")
                row[amount_key] = money(given.get(amount_key, 0), f"{list_key}.{amount_key}")
                row[includes_key] = bool(given.get(includes_key, False))
                if given.get(f"{type_key}_id") is not None:
                    row[type_key] = {"id": a_string(given[f"{type_key}_id"], f"{list_key}.{type_key}_id")}
                row["displayed_as"] = row.get(name_key, "")
                rows.append(row)
            record[list_key] = rows
        record["displayed_as"] = record["description"]

    def create(self, ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
        record = ctx.new_record(self.collection, active=True, deactivatable=True, used_on_recurring_invoice=False)
        self._apply(ctx, record, body)
        return ctx.business.put(self.collection, record)

    def update(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        draft = dict(record)
        self._apply(ctx, draft, body)
        record.update(draft)
        ctx.touch(record)
        return record

    def delete(self, ctx: Context, record: dict[str, Any], params: Mapping[str, str]) -> None:
        if _line_uses(ctx.business, self.kind, record["id"]):
            raise errors.record_invalid(f"The {self.kind} is used on documents and cannot be deleted", "id")
        self.remove(ctx, record)
        return None

    def present(self, business: Business, record: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any]:
        return {**record, "deletable": not _line_uses(business, self.kind, record["id"])}


class Products(Items):
    kind = "product"
    prices = ("sales_prices", "price_name", "price", "price_includes_tax", "product_sales_price_type")


class Services(Items):
    kind = "service"
    prices = ("sales_rates", "rate_name", "rate", "rate_includes_tax", "service_rate_type")


class TaxRates(Handler):
    """``/tax_rates``: readable; writes are US-only in the spec, so a UK business answers 422."""

    def _us_only(self) -> errors.SageError:
        return errors.record_invalid("Tax rates can only be created, updated or deleted for US businesses", "")

    def create(self, ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
        raise self._us_only()

    def update(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        raise self._us_only()

    def delete(self, ctx: Context, record: dict[str, Any], params: Mapping[str, str]) -> None:
        raise self._us_only()
