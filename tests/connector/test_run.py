"""The run loop: several companies per agent, a long poll answered as soon as a job is queued."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3

from sage50_connector.config import CompanySettings

from emulators.sage50 import control
from tests.connector.test_jobs import si


async def test_one_agent_serves_several_companies(make_agent, gateway, settings, data_path, tmp_path):
    fake, _ = gateway
    second = tmp_path / "SECOND" / "ACCDATA"
    second.mkdir(parents=True)
    shutil.copy(data_path / "sage50.db", second / "sage50.db")
    control.initialise(second)
    agent = await make_agent(companies=[*settings.companies,
                                        CompanySettings(data_path=str(second), sqlite=str(second / "sage50.db"))])
    first_key, second_key = (c.company.company_key for c in agent.companies)
    assert first_key != second_key  # same name, different data path

    job_id = fake.queue(second_key, si("TWO-0001"))
    await agent.run(once=True)
    assert fake.results[job_id][-1]["status"] == "succeeded"
    assert {b["company_key"] for b in fake.batches} == {first_key, second_key}
    assert [c["company_key"] for c in fake.polls[-1]["companies"]] == [first_key, second_key]
    for path, expected in ((data_path, 0), (second, 1)):
        with sqlite3.connect(path / "sage50.db") as conn:
            found = conn.execute("SELECT COUNT(*) FROM AUDIT_HEADER WHERE INV_REF = 'TWO-0001'").fetchone()[0]
            assert found == expected


async def test_a_long_poll_returns_as_soon_as_a_job_is_queued(make_agent, gateway):
    fake, _ = gateway
    agent = await make_agent(poll_interval=60)
    key = agent.companies[0].company.company_key
    running = asyncio.create_task(agent.run(max_polls=1))
    await asyncio.wait_for(fake.poll_held.wait(), timeout=10)  # the agent is now holding its poll (wait ≤ 25 s)
    job_id = fake.queue(key, si("POLL-0001"))
    handled = await asyncio.wait_for(running, timeout=10)
    assert handled == 1 and fake.results[job_id][-1]["status"] == "succeeded"


async def test_the_poll_waits_at_most_25_seconds(make_agent):
    agent = await make_agent(poll_interval=600)
    seen = []
    original = agent.client._post

    async def spy(path, payload, **kwargs):
        seen.append(path)
        if path.startswith("/poll"):
            return 204, ""
        return await original(path, payload, **kwargs)

    agent.client._post = spy
    await agent.run(max_polls=1)
    assert [p for p in seen if p.startswith("/poll")] == ["/poll?wait=25"]
