"""Path traversal in attachment file names on the upstream sources (issue 11): QBO (1004) and Sage Accounting (1009)
through their emulators refuse a name with a path or a control character with a Xero-shaped 400 and upload nothing
(the native ledger's cases: :mod:`tests.runtime.test_bad_bodies`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from yarl import URL

from tests.contract.conftest import Stacks

pytestmark = pytest.mark.asyncio(loop_scope="module")  # the stacks live for the module

NOT_FOUND = "The resource you're looking for cannot be found"
NAMES = ["..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "..%5C..%5Cboot.ini", "evil%01.txt"]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stacks(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stacks]:
    pool = Stacks(tmp_path_factory)
    try:
        yield pool
    finally:
        await pool.close()


async def attachments_of(stack, invoice_id: str) -> int:
    listed = await stack.api("GET", f"/Invoices/{invoice_id}/Attachments", validate=False)
    assert listed.status == 200, listed.body
    return len(listed.body["Attachments"])


@pytest.mark.parametrize("source", ["1004", "1009"])
async def test_a_path_in_an_upstream_attachment_name_is_400_and_uploads_nothing(stacks, source):
    stack = (await stacks.walker(source)).stack
    invoices = await stack.api("GET", "/Invoices", params={"pageSize": "1"}, validate=False)
    assert invoices.status == 200, invoices.body
    invoice_id = invoices.body["Invoices"][0]["InvoiceID"]
    before = await attachments_of(stack, invoice_id)
    plain = await stack.api("PUT", f"/Invoices/{invoice_id}/Attachments/plain.txt", data=b"x", validate=False,
                            headers={"Content-Type": "text/plain"})
    assert plain.status == 200, plain.body  # the control case: uploads reach the source
    for name in NAMES:
        # sent as encoded (a client library would resolve "..%2F" before sending)
        url = URL(f"{stack.api_root}/Invoices/{invoice_id}/Attachments/{name}", encoded=True)
        async with stack.gateway.session.put(stack.gateway.make_url("").join(url), data=b"root:x:0:0",
                                             headers=stack.auth_headers(None, {"Content-Type": "text/plain"})) as r:
            if "%2F" in name:  # the decoded path has more segments: no route matches, Xero's plain-text 404
                assert (r.status, await r.text()) == (404, NOT_FOUND), name
                continue
            assert r.status == 400, (name, r.status, await r.text())
            assert (await r.json())["Type"] == "ValidationException"
    assert await attachments_of(stack, invoice_id) == before + 1
