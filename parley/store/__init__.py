"""Persistence on SQLite through aiosqlite: the only package that contains SQL."""

from parley.store.db import Database, StoreError

__all__ = ["Database", "StoreError"]
