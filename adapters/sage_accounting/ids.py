"""Stable Xero GUIDs for Sage records, and the persisted reverse map (:mod:`adapters.common.ids` with Sage's names).

Sage ids are 32 hexadecimal characters, unique per business and resource (upstream-contracts.md §2); some
reference ids are readable codes (``GB_STANDARD``). Every Xero id the adapter hands out is
``uuid5(NAMESPACE, "{business_id}/{resource}/{sage_id}[/{part}]")`` (:func:`stable_guid`). ``part`` names a piece of a
record that Xero shows as an object of its own: a document line (``"line:{line id}"``), one allocated artefact of a
contact payment (a Xero Payment pays one document: ``"artefact:{artefact id}"``).

The reverse map is the table ``sage_ids`` (:data:`adapters.sage_accounting.tables.SAGE_IDS`); :meth:`IdStore.resolve`
answers :class:`SageRef` s.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.base import DatabaseHandle
from adapters.common import ids as common_ids
from adapters.common.ids import StableIds

from .tables import SAGE_ID_COLUMNS, SAGE_IDS

#: Namespace of the adapter's GUIDs (a fixed random UUID; changing it would change every id ever handed out).
NAMESPACE = uuid.UUID("9d2f4a61-7c3b-5e08-b1d4-6a8e0f2c7b95")


def stable_guid(business_id: str, resource: str, sage_id: str, part: str = "") -> str:
    """The lower-case hyphenated Xero GUID of the record ``sage_id`` of the Sage collection ``resource``
    (``sales_invoices``, ``contacts``…) in the business ``business_id``, or of a ``part`` of it (module docstring)."""
    return common_ids.stable_guid(NAMESPACE, business_id, resource, sage_id, part)


@dataclass(frozen=True)
class SageRef:
    """A Sage record (or part) behind a Xero GUID."""

    resource: str
    sage_id: str
    part: str = ""


class IdStore(StableIds):
    """The reverse map of the adapter's GUIDs (``sage_ids``).

    Args:
        db: the gateway's database.
    """

    def __init__(self, db: DatabaseHandle) -> None:
        super().__init__(db, table=SAGE_IDS, columns=SAGE_ID_COLUMNS, namespace=NAMESPACE)

    def make_ref(self, row: Mapping[str, Any]) -> SageRef:
        """One ``sage_ids`` row as a :class:`SageRef`."""
        return SageRef(row["resource"], row["sage_id"], row["part"])

    async def resolve(self, tenant_key: str, guid: str) -> tuple[SageRef, ...]:
        """The Sage records behind ``guid`` in the business ``tenant_key``; empty when never answered with.

        Args:
            guid: any GUID spelling (hyphens optional, any case).
        """
        return await super().resolve(tenant_key, guid)
