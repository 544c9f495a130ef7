"""Contract-accurate emulators of the upstream systems the gateway translates to (tests, benchmarks, demos)."""
