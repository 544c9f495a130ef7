"""``python -m emulators.sage50 --data-dir DIR [--seed DIR] [--fault KIND[:COUNT[:OBJECT]]]... [--clear-faults]``."""

import sys

from .main import main

sys.exit(main(sys.argv[1:]))
