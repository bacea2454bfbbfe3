"""Counterpoints: curated and community statements of the other side, ranked by bridging."""
