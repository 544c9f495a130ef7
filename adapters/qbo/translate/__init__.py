"""Pure QBO ↔ Xero translation, one module per resource family (see :mod:`.common` for the shared context).

Nothing here performs I/O: functions take QBO JSON or Xero request elements plus a :class:`.common.Tx` and return
canonical models (:mod:`gateway.xero.models`) or QBO request bodies. Code tables come from ``mappings/qbo_*.toml``
(:mod:`adapters.qbo.codes`).
"""
