"""The field maps of source 1001, one per resource, as the translators declare them (:mod:`adapters.common.fields`).

Read by ``adapters.registry.field_maps`` (``GET /1001/gateway/capabilities``, ``tools/gen_fields.py``).
"""

from adapters.common.fields import collect

from .banking import BANK_TRANSACTION_FIELDS, PAYMENT_FIELDS
from .contacts import CONTACT_FIELDS
from .documents import CREDIT_NOTE_FIELDS, INVOICE_FIELDS
from .settings import ACCOUNT_FIELDS, ITEM_FIELDS

FIELD_MAPS = collect(ACCOUNT_FIELDS, BANK_TRANSACTION_FIELDS, CONTACT_FIELDS, CREDIT_NOTE_FIELDS,
                     INVOICE_FIELDS, ITEM_FIELDS, PAYMENT_FIELDS)
