"""Which requests are host-mode requests, and the URLs of Xero's hosts as the client addressed them.

A request is a host-mode request when host mode is on and its ``Host`` header names one of the configured Xero
hostnames (``[host_mode] identity_host``, ``login_host``, ``api_host``). The port the client used, if it wrote
one in ``Host`` (anything but the default 443), is kept in every URL the gateway hands out, so that a test or a
gateway on a high port stays consistent.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from gateway.settings import HostModeSettings


def _split(host: str) -> tuple[str, str]:
    """``"identity.xero.com:8443"`` → ``("identity.xero.com", ":8443")``; IPv6 literals keep their brackets."""
    name, sep, port = host.rpartition(":")
    if sep and port.isdigit() and (not name.startswith("[") or name.endswith("]")):
        return name.lower(), ("" if port == "443" else f":{port}")
    return host.lower(), ""


@dataclass(frozen=True)
class XeroHosts:
    """Base URLs (``https://…``, no trailing slash) of Xero's hosts as seen by one request.

    Attributes:
        identity: ``https://identity.xero.com``: the issuer (tokens' ``iss``), discovery, token endpoint.
        login: ``https://login.xero.com``: the authorize page.
        api: ``https://api.xero.com``: ``/connections`` and the Accounting API.
    """

    identity: str
    login: str
    api: str


#: Request key: the :class:`XeroHosts` of a host-mode request (set by gateway/hostmode's dispatcher).
HOSTS: web.RequestKey[XeroHosts] = web.RequestKey("xero_hosts", XeroHosts)


def xero_hosts(request: web.Request, settings: HostModeSettings) -> XeroHosts | None:
    """The Xero hosts of a host-mode request; ``None`` when host mode is off or ``Host`` is not a Xero host."""
    if not settings.enabled:
        return None
    name, port = _split(request.host or "")
    names = {settings.identity_host.lower(), settings.login_host.lower(), settings.api_host.lower()}
    if name not in names:
        return None
    return XeroHosts(identity=f"https://{settings.identity_host}{port}", login=f"https://{settings.login_host}{port}",
                     api=f"https://{settings.api_host}{port}")
