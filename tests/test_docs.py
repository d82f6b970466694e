"""The README stays in step with the command line and the set-up."""

import re

import click

from bot import paths
from bot.cli import cli

README = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "udvej") -> set[str]:
    found = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found |= {f"{prefix} {name} {sub}" for sub in command.commands}
        else:
            found.add(f"{prefix} {name}")
    return found


def test_every_command_is_documented():
    documented = set(re.findall(r"`(udvej [a-z]+(?: [a-z]+)?)", README))
    missing = {c for c in _commands(cli) if not any(d.startswith(c) for d in documented)}
    assert missing == set()


def test_every_documented_command_exists():
    commands = _commands(cli)
    for documented in re.findall(r"`(udvej [a-z]+(?: [a-z]+)?)", README):
        assert any(documented.startswith(c) or c.startswith(documented) for c in commands), documented


def test_ci_runs_the_readme_test_command():
    ci = (paths.PROJECT_ROOT / ".ci" / "run").read_text()
    assert "make test" in README and re.search(r"^make test$", ci, re.M)
    makefile = (paths.PROJECT_ROOT / "Makefile").read_text()
    assert re.search(r"^test: setup\n(\t.*\n)*\t\$\(BIN\)/python -m pytest$", makefile, re.M)
