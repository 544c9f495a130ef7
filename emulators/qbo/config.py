"""The QBO emulator's settings: :class:`~emulators.common.config.BaseEmulatorConfig` with Intuit's values.

Every default is QBO's documented value (upstream-contracts.md §1 "Throttling", "OAuth 2.0"); tests shorten the
lifetimes to expire tokens, or move the emulator's clock (``POST /_emulator/clock``).
"""

from __future__ import annotations

from pydantic import Field

from emulators.common.config import BaseEmulatorConfig, FaultRule, OAuthClient, Positive

__all__ = ["DEFAULT_REALM_ID", "EmulatorConfig", "FaultRule", "OAuthClient"]

#: The default company (realm) id: a numeric string, as Intuit's are (upstream-contracts.md §1 "Entity shapes").
DEFAULT_REALM_ID = "9341452000000001"


class EmulatorConfig(BaseEmulatorConfig):
    """Settings of one QBO emulator instance (the common ones are documented on the base class).

    Attributes:
        realm_id: the default company; seeded data belongs to it and the authorize endpoint grants it.
        realms: further (empty) companies.
        access_token_lifetime: Intuit: 3600 (``expires_in``).
        refresh_token_lifetime: rolling; Intuit: 100 days (``x_refresh_token_expires_in``).
        refresh_token_hard_lifetime: seconds from the first grant (Intuit blog 2025-11: at most 5 years).
        refresh_grace_seconds: 0 by default: Intuit says always use the newest refresh token; the grace period of
            the real service is unconfirmed.
        authorization_code_lifetime: 600 (unconfirmed for Intuit; RFC 6749 §4.1.2 recommends ≤ 10 minutes).
        requests_per_minute: per realm (Intuit: 500, batch included).
        batch_requests_per_minute: per realm (Intuit: 40).
        concurrent_requests: per realm (Intuit: 10).
        max_batch_items: items in one batch request (Intuit: 30).
        max_attachment_bytes: largest uploaded file (Intuit: 100 MB, "Attach images and notes").
        timezone: the company's zone for ``MetaData`` times and ``time`` (the samples are US Pacific).
        seed_dir: a folder of Intuit-format JSON loaded at start (see :mod:`emulators.qbo.seed`).
        check_properties: refuse request properties the XSD does not know (Fault 2010; needs ``xmlschema``).
        xsd_dir: Intuit's XSD folder (default ``shared/contracts/qbo/xsd`` beside the repository).
    """

    realm_id: str = Field(default=DEFAULT_REALM_ID, pattern=r"^\d{1,20}$")
    realms: list[str] = Field(default_factory=list)
    access_token_lifetime: Positive = 3600
    refresh_token_lifetime: Positive = 100 * 86400
    refresh_token_hard_lifetime: Positive = 5 * 365 * 86400
    authorization_code_lifetime: Positive = 600
    requests_per_minute: Positive = 500
    batch_requests_per_minute: Positive = 40
    concurrent_requests: Positive = 10
    max_batch_items: Positive = 30
    max_attachment_bytes: Positive = 100 * 1024 * 1024
    timezone: str = "America/Los_Angeles"
    check_properties: bool = True
    xsd_dir: str | None = None

    def all_realms(self) -> list[str]:
        """The default realm first, then the others (duplicates dropped)."""
        return list(dict.fromkeys([self.realm_id, *self.realms]))
