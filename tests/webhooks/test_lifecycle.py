"""The delivery worker starts and stops with the app; ``[webhooks]`` settings; a revoked app gets nothing."""

import pydantic
import pytest

from gateway.app import create_app
from gateway.appkeys import WEBHOOKS
from gateway.identity import apps
from gateway.settings import load_settings
from gateway.webhooks import outbox
from tests.webhooks.conftest import subscriber
from tests.webhooks.test_delivery import contact_events, queued, ready


async def test_the_worker_runs_with_the_app_and_stops_cleanly(aiohttp_client, tmp_path):
    client = await aiohttp_client(create_app(load_settings(data_dir=tmp_path)))
    worker = client.app[WEBHOOKS]
    assert worker._task is not None and not worker._task.done()
    task = worker._task
    await client.close()
    assert task.done() and not task.cancelled() and worker._task is None  # the loop ended by itself


async def test_disabled_in_settings_the_worker_does_not_run(aiohttp_client, tmp_path):
    config = tmp_path / "gw.toml"
    config.write_text("[webhooks]\nenabled = false\n")
    client = await aiohttp_client(create_app(load_settings(config, data_dir=tmp_path / "data")))
    assert client.app[WEBHOOKS]._task is None


def test_webhooks_settings_are_validated(tmp_path):
    settings = load_settings(data_dir=tmp_path)
    assert (settings.webhooks.delivery_timeout, settings.webhooks.retry_window) == (5.0, 86400.0)
    config = tmp_path / "bad.toml"
    config.write_text("[webhooks]\nlease = 5.0\ndelivery_timeout = 5.0\n")
    with pytest.raises(pydantic.ValidationError, match="lease must be longer"):
        load_settings(config)
    config.write_text("[webhooks]\npoll_interval = 0\n")
    with pytest.raises(pydantic.ValidationError):
        load_settings(config)


async def test_a_revoked_app_gets_nothing(db, box, settings, clock, receiver, workers):
    sub, worker = await ready(workers, db, box, settings, clock, receiver)
    await outbox.emit(db, contact_events(clock, 1))
    await apps.revoke_app(db, sub.client_id)
    await worker.tick()
    assert receiver.events == [] and len(await queued(db, sub.client_id)) == 1
    await outbox.emit(db, contact_events(clock, 1))  # and no new events are queued for it
    assert len(await queued(db, sub.client_id)) == 1
    other = await subscriber(db, box, receiver.url)  # another app on the same tenant still gets its events
    await outbox.emit(db, contact_events(clock, 1))
    assert len(await queued(db, other.client_id)) == 1 and len(await queued(db, sub.client_id)) == 1
