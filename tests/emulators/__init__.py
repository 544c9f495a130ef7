"""Tests of the upstream stand-ins that live under emulators/ (one package per stand-in)."""
