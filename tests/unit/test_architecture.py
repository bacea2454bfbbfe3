"""The layering rules: no platform library outside adapters/, no SQL outside store/, and a
one-line docstring at the top of every module."""

from __future__ import annotations

import ast
import re

from tests.conftest import REPO

PLATFORM_LIBRARIES = ("discord", "slack_bolt", "slack_sdk")
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b.+\b(FROM|INTO|SET)\b", re.S)


def modules(package: str) -> list[tuple[str, ast.Module]]:
    return [(str(p.relative_to(REPO)), ast.parse(p.read_text(encoding="utf-8")))
            for p in sorted((REPO / package).rglob("*.py"))]


def test_platform_libraries_only_in_adapters() -> None:
    for package in ("parley/core", "parley/store"):
        for path, tree in modules(package):
            for node in ast.walk(tree):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                         [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                for name in names:
                    assert not name.startswith(PLATFORM_LIBRARIES), f"{path} imports {name}"


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
