"""Every command module registers itself here; importing the package builds the registry."""

from __future__ import annotations

import importlib
import pkgutil

from parley.core.registry import Registry

REGISTRY = Registry()
command = REGISTRY.command


def build_registry() -> Registry:
    """Import each module in this package so its commands register, and return the registry."""
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
    return REGISTRY
