"""A person working in Sage 50 while the connector runs: direct changes for the sync-lag and lock tests.

What a user does in the Sage UI lands in the same tables, with fresh ``RECORD_MODIFY_DATE`` stamps, without the
connector's involvement: :meth:`SageUser.edit` changes a customer's name, :meth:`SageUser.post` posts an invoice
under the ledger rules (:mod:`.posting`), :meth:`SageUser.delete` removes an account (a ``DELETED_RECORDS`` row),
:meth:`SageUser.set_lock_date` moves the lock date, and :meth:`SageUser.logged_on` keeps a user name logged on so
that an SDO ``Connect`` under the same name fails with ``sdoLogonNameInUse``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import control, posting
from .company import Clock, Company


class SageUser:
    """Sage user ``user`` working on the company at ``data_path``.

    Args:
        data_path: the company's data folder.
        user: the Sage user name stamped on postings (``USER_NAME``).
        clock: the time stamp source (default: local time).
    """

    def __init__(self, data_path: Path | str, *, user: str = "MANAGER", clock: Clock | None = None) -> None:
        self.data_path = Path(data_path)
        self.user = user
        self.clock = clock

    @contextmanager
    def _company(self) -> Iterator[Company]:
        with Company(self.data_path, clock=self.clock) as company:
            yield company

    def edit(self, table: str, ref: str, **changes: Any) -> dict[str, Any]:
        """Change columns of the account ``ref`` in ``table`` (e.g. ``SALES_LEDGER``, ``NAME="New name"``)."""
        with self._company() as company, company.transaction():
            return company.update(table, {"ACCOUNT_REF": ref}, changes)

    def rename_customer(self, ref: str, name: str) -> dict[str, Any]:
        """The common case of :meth:`edit`: a customer's ``NAME``."""
        return self.edit("SALES_LEDGER", ref, NAME=name)

    def delete(self, table: str, ref: str) -> None:
        """Delete account ``ref`` from ``table`` (recorded in ``DELETED_RECORDS``)."""
        with self._company() as company, company.transaction():
            company.delete(table, {"ACCOUNT_REF": ref})

    def post(self, type_code: str, account_ref: str, date: dt.date, *, inv_ref: str = "", details: str = "",
             lines: list[tuple[str, Decimal, Decimal, int]]) -> posting.Posted:
        """Post a transaction as the user would (``type_code`` ``'SI'``…; lines ``(nominal, net, tax, tax index)``).

        Raises:
            SdoError: the same refusals as the SDO fake (closed period, unknown account…).
        """
        splits = [posting.SplitIn(nominal, Decimal(net), Decimal(tax), tax_code, details)
                  for nominal, net, tax, tax_code in lines]
        with self._company() as company:
            return posting.post(company, posting.PostingIn(
                type=type_code, account_ref=account_ref, date=date, inv_ref=inv_ref, details=details,
                user_name=self.user, splits=splits))

    def set_lock_date(self, date: dt.date | None) -> None:
        """Turn the lock date on at ``date``, or off with ``None`` (``COMPANY.CLOSED_LEDGER_*``)."""
        with self._company() as company, company.transaction():
            row = company.company()
            company.update("COMPANY", {"COMPANYID": row["COMPANYID"]},
                           {"CLOSED_LEDGER_DATE_ENABLED": int(date is not None), "CLOSED_LEDGER_CHECK_DATE": date})

    @contextmanager
    def logged_on(self) -> Iterator[None]:
        """Keep this user logged on to Sage for the duration (its name is then in use)."""
        unique = f"sage-ui-{uuid.uuid4()}"
        control.logon(self.data_path, self.user, unique)
        try:
            yield
        finally:
            control.logoff(self.data_path, unique)
