"""``python -m emulators.sage_accounting`` / ``xero-gateway emulate sage``: run the emulator until interrupted.

Exit status: 0 after a clean stop (SIGINT/SIGTERM), 2 on bad usage or settings (message on stderr).
"""

from __future__ import annotations

from emulators.common import serve

from .app import create_app
from .config import EmulatorConfig
from .oauth import AUTHORIZE_PATH, TOKEN_PATH


def urls(base: str) -> dict[str, str]:
    """The JSON line for ``xero-gateway sources set 1009``: Sage's endpoints on this emulator.

    ``authorize_url`` carries ``filter=apiv3.1`` as Sage's does; ``api_base`` ends in ``/v3.1`` like
    ``https://api.accounting.sage.com/v3.1``, so ``{api_base}/sales_invoices`` is a collection.
    """
    return {"authorize_url": f"{base}{AUTHORIZE_PATH}?filter=apiv3.1", "token_url": f"{base}{TOKEN_PATH}",
            "api_base": f"{base}/v3.1"}


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv``, start the emulator, print the JSON line, serve until SIGINT/SIGTERM.

    Args:
        argv: ``--port PORT [--seed DIR] [--host 127.0.0.1] [--config FILE]``.

    Returns:
        the process exit status.
    """
    return serve.main(argv, prog="emulators.sage_accounting",
                      description="Sage Business Cloud Accounting v3.1 emulator",
                      seed_help="directory of Sage-format JSON records to load", config_cls=EmulatorConfig,
                      create_app=create_app, urls=urls)
