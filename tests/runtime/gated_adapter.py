"""A :class:`SourceAdapter` for the runtime tests whose calls can be held, counted and failed on demand.

Every instance (one per gateway app) shares the test's :class:`Gate` (set as a class attribute by the fixture),
so that tests with two gateway apps on one database see every adapter call in one place.
"""

from __future__ import annotations

import asyncio
import uuid

from adapters.base import SourceAdapter, Tenant
from gateway.xero.errors import ValidationException, element_with_errors
from gateway.xero.models import Contact, Organisation
from gateway.xero.request import RequestContext, Result, XeroRequest

TENANT_A = "6f4b1d7e-2c3a-4e5f-9a8b-0c1d2e3f4a5b"
TENANT_B = "0b7e9a52-44c1-4d0e-9b3f-5a6c7d8e9f01"


class Gate:
    """What the adapters did, and how the next calls behave.

    Attributes:
        calls: ``(operationId, XeroRequest)`` of every adapter call, in order.
        hold: operationIds whose calls wait for :attr:`release` inside the adapter.
        failures: exceptions raised by the next calls, one per call (first in, first out).
        recorded: what :meth:`GatedAdapter.recorded_write` answers (``None``: the write did not commit).
        asked: the requests :meth:`GatedAdapter.recorded_write` was asked about, in order.
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, XeroRequest]] = []
        self.hold: set[str] = set()
        self.release = asyncio.Event()
        self.failures: list[BaseException] = []
        self.recorded: Result | None = None
        self.asked: list[XeroRequest] = []
        self.inside = 0
        self._changed = asyncio.Event()

    async def enter(self, operation_id: str, req: XeroRequest) -> None:
        self.calls.append((operation_id, req))
        if operation_id in self.hold:
            self.inside += 1
            self._changed.set()
            try:
                await self.release.wait()
            finally:
                self.inside -= 1
        if self.failures:
            raise self.failures.pop(0)

    async def until_inside(self, count: int) -> None:
        """Return once ``count`` calls are held inside the adapter (wrap in a timeout)."""
        while self.inside < count:
            self._changed.clear()
            await self._changed.wait()

    def count(self, operation_id: str) -> int:
        return sum(1 for op, _ in self.calls if op == operation_id)


class GatedAdapter(SourceAdapter):
    """Organisation, contacts list, contacts create (PUT) and create-or-update (POST)."""

    system_name = "Gated ledger (tests)"
    gate: Gate

    async def list_tenants(self) -> list[Tenant]:
        return [Tenant(TENANT_A, "Org A"), Tenant(TENANT_B, "Org B")]

    async def recorded_write(self, ctx: RequestContext, req: XeroRequest) -> Result | None:
        self.gate.asked.append(req)
        return self.gate.recorded

    async def get_organisations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        await self.gate.enter("getOrganisations", req)
        return Result(items=[Organisation(OrganisationID=ctx.tenant_id, Name="Org", BaseCurrency="GBP",
                                          CountryCode="GB", OrganisationType="COMPANY", Version="UK")])

    async def get_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        await self.gate.enter("getContacts", req)
        return Result()

    async def _save(self, operation_id: str, req: XeroRequest) -> Result:
        await self.gate.enter(operation_id, req)
        bad = [element_with_errors(e, ["The contact name must be specified"]) for e in req.elements
               if not e.get("Name")]
        if bad:
            raise ValidationException(bad)
        contacts = [Contact.model_validate(e) for e in req.elements]
        for contact in contacts:
            contact.ContactID = str(uuid.uuid4())  # a new id per call: a replay is recognisable
        return Result(items=contacts)

    async def create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._save("createContacts", req)

    async def update_or_create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._save("updateOrCreateContacts", req)
