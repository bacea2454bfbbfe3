"""The layering rules: no platform library outside adapters/, no SQL outside store/, the core
imports no adapter or CLI, adapters reach only the core's public surface, and every module
opens with a docstring."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from tests.conftest import REPO

PLATFORM_LIBRARIES = ("discord", "slack_bolt", "slack_sdk")
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b.+\b(FROM|INTO|SET)\b", re.S)


@cache  # the tests walk overlapping trees: each file is parsed once
def _parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def modules(package: str) -> list[tuple[str, ast.Module]]:
    return [(str(p.relative_to(REPO)), _parsed(p)) for p in sorted((REPO / package).rglob("*.py"))]


# What an adapter may import from the core: the contract and the request/reply surface. Feature
# packages (analysis, search, counterpoints, factcheck, digest, ingest, commands) stay behind it.
CORE_SURFACE = ("parley.core.models", "parley.core.registry", "parley.core.services",
                "parley.core.lru", "parley.core.platform", "parley.core.settings",
                "parley.core.text", "parley.core.inflight", "parley.core.completion",
                "parley.core.errors", "parley.core.log", "parley.core.onboarding")


def imported(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.append(node.module or "")
    return names


def test_platform_libraries_only_in_adapters() -> None:
    for package in ("parley/core", "parley/store", "parley/cli"):
        for path, tree in modules(package):
            for name in imported(tree):
                assert not name.startswith(PLATFORM_LIBRARIES), f"{path} imports {name}"


def test_the_core_imports_no_adapter_and_no_cli() -> None:
    for package in ("parley/core", "parley/store"):
        for path, tree in modules(package):
            for name in imported(tree):
                assert not name.startswith(("parley.adapters", "parley.cli")), \
                    f"{path} imports {name}"


def test_adapters_import_neither_the_store_nor_feature_internals() -> None:
    for path, tree in modules("parley/adapters"):
        for name in imported(tree):
            if name.startswith("parley.store") or name == "parley.core":
                raise AssertionError(f"{path} imports {name}")
            if name.startswith("parley.core."):
                assert name.startswith(CORE_SURFACE), f"{path} imports {name}"
            if name.startswith("parley.cli"):
                raise AssertionError(f"{path} imports {name}")


def test_sql_only_in_store() -> None:
    for package in ("parley/core", "parley/adapters", "parley/cli"):
        for path, tree in modules(package):
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    assert not SQL.search(node.value), f"{path} has SQL: {node.value[:60]}"


def test_every_module_opens_with_a_docstring() -> None:
    for package in ("parley", "bench"):
        for path, tree in modules(package):
            if path.endswith("__init__.py") and not tree.body:
                continue
            doc = ast.get_docstring(tree)
            assert doc and doc.strip(), f"{path} has no module docstring"
