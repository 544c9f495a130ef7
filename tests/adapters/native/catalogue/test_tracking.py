"""Tracking categories and options, and tracking on invoice lines and journal lines (direct adapter calls)."""

from __future__ import annotations

import pytest

from adapters.native.resources import tracking
from gateway.xero.errors import NotFound, ValidationException

from .conftest import all_journals, call, invoice_element


def _messages(exc: ValidationException, index: int = 0) -> list[str]:
    return [e["Message"] for e in exc.elements[index]["ValidationErrors"]]


async def _categories(adapter, **query) -> dict[str, object]:
    return {c.Name: c for c in (await call(adapter, "getTrackingCategories", **query)).items}


async def test_demo_has_two_active_categories_with_options(adapter) -> None:
    cats = await _categories(adapter)
    assert set(cats) == {"Region", "Department"}
    assert {o.Name for o in cats["Region"].Options} >= {"North", "South", "London"}
    assert all(o.Status == "ACTIVE" for c in cats.values() for o in c.Options)
    (one,) = (await call(adapter, "getTrackingCategory",
                         path={"TrackingCategoryID": cats["Region"].TrackingCategoryID})).items
    assert one.Name == "Region" and len(one.Options) == len(cats["Region"].Options)


async def test_at_most_two_active_categories(adapter) -> None:
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "createTrackingCategory", elements=[{"Name": "Project"}])
    assert _messages(exc.value) == ["You can only have 2 active tracking categories."]
    region = (await _categories(adapter))["Region"]
    await call(adapter, "updateTrackingCategory", path={"TrackingCategoryID": region.TrackingCategoryID},
               elements=[{"Status": "ARCHIVED"}])
    (project,) = (await call(adapter, "createTrackingCategory", elements=[{"Name": "Project"}])).items
    assert project.Status == "ACTIVE" and project.Options == []
    with pytest.raises(ValidationException) as exc:  # re-activating would make three
        await call(adapter, "updateTrackingCategory", path={"TrackingCategoryID": region.TrackingCategoryID},
                   elements=[{"Status": "ACTIVE"}])
    assert _messages(exc.value) == ["You can only have 2 active tracking categories."]
    assert set(await _categories(adapter)) == {"Department", "Project"}
    archived = await _categories(adapter, include_archived=True)
    assert archived["Region"].Status == "ARCHIVED"


async def test_names_are_unique(adapter) -> None:
    cats = await _categories(adapter)
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "updateTrackingCategory", path={"TrackingCategoryID": cats["Region"].TrackingCategoryID},
                   elements=[{"Name": "department"}])
    assert _messages(exc.value) == ["A tracking category with this name already exists."]
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "createTrackingOptions", path={"TrackingCategoryID": cats["Region"].TrackingCategoryID},
                   elements=[{"Name": "north"}])
    assert _messages(exc.value) == ["For each specified tracking option the name must be unique."]
    created = (await call(adapter, "createTrackingOptions",
                          path={"TrackingCategoryID": cats["Region"].TrackingCategoryID},
                          elements=[{"Options": [{"Name": "Wales"}, {"Name": "Northern Ireland"}]}])).items
    assert [o.Name for o in created] == ["Wales", "Northern Ireland"] and all(o.Status == "ACTIVE" for o in created)
    with pytest.raises(ValidationException):
        await call(adapter, "createTrackingCategory", elements=[{"Name": ""}])


async def test_unknown_category_is_not_found(adapter) -> None:
    with pytest.raises(NotFound):
        await call(adapter, "getTrackingCategory", path={"TrackingCategoryID": "00000000-0000-0000-0000-000000000001"})


def _tracked_invoice(*tracking_items: dict) -> dict:
    element = invoice_element()
    element["LineItems"][0]["Tracking"] = list(tracking_items)
    return element


