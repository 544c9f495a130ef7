"""Settings: the TOML config file, overridden by environment variables, validated once.

Example ``config.toml`` (``--config``, ``$SAGE50_CONNECTOR_CONFIG``, or ``config.toml`` in the state folder)::

    gateway = "https://gateway.example.com"   # written by `sage50-connector pair` too
    poll_interval = 30                         # seconds between change detections

    [sage]
    user = "CONNECTOR"                         # a Sage user reserved for the connector (sage50.md §2, §7)
    password = "…"                             # better: $SAGE50_PASSWORD
    sdo_engine = "com:SGSDO.SDOEngine.32"      # tests: "python:emulators.sage50.sdo:SDOEngine"

    [[companies]]
    data_path = 'C:\\ProgramData\\Sage\\Accounts\\2026\\COMPANY.000\\ACCDATA'
    dsn = "SageLine50v32"                      # or odbc_driver = "Sage Line 50 v32", or sqlite = "<file>"

Environment: ``SAGE50_GATEWAY``, ``SAGE50_USER``, ``SAGE50_PASSWORD``, ``SAGE50_SDO_ENGINE``, ``SAGE50_STATE_DIR``,
``SAGE50_TOKEN_STORE`` (``keyring``/``file``), and for a one-company setup ``SAGE50_DATA_PATH`` with ``SAGE50_DSN``,
``SAGE50_ODBC_DRIVER`` or ``SAGE50_SQLITE``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator

from sage50_connector.errors import ConfigError


def default_state_dir() -> Path:
    """``%LOCALAPPDATA%\\sage50-connector`` on Windows, ``$XDG_STATE_HOME/sage50-connector`` elsewhere."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "sage50-connector"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "sage50-connector"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SageSettings(_Section):
    """The Sage logon (one user for ODBC and SDO) and how SDO is reached."""

    user: str = "CONNECTOR"
    password: SecretStr = SecretStr("")
    sdo_engine: str = "com:SGSDO.SDOEngine.32"


class CompanySettings(_Section):
    """One company: its ACCDATA path and exactly one way to read it."""

    data_path: str
    dsn: str | None = None
    odbc_driver: str | None = None
    sqlite: str | None = None

    @model_validator(mode="after")
    def _one_reader(self) -> CompanySettings:
        if sum(x is not None for x in (self.dsn, self.odbc_driver, self.sqlite)) != 1:
            raise ValueError(f"company {self.data_path}: set exactly one of dsn, odbc_driver, sqlite")
        return self


class Settings(_Section):
    """The validated configuration."""

    gateway: str | None = None
    poll_interval: float = Field(30, gt=0)
    page_size: int = Field(500, ge=1, le=10000)
    state_dir: Path = Field(default_factory=default_state_dir)
    token_store: Literal["keyring", "file"] = "keyring"  # noqa: S105 - where the token goes, not a token
    sage: SageSettings = Field(default_factory=SageSettings)
    companies: list[CompanySettings] = Field(default_factory=list)


def _env_overrides(raw: dict, env: dict[str, str]) -> dict:
    raw = dict(raw)
    sage = dict(raw.get("sage", {}))
    for name, key in (("SAGE50_GATEWAY", "gateway"), ("SAGE50_STATE_DIR", "state_dir"),
                      ("SAGE50_TOKEN_STORE", "token_store"), ("SAGE50_POLL_INTERVAL", "poll_interval")):
        if env.get(name):
            raw[key] = env[name]
    for name, key in (("SAGE50_USER", "user"), ("SAGE50_PASSWORD", "password"), ("SAGE50_SDO_ENGINE", "sdo_engine")):
        if env.get(name):
            sage[key] = env[name]
    raw["sage"] = sage
    if env.get("SAGE50_DATA_PATH"):
        company = {"data_path": env["SAGE50_DATA_PATH"]}
        for name, key in (("SAGE50_DSN", "dsn"), ("SAGE50_ODBC_DRIVER", "odbc_driver"), ("SAGE50_SQLITE", "sqlite")):
            if env.get(name):
                company[key] = env[name]
        raw["companies"] = [company]
    return raw


def config_path(explicit: str | None, env: dict[str, str] | None = None) -> Path:
    """The config file to read: ``--config``, then ``$SAGE50_CONNECTOR_CONFIG``, then the state folder's."""
    env = os.environ if env is None else env
    if explicit:
        return Path(explicit)
    if env.get("SAGE50_CONNECTOR_CONFIG"):
        return Path(env["SAGE50_CONNECTOR_CONFIG"])
    state = env.get("SAGE50_STATE_DIR")
    return (Path(state) if state else default_state_dir()) / "config.toml"


def load_settings(path: Path | None, env: dict[str, str] | None = None) -> Settings:
    """Read ``path`` (missing is fine: environment only) and apply the environment.

    Raises:
        ConfigError: unreadable TOML or invalid values (the message names the key, never a secret's value).
    """
    env = dict(os.environ if env is None else env)
    raw: dict = {}
    if path is not None and path.is_file():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read {path}: {exc}") from exc
    try:
        return Settings.model_validate(_env_overrides(raw, env))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'config'}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"invalid configuration ({path}): {problems}") from None


def odbc_connection_string(company: CompanySettings, sage: SageSettings) -> str:
    """The pyodbc connection string: the DSN's, or DSN-less with ``DIR=`` the data path (sage50.md §8)."""
    secret = sage.password.get_secret_value()
    if company.dsn:
        return f"DSN={company.dsn};UID={sage.user};PWD={secret}"
    return f"Driver={{{company.odbc_driver}}};UID={sage.user};PWD={secret};DIR={company.data_path}"
