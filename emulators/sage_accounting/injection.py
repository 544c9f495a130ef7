"""Fault injection and the request log of the Sage emulator: :mod:`emulators.common.injection`.

The request log counts every ``/v3.1/…`` request by ``"METHOD /v3.1/path"``; entries carry ``method``, ``path``,
``query``, ``status``, ``business`` (the ``X-Business``), ``time``. Fault rules are
:class:`~emulators.common.config.FaultRule`, matched on the path after ``/v3.1`` (``/sales_invoices*``, ``*``) and
a method (``GET``/``POST``/``PUT``/``DELETE`` or ``*``). What each kind answers here:

- ``server_error``: HTTP ``status`` with Sage's ``UnexpectedError`` body (Sage documents 500 and 503);
- ``unauthorized``: 401 as for an expired access token;
- ``throttle``: 429 as the request limit answers;
- ``malformed``: HTTP 200 with a truncated JSON body; ``latency``: the delay, then the normal answer.
- ``disconnect``: the request is served (a write commits), then the connection drops without an
  answer.
"""

from emulators.common.injection import FaultInjector, RequestLog

__all__ = ["FaultInjector", "RequestLog"]