async def test_invoice_line_tracking_by_name_and_by_id(adapter) -> None:
    cats = await _categories(adapter)
    dept = cats["Department"]
    training = next(o for o in dept.Options if o.Name == "Training")
    (inv,) = (await call(adapter, "createInvoices", elements=[_tracked_invoice(
        {"Name": "region", "Option": "north"},
        {"TrackingCategoryID": dept.TrackingCategoryID.upper(), "TrackingOptionID": training.TrackingOptionID})])).items
    (line,) = inv.LineItems
    assert [(t.Name, t.Option) for t in line.Tracking] == [("Region", "North"), ("Department", "Training")]
    assert line.Tracking[1].TrackingCategoryID == dept.TrackingCategoryID
    assert line.Tracking[1].TrackingOptionID == training.TrackingOptionID
    mine = [j for j in await all_journals(adapter) if j.SourceID == inv.InvoiceID]
    assert len(mine) == 1
    sales = [ln for ln in mine[0].JournalLines if ln.AccountCode == "200"]
    assert [(t.Name, t.Option) for t in sales[0].TrackingCategories] == [("Region", "North"),
                                                                        ("Department", "Training")]
    others = [ln for ln in mine[0].JournalLines if ln.AccountCode != "200"]
    assert others and all(ln.TrackingCategories == [] for ln in others)


@pytest.mark.parametrize(("items", "message"), [
    ([{"Name": "Colour", "Option": "Red"}], "There is no ACTIVE tracking category with the name 'Colour'"),
    ([{}], "There is no ACTIVE tracking category with the name ''"),
    ([{"Name": "Region", "Option": "Mars"}],
     "There is no ACTIVE tracking option 'Mars' in the tracking category 'Region'"),
    ([{"Name": "Region"}], "A tracking option must be specified for the tracking category 'Region'"),
    ([{"Name": "Region", "Option": "North"}, {"Name": "Region", "Option": "South"}],
     "The tracking category 'Region' can only be used once on a line."),
    ([{"Name": "Region", "Option": "North"}, {"Name": "Department", "Option": "Training"},
      {"Name": "Region", "Option": "South"}], "A line can have a maximum of 2 tracking categories."),
])
async def test_invalid_line_tracking(adapter, items, message) -> None:
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "createInvoices", elements=[_tracked_invoice(*items)])
    assert message in _messages(exc.value)


async def test_archived_option_stays_on_old_lines_only(adapter) -> None:
    region = (await _categories(adapter))["Region"]
    north = next(o for o in region.Options if o.Name == "North")
    (inv,) = (await call(adapter, "createInvoices", elements=[_tracked_invoice(
        {"Name": "Region", "Option": "North"})])).items
    await call(adapter, "updateTrackingOptions", path={"TrackingCategoryID": region.TrackingCategoryID,
                                                       "TrackingOptionID": north.TrackingOptionID},
               elements=[{"Status": "ARCHIVED"}])
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "createInvoices", elements=[_tracked_invoice({"Name": "Region", "Option": "North"})])
    assert "There is no ACTIVE tracking option 'North' in the tracking category 'Region'" in _messages(exc.value)
    (again,) = (await call(adapter, "updateInvoice", path={"InvoiceID": inv.InvoiceID},
                           elements=[{"Reference": "kept"}])).items
    assert again.LineItems[0].Tracking[0].Option == "North"
    listed = (await _categories(adapter))["Region"]
    assert "North" not in {o.Name for o in listed.Options}
    assert "North" in {o.Name for o in (await _categories(adapter, include_archived=True))["Region"].Options}


async def test_renaming_relabels_lines_and_journals(adapter) -> None:
    region = (await _categories(adapter))["Region"]
    north = next(o for o in region.Options if o.Name == "North")
    (inv,) = (await call(adapter, "createInvoices", elements=[_tracked_invoice(
        {"Name": "Region", "Option": "North"})])).items
    await call(adapter, "updateTrackingOptions", path={"TrackingCategoryID": region.TrackingCategoryID,
                                                       "TrackingOptionID": north.TrackingOptionID},
               elements=[{"Name": "The North"}])
    await call(adapter, "updateTrackingCategory", path={"TrackingCategoryID": region.TrackingCategoryID},
               elements=[{"Name": "Area"}])
    (got,) = (await call(adapter, "getInvoice", path={"InvoiceID": inv.InvoiceID})).items
    assert [(t.Name, t.Option) for t in got.LineItems[0].Tracking] == [("Area", "The North")]
    (number,) = [j.JournalNumber for j in await all_journals(adapter) if j.SourceID == inv.InvoiceID]
    (journal,) = (await call(adapter, "getJournalByNumber", path={"JournalNumber": str(number)})).items
    tagged = [t for ln in journal.JournalLines for t in ln.TrackingCategories]
    assert [(t.Name, t.Option) for t in tagged] == [("Area", "The North")]


