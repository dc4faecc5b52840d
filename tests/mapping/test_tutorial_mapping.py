"""The tutorial's "Map your own export" walk works as written, on the example export."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from sqs_checks.cli import _add_plugin_commands, cli

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "tutorial.md"


def _section() -> str:
    text = TUTORIAL.read_text(encoding="utf-8")
    return text[text.index("## 6. Map your own export") :]


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", _section(), re.S)


def _invoke(command: str):
    args = command.split()[1:]
    _add_plugin_commands(cli, args)
    return CliRunner().invoke(cli, args)


def test_the_mapping_walk_runs_as_written(tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        shown: list[tuple[str, list[str]]] = []
        for block in _blocks("console"):
            lines = block.strip().splitlines()
            for i, line in enumerate(lines):
                if line.startswith("$ "):
                    output = [o for o in lines[i + 1 :] if not o.startswith("$ ")]
                    shown.append((line[2:], output))
        steps = ["sqs-checks map", "sqs-checks validate", "sqs-checks run", "sqs-checks init", "cd"]
        assert [
            c.split(" ")[0] if c.startswith("cd ") else " ".join(c.split()[:2]) for c, _ in shown
        ] == steps
        for command, output in shown:
            if command.startswith("cd "):
                folder, run = command[3:].split(" && ")
                os.chdir(tmp_path / folder)
                command = run
            result = _invoke(command)
            assert result.exit_code == 0, (command, result.output)
            for line in output:
                if line != "...":
                    assert line in result.output.splitlines(), (command, line, result.output)
        profile = (tmp_path / "my-profile.yml").read_text(encoding="utf-8").splitlines()
        for line in _blocks("yaml")[0].splitlines():
            if line.strip() != "...":
                assert line in profile, line
    finally:
        os.chdir(old)
