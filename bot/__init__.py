"""Parley's platform-neutral core: models, command registry, commands, ingestion and analysis."""

__version__ = "0.1.0"
