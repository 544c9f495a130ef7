"""The organisation's users (``GET /Users``): the ledger's sign-in users who may connect to the tenant.

Spec ``components.schemas.User``. Derivations (the native ledger keeps no Xero roles or subscriptions):

- ``UpdatedDateUTC``: the user's creation time (users are not edited after creation).
- ``IsSubscriber``: true for the organisation's first user (earliest created, then by id), the one who set it up.
- ``OrganisationRole``: ``FINANCIALADVISER`` for everyone — every ledger user may do everything the API offers,
  settings included, which is Xero's "Adviser" role (spec ``User.OrganisationRole`` enum; the spec's example
  users carry it).
"""

from __future__ import annotations

from sqlalchemy import select

from gateway.xero.models.catalogue import User as UserModel

from ..books import Books
from ..tables.core import User, UserCompany

ROLE = "FINANCIALADVISER"


async def users(books: Books) -> list[UserModel]:
    """Every user with access to the company, by creation."""
    rows = list(await books.session.scalars(
        select(User).join(UserCompany, UserCompany.user_id == User.id)
        .where(UserCompany.company_id == books.company.id).order_by(User.created_utc, User.id)))
    return [UserModel(UserID=row.id, EmailAddress=row.email, FirstName=row.given_name or None,
                      LastName=row.family_name or None, UpdatedDateUTC=row.created_utc,
                      IsSubscriber=index == 0, OrganisationRole=ROLE)
            for index, row in enumerate(rows)]
