"""Accounting API front end (gateway.api): routing, parsing, rendering, against a fake adapter."""
