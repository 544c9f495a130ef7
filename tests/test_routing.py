"""The case-insensitive router below /{code}."""

from gateway.http.routing import Router
from gateway.xero.guids import is_guid


async def _h(request, code, params):  # pragma: no cover - never awaited here
    return None


def make() -> Router:
    r = Router()
    r.add("GET", "/api.xro/2.0/Contacts/{ContactID}", _h, guard=lambda p: is_guid(p["ContactID"]), extra="byId")
    r.add("POST", "/api.xro/2.0/Contacts/{ContactID}", _h, guard=lambda p: is_guid(p["ContactID"]), extra="upd")
    r.add("GET", "/api.xro/2.0/Contacts/{ContactNumber}", _h, guard=lambda p: not is_guid(p["ContactNumber"]),
          extra="byNumber")
    r.add("GET", "/api.xro/2.0/Reports/{ReportID}", _h, extra="reportById")
    r.add("GET", "/api.xro/2.0/Reports/BalanceSheet", _h, extra="balanceSheet")
    r.add("GET", "/Connections", _h, extra="connections")
    return r


def test_case_insensitive_and_trailing_slash():
    r = make()
    for path in ("/connections", "/Connections", "/CONNECTIONS/"):
        route, params, _ = r.resolve("GET", path)
        assert route is not None and route.extra == "connections"


def test_guid_guards_and_literal_precedence():
    r = make()
    guid = "4c1e9b1a-2d9f-4c8e-8a61-3e1a5b0c6f7d"
    assert r.resolve("GET", f"/api.xro/2.0/Contacts/{guid}")[0].extra == "byId"
    assert r.resolve("GET", f"/api.xro/2.0/contacts/{guid.replace('-', '')}")[0].extra == "byId"
    route, params, _ = r.resolve("GET", "/api.xro/2.0/Contacts/CUST-001")
    assert route.extra == "byNumber" and params == {"ContactNumber": "CUST-001"}
    assert r.resolve("GET", "/api.xro/2.0/Reports/balancesheet")[0].extra == "balanceSheet"
    assert r.resolve("GET", "/api.xro/2.0/Reports/1234")[0].extra == "reportById"


def test_method_not_allowed_vs_not_found():
    r = make()
    route, _, known = r.resolve("DELETE", "/api.xro/2.0/Contacts/4c1e9b1a-2d9f-4c8e-8a61-3e1a5b0c6f7d")
    assert route is None and known
    route, _, known = r.resolve("GET", "/api.xro/2.0/Nothing")
    assert route is None and not known
    assert r.resolve("POST", "/api.xro/2.0/Contacts/CUST-001")[0] is None
