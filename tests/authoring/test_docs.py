"""Every hook and every command is documented in docs/*.md (the test fails otherwise)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import click

from sqs_checks import hookspecs

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _docs_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md")))


def _hooks() -> list[str]:
    return sorted(
        name
        for name, fn in vars(hookspecs).items()
        if name.startswith("sqs_checks_") and callable(fn) and hasattr(fn, "sqs_checks_spec")
    )


def _commands() -> list[str]:
    from sqs_checks.cli import cli
    from sqs_checks.plugins import get_plugin_manager

    group = click.Group("sqs-checks", commands=dict(cli.commands))
    get_plugin_manager(()).hook.sqs_checks_commands(cli=group)
    found: list[str] = []

    def walk(command: click.Command, path: list[str]) -> None:
        if path:
            found.append(" ".join(path))
        if isinstance(command, click.Group):
            for name, sub in sorted(command.commands.items()):
                if not sub.hidden:
                    walk(sub, [*path, name])

    walk(group, [])
    return found


def test_the_hooks_are_found():
    assert "sqs_checks_checks" in _hooks() and "sqs_checks_run_finished" in _hooks()


def test_every_hook_is_documented_with_its_signature():
    text = _docs_text()
    for name in _hooks():
        params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
        assert re.search(rf"^#+ .*`{name}`", text, re.M), f"docs have no heading for {name}"
        assert f"`{name}({params})`" in text, f"docs do not show the signature {name}({params})"


def test_every_command_is_documented():
    text = _docs_text()
    commands = _commands()
    assert {"run", "new-check", "map", "validate"} <= set(commands)
    missing = [c for c in commands if not re.search(rf"sqs-checks {re.escape(c)}\b", text)]
    assert not missing, f"commands not documented in docs/*.md: {', '.join(missing)}"
