"""Parley's benchmarks and offline training scripts; run with ``python -m bench``."""
