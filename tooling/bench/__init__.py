"""Benchmarks: ``python -m tooling.bench`` (``make bench``) runs each module below."""
