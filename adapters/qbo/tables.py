"""The QBO adapter's tables, on its own ``MetaData``, in the gateway's database: created and altered by the gateway's
migration tree (``gateway.migrations.trees.GATEWAY`` names :data:`METADATA` lazily, so the gateway's code imports
nothing of this), which every process runs before it starts an adapter.

- ``qbo_ids`` (:data:`QBO_IDS`): the reverse map of the stable GUIDs the adapter hands out (:mod:`adapters.qbo.ids`),
  keyed by QBO's own names: ``realm_id``, ``entity``, ``qbo_id``, ``part``; ``alias`` marks a counterpart record
  (a Vendor made for a customer's contact, or the reverse) answering to the original's GUID.
- ``qbo_history`` (:data:`QBO_HISTORY`): the history entries and notes the gateway keeps for 1004's records
  (:mod:`adapters.common.history`), per Xero tenant.
- ``qbo_contact_groups``, ``qbo_contact_group_members`` (:data:`QBO_CONTACT_GROUPS`): the contact groups the gateway
  keeps for 1004 (:mod:`adapters.qbo.contact_groups`; QBO has none).
"""

from __future__ import annotations

from sqlalchemy import MetaData

from adapters.common.history import history_table
from adapters.common.ids import IdColumns, ids_table
from adapters.qbo.contact_groups import contact_group_tables

#: The adapter's metadata.
METADATA = MetaData()
#: The key columns of ``qbo_ids``.
QBO_ID_COLUMNS = IdColumns(tenant="realm_id", kind="entity", upstream_id="qbo_id")
#: ``qbo_ids``.
QBO_IDS = ids_table(METADATA, "qbo_ids", QBO_ID_COLUMNS, tenant_length=32, kind_length=40, part_length=80,
                    alias=True)

#: ``qbo_history``.
QBO_HISTORY = history_table(METADATA, "qbo_history", tenant_id_length=64, index_suffix="record")
#: ``qbo_contact_groups`` and ``qbo_contact_group_members``.
QBO_CONTACT_GROUPS = contact_group_tables(METADATA, "qbo")
