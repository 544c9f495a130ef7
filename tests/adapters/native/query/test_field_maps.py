"""Every field map entry yields exactly the value the translated model carries, record by record.

This is the premise of the push-down (``adapters/native/translate/fieldmaps.py``): when ``translate`` changes what a
field
shows, this test names the field whose SQL no longer follows.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from adapters.native.tables.core import Account, Contact, Invoice, Payment, TaxRate
from adapters.native.translate import fieldmaps
from gateway.xero import query as xq
from gateway.xero.request import ListQuery

from .conftest import TENANT, call

CASES = [
    ("getInvoices", "InvoiceID", fieldmaps.INVOICES, Invoice, Invoice.id),
    ("getContacts", "ContactID", fieldmaps.CONTACTS, Contact, Contact.id),
    ("getAccounts", "AccountID", fieldmaps.ACCOUNTS, Account, Account.id),
    ("getPayments", "PaymentID", fieldmaps.PAYMENTS, Payment, Payment.id),
    ("getTaxRates", "TaxType", fieldmaps.TAX_RATES, TaxRate, TaxRate.tax_type),
]


#: Payment types of refunds (credit notes, prepayments, overpayments), kept in their own table.
REFUND_TYPES = frozenset({"ARCREDITPAYMENT", "APCREDITPAYMENT", "AROVERPAYMENTPAYMENT", "APOVERPAYMENTPAYMENT",
                          "ARPREPAYMENTPAYMENT", "APPREPAYMENTPAYMENT"})


async def _sql_values(adapter: Any, table: Any, key: Any, column: Any) -> dict[str, Any]:
    async with adapter.db.session() as session:
        rows = await session.execute(select(key, column).where(table.company_id == TENANT))
        return dict(rows.all())


@pytest.mark.parametrize(("operation", "id_field", "fields", "table", "key"), CASES,
                         ids=[c[0] for c in CASES])
def test_every_mapped_field_matches_the_model(runner, operation, id_field, fields, table, key) -> None:
    result = runner.run(call(runner.adapter, operation, pushdown=False,
                             query=ListQuery(page=1, page_size=1000, include_archived=True)))
    # Refunds are listed by getPayments from their own table: the map covers the payments table's rows.
    models = {getattr(m, id_field): m.model_dump(mode="python") for m in result.items
              if getattr(m, "PaymentType", None) not in REFUND_TYPES}
    assert models
    for path, field in fields.fields.items():
        xq.check_fields(xq.parse_where(f"{path} == null"), fields.model)  # the path exists on the model
        values = runner.run(_sql_values(runner.adapter, table, key, field.column))
        assert set(values) == set(models), path
        differing = {k: (values[k], xq.lookup(models[k], path)) for k in models
                     if values[k] != xq.lookup(models[k], path)}
        assert not differing, f"{operation} {path}: SQL vs model {list(differing.items())[:3]}"
        if not field.nullable:
            assert all(v is not None for v in values.values()), f"{path} is declared non-nullable"
        seen = {type(v) for v in values.values() if v is not None}
        assert seen, f"{path}: no record of the test ledger has a value (the check proves nothing)"
