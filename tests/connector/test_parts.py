"""The connector's parts on their own: wire values, settings, token storage, SDO error names, session release."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail
from sage50_connector.config import CompanySettings, SageSettings, load_settings, odbc_connection_string
from sage50_connector.credentials import Identity, TokenStore
from sage50_connector.errors import ConfigError, NotPairedError
from sage50_connector.protocol import WritePayload
from sage50_connector.sdo import EngineFactory, error_of, session
from sage50_connector.wire import to_wire
from sage50_connector.writes import apply, sdo_value

from emulators.sage50 import control
from tests.connector.conftest import PASSWORD, SDO


@pytest.mark.parametrize(("value", "wire"), [
    (12.56, "12.56"), (0.1, "0.1"), (-150.0, "-150.0"), (Decimal("2.430"), "2.430"), (7, 7), (True, 1), (None, None),
    (dt.date(2025, 3, 1), "2025-03-01"), (dt.datetime(2025, 3, 1, 9, 5, 7), "2025-03-01T09:05:07"), ("T1", "T1"),
])
def test_values_go_on_the_wire_as_the_protocol_says(value, wire):
    assert to_wire(value) == wire  # amounts never as JSON floats; dates ISO


def test_payload_values_reach_sdo_as_decimal_and_datetime():
    assert sdo_value("NET_AMOUNT", "12.56") == Decimal("12.56")
    assert sdo_value("DATE", "2025-03-01") == dt.datetime(2025, 3, 1)
    assert sdo_value("TAX_CODE", 1) == 1 and sdo_value("INV_REF", "0012") == "0012"


def test_settings_from_toml_and_environment(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[sage]\nuser = "CONN"\n[[companies]]\ndata_path = "C:/ACCDATA"\ndsn = "SageLine50v32"\n')
    settings = load_settings(path, env={"SAGE50_PASSWORD": "pw-from-env", "SAGE50_POLL_INTERVAL": "5"})
    assert settings.poll_interval == 5 and settings.sage.user == "CONN"
    assert "pw-from-env" not in repr(settings)  # a SecretStr
    assert odbc_connection_string(settings.companies[0], settings.sage) == \
        "DSN=SageLine50v32;UID=CONN;PWD=pw-from-env"
    dsnless = CompanySettings(data_path="D:/Sage/ACCDATA", odbc_driver="Sage Line 50 v32")
    assert odbc_connection_string(dsnless, SageSettings(user="U", password="p")) == \
        "Driver={Sage Line 50 v32};UID=U;PWD=p;DIR=D:/Sage/ACCDATA"


def test_a_company_needs_exactly_one_way_to_read_it(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[[companies]]\ndata_path = "C:/ACCDATA"\n[sage]\npassword = "do-not-echo"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    assert "exactly one of dsn, odbc_driver, sqlite" in str(caught.value)
    assert "do-not-echo" not in str(caught.value)


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.items = {}

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def get_password(self, service, username):
        return self.items.get((service, username))

    def delete_password(self, service, username):
        self.items.pop((service, username), None)


def test_token_goes_to_the_keyring_when_there_is_one(tmp_path):
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        store = TokenStore(tmp_path)
        assert store.save(Identity("agent-1", "https://gw"), "tok-secret") == "keyring"
        assert not (tmp_path / "agent-token").exists()
        assert "tok-secret" not in (tmp_path / "agent.json").read_text()
        assert store.token() == "tok-secret" and store.where() == "keyring"
    finally:
        keyring.set_keyring(previous)


@pytest.mark.parametrize("backend", [fail.Keyring, chainer.ChainerBackend])
def test_without_a_keyring_the_token_is_a_private_file(tmp_path, monkeypatch, backend):
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])  # a headless box: no credential store at all
    previous = keyring.get_keyring()
    keyring.set_keyring(backend())
    try:
        store = TokenStore(tmp_path)
        with pytest.raises(NotPairedError):
            store.token()
        assert store.save(Identity("agent-2", "https://gw"), "tok-file") == str(tmp_path / "agent-token")
        assert (tmp_path / "agent-token").stat().st_mode & 0o777 == 0o600
        assert store.token() == "tok-file"
    finally:
        keyring.set_keyring(previous)


class ComError(Exception):
    """pywintypes.com_error's shape: (hresult, text, excepinfo, argerror)."""


def test_error_names_come_from_the_engine_not_from_numbers():
    names = {23: "sdoLogonNameInUse"}
    exc = ComError(-2147352567, "Exception occurred.", (0, "SDOEngine", "Username is already in use", None, 0, 23),
                   None)
    assert error_of(exc, None, names).code == "sdoLogonNameInUse"
    unnamed = ComError(-2147352567, "Exception occurred.",
                       (0, "SDO", "Program is in exclusive mode. Logon cannot proceed", None, 0, -2147467259), None)
    assert error_of(unnamed, None, {}).code == "sdoLogonExclusive"  # the observed text (sage50.md §6)
    assert error_of(RuntimeError("boom"), None, {}).code == "sdoUnknownException"


def test_the_engine_spec_is_checked():
    with pytest.raises(ConfigError):
        EngineFactory("SGSDO.SDOEngine.32")


def _sessions(data_path) -> list:
    queue = data_path / control.QUEUE_FILE
    return json.loads(queue.read_text())["sessions"] if queue.exists() else []


def test_the_sdo_session_is_released_on_every_exit_path(data_path):
    engines = EngineFactory(SDO)
    bad_field = WritePayload(object="TransactionPost", header={"NO_SUCH_FIELD": 1}, reference="X")
    with pytest.raises(Exception) as caught:
        with session(engines, data_path=str(data_path), user="CONNECTOR", password=PASSWORD) as sdo:
            assert len(_sessions(data_path)) == 1
            apply(sdo, bad_field)
    assert getattr(caught.value, "code", "") == "sdoInvalidName"
    assert _sessions(data_path) == []  # the licence seat is free again
    with session(engines, data_path=str(data_path), user="CONNECTOR", password=PASSWORD):
        pass
    assert _sessions(data_path) == []
    with pytest.raises(Exception) as refused:
        with session(engines, data_path=str(data_path), user="CONNECTOR", password="wrong"):
            pass
    assert refused.value.code == "sdoLogonPassword" and _sessions(data_path) == []
