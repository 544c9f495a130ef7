"""End to end: contact groups kept by the gateway for 1004 (QBO has none), members checked against the realm."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

UNKNOWN = "6f9d8c2e-1111-4222-8333-944455556666"


async def test_contact_group_lifecycle(qbo):
    contacts = (await qbo.api("GET", "/Contacts", params={"page": "1"})).body["Contacts"][:2]
    made = await qbo.api("PUT", "/ContactGroups", body={"ContactGroups": [{"Name": "Gardeners"}]})
    group = made.body["ContactGroups"][0]
    assert group["Status"] == "ACTIVE" and group["Name"] == "Gardeners"
    twice = await qbo.api("PUT", "/ContactGroups", body={"ContactGroups": [{"Name": "gardeners"}]})
    assert twice.status == 400
    path = f"/ContactGroups/{group['ContactGroupID']}"
    added = await qbo.api("PUT", f"{path}/Contacts", body={"Contacts": [{"ContactID": c["ContactID"]}
                                                                        for c in contacts]})
    assert [(c["ContactID"], c["Name"]) for c in added.body["Contacts"]] == \
        [(c["ContactID"], c["Name"]) for c in contacts]
    unknown = await qbo.api("PUT", f"{path}/Contacts", body={"Contacts": [{"ContactID": UNKNOWN}]})
    assert unknown.status == 400
    read = (await qbo.api("GET", path)).body["ContactGroups"][0]
    assert [c["ContactID"] for c in read["Contacts"]] == [c["ContactID"] for c in contacts]
    assert (await qbo.api("DELETE", f"{path}/Contacts/{contacts[0]['ContactID']}")).status == 204
    assert (await qbo.api("DELETE", f"{path}/Contacts/{contacts[0]['ContactID']}")).status == 400
    renamed = await qbo.api("POST", path, body={"ContactGroups": [{"Name": "Growers"}]})
    assert renamed.body["ContactGroups"][0]["Name"] == "Growers"
    deleted = await qbo.api("POST", path, body={"ContactGroups": [{"Status": "DELETED"}]})
    assert deleted.body["ContactGroups"][0]["Status"] == "DELETED"
    assert (await qbo.api("GET", path)).status == 404
    assert (await qbo.api("GET", "/ContactGroups")).body["ContactGroups"] == []
