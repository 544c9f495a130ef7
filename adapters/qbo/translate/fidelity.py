"""The field maps of source 1004, one per resource, as the translators declare them (:mod:`adapters.common.fields`).

Read by ``adapters.registry.field_maps`` (``GET /1004/gateway/capabilities``, ``tools/gen_fields.py``).
"""

from adapters.common import contact_groups
from adapters.common.fields import collect

from .accounts import ACCOUNT_FIELDS
from .banking import BANK_TRANSACTION_FIELDS, BANK_TRANSFER_FIELDS
from .contacts import CONTACT_FIELDS
from .currencies import CURRENCY_FIELDS
from .documents import CREDIT_NOTE_FIELDS, INVOICE_FIELDS
from .items import ITEM_FIELDS
from .journals import MANUAL_JOURNAL_FIELDS
from .orders import PURCHASE_ORDER_FIELDS, QUOTE_FIELDS
from .organisation import ORGANISATION_FIELDS
from .payments import PAYMENT_FIELDS
from .people import BRANDING_THEME_FIELDS, USER_FIELDS
from .repeating import REPEATING_INVOICE_FIELDS
from .tax import TAX_RATE_FIELDS
from .tracking import TRACKING_CATEGORY_FIELDS

#: ``adapters/qbo/ops_contact_groups.py`` (``_model``): QBO has no contact groups, the gateway keeps them.
CONTACT_GROUP_FIELDS = contact_groups.field_map(groups="qbo_contact_groups", members="qbo_contact_group_members",
                                             contact_name="Customer/Vendor.DisplayName")

FIELD_MAPS = collect(CONTACT_GROUP_FIELDS, ACCOUNT_FIELDS, BANK_TRANSACTION_FIELDS, BANK_TRANSFER_FIELDS,
                     BRANDING_THEME_FIELDS, CONTACT_FIELDS, CREDIT_NOTE_FIELDS, CURRENCY_FIELDS, INVOICE_FIELDS,
                     ITEM_FIELDS, MANUAL_JOURNAL_FIELDS, ORGANISATION_FIELDS, PAYMENT_FIELDS, PURCHASE_ORDER_FIELDS,
                     QUOTE_FIELDS, REPEATING_INVOICE_FIELDS, TAX_RATE_FIELDS, TRACKING_CATEGORY_FIELDS, USER_FIELDS)
