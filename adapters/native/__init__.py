"""The embedded native ledger (source code 1000): the reference adapter, a double-entry ledger in SQLite.

Modules, one job each: ``adapter`` (the operations), ``models`` (tables), ``ledger`` (balanced journals),
``taxmath`` (line and total arithmetic), ``invoices``/``payments``/``contacts``/``accounts`` (validation and
writes per resource), ``translate`` (rows → canonical models), ``listing`` (where/order/paging), ``batch``
(summarizeErrors), ``validation`` (reading elements), ``messages`` (Xero's wording), ``books`` (a company's
chart and rates per request), ``codes`` (code tables from ``mappings/``), ``company`` (a new UK company),
``demo`` (the deterministic demo company), ``users`` (local sign-in), ``ids`` (identifier factories).
"""
