"""The README stays true: its opening commands, command table and layout match the code."""

from __future__ import annotations

import re

from bot.commands import build_registry
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_run_and_test_commands() -> None:
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.S)
    assert README.index("```bash") < README.index("\n## ")
    run, test = blocks[0], blocks[1]
    assert run == "python -m pip install . && python -m bot run"
    assert "python -m pytest" in test
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci


def test_every_command_is_in_the_readme_table() -> None:
    documented = set(re.findall(r"^\| `/([a-z -]+?)(?: [<\[].*?)?` \|", README, re.M))
    assert documented == {c.name for c in build_registry()}


def test_layout_names_every_top_level_module() -> None:
    layout = README.split("### Layout", 1)[1].split("## Tests", 1)[0]
    for package in ("bot", "adapters", "store"):
        for path in sorted((REPO / package).rglob("*.py")):
            if path.name == "__init__.py" or "migrations" in path.parts:
                continue
            assert path.stem in layout, f"{path.relative_to(REPO)} missing from README layout"
