"""The identity server's keys, kept in the data directory.

- ``keys/signing-rs256.pem``: the RSA private key (PKCS#8 PEM, 2048 bits) that signs access tokens and id_tokens
  (RS256, as Xero's: shared/notes/xero-contract.md §1.5). Generated on first start, reused afterwards.
- ``keys/session.key``: the Fernet key of the sign-in session cookie (aiohttp-session ``EncryptedCookieStorage``).

The directory is created with mode 0700 and the files with mode 0600 (:mod:`gateway.store.crypto`). Key material is
never logged and never part of a ``repr``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from joserfc.jwk import KeySet, RSAKey

from gateway.store.crypto import keys_dir, read_or_create_private_file

SIGNING_KEY_FILE = "signing-rs256.pem"
SESSION_KEY_FILE = "session.key"
_PARAMETERS: dict[str, Any] = {"use": "sig", "alg": "RS256"}


def _new_signing_pem() -> bytes:
    key = RSAKey.generate_key(2048, parameters=_PARAMETERS, private=True)
    return key.as_pem(private=True)


class SigningKeys:
    """The RS256 signing key as a joserfc :class:`~joserfc.jwk.KeySet` (one key; ``kid`` = RFC 7638 thumbprint).

    Args:
        key: the private RSA key.
    """

    def __init__(self, key: RSAKey) -> None:
        key.ensure_kid()
        self._key = key
        self.kid: str = str(key.kid)
        self.private = KeySet([key])
        self.jwks: dict[str, Any] = self.private.as_dict(private=False)
        self.public = KeySet.import_key_set(self.jwks)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"SigningKeys(kid={self.kid!r})"

    @classmethod
    def load_or_create(cls, data_dir: Path) -> SigningKeys:
        """Read ``{data_dir}/keys/signing-rs256.pem``, generating it (mode 0600) on first use."""
        pem = read_or_create_private_file(keys_dir(data_dir) / SIGNING_KEY_FILE, _new_signing_pem)
        return cls(RSAKey.import_key(pem, parameters=_PARAMETERS))


def load_session_key(data_dir: Path) -> bytes:
    """The Fernet key of the session cookie, from ``{data_dir}/keys/session.key`` (generated, mode 0600)."""
    return read_or_create_private_file(keys_dir(data_dir) / SESSION_KEY_FILE, Fernet.generate_key).strip()
