"""Sage Business Cloud Accounting v3.1 adapter (source code 1009): see :mod:`adapters.sage_accounting.adapter`."""
