"""``python -m sage50_connector`` = the ``sage50-connector`` console script."""

from sage50_connector.cli import main

raise SystemExit(main())
