"""The ledger side of the native ledger's Partner Bookkeeping API (issue 16): reads, reports, postings, roles and
OAuth storage, behind :class:`.service.PartnerLedger`. The HTTP and OAuth protocol layer is
``adapters/native/partner/web``.

Modules: :mod:`.tables` (its own tables), :mod:`.wire` (cents, dates, cursors), :mod:`.errors`, :mod:`.reads`,
:mod:`.reports`, :mod:`.intents` (intent → Xero document), :mod:`.postings` (idempotent posting, receipts),
:mod:`.roles`, :mod:`.oauth_store`, :mod:`.service`.
"""
