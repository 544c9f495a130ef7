"""``python -m emulators.sage_accounting --port PORT [--seed DIR] [--host 127.0.0.1] [--config FILE]``."""

import sys

from .main import main

sys.exit(main(sys.argv[1:]))
