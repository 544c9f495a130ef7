"""Session-wide fixtures shared by every test package."""

from tests.xero_spec import xero_spec  # noqa: F401  (the Xero spec validator fixture, loaded once)
