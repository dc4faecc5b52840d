"""Nightly schedules for a workspace: a crontab line or a systemd service + timer pair."""

from __future__ import annotations

import hashlib
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from sqs_checks.errors import UserError

LOG_NAME = "sqs-checks-nightly.log"
"""The log file (in the workspace) a cron run appends to."""


def executable() -> list[str]:
    """How to start sqs-checks from a scheduler: the console script beside this Python."""
    script = Path(sys.executable).parent / (
        "sqs-checks.exe" if sys.platform == "win32" else "sqs-checks"
    )
    if script.exists():
        return [str(script)]
    found = shutil.which("sqs-checks")
    return [found] if found else [sys.executable, "-m", "sqs_checks.cli"]


def run_command(config: Path) -> list[str]:
    """The scheduled command: a quiet run of the workspace that queues behind a running one."""
    return [*executable(), "run", "--config", str(config), "--quiet", "--wait"]


def unit_name(config: Path) -> str:
    """A unit/marker name unique to the workspace folder."""
    digest = hashlib.sha256(str(config.parent).encode()).hexdigest()[:8]
    return f"sqs-checks-{config.parent.name or 'workspace'}-{digest}"


def cron_line(config: Path, hour: int, minute: int) -> str:
    """A crontab line running the workspace every day at ``hour:minute``."""
    workspace = config.parent
    command = " ".join(shlex.quote(part) for part in run_command(config))
    log = shlex.quote(str(workspace / LOG_NAME))
    return (
        f"{minute} {hour} * * * cd {shlex.quote(str(workspace))} && {command} >> {log} 2>&1"
        f"  # {unit_name(config)}"
    )


def systemd_units(config: Path, hour: int, minute: int) -> dict[str, str]:
    """A oneshot service and its daily timer, by file name."""
    name = unit_name(config)
    workspace = config.parent
    exec_start = " ".join(_systemd_quote(part) for part in run_command(config))
    service = (
        "[Unit]\n"
        f"Description=sqs-checks nightly run of {workspace}\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"WorkingDirectory={_systemd_quote(str(workspace))}\n"
        f"ExecStart={exec_start}\n"
        "# Exit 1 means findings at or above fail_on: the unit shows as failed on purpose.\n"
        "# SMTP and database passwords: put them in an EnvironmentFile, never in the settings.\n"
        f"# EnvironmentFile={workspace / 'sqs-checks.env'}\n"
    )
    timer = (
        "[Unit]\n"
        f"Description=Run sqs-checks for {workspace} every day at {hour:02d}:{minute:02d}\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* {hour:02d}:{minute:02d}:00\n"
        "Persistent=true\n"
        f"Unit={name}.service\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return {f"{name}.service": service, f"{name}.timer": timer}


def _systemd_quote(text: str) -> str:
    if text and all(c.isalnum() or c in "/._-:=+@" for c in text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def install_systemd(units: dict[str, str], unit_dir: str | Path | None = None) -> list[Path]:
    """Write the units into ``unit_dir`` (default the user's systemd folder)."""
    folder = Path(unit_dir) if unit_dir else Path.home() / ".config" / "systemd" / "user"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in units.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def install_cron(line: str, config: Path) -> None:
    """Add ``line`` to the user's crontab, replacing this workspace's earlier line."""
    crontab = shutil.which("crontab")
    if crontab is None:
        raise UserError(
            "The crontab command is not installed here; add this line with your scheduler "
            "instead, or use --systemd: " + line
        )
    current = subprocess.run([crontab, "-l"], capture_output=True, text=True, check=False)
    lines = current.stdout.splitlines() if current.returncode == 0 else []
    marker = f"# {unit_name(config)}"
    kept = [existing for existing in lines if not existing.rstrip().endswith(marker)]
    new = "\n".join([*kept, line]) + "\n"
    done = subprocess.run([crontab, "-"], input=new, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        reason = (done.stderr or "").strip().splitlines()
        raise UserError(
            f"crontab refused the new line ({reason[0] if reason else 'no reason given'}); "
            "add it by hand with `crontab -e`: " + line
        )
