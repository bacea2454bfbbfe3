"""Every command module declares its commands here; :func:`build_registry` collects them."""

from __future__ import annotations

import importlib
import pkgutil

from parley.core.registry import Registry, declare, declared

command = declare


def build_registry() -> Registry:
    """A new registry of every command declared in this package's modules, in module-name
    order and, within a module, in the order they are written."""
    registry = Registry()
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        for value in vars(loaded).values():
            if getattr(value, "__module__", None) == loaded.__name__:
                for cmd in declared(value):
                    registry.add(cmd)
    return registry
