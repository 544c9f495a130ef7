"""The embedded native ledger (source code 1000): the reference adapter, a double-entry ledger in SQLite.

The floor plan, outer names as in the other adapters, plus the ledger's own parts:

- ``adapter`` (lifecycle and local sign-in) and the operations, as mixins over ``ops_base``: ``ops_settings``,
  ``ops_contacts``, ``ops_documents``, ``ops_banking``, ``ops_workflow``, ``ops_history``, ``ops_attachments``,
  ``ops_pdf``, ``ops_reports``;
- ``books`` (the per-call unit: one session, one tenant's chart and rates);
- ``tables/`` (the SQLAlchemy tables on their own base), ``ledger/`` (posting balanced journals, tax maths and
  rules, lock dates, credits), ``resources/`` (one module per Xero resource: its lookups, rules and writes),
  ``translate/`` (rows → canonical models, and the field maps of the SQL push-down), ``reports/``, ``demo/``
  (the deterministic demo company);
- ``listing`` and ``sqlquery`` (where/order/paging, in memory or in SQL), ``validation`` (reading elements),
  ``batch`` (summarizeErrors), ``messages`` (Xero's wording), ``codes`` (code tables from ``mappings/``),
  ``ids`` (identifier factories and the GUID reading).
"""
