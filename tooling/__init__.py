"""Tooling around the product: benchmarks, the load test, demo and bulk data."""
