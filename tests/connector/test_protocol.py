"""What the connector sends validates against the gateway's own request models (sage50.md §3: "its JSON schema is
checked in CI against the gateway's pydantic models")."""

from __future__ import annotations

from sage50_connector.gateway import GatewayClient

from gateway.agents.protocol import PairBody, PollBody, ResultBody, SyncBody
from tests.connector.test_jobs import run_job, si


async def test_every_body_the_agent_sends_is_one_the_gateway_accepts(make_agent, gateway, data_path):
    fake, url = gateway
    agent = await make_agent(page_size=100)
    await run_job(agent, fake, si("PROTO-1"))
    await run_job(agent, fake, si("PROTO-2", date="2020-01-01"))  # refused: a failed result with an error
    client = GatewayClient(url)
    try:
        fake.codes.add("PROT-OCOL")
        await client.pair("PROT-OCOL", agent_name="test-pc", companies=[c.company for c in agent.companies])
    finally:
        await client.close()

    assert fake.pair_requests and fake.polls and fake.batches and len(fake.results) == 2
    for body in fake.pair_requests:
        assert PairBody.model_validate(body).companies
    for body in fake.polls:
        PollBody.model_validate(body)
    for body in fake.batches:
        SyncBody.model_validate(body)
    statuses = set()
    for results in fake.results.values():
        for body in results:
            statuses.add(ResultBody.model_validate(body).status)
    assert statuses == {"succeeded", "failed"}
