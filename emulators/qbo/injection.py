"""Fault injection and the request log of the QBO emulator: :mod:`emulators.common.injection`.

The request log counts every ``/v3/company/…`` request by ``"METHOD /path"`` (realm included); entries carry
``method``, ``path``, ``query``, ``status``, ``realmId``, ``time``. Fault rules are
:class:`~emulators.qbo.config.FaultRule`, matched on the path after ``/v3/company/{realmId}``.
"""

from emulators.common.injection import FaultInjector, RequestLog

__all__ = ["FaultInjector", "RequestLog"]
