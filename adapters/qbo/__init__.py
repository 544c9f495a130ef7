"""QuickBooks Online adapter (source code 1004): see :mod:`adapters.qbo.adapter`."""
