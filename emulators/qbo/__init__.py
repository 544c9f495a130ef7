"""A contract-accurate QuickBooks Online v3 emulator (Intuit OAuth 2.0 + the Accounting data service).

For tests, benchmarks and offline demos; binds loopback by default. Public interface:

- :func:`main` ``(argv) -> int``: ``--port PORT [--seed DIR] [--host 127.0.0.1] [--config FILE]``; prints one JSON
  line ``{"authorize_url", "token_url", "revoke_url", "api_base"}`` and serves until interrupted. ``api_base`` is
  the host root, as ``https://quickbooks.api.intuit.com`` is for QBO: ``{api_base}/v3/company/{realmId}/invoice/1``.
- :func:`create_app` ``(config) -> web.Application`` for in-process tests; :class:`EmulatorConfig` its settings.

What it does, and where each behaviour comes from, is documented in the modules: :mod:`.oauth`, :mod:`.api`,
:mod:`.entities`, :mod:`.query`, :mod:`.reports`, :mod:`.ratelimit`, :mod:`.faults`, :mod:`.seed`, :mod:`.app`.
"""

from __future__ import annotations

from .app import create_app
from .config import EmulatorConfig, FaultRule
from .main import main

__all__ = ["EmulatorConfig", "FaultRule", "create_app", "main"]
