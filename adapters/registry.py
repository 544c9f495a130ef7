"""Source code → adapter class, as data; classes are imported lazily on first use (Libcloud's ``DRIVERS``).

Adding a source system means adding a package under ``adapters/`` and one line here; the front end is untouched.
Whether a source signs users in locally or upstream is read from its class (``sign_in``), never listed:
:func:`gateway_sign_in_codes`, :func:`signs_in_upstream`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from aiohttp import web

from gateway.settings import SOURCE_CODES

from .base import SourceAdapter
from .common.fields import FieldMap

#: code → "module:Class". Codes in ``gateway.settings.SOURCE_CODES`` that are absent here are known but not
#: available in this build.
ADAPTERS: dict[str, str] = {
    "1000": "adapters.native.adapter:NativeLedgerAdapter",
    "1001": "adapters.sage50.adapter:Sage50Adapter",
    "1004": "adapters.qbo.adapter:QboAdapter",
    "1009": "adapters.sage_accounting.adapter:SageAccountingAdapter",
    "1010": "adapters.partner.adapter:PartnerLedgerAdapter",
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


def has_adapter(code: str) -> bool:
    """Whether an adapter is registered for ``code`` (without importing it)."""
    return code in ADAPTERS


def signs_in_upstream(code: str) -> bool:
    """Whether ``code``'s adapter delegates sign-in to the source's own OAuth consent (``sign_in == "upstream"``).

    Raises:
        KeyError: ``code`` is not a source code. AdapterNotAvailable: no adapter, or it cannot be imported.
    """
    return adapter_class(code).signs_in_upstream()


def gateway_sign_in_codes() -> frozenset[str]:
    """The source codes whose users sign in at the gateway itself: with a password (``sign_in == "local"``: the
    native ledger) or a pairing code (``"agent"``: Sage 50). They take no upstream developer app.

    Codes without a loadable adapter are not among them: an operator may register their upstream app ahead of the
    build that serves them.
    """
    out = set()
    for code in ADAPTERS:
        try:
            if adapter_class(code).sign_in != "upstream":
                out.add(code)
        except (KeyError, AdapterNotAvailable):
            continue
    return frozenset(out)


def web_extensions() -> list[Callable[[web.Application], None]]:
    """The ``setup(app)`` functions of the registered adapters' own HTTP surfaces (``web_extension``), in code
    order; adapters that cannot be imported are skipped (they serve nothing, as in :func:`gateway_sign_in_codes`)."""
    out = []
    for code in sorted(ADAPTERS):
        try:
            target = adapter_class(code).web_extension
        except (KeyError, AdapterNotAvailable):
            continue
        if target:
            module_name, _, function = target.partition(":")
            out.append(getattr(importlib.import_module(module_name), function))
    return out


#: The module of an adapter package that lists its field maps (``FIELD_MAPS``: Xero collection → FieldMap).
FIELD_MAPS_MODULE = "translate.fidelity"


def field_maps(code: str) -> dict[str, FieldMap]:
    """The field declarations of ``code``'s translators, per Xero collection (:mod:`adapters.common.fields`).

    Read from ``adapters.<source>.translate.fidelity.FIELD_MAPS`` of the registered adapter's package, imported on
    first use; an adapter package without that module declares nothing yet (``{}``).

    Raises:
        KeyError: ``code`` is not a source code. AdapterNotAvailable: no adapter registered for it.
    """
    if code not in SOURCE_CODES:
        raise KeyError(code)
    target = ADAPTERS.get(code)
    if target is None:
        raise AdapterNotAvailable(f"no adapter for source {code} ({SOURCE_CODES[code]}) is registered")
    package = target.partition(":")[0].rpartition(".")[0]
    try:
        module = importlib.import_module(f"{package}.{FIELD_MAPS_MODULE}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{package}.{FIELD_MAPS_MODULE}":
            raise
        return {}
    return dict(module.FIELD_MAPS)
