"""Fault injection and the request log of the Sage emulator: :mod:`emulators.common.injection`.

The request log counts every ``/v3.1/…`` request by ``"METHOD /v3.1/path"``; entries carry ``method``, ``path``,
``query``, ``status``, ``business`` (the ``X-Business``), ``time``. Fault rules are
:class:`~emulators.sage_accounting.config.FaultRule`, matched on the path after ``/v3.1``.
"""

from emulators.common.injection import FaultInjector, RequestLog

__all__ = ["FaultInjector", "RequestLog"]
