"""The gateway's own state (partner apps, grants, tokens, connections) on SQLAlchemy 2 async."""
