"""The load test: ``python -m tooling.loadtest``."""
