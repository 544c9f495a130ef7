"""TLS served by the gateway itself (``serve --tls-cert PEM --tls-key PEM``): the server's ``ssl.SSLContext``.

Host mode needs it: SDKs call ``https://identity.xero.com`` etc., so the gateway must present a certificate for
those names signed by a CA the operator's clients trust (README "Host mode").
"""

from __future__ import annotations

import ssl

from gateway.settings import TlsSettings


def server_context(tls: TlsSettings) -> ssl.SSLContext | None:
    """The server context for ``tls``, or ``None`` when no certificate is configured (plain HTTP).

    Uses Python's defaults for a server (``ssl.create_default_context(Purpose.CLIENT_AUTH)``: TLS 1.2+, no
    compression).

    Raises:
        ValueError: the certificate or key cannot be read or do not match (message names the files).
    """
    if not tls.cert_file:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(tls.cert_file, tls.key_file)
    except (OSError, ssl.SSLError) as exc:
        raise ValueError(f"cannot load TLS certificate {tls.cert_file} with key {tls.key_file}: {exc}") from exc
    return context
