"""Parley's platform-neutral core: models, command registry, commands, ingestion and analysis."""
