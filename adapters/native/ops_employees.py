"""Native-ledger operations: Employees (``getEmployees``, ``getEmployee``, ``createEmployees``,
``updateOrCreateEmployees``), which Xero removed from its current spec and the gateway serves from v12.0.2
(``mappings/xero_employees.toml``, :func:`gateway.api.operations.load_earlier_operations`). The rules are in
:mod:`adapters.native.resources.employees`.
"""

from __future__ import annotations

from typing import Any

from gateway.xero.errors import NotFound
from gateway.xero.models.employees import Employee
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from .books import Books
from .ops_base import OperationsBase, select_result
from .resources import employees
from .tables.employees import EmployeeRow

_ORDER = [OrderTerm("LastName"), OrderTerm("FirstName"), OrderTerm("EmployeeID")]


class EmployeeOperations(OperationsBase):
    """Employees of the organisation."""

    async def get_employees(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Employees`` with ``where``, ``order`` and ``If-Modified-Since``. Raises ``QueryParseException``."""
        async def work(books: Books) -> Result:
            models = [employees.to_model(r) for r in await employees.all_rows(books)]
            return select_result(models, req.query, Employee, default_order=_ORDER)
        return await self._read(ctx, work)

    async def get_employee(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Employees/{EmployeeID}``. Raises ``NotFound``."""
        async def work(books: Books) -> Result:
            row = await books.get(EmployeeRow, req.path_params.get("EmployeeID", ""))
            if row is None:
                raise NotFound()
            return Result(items=[employees.to_model(row)])
        return await self._read(ctx, work)

    async def create_employees(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Employees``: create each element. Raises ``ValidationException`` (``summarizeErrors``)."""
        async def apply(books: Books, el: Any) -> Employee:
            return employees.to_model(await employees.write(books, el, create_only=True))
        return await self._write_batch(ctx, req, apply, model=Employee)

    async def update_or_create_employees(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Employees``: update the elements with an ``EmployeeID``, create the others. Raises
        ``ValidationException`` (``summarizeErrors``)."""
        async def apply(books: Books, el: Any) -> Employee:
            return employees.to_model(await employees.write(books, el, create_only=False))
        return await self._write_batch(ctx, req, apply, model=Employee)
