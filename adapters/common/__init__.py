"""What the upstream adapters share (Libcloud's ``common/``): transport, unit of work, GUIDs, caches, paging,
batches and the write ledger. Nothing here knows one upstream: each adapter supplies its URLs, headers, error
parsing, tables and names."""
