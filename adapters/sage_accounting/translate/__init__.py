"""Sage ↔ Xero translation, one module per area (pure functions over Sage JSON and Xero elements)."""
