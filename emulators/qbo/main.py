"""``python -m emulators.qbo`` / ``xero-gateway emulate qbo``: run the emulator until interrupted.

Exit status: 0 after a clean stop (SIGINT/SIGTERM), 2 on bad usage or settings (message on stderr).
"""

from __future__ import annotations

from emulators.common import serve

from .app import create_app
from .config import EmulatorConfig


def urls(base: str) -> dict[str, str]:
    """The JSON line for ``xero-gateway sources set 1004``: Intuit's endpoints on this emulator."""
    return {"authorize_url": f"{base}/connect/oauth2", "token_url": f"{base}/oauth2/v1/tokens/bearer",
            "revoke_url": f"{base}/v2/oauth2/tokens/revoke", "api_base": base}


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv``, start the emulator, print the JSON line, serve until SIGINT/SIGTERM.

    Args:
        argv: ``--port PORT [--seed DIR] [--host 127.0.0.1] [--config FILE]``.

    Returns:
        the process exit status.
    """
    return serve.main(argv, prog="emulators.qbo", description="QuickBooks Online v3 emulator",
                      seed_help="directory of Intuit-format JSON to load", config_cls=EmulatorConfig,
                      create_app=create_app, urls=urls)
