"""The README and docs stay true: the opening commands, command table, layout and settings."""

from __future__ import annotations

import re

from parley.core.commands import build_registry
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = REPO / "docs"


def doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_readme_opens_with_the_run_and_test_commands() -> None:
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.S)
    assert README.index("```bash") < README.index("\n## ")
    run, test = blocks[0], blocks[1]
    assert run == "python -m pip install . && python -m parley run"
    assert "python -m pytest" in test
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci


def test_the_readme_is_a_front_door_linking_every_docs_page() -> None:
    assert len(README.splitlines()) <= 150
    for page in sorted(DOCS.glob("*.md")):
        assert f"(docs/{page.name})" in README, f"README does not link docs/{page.name}"


def test_every_command_is_in_the_commands_table() -> None:
    documented = set(re.findall(r"^\| `/([a-z -]+?)(?: [<\[].*?)?` \|", doc("commands.md"),
                                re.M))
    assert documented == {c.name for c in build_registry()}


def test_layout_names_every_module() -> None:
    layout = doc("architecture.md").split("## Layout", 1)[1]
    for package in ("parley",):
        for path in sorted((REPO / package).rglob("*.py")):
            if path.name == "__init__.py" or "migrations" in path.parts:
                continue
            assert path.stem in layout, f"{path.relative_to(REPO)} missing from README layout"


def test_every_setting_is_documented_and_in_env_example() -> None:
    from parley.core.settings import Settings

    example = (REPO / ".env.example").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`{name.upper()}`" in doc("configuration.md"), f"{name.upper()} undocumented"
        assert f"# {name.upper()}=" in example, f"{name.upper()} missing from .env.example"


def test_the_hardening_report_names_tests_that_exist() -> None:
    report = doc("hardening.md")
    named, module = 0, None  # "…::test" means the module named last
    for row in report.splitlines():
        for ref in re.findall(r"`((?:tests/[\w/]+\.py|…))(?:::(\w+))?`", row):
            path, test = ref
            module = path if path != "…" else module
            assert module is not None, row
            source = (REPO / module).read_text(encoding="utf-8")
            if test:
                assert re.search(rf"def {test}\b", source), f"{module}::{test} does not exist"
                named += 1
    assert named >= 25
