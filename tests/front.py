"""Requests as the front end builds them, for tests that call an adapter directly."""

from __future__ import annotations

from typing import Any

from gateway.api.operations import load_operations
from gateway.api.params import typed_parameters
from gateway.xero.request import XeroRequest


def xero_request(operation_id: str, *, params: dict[str, str] | None = None, **fields: Any) -> XeroRequest:
    """A :class:`XeroRequest` for ``operation_id`` with the raw query ``params`` (as sent) and their typed form
    (``parameters``, by the operation's spec types, as :mod:`gateway.api.params` types them; a bad value raises
    its ``ValidationException`` here, as the front end would answer it); other fields as given."""
    raw = {k: str(v) for k, v in (params or {}).items()}
    return XeroRequest(operation_id=operation_id, params=raw,
                       parameters=typed_parameters(raw, load_operations()[operation_id]), **fields)
