"""Xero's organisation "key actions" (``GET /Organisation/Actions``) of an upstream adapter, derived from what it
implements.

Table: ``mappings/xero_organisation_actions.toml`` (action name → the operationIds that perform it; names from the
spec's example response). An action is ``ALLOWED`` when the adapter implements every operation listed, else
``NOT-ALLOWED`` (spec ``components.schemas.Action.Status``), in table order: the native ledger's rule
(:func:`adapters.native.settings_writes.actions`, which the integrator may fold onto this module).
"""

from __future__ import annotations

from collections.abc import Callable

import mappings
from gateway.xero.models.catalogue import Action


def actions(supports: Callable[[str], bool]) -> list[Action]:
    """The key actions, each ``ALLOWED`` when ``supports(operationId)`` holds for all its operations."""
    table = mappings.load("xero_organisation_actions")["action"]
    return [Action(Name=name, Status="ALLOWED" if all(supports(op) for op in ops) else "NOT-ALLOWED")
            for name, ops in table.items()]
