"""The field maps of source 1009, one per resource, as the translators declare them (:mod:`adapters.common.fields`).

Read by ``adapters.registry.field_maps`` (``GET /1009/gateway/capabilities``, ``tools/gen_fields.py``).
"""

from adapters.common import contact_groups
from adapters.common.fields import collect

from .accounts import ACCOUNT_FIELDS
from .banking import BANK_TRANSACTION_FIELDS
from .contacts import CONTACT_FIELDS
from .documents import CREDIT_NOTE_FIELDS, INVOICE_FIELDS
from .items import ITEM_FIELDS
from .payments import PAYMENT_FIELDS

#: ``adapters/sage_accounting/ops_contact_groups.py``: Sage v3.1 has no contact groups, the gateway keeps them.
CONTACT_GROUP_FIELDS = contact_groups.field_map(groups="sage_contact_groups", members="sage_contact_group_members",
                                             contact_name="contacts.name")

FIELD_MAPS = collect(CONTACT_GROUP_FIELDS, ACCOUNT_FIELDS, BANK_TRANSACTION_FIELDS, CONTACT_FIELDS, CREDIT_NOTE_FIELDS,
                     INVOICE_FIELDS, ITEM_FIELDS, PAYMENT_FIELDS)
