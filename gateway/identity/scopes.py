"""Scope vocabulary and the scope check of the Accounting API guard, driven by ``mappings/scopes.toml``.

Rules (sources in the TOML file's header):

- An operation lists its broad scopes (``mappings/xero_operations.toml``, from the spec's ``security``); holding any
  one of them grants access.
- A read-write scope satisfies its ``.read`` twin (``accounting.transactions`` ⇒ ``accounting.transactions.read``).
- A granular scope (2026 vocabulary) stands for some broad scopes, but only on the resources it covers
  (``accounting.invoices`` ⇒ ``accounting.transactions`` on ``/Invoices…``, ``/CreditNotes…``…).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import mappings

#: Scopes that never reach an API: OpenID Connect and refresh.
IDENTITY_SCOPES = frozenset({"openid", "profile", "email", "offline_access"})


@dataclass(frozen=True)
class GranularRule:
    """Holding ``scope`` counts as holding one of ``broad`` on the matching spec paths.

    Attributes:
        scope: the granular scope (``accounting.invoices``).
        broad: broad scopes it stands for.
        resources: lower-case first path segments it covers (``invoices``).
        paths: lower-case spec path templates it covers exactly (``/reports/balancesheet``).
    """

    scope: str
    broad: frozenset[str]
    resources: frozenset[str]
    paths: frozenset[str]

    def covers(self, path: str) -> bool:
        """Whether the spec path template ``path`` (``/Invoices/{InvoiceID}``) is covered."""
        lowered = "/" + path.strip("/").lower()
        first = lowered.split("/")[1] if lowered != "/" else ""
        return first in self.resources or lowered in self.paths


@dataclass(frozen=True)
class ScopeTable:
    """The validated content of ``mappings/scopes.toml``."""

    identity: tuple[str, ...]
    broad: tuple[str, ...]
    granular: tuple[GranularRule, ...]

    @property
    def known(self) -> tuple[str, ...]:
        """Every scope an app may request, in a stable order (identity, broad, granular)."""
        seen: dict[str, None] = {}
        for scope in (*self.identity, *self.broad, *(r.scope for r in self.granular)):
            seen.setdefault(scope, None)
        return tuple(seen)

    @property
    def api_scopes(self) -> tuple[str, ...]:
        """Known scopes minus the identity ones (what a custom connection gets when its app lists none)."""
        return tuple(s for s in self.known if s not in IDENTITY_SCOPES)

    def unknown(self, scopes: Iterable[str]) -> list[str]:
        """The members of ``scopes`` that are not known scopes, in order."""
        known = set(self.known)
        return [s for s in scopes if s not in known]

    def expand(self, held: Iterable[str]) -> set[str]:
        """``held`` plus the ``.read`` twin of every read-write scope in it that has one."""
        known = set(self.known)
        out = set(held)
        out.update(f"{s}.read" for s in list(out) if f"{s}.read" in known)
        return out

    def allows(self, held: Iterable[str], required: Sequence[str], path: str) -> bool:
        """Whether a token holding ``held`` may call an operation.

        Args:
            held: the token's scopes (broad and/or granular).
            required: the operation's broad scopes; any one suffices (spec ``security``). Empty: no scope needed.
            path: the operation's spec path template (``/Invoices/{InvoiceID}``, ``/Reports/BalanceSheet``).

        Returns:
            ``True`` when a held scope, its read-write twin or a granular scope covering ``path`` satisfies one of
            ``required``.
        """
        if not required:
            return True
        have = self.expand(held)
        wanted = set(required)
        if have & wanted:
            return True
        return any(rule.scope in have and rule.broad & wanted and rule.covers(path) for rule in self.granular)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"mappings/scopes.toml: {where} must be a list of non-empty strings")
    return tuple(value)


@cache
def scope_table() -> ScopeTable:
    """Load and validate ``mappings/scopes.toml`` (once per process).

    Raises:
        ValueError: the table is malformed (a rule without ``broad``, a broad scope that is not declared…).
    """
    data = mappings.load("scopes")
    identity = _strings(data.get("identity", {}).get("scopes"), "[identity].scopes")
    broad = _strings(data.get("broad", {}).get("scopes"), "[broad].scopes")
    rules = []
    for i, raw in enumerate(data.get("granular", [])):
        where = f"[[granular]] #{i + 1}"
        scope = raw.get("scope")
        if not isinstance(scope, str) or not scope:
            raise ValueError(f"mappings/scopes.toml: {where} needs a scope")
        rule_broad = _strings(raw.get("broad"), f"{where}.broad")
        undeclared = [b for b in rule_broad if b not in broad]
        if undeclared:
            raise ValueError(f"mappings/scopes.toml: {where} names undeclared broad scopes {undeclared}")
        resources = _strings(raw.get("resources", []) or [], f"{where}.resources") if raw.get("resources") else ()
        paths = _strings(raw.get("paths", []) or [], f"{where}.paths") if raw.get("paths") else ()
        if not resources and not paths:
            raise ValueError(f"mappings/scopes.toml: {where} covers no resource or path")
        rules.append(GranularRule(
            scope=scope, broad=frozenset(rule_broad), resources=frozenset(r.lower() for r in resources),
            paths=frozenset("/" + p.strip("/").lower() for p in paths)))
    return ScopeTable(identity=identity, broad=broad, granular=tuple(rules))
