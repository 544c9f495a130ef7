"""Fault injection and the request log of the QBO emulator: :mod:`emulators.common.injection`.

The request log counts every ``/v3/company/…`` request by ``"METHOD /path"`` (realm included); entries carry
``method``, ``path``, ``query``, ``status``, ``realmId``, ``time``. Fault rules are
:class:`~emulators.common.config.FaultRule`, matched on the path after ``/v3/company/{realmId}`` (``/query``,
``/invoice*``, ``*``) and a method (``GET``/``POST`` or ``*``). What each kind answers here:

- ``server_error``: HTTP ``status`` (500, 502, 503, 504) with QBO's gateway body (XML);
- ``unauthorized``: 401 "Token expired" in Intuit's lower-case gateway envelope;
- ``throttle``: 429 ``ThrottleExceeded``, XML as QBO sends it;
- ``malformed``: a truncated JSON body with HTTP 200; ``latency``: the delay, then the normal answer.
- ``disconnect``: the request is served (a write commits, its ``requestid`` replay kept), then the
  connection drops without an answer.
"""

from emulators.common.injection import FaultInjector, RequestLog

__all__ = ["FaultInjector", "RequestLog"]
