"""The permissions of the consent page: each requested scope in words, and the scope that remains granted.

Rules (docs/consent.md):

- Only requested scopes can be granted: a scope the form names that the app did not request is ignored.
- ``openid``, ``profile`` and ``email`` stay granted when requested (shown ticked and disabled): they are the
  sign-in identity, whose claims Xero puts in the id_token and userinfo (xero-contract.md §1.5), which the gateway
  does not trim per claim; an app that does not need them does not request them.
- ``offline_access`` may be unticked: the token response then carries no refresh token
  (:mod:`gateway.identity.tokens`), and the app must send the user through consent again once the access token
  expires.
- Every API scope may be unticked: the granted ``scope`` (on the redirect, the code and every token) lacks it, and
  an Accounting API call that needs it answers 403 (:meth:`gateway.identity.scopes.ScopeTable.allows`).
- Nothing left to grant: the page asks again (approve with at least one permission, or deny).

The words come from ``mappings/scope_wording.toml`` (Xero's scope documentation, source in the file).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import mappings

from .scopes import scope_table

__all__ = ["FIXED_SCOPES", "Permission", "granted_scope", "permissions", "wording"]

#: Scopes that stay granted when requested (the sign-in identity; rule above).
FIXED_SCOPES = frozenset({"openid", "profile", "email"})


@dataclass(frozen=True)
class Permission:
    """One requested scope as the consent page shows it.

    Attributes:
        scope: the Xero scope (``accounting.transactions``).
        words: what it lets the app do (``View and manage your business transactions``).
        fixed: whether the user cannot untick it (:data:`FIXED_SCOPES`).
    """

    scope: str
    words: str
    fixed: bool


@cache
def wording() -> dict[str, str]:
    """Scope → words, from ``mappings/scope_wording.toml`` (once per process).

    Raises:
        ValueError: an entry is not a non-empty string, or a scope of ``mappings/scopes.toml`` has no words.
    """
    table = mappings.load("scope_wording").get("wording", {})
    if not isinstance(table, dict) or not all(isinstance(v, str) and v.strip() for v in table.values()):
        raise ValueError("mappings/scope_wording.toml: [wording] must map scopes to non-empty strings")
    missing = [s for s in scope_table().known if s not in table]
    if missing:
        raise ValueError(f"mappings/scope_wording.toml: no words for {missing}")
    return dict(table)


def permissions(requested: Iterable[str]) -> list[Permission]:
    """The requested scopes in request order, each with its words (its name when it has none: a scope the app
    may request is always known, mappings/scopes.toml)."""
    words = wording()
    return [Permission(scope=s, words=words.get(s, s), fixed=s in FIXED_SCOPES) for s in dict.fromkeys(requested)]


def granted_scope(requested: Iterable[str], ticked: Iterable[str]) -> str:
    """The scope that remains granted after the user's choice (rules in the module docstring).

    Args:
        requested: the scopes of the authorization request.
        ticked: the scopes the consent form submitted ticked (anything else is ignored).

    Returns:
        The granted scopes, space-separated, in request order; ``""`` when nothing remains.
    """
    chosen = set(ticked)
    return " ".join(s for s in dict.fromkeys(requested) if s in FIXED_SCOPES or s in chosen)
