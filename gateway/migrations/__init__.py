"""Schema migrations (Alembic) of every database the gateway owns.

- :mod:`.trees`: the trees as data, one per database (``gateway``: the gateway's own database with the adapters'
  tables kept in it; ``ledger``: the native ledger's), each with its script directory and version table;
- :mod:`.runner`: :func:`~.runner.upgrade` at start-up and from ``xero-gateway db upgrade``, and
  :func:`~.runner.revisions` for ``xero-gateway db current`` and ``/readyz``;
- :mod:`.environment`: the Alembic environment every tree's ``env.py`` runs (also for autogenerate);
- ``<tree>/versions/``: the revisions; the first is the baseline, the schema of the release before migrations.

Adding a revision: docs/migrations.md.
"""
