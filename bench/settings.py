"""The gateway configuration file of a benchmark run (``serve --config``, merged over config/default.toml)."""

from __future__ import annotations

from pathlib import Path

#: Rate limits stay on (checked on every call, as in production) but are never reached.
RATE_LIMITS = """\
[rate_limits]
tenant_per_minute = 1000000000
tenant_per_day = 1000000000
tenant_concurrent = 100000
app_per_minute = 1000000000
"""


def write_config(path: Path, *, public_url: str | None = None, state_url: str | None = None,
                 ledger_url: str | None = None, answer_cache: bool = True) -> Path:
    """Write the run's config to ``path`` and return ``path``.

    Args:
        public_url: the token issuer's base (``[server] public_url``); processes that accept each other's tokens
            must share it (a token's ``iss`` is ``{public_url}/{code}``).
        state_url: the gateway's own database (``[database] url``), e.g. ``postgresql+asyncpg://…``.
        ledger_url: the native ledger's database (``[native] database_url``).
        answer_cache: ``False`` turns the answer cache off (``[answer_cache] enabled``), for the cold rows.
    """
    text = "# Written by bench/request_path.py.\n" + RATE_LIMITS
    if public_url:
        text += f'\n[server]\npublic_url = "{public_url}"\n'
    if state_url:
        text += f'\n[database]\nurl = "{state_url}"\n'
    if ledger_url:
        text += f'\n[native]\ndatabase_url = "{ledger_url}"\n'
    if not answer_cache:
        text += "\n[answer_cache]\nenabled = false\n"
    path.write_text(text, encoding="utf-8")
    return path
