"""Reading the console's forms into the lifecycle functions' arguments (``ValueError`` with a message for the
operator on bad input; the page shows it)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from multidict import MultiDictProxy

from gateway.identity.apps import KINDS


def expiry(form: MultiDictProxy, field: str = "expires") -> datetime | None:
    """An ``<input type="date">`` value (``YYYY-MM-DD``, the end of that day UTC) or a full ISO-8601 time; empty:
    no expiry.

    Raises:
        ValueError: not a date or time.
    """
    raw = str(form.get(field, "") or "").strip()
    if not raw:
        return None
    try:
        if len(raw) == 10:
            return datetime.combine(datetime.fromisoformat(raw).date(), time(23, 59, 59), UTC)
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{raw!r} is not a date (YYYY-MM-DD)") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def new_app(form: MultiDictProxy) -> dict[str, Any]:
    """The keyword arguments of :func:`gateway.identity.apps.create_app` from the create form.

    Raises:
        ValueError: unknown kind or a bad expiry (the rest is checked by ``create_app``).
    """
    kind = str(form.get("kind", ""))
    if kind not in KINDS:
        raise ValueError("choose the kind of app")
    custom = kind == "custom_connection"
    return {
        "name": str(form.get("name", "")),
        "redirect_uris": [] if custom else [u for u in str(form.get("redirect_uris", "")).split() if u],
        "scopes": [str(s) for s in form.getall("scope", [])] or None,  # none ticked: every scope
        "public": kind == "public",
        "custom_connection": custom,
        "code": str(form.get("code", "")) or None if custom else None,
        "tenant_id": (str(form.get("tenant_id", "")).strip().lower() or None) if custom else None,
        "expires_at": expiry(form),
    }
