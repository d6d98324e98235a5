"""The docs match the code: every command has help and a README entry."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from followup_gen.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group = main, prefix: str = ""):
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")


ALL = list(commands())


def test_there_are_commands():
    assert {"check", "due", "report", "build", "publish", "audit", "init"} <= {n for n, _ in ALL}


def test_every_command_module_is_listed_for_lazy_loading():
    """A command missing from cli.COMMANDS would vanish from the CLI."""
    import importlib
    import pkgutil

    from followup_gen import cli

    for module in pkgutil.iter_modules(cli.__path__):
        importlib.import_module(f"followup_gen.cli.{module.name}")
    assert set(main.commands) == {"check", *cli.COMMANDS}
    assert all(name in main.commands for name in cli.COMMANDS)


@pytest.mark.parametrize("name, command", ALL, ids=[n for n, _ in ALL])
def test_every_command_has_help(name, command):
    assert command.help and len(command.help.strip()) > 20, name
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: main {name}") or f" {name}" in result.output


@pytest.mark.parametrize(
    "name", [n for n, c in ALL if not isinstance(c, click.Group)], ids=lambda n: n
)
def test_every_command_is_in_the_readme(name):
    assert f"followup-gen {name}" in README, f"README.md does not mention 'followup-gen {name}'"


def test_readme_links_point_at_real_files():
    for target in re.findall(r"\]\(((?:docs|\.)[^)#]*)\)", README):
        assert (ROOT / target).exists(), target


def test_readme_quick_start_has_the_two_commands():
    assert "pip install -e . && mkdocs serve" in README
    assert "pip install -e '.[test]' && pytest" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -e '.[test]' && pytest" in ci and "ruff check" in ci
