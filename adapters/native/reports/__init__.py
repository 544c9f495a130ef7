"""The native ledger's reports, computed from its per-day balances (or its journal lines) and chart, in Xero's
row-and-cell shape.

Modules: :mod:`.balances` (what reports read, and the journal lines as the reference; accrual and cash basis),
:mod:`.stored` (the per-day balances the reports read on accrual basis), :mod:`.periods`
(parameters, dates, comparison periods, financial years), :mod:`.layout` (Xero's rows, cells and text forms),
:mod:`.sections` (``sections.toml``: which account types each report section gathers), :mod:`.chart`,
:mod:`.tracking`, and one module per report: :mod:`.profit_and_loss`, :mod:`.balance_sheet`,
:mod:`.trial_balance`, :mod:`.aged`, :mod:`.bank_summary`, :mod:`.executive_summary`, :mod:`.budget_summary`.
Each report module's ``build(books, params)`` returns one ``ReportWithRow``.
"""
