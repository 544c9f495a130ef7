"""The field maps of source 1009, one per resource, as the translators declare them (:mod:`adapters.common.fields`).

Read by ``adapters.registry.field_maps`` (``GET /1009/gateway/capabilities``, ``tools/gen_fields.py``).
"""

from adapters.common import contact_groups
from adapters.common.fields import collect

from .accounts import ACCOUNT_FIELDS
from .banking import BANK_TRANSACTION_FIELDS, BANK_TRANSFER_FIELDS
from .contacts import CONTACT_FIELDS
from .documents import CREDIT_NOTE_FIELDS, INVOICE_FIELDS
from .items import CURRENCY_FIELDS, ITEM_FIELDS
from .journal_feed import JOURNAL_FIELDS
from .journals import MANUAL_JOURNAL_FIELDS
from .organisation import ORGANISATION_FIELDS
from .payments import PAYMENT_FIELDS
from .people import BRANDING_THEME_FIELDS, USER_FIELDS
from .quotes import QUOTE_FIELDS
from .tax import TAX_RATE_FIELDS
from .tracking import TRACKING_CATEGORY_FIELDS

#: ``adapters/sage_accounting/ops_contact_groups.py``: Sage v3.1 has no contact groups, the gateway keeps them.
CONTACT_GROUP_FIELDS = contact_groups.field_map(groups="sage_contact_groups", members="sage_contact_group_members",
                                             contact_name="contacts.name")

FIELD_MAPS = collect(CONTACT_GROUP_FIELDS, ACCOUNT_FIELDS, BANK_TRANSACTION_FIELDS, BANK_TRANSFER_FIELDS,
                     BRANDING_THEME_FIELDS, CONTACT_FIELDS, CREDIT_NOTE_FIELDS, CURRENCY_FIELDS, INVOICE_FIELDS,
                     ITEM_FIELDS, JOURNAL_FIELDS, MANUAL_JOURNAL_FIELDS, ORGANISATION_FIELDS, PAYMENT_FIELDS,
                     QUOTE_FIELDS, TAX_RATE_FIELDS, TRACKING_CATEGORY_FIELDS, USER_FIELDS)
