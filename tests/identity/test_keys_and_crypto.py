"""Keys in the data directory (permissions, reuse) and the SecretBox."""

from __future__ import annotations

import stat

import pytest
from cryptography.fernet import Fernet

from gateway.identity.keys import SESSION_KEY_FILE, SIGNING_KEY_FILE, SigningKeys, load_session_key
from gateway.store.crypto import SECRET_KEY_ENV, SecretBox, secret_hash, secret_matches


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_signing_key_is_generated_once_with_private_permissions(tmp_path):
    first = SigningKeys.load_or_create(tmp_path)
    keys = tmp_path / "keys"
    assert mode(keys) == 0o700 and mode(keys / SIGNING_KEY_FILE) == 0o600
    again = SigningKeys.load_or_create(tmp_path)
    assert again.kid == first.kid and first.jwks == again.jwks
    assert "d" not in first.jwks["keys"][0]
    assert "PRIVATE" not in repr(first)
    load_session_key(tmp_path)
    assert mode(keys / SESSION_KEY_FILE) == 0o600
    assert load_session_key(tmp_path) == load_session_key(tmp_path)


def test_secret_box_roundtrip_and_key_file(tmp_path, monkeypatch):
    monkeypatch.delenv(SECRET_KEY_ENV, raising=False)
    box = SecretBox.from_data_dir(tmp_path)
    sealed = box.encrypt("upstream-secret-ü")
    assert "upstream" not in sealed
    assert SecretBox.from_data_dir(tmp_path).decrypt(sealed) == "upstream-secret-ü"
    assert mode(tmp_path / "keys" / "secret.key") == 0o600
    assert "key" in repr(box) and (tmp_path / "keys" / "secret.key").read_text().strip() not in repr(box)


def test_secret_box_from_environment(tmp_path, monkeypatch):
    key = Fernet.generate_key().decode()
    monkeypatch.setenv(SECRET_KEY_ENV, key)
    sealed = SecretBox.from_data_dir(tmp_path).encrypt("x")
    assert SecretBox(key).decrypt(sealed) == "x"
    assert not (tmp_path / "keys" / "secret.key").exists()
    with pytest.raises(ValueError):
        SecretBox(Fernet.generate_key()).decrypt(sealed)


def test_secret_hash():
    digest = secret_hash("s3cret")
    assert digest != "s3cret" and len(digest) == 64
    assert secret_matches("s3cret", digest) and not secret_matches("other", digest)
    assert not secret_matches("s3cret", None)
