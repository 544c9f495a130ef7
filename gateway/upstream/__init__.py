"""Upstream OAuth: the gateway as an OAuth 2.0 client of the source systems whose users sign in there (QBO 1004,
Sage Business Cloud Accounting 1009; any source whose adapter declares ``sign_in = "upstream"``).

Pieces, one job each:

- :mod:`.defaults`: per-source defaults as data (``mappings/upstream_sources.toml``: endpoints, scopes, client
  authentication, refresh margin).
- :mod:`.registry`: the operator's developer app per source (``xero-gateway sources set|list``; secret sealed).
  A source is *configured* when it has a registration and an adapter; otherwise the source pool answers 503 naming
  ``xero-gateway sources set CODE``.
- :mod:`.oauth`: Authlib's ``AsyncOAuth2Client`` glue (authorize URL, code exchange, refresh).
- :mod:`.pending`: partner requests waiting for the upstream consent (single use, 15 minutes).
- :mod:`.consent`: completing a consent (code exchange → adapter's tenants and user → stored authorization).
- :mod:`.tokens`: :class:`~.tokens.UpstreamTokens`, the sealed token store and the adapters' credentials provider
  (refresh ahead of expiry, once per authorization across coroutines and processes).
- :mod:`.throttling`: the source's last HTTP 429 per tenant (the console's "throttled" status).
- :mod:`.models`: the tables; :mod:`.errors`: the exception tree.

The flow (identity server, :mod:`gateway.identity.views_upstream`)::

    partner app ──► /{code}/identity/connect/authorize   validated by Authlib exactly as for code 1000
                    (client, exact redirect URI, PKCE S256, scopes, state); recorded as pending
               ◄── 302 to the source's authorize URL      client_id, redirect_uri={issuer}/callback, scope, state
    user consents at the source
    source ──► /{code}/callback?code=…&state=…[&realmId=…]
                    code exchanged (Authlib), tokens sealed, adapter.tenants_for_authorization(...) → tenants with
                    stable ids (uuid5 of code and upstream key), Xero connections created under a new
                    authorisation event
               ◄── 302 to the partner's redirect URI with the gateway's own code (or error=access_denied)
    partner app ──► /{code}/connect/token, /connections, /api.xro/2.0/… as with any Xero tenant

The adapter contract (normative, also in :mod:`adapters.base`): an upstream adapter needs three things per call —
its tenant key (QBO ``realmId``, Sage business id), a valid access token and the API base — and gets all three from
``await self.upstream_tokens.credentials(self.code, ctx.tenant_id)``. It MUST NOT cache or store upstream tokens
itself, and MUST let :class:`gateway.xero.errors.Unauthorized` (re-authorization needed) and
:class:`.errors.UpstreamUnavailable` propagate. After a 401 from the source it MAY call
``refresh(code, tenant_id, failed_token=…)`` once and retry once.
"""
