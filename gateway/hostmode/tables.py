"""Host mode's one table: which browser consented to each authorisation issued on Xero's hostnames."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.store.base import Base
from gateway.store.models import UTCDateTime


class HostModeGrant(Base):
    """An authorisation issued through host mode and the browser that consented (a digest of its random cookie).

    The live authorisations of one app consented from one browser, in any source, are one Xero user's: a token of
    any of them sees and uses the connections of all (gateway/hostmode/links.py).
    """

    __tablename__ = "host_mode_grants"

    auth_event_id: Mapped[str] = mapped_column(ForeignKey("identity_auth_events.id"), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))
    browser_hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_host_mode_grants_browser", "browser_hash", "client_id"),)
