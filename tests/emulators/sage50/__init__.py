"""Tests of the Sage 50 stand-in (emulators/sage50): schema, posting rules, faults, demo, seed, command line."""
