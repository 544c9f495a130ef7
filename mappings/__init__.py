"""Declarative code tables (TOML), read at start-up; consumers validate them into typed objects.

Data only: no expressions, no control flow. Behaviour lives in the modules that load these tables.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

MAPPINGS_DIR = Path(__file__).resolve().parent


@cache
def load(name: str) -> dict[str, Any]:
    """Parse ``mappings/{name}.toml``. Raises ``FileNotFoundError`` or ``tomllib.TOMLDecodeError``."""
    return tomllib.loads((MAPPINGS_DIR / f"{name}.toml").read_text(encoding="utf-8"))
