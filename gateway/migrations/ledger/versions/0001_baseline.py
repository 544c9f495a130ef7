"""baseline: the schema of the release before migrations

Revision ID: 0001
Revises: (none)
Create Date: 2026-12-07 22:09:14.879331
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _exists(table: str, index: str | None = None) -> bool:
    # The release before migrations created these tables with create_all: on its databases they exist already
    # (with their rows), so only what is missing is created. Offline (--sql) there is nothing to look at.
    if context.is_offline_mode():
        return False
    inspector = sa.inspect(op.get_bind())
    if index is None:
        return inspector.has_table(table)
    return inspector.has_table(table) and index in {found["name"] for found in inspector.get_indexes(table)}


def _create_table(name: str, *columns, **kw) -> None:
    if not _exists(name):
        op.create_table(name, *columns, **kw)


def _create_index(table: str, name: str, columns: list[str], **kw) -> None:
    if not _exists(table, name):
        op.create_index(name, table, columns, **kw)


def upgrade() -> None:
    _create_table(
        "account_balances",
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("tracking", sa.Text(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.Column("spent", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("company_id", "date", "account_id", "tracking"),
    )
    _create_index("account_balances", "ix_account_balances_day", ["company_id", "date"], unique=False)

    _create_table(
        "companies",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("legal_name", sa.String(length=255), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("organisation_type", sa.String(length=40), nullable=False),
        sa.Column("base_currency", sa.String(length=3), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("financial_year_end_day", sa.Integer(), nullable=False),
        sa.Column("financial_year_end_month", sa.Integer(), nullable=False),
        sa.Column("sales_tax_basis", sa.String(length=20), nullable=False),
        sa.Column("sales_tax_period", sa.String(length=20), nullable=False),
        sa.Column("tax_number", sa.String(length=50), nullable=True),
        sa.Column("registration_number", sa.String(length=50), nullable=True),
        sa.Column("line_of_business", sa.String(length=255), nullable=True),
        sa.Column("short_code", sa.String(length=20), nullable=True),
        sa.Column("org_class", sa.String(length=20), nullable=True),
        sa.Column("edition", sa.String(length=20), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("addresses", sa.JSON(), nullable=False),
        sa.Column("phones", sa.JSON(), nullable=False),
        sa.Column("next_invoice_number", sa.Integer(), nullable=False),
        sa.Column("next_journal_number", sa.Integer(), nullable=False),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.Column("period_lock_date", sa.Date(), nullable=True),
        sa.Column("end_of_year_lock_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_table(
        "native_keyed_writes",
        sa.Column("source_code", sa.String(length=16), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("operation_id", sa.String(length=100), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source_code", "client_id", "tenant_id", "idempotency_key"),
    )
    _create_index("native_keyed_writes", op.f("ix_native_keyed_writes_created_at"), ["created_at"], unique=False)

    _create_table(
        "users",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    _create_table(
        "accounts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=True),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("tax_type", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("bank_account_number", sa.String(length=50), nullable=True),
        sa.Column("bank_account_type", sa.String(length=20), nullable=True),
        sa.Column("currency_code", sa.String(length=3), nullable=True),
        sa.Column("enable_payments", sa.Boolean(), nullable=False),
        sa.Column("show_in_expense_claims", sa.Boolean(), nullable=False),
        sa.Column("system_account", sa.String(length=40), nullable=True),
        sa.Column("reporting_code", sa.String(length=50), nullable=True),
        sa.Column("add_to_watchlist", sa.Boolean(), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "code"),
    )
    _create_index("accounts", op.f("ix_accounts_company_id"), ["company_id"], unique=False)

    _create_table(
        "attachments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("resource", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("mime_type", sa.String(length=255), nullable=False),
        sa.Column("content_length", sa.Integer(), nullable=False),
        sa.Column("include_online", sa.Boolean(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("attachments", op.f("ix_attachments_company_id"), ["company_id"], unique=False)
    _create_index("attachments", "ix_attachments_parent", ["company_id", "resource", "record_id"], unique=False)

    _create_table(
        "budgets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("tracking", sa.JSON(), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("budgets", op.f("ix_budgets_company_id"), ["company_id"], unique=False)

    _create_table(
        "contact_groups",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("contact_groups", op.f("ix_contact_groups_company_id"), ["company_id"], unique=False)

    _create_table(
        "contacts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("contact_number", sa.String(length=50), nullable=True),
        sa.Column("account_number", sa.String(length=50), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("first_name", sa.String(length=255), nullable=True),
        sa.Column("last_name", sa.String(length=255), nullable=True),
        sa.Column("company_number", sa.String(length=50), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("bank_account_details", sa.String(length=255), nullable=True),
        sa.Column("tax_number", sa.String(length=50), nullable=True),
        sa.Column("ar_tax_type", sa.String(length=40), nullable=True),
        sa.Column("ap_tax_type", sa.String(length=40), nullable=True),
        sa.Column("default_currency", sa.String(length=3), nullable=True),
        sa.Column("sales_account_code", sa.String(length=10), nullable=True),
        sa.Column("purchases_account_code", sa.String(length=10), nullable=True),
        sa.Column("addresses", sa.JSON(), nullable=False),
        sa.Column("phones", sa.JSON(), nullable=False),
        sa.Column("contact_persons", sa.JSON(), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.Column("created_by_app", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "name"),
    )
    _create_index("contacts", op.f("ix_contacts_company_id"), ["company_id"], unique=False)
    _create_index("contacts", op.f("ix_contacts_contact_number"), ["contact_number"], unique=False)

    _create_table(
        "currencies",
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("company_id", "code"),
    )
    _create_table(
        "expense_claims",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("amount_paid", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("reporting_date", sa.Date(), nullable=True),
        sa.Column("payment_due_date", sa.Date(), nullable=True),
        sa.Column("posted", sa.Boolean(), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("expense_claims", op.f("ix_expense_claims_company_id"), ["company_id"], unique=False)
    _create_index("expense_claims", op.f("ix_expense_claims_user_id"), ["user_id"], unique=False)

    _create_table(
        "history_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("resource", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("changes", sa.String(length=100), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("user", sa.String(length=255), nullable=False),
        sa.Column("date_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("history_records", "ix_history_parent", ["company_id", "resource", "record_id"], unique=False)
    _create_index("history_records", op.f("ix_history_records_company_id"), ["company_id"], unique=False)

    _create_table(
        "invoice_reminder_settings",
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("company_id"),
    )
    _create_table(
        "journals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("source_type", sa.String(length=24), nullable=False),
        sa.Column("source_id", sa.String(length=36), nullable=True),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("reverses", sa.String(length=36), nullable=True),
        sa.Column("reversed_by", sa.String(length=36), nullable=True),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "number"),
    )
    _create_index("journals", op.f("ix_journals_company_id"), ["company_id"], unique=False)
    _create_index("journals", "ix_journals_source", ["company_id", "source_id"], unique=False)

    _create_table(
        "linked_transactions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("source_transaction_id", sa.String(length=36), nullable=False),
        sa.Column("source_line_item_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=True),
        sa.Column("target_transaction_id", sa.String(length=36), nullable=True),
        sa.Column("target_line_item_id", sa.String(length=36), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("source_transaction_type_code", sa.String(length=10), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("linked_transactions", op.f("ix_linked_transactions_company_id"), ["company_id"], unique=False)
    _create_index(
        "linked_transactions",
        op.f("ix_linked_transactions_source_transaction_id"),
        ["source_transaction_id"],
        unique=False,
    )
    _create_index(
        "linked_transactions",
        op.f("ix_linked_transactions_target_transaction_id"),
        ["target_transaction_id"],
        unique=False,
    )

    _create_table(
        "manual_journals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("narration", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("line_amount_types", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("show_on_cash_basis", sa.Boolean(), nullable=False),
        sa.Column("posted", sa.Boolean(), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("manual_journals", op.f("ix_manual_journals_company_id"), ["company_id"], unique=False)

    _create_table(
        "payment_services",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("pay_now_text", sa.String(length=255), nullable=True),
        sa.Column("service_type", sa.String(length=20), nullable=False),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("payment_services", op.f("ix_payment_services_company_id"), ["company_id"], unique=False)

    _create_table(
        "published_reports",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("report_type", sa.String(length=40), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("published_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("published_reports", op.f("ix_published_reports_company_id"), ["company_id"], unique=False)

    _create_table(
        "tax_rates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("tax_type", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("report_tax_type", sa.String(length=40), nullable=True),
        sa.Column("rate", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("component_name", sa.String(length=50), nullable=False),
        sa.Column("applies_to", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "tax_type"),
    )
    _create_index("tax_rates", op.f("ix_tax_rates_company_id"), ["company_id"], unique=False)

    _create_table(
        "tracking_categories",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("tracking_categories", op.f("ix_tracking_categories_company_id"), ["company_id"], unique=False)

    _create_table(
        "user_companies",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "company_id"),
    )
    _create_table(
        "bank_transactions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=True),
        sa.Column("bank_account_id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("is_reconciled", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("line_amount_types", sa.String(length=10), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        sa.Column("currency_rate", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("sub_total", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("total_tax", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("credit_id", sa.String(length=36), nullable=True),
        sa.Column("credit_status", sa.String(length=10), nullable=True),
        sa.Column("remaining_credit", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("credit_number", sa.String(length=255), nullable=True),
        sa.Column("fully_paid_on", sa.Date(), nullable=True),
        sa.Column("transfer_id", sa.String(length=36), nullable=True),
        sa.Column("posted", sa.Boolean(), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("credit_id"),
    )
    _create_index("bank_transactions", op.f("ix_bank_transactions_bank_account_id"), ["bank_account_id"], unique=False)
    _create_index("bank_transactions", op.f("ix_bank_transactions_company_id"), ["company_id"], unique=False)
    _create_index("bank_transactions", op.f("ix_bank_transactions_contact_id"), ["contact_id"], unique=False)
    _create_index("bank_transactions", op.f("ix_bank_transactions_transfer_id"), ["transfer_id"], unique=False)

    _create_table(
        "batch_payments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("particulars", sa.String(length=12), nullable=True),
        sa.Column("code", sa.String(length=12), nullable=True),
        sa.Column("details", sa.String(length=255), nullable=True),
        sa.Column("narrative", sa.String(length=18), nullable=True),
        sa.Column("total_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("is_reconciled", sa.Boolean(), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("batch_payments", op.f("ix_batch_payments_company_id"), ["company_id"], unique=False)

    _create_table(
        "branding_theme_payment_services",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("branding_theme_id", sa.String(length=36), nullable=False),
        sa.Column("payment_service_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["payment_service_id"],
            ["payment_services.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "branding_theme_id", "payment_service_id"),
    )
    _create_index(
        "branding_theme_payment_services",
        op.f("ix_branding_theme_payment_services_company_id"),
        ["company_id"],
        unique=False,
    )

    _create_table(
        "budget_balances",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("budget_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("notes", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["budget_id"],
            ["budgets.id"],
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("budget_id", "account_id", "period"),
    )
    _create_index("budget_balances", op.f("ix_budget_balances_budget_id"), ["budget_id"], unique=False)
    _create_index("budget_balances", op.f("ix_budget_balances_company_id"), ["company_id"], unique=False)

    _create_table(
        "contact_group_members",
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["contact_groups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id", "contact_id"),
    )
    _create_index("contact_group_members", op.f("ix_contact_group_members_contact_id"), ["contact_id"], unique=False)

    _create_table(
        "credit_notes",
        sa.Column("remaining_credit", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=12), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=255), nullable=True),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("line_amount_types", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        sa.Column("currency_rate", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("sub_total", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("total_tax", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("fully_paid_on", sa.Date(), nullable=True),
        sa.Column("sent_to_contact", sa.Boolean(), nullable=False),
        sa.Column("branding_theme_id", sa.String(length=36), nullable=True),
        sa.Column("posted", sa.Boolean(), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("credit_notes", op.f("ix_credit_notes_company_id"), ["company_id"], unique=False)
    _create_index("credit_notes", "ix_credit_notes_company_number", ["company_id", "number"], unique=False)
    _create_index("credit_notes", op.f("ix_credit_notes_contact_id"), ["contact_id"], unique=False)

    _create_table(
        "invoices",
        sa.Column("total_discount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("amount_paid", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("amount_due", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("expected_payment_date", sa.Date(), nullable=True),
        sa.Column("planned_payment_date", sa.Date(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("created_by_app", sa.String(length=255), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=12), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=255), nullable=True),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("line_amount_types", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        sa.Column("currency_rate", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("sub_total", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("total_tax", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("fully_paid_on", sa.Date(), nullable=True),
        sa.Column("sent_to_contact", sa.Boolean(), nullable=False),
        sa.Column("branding_theme_id", sa.String(length=36), nullable=True),
        sa.Column("posted", sa.Boolean(), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("invoices", op.f("ix_invoices_company_id"), ["company_id"], unique=False)
    _create_index("invoices", "ix_invoices_company_number", ["company_id", "number"], unique=False)
    _create_index("invoices", op.f("ix_invoices_contact_id"), ["contact_id"], unique=False)
    _create_index("invoices", op.f("ix_invoices_created_by_app"), ["created_by_app"], unique=False)

    _create_table(
        "items",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("purchase_description", sa.Text(), nullable=True),
        sa.Column("is_sold", sa.Boolean(), nullable=False),
        sa.Column("is_purchased", sa.Boolean(), nullable=False),
        sa.Column("sales_unit_price", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("sales_account_id", sa.String(length=36), nullable=True),
        sa.Column("sales_tax_type", sa.String(length=40), nullable=True),
        sa.Column("purchase_unit_price", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("purchase_account_id", sa.String(length=36), nullable=True),
        sa.Column("purchase_tax_type", sa.String(length=40), nullable=True),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["purchase_account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["sales_account_id"],
            ["accounts.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "code"),
    )
    _create_index("items", op.f("ix_items_company_id"), ["company_id"], unique=False)

    _create_table(
        "journal_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("journal_id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("tax_type", sa.String(length=40), nullable=True),
        sa.Column("tax_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("tracking", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(["journal_id"], ["journals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("journal_lines", op.f("ix_journal_lines_account_id"), ["account_id"], unique=False)
    _create_index("journal_lines", op.f("ix_journal_lines_company_id"), ["company_id"], unique=False)
    _create_index("journal_lines", op.f("ix_journal_lines_journal_id"), ["journal_id"], unique=False)

    _create_table(
        "manual_journal_lines",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("manual_journal_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("line_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("account_code", sa.String(length=10), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("tax_type", sa.String(length=40), nullable=True),
        sa.Column("tax_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("tracking", sa.JSON(), nullable=False),
        sa.Column("is_blank", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(["manual_journal_id"], ["manual_journals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index(
        "manual_journal_lines", op.f("ix_manual_journal_lines_manual_journal_id"), ["manual_journal_id"], unique=False
    )

    _create_table(
        "receipts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("claim_id", sa.String(length=36), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("line_amount_types", sa.String(length=10), nullable=False),
        sa.Column("sub_total", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("total_tax", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("total_discount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["expense_claims.id"],
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("receipts", op.f("ix_receipts_claim_id"), ["claim_id"], unique=False)
    _create_index("receipts", op.f("ix_receipts_company_id"), ["company_id"], unique=False)
    _create_index("receipts", op.f("ix_receipts_contact_id"), ["contact_id"], unique=False)
    _create_index("receipts", op.f("ix_receipts_user_id"), ["user_id"], unique=False)

    _create_table(
        "repeating_invoices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=12), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("line_amount_types", sa.String(length=10), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("branding_theme_id", sa.String(length=36), nullable=True),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        sa.Column("line_items", sa.JSON(), nullable=False),
        sa.Column("sub_total", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("total_tax", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("due_date", sa.Integer(), nullable=False),
        sa.Column("due_date_type", sa.String(length=24), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("next_index", sa.Integer(), nullable=False),
        sa.Column("next_scheduled_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("approved_for_sending", sa.Boolean(), nullable=False),
        sa.Column("send_copy", sa.Boolean(), nullable=False),
        sa.Column("mark_as_sent", sa.Boolean(), nullable=False),
        sa.Column("include_pdf", sa.Boolean(), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("repeating_invoices", op.f("ix_repeating_invoices_company_id"), ["company_id"], unique=False)

    _create_table(
        "tracking_options",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("category_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["category_id"], ["tracking_categories.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("tracking_options", op.f("ix_tracking_options_category_id"), ["category_id"], unique=False)
    _create_index("tracking_options", op.f("ix_tracking_options_company_id"), ["company_id"], unique=False)

    _create_table(
        "workflow_documents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=255), nullable=False),
        sa.Column("reference", sa.String(length=4000), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.Column("delivery_date", sa.Date(), nullable=True),
        sa.Column("expected_arrival_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("line_amount_types", sa.String(length=10), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        sa.Column("currency_rate", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("sub_total", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("total_tax", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("total_discount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("branding_theme_id", sa.String(length=36), nullable=True),
        sa.Column("title", sa.String(length=100), nullable=True),
        sa.Column("summary", sa.String(length=3000), nullable=True),
        sa.Column("terms", sa.String(length=4000), nullable=True),
        sa.Column("delivery_address", sa.Text(), nullable=True),
        sa.Column("attention_to", sa.String(length=255), nullable=True),
        sa.Column("telephone", sa.String(length=50), nullable=True),
        sa.Column("delivery_instructions", sa.Text(), nullable=True),
        sa.Column("sent_to_contact", sa.Boolean(), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("workflow_documents", op.f("ix_workflow_documents_company_id"), ["company_id"], unique=False)
    _create_index("workflow_documents", op.f("ix_workflow_documents_contact_id"), ["contact_id"], unique=False)
    _create_index("workflow_documents", "ix_workflow_documents_number", ["company_id", "kind", "number"], unique=False)

    _create_table(
        "allocations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("credit_note_id", sa.String(length=36), nullable=True),
        sa.Column("bank_transaction_id", sa.String(length=36), nullable=True),
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_transaction_id"],
            ["bank_transactions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["credit_note_id"],
            ["credit_notes.id"],
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("allocations", op.f("ix_allocations_bank_transaction_id"), ["bank_transaction_id"], unique=False)
    _create_index("allocations", op.f("ix_allocations_company_id"), ["company_id"], unique=False)
    _create_index("allocations", op.f("ix_allocations_credit_note_id"), ["credit_note_id"], unique=False)
    _create_index("allocations", op.f("ix_allocations_invoice_id"), ["invoice_id"], unique=False)

    _create_table(
        "bank_transaction_lines",
        sa.Column("bank_transaction_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("item_code", sa.String(length=30), nullable=True),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("account_code", sa.String(length=10), nullable=True),
        sa.Column("tax_type", sa.String(length=40), nullable=True),
        sa.Column("tax_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("line_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("tracking", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(["bank_transaction_id"], ["bank_transactions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index(
        "bank_transaction_lines",
        op.f("ix_bank_transaction_lines_bank_transaction_id"),
        ["bank_transaction_id"],
        unique=False,
    )

    _create_table(
        "bank_transfers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("from_account_id", sa.String(length=36), nullable=False),
        sa.Column("to_account_id", sa.String(length=36), nullable=False),
        sa.Column("from_transaction_id", sa.String(length=36), nullable=False),
        sa.Column("to_transaction_id", sa.String(length=36), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("currency_rate", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["from_account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["from_transaction_id"],
            ["bank_transactions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["to_account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["to_transaction_id"],
            ["bank_transactions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("bank_transfers", op.f("ix_bank_transfers_company_id"), ["company_id"], unique=False)

    _create_table(
        "credit_note_lines",
        sa.Column("credit_note_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("item_code", sa.String(length=30), nullable=True),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("account_code", sa.String(length=10), nullable=True),
        sa.Column("tax_type", sa.String(length=40), nullable=True),
        sa.Column("tax_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("line_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("tracking", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(["credit_note_id"], ["credit_notes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("credit_note_lines", op.f("ix_credit_note_lines_credit_note_id"), ["credit_note_id"], unique=False)

    _create_table(
        "line_items",
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("item_code", sa.String(length=30), nullable=True),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("account_code", sa.String(length=10), nullable=True),
        sa.Column("tax_type", sa.String(length=40), nullable=True),
        sa.Column("tax_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("line_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("tracking", sa.JSON(), nullable=False),
        sa.Column("discount_rate", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("discount_amount", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("line_items", op.f("ix_line_items_invoice_id"), ["invoice_id"], unique=False)

    _create_table(
        "online_invoice_links",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
        ),
        sa.PrimaryKeyConstraint("token"),
        sa.UniqueConstraint("invoice_id"),
    )
    _create_index("online_invoice_links", op.f("ix_online_invoice_links_company_id"), ["company_id"], unique=False)

    _create_table(
        "payments",
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("currency_rate", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("is_reconciled", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("payment_type", sa.String(length=24), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("payments", op.f("ix_payments_company_id"), ["company_id"], unique=False)
    _create_index("payments", op.f("ix_payments_invoice_id"), ["invoice_id"], unique=False)

    _create_table(
        "receipt_lines",
        sa.Column("receipt_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("item_code", sa.String(length=30), nullable=True),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("account_code", sa.String(length=10), nullable=True),
        sa.Column("tax_type", sa.String(length=40), nullable=True),
        sa.Column("tax_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("line_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("tracking", sa.JSON(), nullable=False),
        sa.Column("discount_rate", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("discount_amount", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(["receipt_id"], ["receipts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("receipt_lines", op.f("ix_receipt_lines_receipt_id"), ["receipt_id"], unique=False)

    _create_table(
        "refund_payments",
        sa.Column("credit_note_id", sa.String(length=36), nullable=True),
        sa.Column("bank_transaction_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("currency_rate", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("is_reconciled", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("payment_type", sa.String(length=24), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["bank_transaction_id"],
            ["bank_transactions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["credit_note_id"],
            ["credit_notes.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index(
        "refund_payments", op.f("ix_refund_payments_bank_transaction_id"), ["bank_transaction_id"], unique=False
    )
    _create_index("refund_payments", op.f("ix_refund_payments_company_id"), ["company_id"], unique=False)
    _create_index("refund_payments", op.f("ix_refund_payments_credit_note_id"), ["credit_note_id"], unique=False)

    _create_table(
        "repeating_invoice_runs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("company_id", sa.String(length=36), nullable=False),
        sa.Column("repeating_invoice_id", sa.String(length=36), nullable=False),
        sa.Column("scheduled_date", sa.Date(), nullable=False),
        sa.Column("invoice_id", sa.String(length=36), nullable=True),
        sa.Column("problem", sa.String(length=500), nullable=True),
        sa.Column("created_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["repeating_invoice_id"],
            ["repeating_invoices.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("repeating_invoice_id", "scheduled_date"),
    )
    _create_index("repeating_invoice_runs", op.f("ix_repeating_invoice_runs_company_id"), ["company_id"], unique=False)

    _create_table(
        "workflow_lines",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("item_code", sa.String(length=30), nullable=True),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("account_code", sa.String(length=10), nullable=True),
        sa.Column("tax_type", sa.String(length=40), nullable=True),
        sa.Column("tax_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("line_amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("tracking", sa.JSON(), nullable=False),
        sa.Column("discount_rate", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("discount_amount", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
        ),
        sa.ForeignKeyConstraint(["document_id"], ["workflow_documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("workflow_lines", op.f("ix_workflow_lines_document_id"), ["document_id"], unique=False)

    _create_table(
        "batch_payment_members",
        sa.Column("payment_id", sa.String(length=36), nullable=False),
        sa.Column("batch_payment_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_payment_id"],
            ["batch_payments.id"],
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
        ),
        sa.PrimaryKeyConstraint("payment_id"),
    )
    _create_index(
        "batch_payment_members", op.f("ix_batch_payment_members_batch_payment_id"), ["batch_payment_id"], unique=False
    )


def downgrade() -> None:
    with op.batch_alter_table("batch_payment_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_payment_members_batch_payment_id"))

    op.drop_table("batch_payment_members")
    with op.batch_alter_table("workflow_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workflow_lines_document_id"))

    op.drop_table("workflow_lines")
    with op.batch_alter_table("repeating_invoice_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_repeating_invoice_runs_company_id"))

    op.drop_table("repeating_invoice_runs")
    with op.batch_alter_table("refund_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_payments_credit_note_id"))
        batch_op.drop_index(batch_op.f("ix_refund_payments_company_id"))
        batch_op.drop_index(batch_op.f("ix_refund_payments_bank_transaction_id"))

    op.drop_table("refund_payments")
    with op.batch_alter_table("receipt_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_lines_receipt_id"))

    op.drop_table("receipt_lines")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_invoice_id"))
        batch_op.drop_index(batch_op.f("ix_payments_company_id"))

    op.drop_table("payments")
    with op.batch_alter_table("online_invoice_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_online_invoice_links_company_id"))

    op.drop_table("online_invoice_links")
    with op.batch_alter_table("line_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_line_items_invoice_id"))

    op.drop_table("line_items")
    with op.batch_alter_table("credit_note_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_note_lines_credit_note_id"))

    op.drop_table("credit_note_lines")
    with op.batch_alter_table("bank_transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bank_transfers_company_id"))

    op.drop_table("bank_transfers")
    with op.batch_alter_table("bank_transaction_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bank_transaction_lines_bank_transaction_id"))

    op.drop_table("bank_transaction_lines")
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocations_invoice_id"))
        batch_op.drop_index(batch_op.f("ix_allocations_credit_note_id"))
        batch_op.drop_index(batch_op.f("ix_allocations_company_id"))
        batch_op.drop_index(batch_op.f("ix_allocations_bank_transaction_id"))

    op.drop_table("allocations")
    with op.batch_alter_table("workflow_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_workflow_documents_number")
        batch_op.drop_index(batch_op.f("ix_workflow_documents_contact_id"))
        batch_op.drop_index(batch_op.f("ix_workflow_documents_company_id"))

    op.drop_table("workflow_documents")
    with op.batch_alter_table("tracking_options", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tracking_options_company_id"))
        batch_op.drop_index(batch_op.f("ix_tracking_options_category_id"))

    op.drop_table("tracking_options")
    with op.batch_alter_table("repeating_invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_repeating_invoices_company_id"))

    op.drop_table("repeating_invoices")
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipts_user_id"))
        batch_op.drop_index(batch_op.f("ix_receipts_contact_id"))
        batch_op.drop_index(batch_op.f("ix_receipts_company_id"))
        batch_op.drop_index(batch_op.f("ix_receipts_claim_id"))

    op.drop_table("receipts")
    with op.batch_alter_table("manual_journal_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_manual_journal_lines_manual_journal_id"))

    op.drop_table("manual_journal_lines")
    with op.batch_alter_table("journal_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_lines_journal_id"))
        batch_op.drop_index(batch_op.f("ix_journal_lines_company_id"))
        batch_op.drop_index(batch_op.f("ix_journal_lines_account_id"))

    op.drop_table("journal_lines")
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_items_company_id"))

    op.drop_table("items")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoices_created_by_app"))
        batch_op.drop_index(batch_op.f("ix_invoices_contact_id"))
        batch_op.drop_index("ix_invoices_company_number")
        batch_op.drop_index(batch_op.f("ix_invoices_company_id"))

    op.drop_table("invoices")
    with op.batch_alter_table("credit_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_notes_contact_id"))
        batch_op.drop_index("ix_credit_notes_company_number")
        batch_op.drop_index(batch_op.f("ix_credit_notes_company_id"))

    op.drop_table("credit_notes")
    with op.batch_alter_table("contact_group_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_group_members_contact_id"))

    op.drop_table("contact_group_members")
    with op.batch_alter_table("budget_balances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_balances_company_id"))
        batch_op.drop_index(batch_op.f("ix_budget_balances_budget_id"))

    op.drop_table("budget_balances")
    with op.batch_alter_table("branding_theme_payment_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_branding_theme_payment_services_company_id"))

    op.drop_table("branding_theme_payment_services")
    with op.batch_alter_table("batch_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_payments_company_id"))

    op.drop_table("batch_payments")
    with op.batch_alter_table("bank_transactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bank_transactions_transfer_id"))
        batch_op.drop_index(batch_op.f("ix_bank_transactions_contact_id"))
        batch_op.drop_index(batch_op.f("ix_bank_transactions_company_id"))
        batch_op.drop_index(batch_op.f("ix_bank_transactions_bank_account_id"))

    op.drop_table("bank_transactions")
    op.drop_table("user_companies")
    with op.batch_alter_table("tracking_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tracking_categories_company_id"))

    op.drop_table("tracking_categories")
    with op.batch_alter_table("tax_rates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tax_rates_company_id"))

    op.drop_table("tax_rates")
    with op.batch_alter_table("published_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_published_reports_company_id"))

    op.drop_table("published_reports")
    with op.batch_alter_table("payment_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_services_company_id"))

    op.drop_table("payment_services")
    with op.batch_alter_table("manual_journals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_manual_journals_company_id"))

    op.drop_table("manual_journals")
    with op.batch_alter_table("linked_transactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_linked_transactions_target_transaction_id"))
        batch_op.drop_index(batch_op.f("ix_linked_transactions_source_transaction_id"))
        batch_op.drop_index(batch_op.f("ix_linked_transactions_company_id"))

    op.drop_table("linked_transactions")
    with op.batch_alter_table("journals", schema=None) as batch_op:
        batch_op.drop_index("ix_journals_source")
        batch_op.drop_index(batch_op.f("ix_journals_company_id"))

    op.drop_table("journals")
    op.drop_table("invoice_reminder_settings")
    with op.batch_alter_table("history_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_history_records_company_id"))
        batch_op.drop_index("ix_history_parent")

    op.drop_table("history_records")
    with op.batch_alter_table("expense_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expense_claims_user_id"))
        batch_op.drop_index(batch_op.f("ix_expense_claims_company_id"))

    op.drop_table("expense_claims")
    op.drop_table("currencies")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_contact_number"))
        batch_op.drop_index(batch_op.f("ix_contacts_company_id"))

    op.drop_table("contacts")
    with op.batch_alter_table("contact_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_groups_company_id"))

    op.drop_table("contact_groups")
    with op.batch_alter_table("budgets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budgets_company_id"))

    op.drop_table("budgets")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index("ix_attachments_parent")
        batch_op.drop_index(batch_op.f("ix_attachments_company_id"))

    op.drop_table("attachments")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_company_id"))

    op.drop_table("accounts")
    op.drop_table("users")
    with op.batch_alter_table("native_keyed_writes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_native_keyed_writes_created_at"))

    op.drop_table("native_keyed_writes")
    op.drop_table("companies")
    with op.batch_alter_table("account_balances", schema=None) as batch_op:
        batch_op.drop_index("ix_account_balances_day")

    op.drop_table("account_balances")
