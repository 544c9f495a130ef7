"""Logging that never shows a secret: the agent token and the Sage password are masked in every record.

The code does not log secrets in the first place; this filter is the second line (a driver error message that quotes
a connection string, an exception text).
"""

from __future__ import annotations

import logging

MASK = "***"


class RedactSecrets(logging.Filter):
    """Replaces every registered secret in a record's final message (and drops its args)."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()

    def add(self, secret: str | None) -> None:
        """Register a secret (ignored when empty or too short to mask safely)."""
        if secret and len(secret) >= 4:
            self._secrets.add(secret)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self._secrets:
            if secret in message:
                message = message.replace(secret, MASK)
            if record.exc_text and secret in record.exc_text:
                record.exc_text = record.exc_text.replace(secret, MASK)
        record.msg, record.args = message, None
        return True


REDACT = RedactSecrets()


def setup_logging(level: int = logging.INFO) -> None:
    """Log to stderr through the redacting filter (installed on the handler, so it sees every logger's records)."""
    root = logging.getLogger()
    root.setLevel(level)
    if any(REDACT in h.filters for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(REDACT)
    root.addHandler(handler)
