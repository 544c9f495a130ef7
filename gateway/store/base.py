"""The declarative base of the gateway's own tables (a leaf: table modules import it, nothing else)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base of the gateway's state tables."""
