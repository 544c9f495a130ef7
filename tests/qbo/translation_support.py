"""Building a translation context from the recorded samples, without any HTTP (unit tests of
:mod:`adapters.qbo.translate`)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from adapters.qbo import refdata
from adapters.qbo.ids import stable_guid
from adapters.qbo.refdata import RefData
from adapters.qbo.translate.common import Tx
from tests.support.qbo import SAMPLES

REALM = "9341452000000001"
TENANT = "0f7c2d8e-3b4a-5c6d-8e9f-a0b1c2d3e4f5"


def sample(name: str, example: str) -> dict[str, Any]:
    """One example of ``samples/{name}.json`` with ``Decimal`` numbers, as the client reads QBO answers."""
    data = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"), parse_float=Decimal)
    return data[example]


def entity(name: str, example: str) -> dict[str, Any]:
    """The entity object of an example (``{"Invoice": {...}, "time": ...}`` → ``{...}``)."""
    return sample(name, example)[name]


def rows(name: str, example: str = "query_response") -> list[dict[str, Any]]:
    """The rows of a query-response example."""
    return list(sample(name, example)["QueryResponse"].get(name) or [])


def guid(entity_name: str, qbo_id: str, part: str = "") -> str:
    return stable_guid(REALM, entity_name, qbo_id, part)


def tx(**kinds: list[dict[str, Any]]) -> Tx:
    """A context whose reference data is ``kinds`` (name → rows) plus the sample company's CompanyInfo and
    Preferences; kinds not given are empty."""
    values: dict[str, Any] = {}
    for kind in ("accounts", "items", "taxcodes", "taxrates", "customers", "vendors", "classes", "departments",
                 "currencies"):
        values[kind] = refdata.build(kind, list(kinds.get(kind, [])))
    values["companyinfo"] = kinds.get("companyinfo") or entity("CompanyInfo", "object_sample")
    values["preferences"] = kinds.get("preferences") or entity("Preferences", "read_response")
    return Tx(realm_id=REALM, tenant_id=TENANT, refs=RefData(values),
              forward=lambda e, i, p: stable_guid(REALM, e, i, p))


def account(qbo_id: str, name: str, account_type: str, *, code: str | None = None, sub_type: str | None = None,
            classification: str | None = None, active: bool = True) -> dict[str, Any]:
    """An Account row shaped like Account.json."""
    row: dict[str, Any] = {"Id": qbo_id, "Name": name, "AccountType": account_type, "Active": active,
                           "SyncToken": "0", "MetaData": {"CreateTime": "2014-12-31T09:29:05-08:00",
                                                          "LastUpdatedTime": "2014-12-31T09:29:05-08:00"}}
    if code:
        row["AcctNum"] = code
    if sub_type:
        row["AccountSubType"] = sub_type
    if classification:
        row["Classification"] = classification
    return row
