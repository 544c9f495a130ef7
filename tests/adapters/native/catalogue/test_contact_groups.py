"""Contact groups and their members; ContactGroups on a contact (direct adapter calls)."""

from __future__ import annotations

import pytest

from gateway.xero.errors import NotFound, ValidationException

from .conftest import call


def _messages(exc: ValidationException, index: int = 0) -> list[str]:
    return [e["Message"] for e in exc.elements[index]["ValidationErrors"]]


async def _contact_id(adapter, name: str) -> str:
    return (await call(adapter, "getContacts", where=f'Name=="{name}"', include_archived=True)).items[0].ContactID


async def test_demo_groups_and_members(adapter) -> None:
    groups = (await call(adapter, "getContactGroups")).items
    assert [g.Name for g in groups] == ["Education", "Hospitality"]
    assert all(g.Status == "ACTIVE" and g.Contacts == [] for g in groups)
    (education,) = (await call(adapter, "getContactGroup", path={"ContactGroupID": groups[0].ContactGroupID})).items
    assert [c.Name for c in education.Contacts] == ["Elmstead Primary School", "Meridian University"]
    (contact,) = (await call(adapter, "getContact",
                             path={"ContactID": await _contact_id(adapter, "Meridian University")})).items
    assert [(g.Name, g.Status) for g in contact.ContactGroups] == [("Education", "ACTIVE")]


async def test_create_add_remove_delete(adapter) -> None:
    (group,) = (await call(adapter, "createContactGroup", elements=[{"Name": "VIPs"}])).items
    assert group.Status == "ACTIVE" and group.Contacts == []
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "createContactGroup", elements=[{"Name": "vips"}])
    assert _messages(exc.value) == ["A contact group with this name already exists."]
    a, b = await _contact_id(adapter, "Greyfriars Hotel"), await _contact_id(adapter, "Oakridge Golf Club")
    added = (await call(adapter, "createContactGroupContacts", path={"ContactGroupID": group.ContactGroupID},
                        elements=[{"ContactID": a}, {"ContactID": b}, {"ContactID": a}])).items
    assert [c.ContactID for c in added] == [a, b, a]
    (got,) = (await call(adapter, "getContactGroup", path={"ContactGroupID": group.ContactGroupID})).items
    assert {c.ContactID for c in got.Contacts} == {a, b}
    (hotel,) = (await call(adapter, "getContact", path={"ContactID": a})).items
    assert [g.Name for g in hotel.ContactGroups] == ["Hospitality", "VIPs"]
    await call(adapter, "deleteContactGroupContact", path={"ContactGroupID": group.ContactGroupID, "ContactID": a})
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "deleteContactGroupContact", path={"ContactGroupID": group.ContactGroupID,
                                                               "ContactID": a})
    assert _messages(exc.value) == ["The contact is not a member of this contact group."]
    await call(adapter, "deleteContactGroupContacts", path={"ContactGroupID": group.ContactGroupID})
    (empty,) = (await call(adapter, "getContactGroup", path={"ContactGroupID": group.ContactGroupID})).items
    assert empty.Contacts == []
    (renamed,) = (await call(adapter, "updateContactGroup", path={"ContactGroupID": group.ContactGroupID},
                             elements=[{"Name": "Very Important"}])).items
    assert renamed.Name == "Very Important"
    (deleted,) = (await call(adapter, "updateContactGroup", path={"ContactGroupID": group.ContactGroupID},
                             elements=[{"Status": "DELETED"}])).items
    assert deleted.Status == "DELETED"
    with pytest.raises(NotFound):
        await call(adapter, "getContactGroup", path={"ContactGroupID": group.ContactGroupID})
    assert "Very Important" not in {g.Name for g in (await call(adapter, "getContactGroups")).items}


async def test_deleting_a_group_drops_it_from_contacts(adapter) -> None:
    education = (await call(adapter, "getContactGroups", where='Name=="Education"')).items[0]
    await call(adapter, "updateContactGroup", path={"ContactGroupID": education.ContactGroupID},
               elements=[{"Status": "DELETED"}])
    (contact,) = (await call(adapter, "getContact",
                             path={"ContactID": await _contact_id(adapter, "Meridian University")})).items
    assert contact.ContactGroups == []


async def test_unknown_contacts_are_refused_whole(adapter) -> None:
    group = (await call(adapter, "getContactGroups")).items[0]
    known = await _contact_id(adapter, "Oakridge Golf Club")
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "createContactGroupContacts", path={"ContactGroupID": group.ContactGroupID},
                   elements=[{"ContactID": known}, {"ContactID": "00000000-0000-0000-0000-00000000abcd"}])
    assert "Contact with ContactID '00000000-0000-0000-0000-00000000abcd' could not be found" in _messages(exc.value)
    (got,) = (await call(adapter, "getContactGroup", path={"ContactGroupID": group.ContactGroupID})).items
    assert known not in {c.ContactID for c in got.Contacts}


async def test_group_limit(adapter) -> None:
    await call(adapter, "createContactGroup", elements=[{"Name": f"G{i:03d}"} for i in range(98)])
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "createContactGroup", elements=[{"Name": "One too many"}])
    assert _messages(exc.value) == ["You’ve reached the limit of 100 contact groups."]
