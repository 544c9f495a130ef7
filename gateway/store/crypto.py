"""Secrets at rest: one-way hashes for bearer secrets, and a :class:`SecretBox` for secrets the gateway must read back.

- Client secrets, refresh tokens and authorization codes are high-entropy random strings (at least 256 bits) that
  the gateway only ever compares: they are stored as SHA-256 digests (:func:`secret_hash`). A slow password hash
  (argon2) buys nothing for values that cannot be guessed, and would cost CPU on every token request.
- Upstream credentials (source systems' client secrets and refresh tokens, later issues) must be read back: they are
  encrypted with Fernet (AES-128-CBC + HMAC-SHA256, ``cryptography``) by :class:`SecretBox`, whose key lives in the
  data directory (``keys/secret.key``, mode 0600) or comes from the ``XERO_GATEWAY_SECRET_KEY`` environment variable.

Nothing here logs a key, a secret or a token.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

#: Environment variable that, when set, holds the Fernet key (urlsafe base64 of 32 bytes) of :class:`SecretBox`.
SECRET_KEY_ENV = "XERO_GATEWAY_SECRET_KEY"  # noqa: S105 - a variable name
SECRET_KEY_FILE = "secret.key"  # noqa: S105 - a file name


def secret_hash(value: str) -> str:
    """SHA-256 hex digest of a high-entropy secret (client secret, refresh token, authorization code)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def secret_matches(value: str, digest: str | None) -> bool:
    """Constant-time check of ``value`` against a digest made by :func:`secret_hash`; ``False`` when no digest."""
    if not digest:
        return False
    return hmac.compare_digest(secret_hash(value), digest)


def keys_dir(data_dir: Path) -> Path:
    """``{data_dir}/keys`` created with mode 0700 (and tightened to 0700 if it already existed)."""
    path = Path(data_dir) / "keys"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def read_or_create_private_file(path: Path, create: Callable[[], bytes]) -> bytes:
    """Read ``path``, or create it atomically with mode 0600 holding ``create()``.

    Two processes starting at once (a CLI and a server) agree on one file: creation uses ``O_EXCL`` and the loser
    reads the winner's file.

    Args:
        path: the file.
        create: returns the bytes to write when the file does not exist yet.

    Returns:
        The file's bytes.
    """
    try:
        data = path.read_bytes()
        if data:
            return data
    except FileNotFoundError:
        pass
    data = create()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(path, 0o600)
    return data


class SecretBox:
    """Symmetric encryption of short strings (upstream secrets) with one Fernet key.

    Args:
        key: a Fernet key (urlsafe base64 of 32 random bytes), as ``str`` or ``bytes``.

    Raises:
        ValueError: the key is not a valid Fernet key.
    """

    def __init__(self, key: str | bytes) -> None:
        self._fernet = Fernet(key)

    def __repr__(self) -> str:  # never show the key
        return "SecretBox(<key hidden>)"

    @classmethod
    def from_data_dir(cls, data_dir: Path) -> SecretBox:
        """The box whose key comes from ``XERO_GATEWAY_SECRET_KEY`` if set, else ``{data_dir}/keys/secret.key``
        (generated with mode 0600 on first use)."""
        env = os.environ.get(SECRET_KEY_ENV)
        if env:
            return cls(env.strip())
        key = read_or_create_private_file(keys_dir(data_dir) / SECRET_KEY_FILE, Fernet.generate_key)
        return cls(key.strip())

    def encrypt(self, plaintext: str) -> str:
        """Encrypt ``plaintext`` (UTF-8) into an ASCII token."""
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Decrypt a token made by :meth:`encrypt`.

        Raises:
            ValueError: the token was not made with this key or was altered.
        """
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as exc:
            raise ValueError("the secret cannot be decrypted with this gateway's key") from exc
