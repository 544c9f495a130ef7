"""Tests of the native ledger adapter (source 1000), by area."""
