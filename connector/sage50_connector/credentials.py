"""Where the agent keeps what pairing gave it: its id (not secret) and its token (secret).

The token goes to the OS credential store through ``keyring`` (Windows Credential Manager on the Sage PC). Where no
keyring backend exists (a headless Linux test box), or when configured so, it goes to a file readable by its owner
only. Neither the token nor the Sage password is ever logged.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.errors
from keyring.backends import fail

from sage50_connector.errors import NotPairedError

log = logging.getLogger(__name__)

SERVICE = "sage50-connector"
IDENTITY_FILE = "agent.json"
TOKEN_FILE = "agent-token"  # noqa: S105 - a file name


@dataclass(frozen=True)
class Identity:
    """The paired agent: its id and the gateway it belongs to."""

    agent_id: str
    gateway: str


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


class TokenStore:
    """The agent's identity file and token.

    Args:
        state_dir: the agent's state folder.
        prefer: ``keyring`` (default; falls back to the file when no backend exists) or ``file``.
    """

    def __init__(self, state_dir: Path, *, prefer: str = "keyring") -> None:
        self.state_dir = state_dir
        self.prefer = prefer

    def _keyring_usable(self) -> bool:
        return self.prefer == "keyring" and not isinstance(keyring.get_keyring(), fail.Keyring)

    def save(self, identity: Identity, token: str) -> str:
        """Store both; returns where the token went (``keyring`` or the file path)."""
        _write_private(self.state_dir / IDENTITY_FILE, json.dumps(
            {"agent_id": identity.agent_id, "gateway": identity.gateway}))
        if self._keyring_usable():
            try:
                keyring.set_password(SERVICE, identity.agent_id, token)
                stored = keyring.get_password(SERVICE, identity.agent_id) == token  # an empty chain stores nothing
            except keyring.errors.KeyringError:
                stored = False
            if stored:
                (self.state_dir / TOKEN_FILE).unlink(missing_ok=True)
                return "keyring"
            log.warning("the OS keyring did not keep the token; keeping it in a private file instead")
        _write_private(self.state_dir / TOKEN_FILE, token)
        return str(self.state_dir / TOKEN_FILE)

    def identity(self) -> Identity:
        """The paired identity.

        Raises:
            NotPairedError: ``pair`` has not run (or the file is unreadable).
        """
        try:
            raw = json.loads((self.state_dir / IDENTITY_FILE).read_text(encoding="utf-8"))
            return Identity(raw["agent_id"], raw["gateway"])
        except (OSError, ValueError, KeyError) as exc:
            raise NotPairedError("this PC is not paired: run `sage50-connector pair --gateway URL --code CODE`") \
                from exc

    def token(self) -> str:
        """The agent token.

        Raises:
            NotPairedError: no token stored.
        """
        identity = self.identity()
        path = self.state_dir / TOKEN_FILE
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
        if self._keyring_usable():
            try:
                token = keyring.get_password(SERVICE, identity.agent_id)
            except keyring.errors.KeyringError:
                token = None
            if token:
                return token
        raise NotPairedError("no agent token stored: pair this PC again")

    def where(self) -> str:
        """Where the token is (for ``status``): ``keyring``, the file path, or ``nowhere``."""
        if (self.state_dir / TOKEN_FILE).is_file():
            return str(self.state_dir / TOKEN_FILE)
        try:
            identity = self.identity()
        except NotPairedError:
            return "nowhere"
        if self._keyring_usable() and keyring.get_password(SERVICE, identity.agent_id):
            return "keyring"
        return "nowhere"
