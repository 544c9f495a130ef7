"""The adapter's own tables, on its own ``MetaData``, in the gateway's database.

- ``sage_ids`` (:data:`SAGE_IDS`): the reverse map of the stable GUIDs the adapter hands out
  (:mod:`adapters.sage_accounting.ids`), keyed by Sage's own names: ``business_id``, ``resource``, ``sage_id``,
  ``part``.
- ``sage_writes`` (:data:`SAGE_WRITES`): the write ledger that keeps retried Xero writes from creating a second Sage
  record (:mod:`adapters.sage_accounting.ledger`).
- ``sage_contact_groups``/``sage_contact_group_members`` (:data:`SAGE_CONTACT_GROUPS`): the gateway-kept ContactGroups
  (:mod:`adapters.common.contact_groups`).
- ``sage_journal_numbers`` (:data:`SAGE_JOURNAL_NUMBERS`): the Xero JournalNumbers handed out
  (:mod:`adapters.common.journal_numbers`).
- ``sage_history`` (:data:`SAGE_HISTORY`): the History and Notes the gateway keeps per Xero tenant and record
  (:mod:`adapters.common.history`, :mod:`adapters.sage_accounting.ops_records`).

The gateway's schema never imports these (no registration by import side effect): the gateway's migration tree
names :data:`METADATA` lazily (``gateway.migrations.trees.GATEWAY``) and creates or alters the tables before any
adapter starts. Their columns are those of the tables earlier versions created.
"""

from __future__ import annotations

from sqlalchemy import MetaData

from adapters.common.contact_groups import contact_group_tables
from adapters.common.history import history_table
from adapters.common.ids import IdColumns, ids_table
from adapters.common.journal_numbers import journal_numbers_table
from adapters.common.ledger import ledger_table

#: The adapter's metadata.
METADATA = MetaData()
#: The key columns of ``sage_ids``.
SAGE_ID_COLUMNS = IdColumns(tenant="business_id", kind="resource", upstream_id="sage_id")
#: ``sage_ids`` (GUID look-ups by business and GUID).
SAGE_IDS = ids_table(METADATA, "sage_ids", SAGE_ID_COLUMNS, guid_index=("tenant", "guid"))
#: ``sage_writes``.
SAGE_WRITES = ledger_table(METADATA, "sage_writes", tenant_column="business_id", id_column="sage_id")
#: ``sage_history``.
SAGE_HISTORY = history_table(METADATA, "sage_history")
#: ``sage_contact_groups`` and ``sage_contact_group_members``.
SAGE_CONTACT_GROUPS = contact_group_tables(METADATA, "sage")
#: ``sage_journal_numbers``.
SAGE_JOURNAL_NUMBERS = journal_numbers_table(METADATA, "sage_journal_numbers")
