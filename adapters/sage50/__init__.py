"""Sage 50 Accounts UK (code 1001): Xero's API over a gateway-side replica fed by the on-premise connector."""