async def test_changing_tracking_reposts_an_approved_invoice(adapter) -> None:
    (inv,) = (await call(adapter, "createInvoices", elements=[_tracked_invoice(
        {"Name": "Region", "Option": "North"})])).items
    line = inv.LineItems[0]
    await call(adapter, "updateInvoice", path={"InvoiceID": inv.InvoiceID}, elements=[{"LineItems": [{
        "LineItemID": line.LineItemID, "Description": "Consulting", "Quantity": 2, "UnitAmount": 100,
        "AccountCode": "200", "TaxType": "OUTPUT2", "Tracking": [{"Name": "Region", "Option": "South"}]}]}])
    mine = [j for j in await all_journals(adapter) if j.SourceID == inv.InvoiceID]
    assert len(mine) == 3  # the posting, its reversal, the new posting
    options = [[t.Option for ln in j.JournalLines for t in ln.TrackingCategories] for j in mine]
    assert options == [["North"], ["North"], ["South"]]
    sales = [[ln.NetAmount for ln in j.JournalLines if ln.AccountCode == "200"] for j in mine]
    assert sales == [[-200], [200], [-200]]


async def test_delete_only_unused_categories_and_options(adapter) -> None:
    cats = await _categories(adapter)
    region = cats["Region"]
    used = {t.TrackingOptionID for ln in (await call(adapter, "getInvoices", page=1, page_size=1000)).items
            for li in ln.LineItems or [] for t in li.Tracking or []}
    used_option = next(o for o in region.Options if o.TrackingOptionID in used)
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "deleteTrackingOptions", path={"TrackingCategoryID": region.TrackingCategoryID,
                                                           "TrackingOptionID": used_option.TrackingOptionID})
    assert _messages(exc.value) == [
        "This tracking option has been used on transactions and cannot be deleted. Archive it instead."]
    with pytest.raises(ValidationException):
        await call(adapter, "deleteTrackingCategory", path={"TrackingCategoryID": region.TrackingCategoryID})
    (fresh,) = (await call(adapter, "createTrackingOptions", path={"TrackingCategoryID": region.TrackingCategoryID},
                           elements=[{"Name": "Wales"}])).items
    (gone,) = (await call(adapter, "deleteTrackingOptions", path={"TrackingCategoryID": region.TrackingCategoryID,
                                                                  "TrackingOptionID": fresh.TrackingOptionID})).items
    assert gone.Status == "DELETED" and gone.Name == "Wales"
    assert "Wales" not in {o.Name for o in (await _categories(adapter, include_archived=True))["Region"].Options}
    await call(adapter, "updateTrackingCategory", path={"TrackingCategoryID": region.TrackingCategoryID},
               elements=[{"Status": "ARCHIVED"}])
    (project,) = (await call(adapter, "createTrackingCategory", elements=[{"Name": "Project"}])).items
    (deleted,) = (await call(adapter, "deleteTrackingCategory",
                             path={"TrackingCategoryID": project.TrackingCategoryID})).items
    assert deleted.Status == "DELETED" and deleted.Options == []
    with pytest.raises(NotFound):
        await call(adapter, "getTrackingCategory", path={"TrackingCategoryID": project.TrackingCategoryID})


def test_stored_form_round_trips() -> None:
    stored = [{"TrackingCategoryID": "a", "TrackingOptionID": "b", "Name": "Region", "Option": "North"}]
    (model,) = tracking.to_line_tracking(stored)
    assert model.model_dump(exclude_none=True) == stored[0]
    assert tracking.signature(stored) == ("b",) and tracking.signature(None) == ()
