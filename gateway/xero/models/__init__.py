"""Xero Accounting API objects as Pydantic models: the gateway's canonical model.

``core`` holds the base (:class:`XeroModel`, ``Money``/``MsDate``/``MsDateTime``, :func:`dump`) and the first
resources (Organisation, Account, TaxRate, Currency, Contact, Invoice, Payment). Further resources live in sibling
modules (``documents``, ``banking``, ``catalogue``, ``reports``…), imported from there directly.
"""

from .core import *  # noqa: F403
from .core import XeroModel, dump  # noqa: F401  (explicit for readers and type checkers)
