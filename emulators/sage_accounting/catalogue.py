"""The code tables of the emulator, loaded once from ``data/*.toml`` into typed objects.

- ``resources.toml``: the served resources (:class:`ResourceSpec`).
- ``reference.toml``: the enumerations served as read-only resources (ledger account types, tax rates …).
- ``chart_uk.toml``: the built-in UK chart, visibility per ledger-account type and default ledger accounts.

Each file says where its rows come from.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

OPERATIONS = frozenset({"list", "get", "create", "update", "delete", "release"})


@dataclass(frozen=True)
class ResourceSpec:
    """One served collection (a row of ``resources.toml``).

    Attributes:
        name: the URL collection name (``sales_invoices``).
        singular: the body wrapper (``sales_invoice``), empty for read-only resources.
        definition: the spec definition of a record.
        operations: the routed operations.
        handler: the key of the code that writes records.
        required: members the post definition requires inside the wrapper.
        filters: query parameter → record path it must equal.
        search: fields ``search`` matches.
        sort: attributes ``sort`` accepts.
        order: the default sort attribute.
        dated: ``from_date``/``to_date`` apply to ``date``.
        deleted: ``deleted_since`` applies.
    """

    name: str
    singular: str
    definition: str
    operations: frozenset[str]
    handler: str
    required: tuple[str, ...] = ()
    filters: dict[str, str] = field(default_factory=dict)
    search: tuple[str, ...] = ()
    sort: tuple[str, ...] = ()
    order: str = "created_at"
    dated: bool = False
    deleted: bool = False


@dataclass(frozen=True)
class Chart:
    """The built-in UK chart (``chart_uk.toml``)."""

    accounts: tuple[dict[str, Any], ...]
    visibility: dict[str, tuple[str, ...]]
    default_ledger_accounts: dict[str, int]
    bank_ledger_types: dict[str, str]


def _load(name: str) -> dict[str, Any]:
    text = resources.files("emulators.sage_accounting").joinpath(f"data/{name}").read_text("utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def resource_specs() -> dict[str, ResourceSpec]:
    """``resources.toml`` as ``{name: ResourceSpec}``.

    Raises:
        ValueError: an unknown operation name in the table.
    """
    out = {}
    for name, row in _load("resources.toml")["resources"].items():
        operations = frozenset(row["operations"])
        if not operations <= OPERATIONS:
            raise ValueError(f"resources.toml: {name}: unknown operations {sorted(operations - OPERATIONS)}")
        out[name] = ResourceSpec(
            name=name, singular=row.get("singular", ""), definition=row["definition"], operations=operations,
            handler=row["handler"], required=tuple(row.get("required", ())), filters=dict(row.get("filters", {})),
            search=tuple(row.get("search", ())), sort=tuple(row.get("sort", ())), order=row.get("order", "created_at"),
            dated=bool(row.get("dated")), deleted=bool(row.get("deleted")))
    return out


@lru_cache(maxsize=1)
def reference_rows() -> dict[str, tuple[dict[str, Any], ...]]:
    """``reference.toml`` as ``{collection: rows}``."""
    return {name: tuple(rows) for name, rows in _load("reference.toml").items()}


@lru_cache(maxsize=1)
def chart() -> Chart:
    """``chart_uk.toml``."""
    data = _load("chart_uk.toml")
    return Chart(accounts=tuple(data["accounts"]),
                 visibility={k: tuple(v) for k, v in data["visibility"].items()},
                 default_ledger_accounts=dict(data["default_ledger_accounts"]),
                 bank_ledger_types=dict(data["bank_ledger_types"]))
