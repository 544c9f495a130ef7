"""Xero list semantics over the in-memory view: the native ledger's in-memory path, shared.

The replica holds a company's rows in the gateway's database and :class:`adapters.sage50.unit.Books` indexes them;
lists translate the candidate records and let :func:`select` apply ``where``, ``order``, paging and
``If-Modified-Since`` exactly as the native ledger's in-memory path does (its answers are tested equal to SQL's).
"""

from __future__ import annotations

from adapters.native.listing import Page, contains, select

__all__ = ["Page", "contains", "select"]
