"""gateway.xero.guids: the one GUID rule (braces, case, hyphens; no urn:uuid:)."""

import uuid

import pytest

from gateway.xero.guids import is_guid, normalise_guid, parse_guid

G = "0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a"


@pytest.mark.parametrize("spelling", [
    G,
    G.upper(),
    G.replace("-", ""),                       # pyxero
    G.replace("-", "").upper(),
    "{" + G + "}",                            # .NET Guid.ToString("B")
    "{" + G.upper().replace("-", "") + "}",
    "  " + G + "\t",
    uuid.UUID(G),
])
def test_accepted_spellings_normalise_to_xeros_form(spelling):
    assert normalise_guid(spelling) == G
    assert is_guid(spelling)
    assert parse_guid(spelling) == G


@pytest.mark.parametrize("value", [
    "urn:uuid:" + G,                          # uuid.UUID accepts it; the rule does not
    "{" + G,                                  # unpaired brace
    G + "}",
    "(" + G + ")",
    G[:8] + G[9:],                            # stray hyphens: some but not all four
    G[:-1],
    G[:-1] + "g",
    "",
    "   ",
    "INV-0001",
    None,
    42,
    True,
    1.5,
])
def test_rejected_values(value):
    assert normalise_guid(value) is None
    assert not is_guid(value)
    with pytest.raises(ValueError):
        parse_guid(value)


def test_router_guard_and_where_share_the_rule():
    """The where evaluator reads braces as a GUID and refuses urn:uuid:, as the path guard does."""
    from gateway.xero import query as xq

    assert xq.matches(xq.parse_where(f'ContactID == "{{{G.upper()}}}"'), {"ContactID": G})
    assert not xq.matches(xq.parse_where(f'ContactID == "urn:uuid:{G}"'), {"ContactID": G})
    with pytest.raises(xq.QueryParseException):
        xq.parse_where(f'ContactID == Guid("urn:uuid:{G}")')
