"""Rendering the console's templates (aiohttp-jinja2, autoescaped, on its own environment key so that it never
meets another part of the gateway's templates)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web

from .auth import CSRF, OPERATOR

TEMPLATES = Path(__file__).resolve().parent / "templates"
JINJA = web.AppKey("console_jinja", jinja2.Environment)

#: Navigation: (path, label).
NAV = (("/admin/apps", "Partner apps"), ("/admin/connections", "Connections"), ("/admin/sources", "Sources"),
       ("/admin/activity", "Activity"))


def _when(value: Any) -> str:
    """``2026-12-07 22:10 UTC`` for a datetime or ISO-8601 string; ``—`` for none."""
    if not value:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%Y-%m-%d %H:%M UTC")


def setup(app: web.Application) -> None:
    env = aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, app_key=JINJA)
    env.filters["when"] = _when
    env.globals["nav"] = NAV


def page(request: web.Request, template: str, context: dict[str, Any], *, status: int = 200) -> web.Response:
    """Render ``template`` with the operator, the CSRF token and the current path added to ``context``."""
    context = {"operator": request.get(OPERATOR), "csrf": request.get(CSRF, ""), "path": request.path, **context}
    return aiohttp_jinja2.render_template(template, request, context, status=status, app_key=JINJA)
