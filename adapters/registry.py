"""Source code → adapter class, as data; classes are imported lazily on first use (Libcloud's ``DRIVERS``).

Adding a source system means adding a package under ``adapters/`` and one line here; the front end is untouched.
"""

from __future__ import annotations

import importlib

from gateway.settings import SOURCE_CODES

from .base import SourceAdapter

#: code → "module:Class". Codes in ``gateway.settings.SOURCE_CODES`` that are absent here are known but not
#: available in this build.
ADAPTERS: dict[str, str] = {
    "1000": "adapters.native.adapter:NativeLedgerAdapter",
    "1001": "adapters.sage50.adapter:Sage50Adapter",
    "1004": "adapters.qbo.adapter:QboAdapter",
    "1009": "adapters.sage_accounting.adapter:SageAccountingAdapter",
}


class AdapterNotAvailable(LookupError):
    """The code is a known source code without an adapter in this build, or its module failed to import."""


def adapter_class(code: str) -> type[SourceAdapter]:
    """Import and return the adapter class for ``code``.

    Raises:
        KeyError: ``code`` is not a source code at all.
        AdapterNotAvailable: known code, no adapter registered or it cannot be imported.
    """
    if code not in SOURCE_CODES:
        raise KeyError(code)
    target = ADAPTERS.get(code)
    if target is None:
        raise AdapterNotAvailable(f"no adapter for source {code} ({SOURCE_CODES[code]}) is registered")
    module_name, _, class_name = target.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise AdapterNotAvailable(f"adapter {target} for source {code} cannot be loaded: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, SourceAdapter)):
        raise AdapterNotAvailable(f"{target} is not a SourceAdapter")
    return cls
