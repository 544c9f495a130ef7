"""Xero-compatible translation gateway.

``gateway/`` knows Xero and nothing else: the identity server, the Accounting API front end, the Xero wire
model (``gateway.xero``), the gateway's own state, and the CLI. Source systems live in ``adapters/``.
"""

__version__ = "0.1.0"
