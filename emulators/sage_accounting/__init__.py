"""A contract-accurate Sage Business Cloud Accounting v3.1 emulator (Sage's OAuth 2.0 + the Accounting API).

For tests, benchmarks and offline demos; binds loopback by default. Public interface:

- :func:`main` ``(argv) -> int``: ``--port PORT [--seed DIR] [--host 127.0.0.1] [--config FILE]``; prints one JSON
  line ``{"authorize_url", "token_url", "api_base"}`` and serves until interrupted. ``api_base`` ends in ``/v3.1``
  as ``https://api.accounting.sage.com/v3.1`` does: ``{api_base}/sales_invoices``.
- :func:`create_app` ``(config) -> web.Application`` for in-process tests; :class:`EmulatorConfig` its settings
  (``clients`` pins the accepted client id/secret; ``PUT /_emulator/clients`` changes them at run time).
- :mod:`emulators.sage_accounting.spec`: ``validate(method, path, status, body)`` checks a response (or, with
  ``status=None``, a request body) against Sage's published swagger files.

What it does, and where each behaviour comes from, is documented in the modules: :mod:`.oauth`, :mod:`.api`,
:mod:`.listing`, :mod:`.handlers`, :mod:`.ledger`, :mod:`.ratelimit`, :mod:`.errors`, :mod:`.seed`, :mod:`.demo`,
:mod:`.app`.
"""

from __future__ import annotations

from .app import create_app
from .config import EmulatorConfig, FaultRule, OAuthClient
from .main import main

__all__ = ["EmulatorConfig", "FaultRule", "OAuthClient", "create_app", "main"]
