"""The contract every source-system adapter implements.

An adapter translates Xero Accounting API operations to one source system (the native ledger, QBO, Sage…). The
front end never imports a concrete adapter: it asks :mod:`adapters.registry` for the class registered under a
source code, instantiates it once per process, and dispatches each call to the method named after the spec's
``operationId`` in snake case (``getInvoices`` → ``get_invoices``).

Normative rules:

- An operation method MUST have the signature
  ``async def get_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result`` and MUST return the
  canonical models of :mod:`gateway.xero.models` (Xero's field names, ``Decimal`` money in the document's
  currency, dates as ``date``/aware UTC ``datetime``).
- An operation the adapter does not define is unsupported: the front end answers HTTP 501 with a Xero-shaped
  body naming the operation and the source code. An adapter MAY raise
  :class:`gateway.xero.errors.OperationNotSupported` for a supported method's unsupported variant.
- Capabilities are derived, never listed: :meth:`SourceAdapter.supported_operations`.
- Errors: raise only :class:`gateway.xero.errors.XeroApiError` subclasses (``ValidationException`` with echoed
  elements, ``NotFound``, ``QueryParseException``…). With ``req.query.summarize_errors`` true (the default) a write
  with any invalid element MUST raise ``ValidationException`` and write nothing; with it false the adapter writes
  the valid elements and returns every element, failed ones carrying ``HasErrors``/``ValidationErrors`` and
  ``StatusAttributeString`` ``"ERROR"``.
- ``ctx.tenant_id`` has already been checked against the caller's connections; the adapter MUST scope every read
  and write to that tenant.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from gateway.settings import Settings


@dataclass(frozen=True)
class Tenant:
    """One Xero tenant (organisation) the source system serves."""

    tenant_id: str
    name: str
    tenant_type: str = "ORGANISATION"


@dataclass(frozen=True)
class LedgerUser:
    """A person who signs in at the gateway (local sign-in adapters only)."""

    user_id: str
    email: str
    given_name: str = ""
    family_name: str = ""
    tenant_ids: tuple[str, ...] = field(default_factory=tuple)


class SignInNotSupported(Exception):
    """Raised by local sign-in hooks of an adapter whose users sign in upstream."""


def snake_case(operation_id: str) -> str:
    """``getInvoiceAsPdf`` → ``get_invoice_as_pdf``; ``getOrganisationCISSettings`` → ``…_cis_settings``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", operation_id).lower()


class SourceAdapter(ABC):
    """Base class of every adapter.

    Class attributes:
        system_name: the source system's name, for errors and the coverage matrix.
        sign_in: ``"local"`` when users sign in at the gateway against the adapter (native ledger);
            ``"upstream"`` when the authorization is delegated to the source's own OAuth consent.

    Args:
        code: the gateway source code this instance serves (``"1000"``).
        settings: validated gateway settings.
    """

    system_name: ClassVar[str] = ""
    sign_in: ClassVar[str] = "local"

    def __init__(self, *, code: str, settings: Settings) -> None:
        self.code = code
        self.settings = settings

    async def startup(self) -> None:
        """Open connections, create schema, seed data. Called once before the first request."""

    async def shutdown(self) -> None:
        """Release what :meth:`startup` opened."""

    @abstractmethod
    async def list_tenants(self) -> list[Tenant]:
        """Every tenant this source serves (for the CLI and consent)."""

    # Local sign-in (``sign_in == "local"``) -------------------------------------------------------------

    async def authenticate_user(self, email: str, password: str) -> LedgerUser | None:
        """Check a user's credentials; ``None`` when they are wrong. Raises :class:`SignInNotSupported`."""
        raise SignInNotSupported(self.code)

    async def get_user(self, user_id: str) -> LedgerUser | None:
        """A signed-in user by id; ``None`` when unknown. Raises :class:`SignInNotSupported`."""
        raise SignInNotSupported(self.code)

    async def create_user(self, *, email: str, password: str, tenant_ids: list[str],
                          given_name: str = "", family_name: str = "") -> LedgerUser:
        """Add a user with access to ``tenant_ids``. Raises ``ValueError`` (duplicate e-mail, unknown tenant)
        or :class:`SignInNotSupported`."""
        raise SignInNotSupported(self.code)

    # Capabilities ------------------------------------------------------------------------------------------

    @classmethod
    def supported_operations(cls, operation_ids: Iterable[str]) -> frozenset[str]:
        """The spec ``operationId``s this adapter class implements (derived from its methods)."""
        return frozenset(op for op in operation_ids if callable(getattr(cls, snake_case(op), None)))

    def operation(self, operation_id: str):
        """The bound method serving ``operation_id``, or ``None`` when unsupported."""
        method = getattr(self, snake_case(operation_id), None)
        return method if callable(method) else None
