"""A real SMTP server on loopback (aiosmtpd) that keeps every message it receives, for the ``emailInvoice`` tests
and the native stack of the contract walk.

The server runs in the test's own event loop on ``127.0.0.1`` and a port the system picks; :func:`smtp_config` is the
``[smtp]`` section that points the gateway at it (plain SMTP, no STARTTLS: loopback only).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.smtp import SMTP, Envelope, Session

FROM_ADDRESS = "accounts@gateway.test"


@dataclass
class Received:
    """One message as the server received it: the envelope's recipients and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Mailbox:
    """The messages received so far, in order."""

    messages: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        raw = envelope.original_content or envelope.content or b""
        parsed = message_from_bytes(raw if isinstance(raw, bytes) else raw.encode(), policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(Received(mail_from=envelope.mail_from or "", rcpt_tos=list(envelope.rcpt_tos),
                                      message=parsed))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    """A running loopback server: its port and mailbox; :meth:`close` stops it."""

    port: int
    mailbox: Mailbox
    server: asyncio.AbstractServer

    async def close(self) -> None:
        self.server.close()
        await self.server.wait_closed()


async def start_smtp() -> SmtpServer:
    """Start the server on ``127.0.0.1`` (a free port) in the running loop."""
    mailbox = Mailbox()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(mailbox, hostname="gateway.test"), host="127.0.0.1", port=0)
    port = server.sockets[0].getsockname()[1]
    return SmtpServer(port=port, mailbox=mailbox, server=server)


def smtp_config(port: int) -> str:
    """The ``[smtp]`` TOML section pointing the gateway at the loopback server on ``port``."""
    return (f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\nfrom_address = "{FROM_ADDRESS}"\n'
            "timeout = 10.0\n")
