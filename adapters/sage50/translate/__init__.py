"""Pure translations: Sage 50 rows (as the replica holds them) → Xero models, and Xero elements → SDO payloads."""
