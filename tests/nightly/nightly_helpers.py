"""Helpers for the nightly-operation tests (imported by the tests and conftest)."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

SHIM = '''"""Test shim: registers the sqs_nightly plugin (its entry point is not installed)."""
from sqs_nightly import (  # noqa: F401
    sqs_checks_commands,
    sqs_checks_run_finished,
    sqs_checks_tables,
)
'''


def nightly_installed() -> bool:
    """Whether the ``sqs_nightly`` entry point is installed (then no shim is needed)."""
    return any(ep.name == "sqs_nightly" for ep in entry_points(group="sqs_checks"))


def add_shim(folder: Path) -> None:
    """Make ``folder`` (a plugins dir) register sqs_nightly when the entry point is missing."""
    folder.mkdir(parents=True, exist_ok=True)
    if not nightly_installed():
        (folder / "nightly_shim.py").write_text(SHIM, encoding="utf-8")


def write_config(workspace: Path, **sections: dict[str, Any]) -> Path:
    """Write ``sqs-checks.toml`` in ``workspace`` from section dicts."""
    lines = []
    for section, values in sections.items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            if isinstance(value, bool):
                text = "true" if value else "false"
            elif isinstance(value, int):
                text = str(value)
            elif isinstance(value, list):
                text = "[" + ", ".join(f'"{v}"' for v in value) + "]"
            else:
                text = '"' + str(value).replace("\\", "\\\\") + '"'
            lines.append(f"{key} = {text}")
    path = workspace / "sqs-checks.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli(args: list[str], cwd: Path | None = None) -> Any:
    """Run the real ``sqs-checks`` command line in process (plugin commands included)."""
    import os

    from click.testing import CliRunner

    from sqs_checks.cli import _add_plugin_commands
    from sqs_checks.cli import cli as group
    from sqs_checks.plugins import get_plugin_manager

    _add_plugin_commands(group, args)
    if "history" not in group.commands:  # entry point not installed: register the plugin
        import sqs_nightly

        pm = get_plugin_manager(())
        if not pm.has_plugin("sqs_nightly"):
            pm.register(sqs_nightly, name="sqs_nightly")
        pm.hook.sqs_checks_commands(cli=group)
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(group, args, catch_exceptions=False)
    finally:
        os.chdir(old)
