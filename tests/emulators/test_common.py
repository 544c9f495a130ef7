"""The shared emulator plumbing (:mod:`emulators.common`) on its own: what each emulator's tests do not reach."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiohttp import web
from pydantic import ValidationError

from emulators.common.clock import parse_datetime
from emulators.common.config import BaseEmulatorConfig
from emulators.common.injection import malformed
from emulators.qbo import create_app as create_qbo
from emulators.sage_accounting import create_app as create_sage
from emulators.sage_accounting.clock import parse_moment


def test_base_config_has_no_upstream_defaults():
    with pytest.raises(ValidationError) as refused:
        BaseEmulatorConfig()
    missing = {error["loc"][0] for error in refused.value.errors()}
    assert missing == {"access_token_lifetime", "refresh_token_lifetime", "authorization_code_lifetime",
                       "requests_per_minute", "timezone"}


def test_parse_datetime_rules():
    assert parse_datetime("2015-07-24") == datetime(2015, 7, 24, tzinfo=UTC)
    assert parse_datetime(" 2015-07-24T10:33:39Z ") == datetime(2015, 7, 24, 10, 33, 39, tzinfo=UTC)
    assert parse_datetime("2015-07-24T10:33:39-07:00").utcoffset().total_seconds() == -7 * 3600
    assert parse_datetime("2015-07-24T10:33:39z") is None  # Intuit's format: upper-case Z only
    assert parse_datetime("yesterday") is None
    # Sage's filters also take a lower-case z and a "+" that arrived as a space
    assert parse_moment("2015-07-24T10:33:39z") == datetime(2015, 7, 24, 10, 33, 39, tzinfo=UTC)
    assert parse_moment("2015-07-24T10:33:39 01:00").utcoffset().total_seconds() == 3600


def test_malformed_cuts_a_buffered_body_only():
    cut = malformed(web.Response(status=201, body=b'{"Invoice": {"Id": "1"}}', content_type="application/json"))
    assert cut.status == 200
    assert cut.body == b'{"Invoice": '
    empty = web.Response(status=204)
    assert malformed(empty) is empty
    streamed = web.StreamResponse()
    assert malformed(streamed) is streamed


@pytest.mark.parametrize(("create_app", "config", "allowed"), [
    (create_qbo, {"check_properties": False}, False), (create_sage, {}, True)])
async def test_client_hook_only_where_the_emulator_enables_it(aiohttp_client, create_app, config, allowed):
    client = await aiohttp_client(create_app(config))
    response = await client.put("/_emulator/clients", json=[{"client_id": "a", "client_secret": "b"}])
    assert (response.status == 200) is allowed
    bad_clock = await client.post("/_emulator/clock", json=["not", "an", "object"])
    assert bad_clock.status == 400
    assert "error" in await bad_clock.json()
