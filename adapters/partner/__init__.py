"""A source adapter for ledgers that speak the Partner Bookkeeping API (issue 16, part two; source code 1010).

Xero calls are translated to a remote ledger's partner API (``docs/partner-api.md``; the native ledger's own
``/ledger/api/v1`` is its contract-accurate counterpart): :mod:`.client` (transport), :mod:`.translate` (partner
JSON ↔ Xero models, pure functions), :mod:`.adapter` (the operations).
"""
