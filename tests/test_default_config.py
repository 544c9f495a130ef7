"""``config/default.toml`` documents every setting (gateway/settings.py): each section and key of :class:`Settings`
is in the file with the model's own default, so that the file an operator copies is the whole and true list."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, SecretStr

from gateway.settings import DEFAULT_CONFIG, Settings

#: Tables shown only in a comment: an operator's table is merged over the file's, and leaving a source out of
#: ``poll_intervals`` means "do not poll it" (gateway/webhooks/detectors.py), which a default table would undo.
COMMENTED = {("webhooks", "poll_intervals")}


def _plain(value: object) -> object:
    """A setting's value as TOML writes it (a path as its text, a secret as its value)."""
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    return str(value) if isinstance(value, Path) else value


def test_default_toml_lists_every_setting_with_its_default():
    text = DEFAULT_CONFIG.read_text()
    written = tomllib.loads(text)
    defaults = Settings()
    assert set(written) == set(Settings.model_fields)
    for name in Settings.model_fields:
        section: BaseModel = getattr(defaults, name)
        expected = {key: _plain(getattr(section, key)) for key in type(section).model_fields
                    if (name, key) not in COMMENTED}
        assert written[name] == expected, name
    for name, key in COMMENTED:
        table = getattr(getattr(defaults, name), key)
        commented = [f"# [{name}.{key}]"] + [f'# "{k}" = {v!r}' for k, v in table.items()]
        assert "\n".join(commented) in text
