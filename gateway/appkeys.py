"""Typed application state (``web.AppKey``): the only way modules share process-wide objects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from .settings import Settings

if TYPE_CHECKING:
    from .sources import SourcePool
    from .store.db import Database

SETTINGS: web.AppKey[Settings] = web.AppKey("settings", Settings)
DB: web.AppKey[Database] = web.AppKey("db")  # type: ignore[arg-type]
SOURCES: web.AppKey[SourcePool] = web.AppKey("sources")  # type: ignore[arg-type]
