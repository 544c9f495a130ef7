"""baseline: the schema of the release before migrations

Revision ID: 0001
Revises: (none)
Create Date: 2026-12-07 22:09:09.706584
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
        "agent_jobs",
        sa.Column("job_id", sa.String(length=36), nullable=False),
        sa.Column("source_code", sa.String(length=8), nullable=False),
        sa.Column("company_key", sa.String(length=128), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("operation_id", sa.String(length=80), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_expires_at", sa.DateTime(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("job_id"),
        sa.UniqueConstraint("source_code", "tenant_id", "client_id", "idempotency_key", name="uq_agent_jobs_key"),
    )
    _create_index("agent_jobs", "ix_agent_jobs_claim", ["source_code", "company_key", "status"], unique=False)

    _create_table(
        "agent_pairing_codes",
        sa.Column("code_hash", sa.String(length=128), nullable=False),
        sa.Column("browser_hash", sa.String(length=128), nullable=False),
        sa.Column("source_code", sa.String(length=8), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("authorize_query", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("agent_id", sa.String(length=36), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("code_hash"),
        sa.UniqueConstraint("browser_hash"),
    )
    _create_table(
        "agents",
        sa.Column("agent_id", sa.String(length=36), nullable=False),
        sa.Column("source_code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("token_hash", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("agent_id"),
        sa.UniqueConstraint("token_hash"),
    )
    _create_table(
        "identity_apps",
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("secret_hash", sa.String(length=128), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("custom_connection", sa.Boolean(), nullable=False),
        sa.Column("source_code", sa.String(length=8), nullable=True),
        sa.Column("tenant_id", sa.String(length=36), nullable=True),
        sa.Column("redirect_uris", sa.JSON(), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("secret_rotated_at", sa.DateTime(), nullable=True),
        sa.Column("disabled_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("client_id"),
    )
    _create_table(
        "identity_generation",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_table(
        "runtime_idempotency",
        sa.Column("source_code", sa.String(length=8), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("operation_id", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source_code", "client_id", "tenant_id", "idempotency_key"),
    )
    _create_index("runtime_idempotency", op.f("ix_runtime_idempotency_expires_at"), ["expires_at"], unique=False)

    _create_table(
        "runtime_rate_counters",
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("window_start", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "window_start"),
    )
    _create_index("runtime_rate_counters", op.f("ix_runtime_rate_counters_expires_at"), ["expires_at"], unique=False)

    _create_table(
        "runtime_rate_leases",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("runtime_rate_leases", "ix_runtime_rate_leases_scope", ["scope", "expires_at"], unique=False)

    _create_table(
        "upstream_authorizations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source_code", sa.String(length=8), nullable=False),
        sa.Column("auth_event_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("given_name", sa.String(length=200), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("api_base", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("token_type", sa.String(length=32), nullable=False),
        sa.Column("access_token_sealed", sa.Text(), nullable=False),
        sa.Column("refresh_token_sealed", sa.Text(), nullable=True),
        sa.Column("access_expires_at", sa.DateTime(), nullable=False),
        sa.Column("refresh_expires_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index(
        "upstream_authorizations", op.f("ix_upstream_authorizations_auth_event_id"), ["auth_event_id"], unique=False
    )

    _create_table(
        "upstream_pending",
        sa.Column("state_hash", sa.String(length=128), nullable=False),
        sa.Column("source_code", sa.String(length=8), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("redirect_uri", sa.Text(), nullable=False),
        sa.Column("partner_state", sa.Text(), nullable=True),
        sa.Column("authorize_query", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("state_hash"),
    )
    _create_index("upstream_pending", op.f("ix_upstream_pending_expires_at"), ["expires_at"], unique=False)

    _create_table(
        "upstream_sources",
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("client_id", sa.Text(), nullable=False),
        sa.Column("client_secret_sealed", sa.Text(), nullable=False),
        sa.Column("environment", sa.String(length=32), nullable=True),
        sa.Column("authorize_url", sa.Text(), nullable=True),
        sa.Column("token_url", sa.Text(), nullable=True),
        sa.Column("revoke_url", sa.Text(), nullable=True),
        sa.Column("api_base", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    _create_table(
        "webhook_batches",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("first_sequence", sa.BigInteger(), nullable=False),
        sa.Column("last_sequence", sa.BigInteger(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("first_failure_at", sa.DateTime(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("lease_owner", sa.String(length=36), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("claim_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("webhook_batches", op.f("ix_webhook_batches_client_id"), ["client_id"], unique=False)
    _create_index("webhook_batches", op.f("ix_webhook_batches_next_attempt_at"), ["next_attempt_at"], unique=False)

    _create_table(
        "webhook_change_polls",
        sa.Column("source_code", sa.String(length=8), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=True),
        sa.Column("seen", sa.JSON(), nullable=False),
        sa.Column("next_poll_at", sa.DateTime(), nullable=False),
        sa.Column("notified_at", sa.DateTime(), nullable=True),
        sa.Column("lease_owner", sa.String(length=36), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("claim_version", sa.Integer(), nullable=False),
        sa.Column("polls", sa.BigInteger(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source_code", "tenant_id"),
    )
    _create_index("webhook_change_polls", op.f("ix_webhook_change_polls_next_poll_at"), ["next_poll_at"], unique=False)

    _create_table(
        "webhook_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("batch_id", sa.String(length=36), nullable=True),
        sa.Column("source_code", sa.String(length=8), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_type", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("event_type", sa.String(length=16), nullable=False),
        sa.Column("resource_id", sa.String(length=36), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("webhook_events", op.f("ix_webhook_events_batch_id"), ["batch_id"], unique=False)
    _create_index("webhook_events", "ux_webhook_events_sequence", ["client_id", "sequence"], unique=True)

    _create_table(
        "webhook_own_writes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("source_code", sa.String(length=8), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("resource_id", sa.String(length=36), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index(
        "webhook_own_writes",
        "ix_webhook_own_writes_resource",
        ["source_code", "tenant_id", "resource_id"],
        unique=False,
    )
    _create_index("webhook_own_writes", op.f("ix_webhook_own_writes_written_at"), ["written_at"], unique=False)

    _create_table(
        "webhook_source_verifiers",
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("verifier_token_sealed", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    _create_table(
        "agent_companies",
        sa.Column("source_code", sa.String(length=8), nullable=False),
        sa.Column("company_key", sa.String(length=128), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("agent_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("data_path", sa.Text(), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.agent_id"],
        ),
        sa.PrimaryKeyConstraint("source_code", "company_key"),
    )
    _create_index("agent_companies", op.f("ix_agent_companies_agent_id"), ["agent_id"], unique=False)
    _create_index("agent_companies", op.f("ix_agent_companies_tenant_id"), ["tenant_id"], unique=False)

    _create_table(
        "identity_auth_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source_code", sa.String(length=8), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=200), nullable=True),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("global_session_id", sa.String(length=64), nullable=True),
        sa.Column("auth_time", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["identity_apps.client_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("identity_auth_events", op.f("ix_identity_auth_events_client_id"), ["client_id"], unique=False)

    _create_table(
        "upstream_tenants",
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("source_code", sa.String(length=8), nullable=False),
        sa.Column("tenant_key", sa.String(length=200), nullable=False),
        sa.Column("tenant_name", sa.String(length=300), nullable=False),
        sa.Column("tenant_type", sa.String(length=32), nullable=False),
        sa.Column("authorization_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authorization_id"],
            ["upstream_authorizations.id"],
        ),
        sa.PrimaryKeyConstraint("tenant_id"),
    )
    _create_index("upstream_tenants", op.f("ix_upstream_tenants_source_code"), ["source_code"], unique=False)

    _create_table(
        "webhook_subscriptions",
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("key_sealed", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.Text(), nullable=True),
        sa.Column("disabled_at", sa.DateTime(), nullable=True),
        sa.Column("itr_status", sa.String(length=16), nullable=False),
        sa.Column("itr_failure", sa.Text(), nullable=True),
        sa.Column("itr_checked_at", sa.DateTime(), nullable=True),
        sa.Column("itr_lease_until", sa.DateTime(), nullable=True),
        sa.Column("claim_version", sa.Integer(), nullable=False),
        sa.Column("last_sequence", sa.BigInteger(), nullable=False),
        sa.Column("open_batch_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["identity_apps.client_id"],
        ),
        sa.PrimaryKeyConstraint("client_id"),
    )
    _create_table(
        "identity_authorization_codes",
        sa.Column("code_hash", sa.String(length=128), nullable=False),
        sa.Column("auth_event_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("source_code", sa.String(length=8), nullable=False),
        sa.Column("user_id", sa.String(length=200), nullable=False),
        sa.Column("redirect_uri", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("nonce", sa.Text(), nullable=True),
        sa.Column("code_challenge", sa.String(length=128), nullable=True),
        sa.Column("code_challenge_method", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["auth_event_id"],
            ["identity_auth_events.id"],
        ),
        sa.PrimaryKeyConstraint("code_hash"),
    )
    _create_index(
        "identity_authorization_codes", "ix_identity_codes_client_nonce", ["client_id", "nonce"], unique=False
    )

    _create_table(
        "identity_connections",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source_code", sa.String(length=8), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=200), nullable=True),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_type", sa.String(length=32), nullable=False),
        sa.Column("tenant_name", sa.String(length=300), nullable=False),
        sa.Column("auth_event_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["auth_event_id"],
            ["identity_auth_events.id"],
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["identity_apps.client_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index(
        "identity_connections", op.f("ix_identity_connections_auth_event_id"), ["auth_event_id"], unique=False
    )
    _create_index(
        "identity_connections",
        "ix_identity_connections_owner",
        ["source_code", "client_id", "user_id", "tenant_id"],
        unique=False,
    )

    _create_table(
        "identity_refresh_tokens",
        sa.Column("token_hash", sa.String(length=128), nullable=False),
        sa.Column("auth_event_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("rotated_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["auth_event_id"],
            ["identity_auth_events.id"],
        ),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    _create_index(
        "identity_refresh_tokens", op.f("ix_identity_refresh_tokens_auth_event_id"), ["auth_event_id"], unique=False
    )

    _create_table(
        "qbo_contact_group_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index(
        "qbo_contact_group_members", op.f("ix_qbo_contact_group_members_group_id"), ["group_id"], unique=False
    )

    _create_table(
        "qbo_contact_groups",
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("group_id"),
    )
    _create_index("qbo_contact_groups", op.f("ix_qbo_contact_groups_tenant_id"), ["tenant_id"], unique=False)

    _create_table(
        "qbo_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("resource", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("changes", sa.String(length=100), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("user", sa.String(length=255), nullable=False),
        sa.Column("date_utc", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("qbo_history", "ix_qbo_history_record", ["tenant_id", "resource", "record_id"], unique=False)

    _create_table(
        "qbo_ids",
        sa.Column("realm_id", sa.String(length=32), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("qbo_id", sa.String(length=64), nullable=False),
        sa.Column("part", sa.String(length=80), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("alias", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("realm_id", "entity", "qbo_id", "part"),
    )
    _create_index("qbo_ids", "ix_qbo_ids_alias", ["realm_id", "alias"], unique=False)
    _create_index("qbo_ids", "ix_qbo_ids_guid", ["guid"], unique=False)

    _create_table(
        "sage_contact_group_members",
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "group_id", "contact_id"),
    )
    _create_index(
        "sage_contact_group_members", "ix_sage_contact_group_members_contact", ["tenant_id", "contact_id"], unique=False
    )

    _create_table(
        "sage_contact_groups",
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("updated_utc", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "group_id"),
    )
    _create_table(
        "sage_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("resource", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("changes", sa.String(length=100), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("user", sa.String(length=255), nullable=False),
        sa.Column("date_utc", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("sage_history", "ix_sage_history_parent", ["tenant_id", "resource", "record_id"], unique=False)

    _create_table(
        "sage_ids",
        sa.Column("business_id", sa.String(length=64), nullable=False),
        sa.Column("resource", sa.String(length=40), nullable=False),
        sa.Column("sage_id", sa.String(length=64), nullable=False),
        sa.Column("part", sa.String(length=120), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("business_id", "resource", "sage_id", "part"),
    )
    _create_index("sage_ids", "ix_sage_ids_guid", ["business_id", "guid"], unique=False)

    _create_table(
        "sage_journal_numbers",
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("journal_key", sa.String(length=160), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "journal_key"),
        sa.UniqueConstraint("tenant_id", "number", name="uq_sage_journal_numbers_number"),
    )
    _create_table(
        "sage_writes",
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("business_id", sa.String(length=64), nullable=False),
        sa.Column("resource", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("sage_id", sa.String(length=64), nullable=True),
        sa.Column("started_at", sa.Float(), nullable=False),
        sa.Column("completed_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("scope"),
    )
    _create_index("sage_writes", "ix_sage_writes_started", ["started_at"], unique=False)

    _create_table(
        "sage50_companies",
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("company_key", sa.String(length=128), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("watermarks", sa.JSON(), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id"),
    )
    _create_table(
        "sage50_rows",
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_key", sa.String(length=200), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("modified", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "table_name", "row_key"),
    )
    _create_index("sage50_rows", "ix_sage50_rows_modified", ["tenant_id", "table_name", "modified"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sage50_rows", schema=None) as batch_op:
        batch_op.drop_index("ix_sage50_rows_modified")

    op.drop_table("sage50_rows")
    op.drop_table("sage50_companies")
    with op.batch_alter_table("sage_writes", schema=None) as batch_op:
        batch_op.drop_index("ix_sage_writes_started")

    op.drop_table("sage_writes")
    op.drop_table("sage_journal_numbers")
    with op.batch_alter_table("sage_ids", schema=None) as batch_op:
        batch_op.drop_index("ix_sage_ids_guid")

    op.drop_table("sage_ids")
    with op.batch_alter_table("sage_history", schema=None) as batch_op:
        batch_op.drop_index("ix_sage_history_parent")

    op.drop_table("sage_history")
    op.drop_table("sage_contact_groups")
    with op.batch_alter_table("sage_contact_group_members", schema=None) as batch_op:
        batch_op.drop_index("ix_sage_contact_group_members_contact")

    op.drop_table("sage_contact_group_members")
    with op.batch_alter_table("qbo_ids", schema=None) as batch_op:
        batch_op.drop_index("ix_qbo_ids_guid")
        batch_op.drop_index("ix_qbo_ids_alias")

    op.drop_table("qbo_ids")
    with op.batch_alter_table("qbo_history", schema=None) as batch_op:
        batch_op.drop_index("ix_qbo_history_record")

    op.drop_table("qbo_history")
    with op.batch_alter_table("qbo_contact_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_qbo_contact_groups_tenant_id"))

    op.drop_table("qbo_contact_groups")
    with op.batch_alter_table("qbo_contact_group_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_qbo_contact_group_members_group_id"))

    op.drop_table("qbo_contact_group_members")
    with op.batch_alter_table("identity_refresh_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_refresh_tokens_auth_event_id"))

    op.drop_table("identity_refresh_tokens")
    with op.batch_alter_table("identity_connections", schema=None) as batch_op:
        batch_op.drop_index("ix_identity_connections_owner")
        batch_op.drop_index(batch_op.f("ix_identity_connections_auth_event_id"))

    op.drop_table("identity_connections")
    with op.batch_alter_table("identity_authorization_codes", schema=None) as batch_op:
        batch_op.drop_index("ix_identity_codes_client_nonce")

    op.drop_table("identity_authorization_codes")
    op.drop_table("webhook_subscriptions")
    with op.batch_alter_table("upstream_tenants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_upstream_tenants_source_code"))

    op.drop_table("upstream_tenants")
    with op.batch_alter_table("identity_auth_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_auth_events_client_id"))

    op.drop_table("identity_auth_events")
    with op.batch_alter_table("agent_companies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agent_companies_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_agent_companies_agent_id"))

    op.drop_table("agent_companies")
    op.drop_table("webhook_source_verifiers")
    with op.batch_alter_table("webhook_own_writes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_own_writes_written_at"))
        batch_op.drop_index("ix_webhook_own_writes_resource")

    op.drop_table("webhook_own_writes")
    with op.batch_alter_table("webhook_events", schema=None) as batch_op:
        batch_op.drop_index("ux_webhook_events_sequence")
        batch_op.drop_index(batch_op.f("ix_webhook_events_batch_id"))

    op.drop_table("webhook_events")
    with op.batch_alter_table("webhook_change_polls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_change_polls_next_poll_at"))

    op.drop_table("webhook_change_polls")
    with op.batch_alter_table("webhook_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_batches_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_webhook_batches_client_id"))

    op.drop_table("webhook_batches")
    op.drop_table("upstream_sources")
    with op.batch_alter_table("upstream_pending", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_upstream_pending_expires_at"))

    op.drop_table("upstream_pending")
    with op.batch_alter_table("upstream_authorizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_upstream_authorizations_auth_event_id"))

    op.drop_table("upstream_authorizations")
    with op.batch_alter_table("runtime_rate_leases", schema=None) as batch_op:
        batch_op.drop_index("ix_runtime_rate_leases_scope")

    op.drop_table("runtime_rate_leases")
    with op.batch_alter_table("runtime_rate_counters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_runtime_rate_counters_expires_at"))

    op.drop_table("runtime_rate_counters")
    with op.batch_alter_table("runtime_idempotency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_runtime_idempotency_expires_at"))

    op.drop_table("runtime_idempotency")
    op.drop_table("identity_generation")
    op.drop_table("identity_apps")
    op.drop_table("agents")
    op.drop_table("agent_pairing_codes")
    with op.batch_alter_table("agent_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_agent_jobs_claim")

    op.drop_table("agent_jobs")
