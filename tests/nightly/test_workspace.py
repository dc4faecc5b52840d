"""Workspaces: ``init``, reading ``sqs-checks.toml``, ``run`` with no arguments, ``schedule``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from nightly_helpers import add_shim, cli, write_config
from test_history import _export

from sqs_checks.errors import ConfigError
from sqs_checks.workspace import SCHEMA, read_config, settings_from_workspace, template


def test_init_creates_a_documented_workspace(tmp_path: Path) -> None:
    """init writes every key at its default, documented, plus the folders and a mapping template."""
    result = cli(["init", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    ws = tmp_path / "ws"
    for name in ("plugins", "suites", "exports"):
        assert (ws / name).is_dir()
    assert "tables:" in (ws / "mapping.yml").read_text(encoding="utf-8")
    text = (ws / "sqs-checks.toml").read_text(encoding="utf-8")
    config = read_config(ws / "sqs-checks.toml")
    for key in SCHEMA:
        assert config[key.section][key.name] == key.default
        assert f"\n{key.name} = " in text
    assert text == template()
    again = cli(["init", str(ws)])
    assert again.exit_code == 2 and "already exists" in again.output


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[run]\nsuit = 'x'\n", "unknown key run.suit; allowed keys in [run]: suite, formats"),
        ("[runs]\n", "unknown section [runs]; allowed sections: export, run, history, email"),
        (
            "[run]\nfail_on = 'severe'\n",
            "run.fail_on = 'severe' is not allowed; allowed values: off, low, medium, high",
        ),
        ("[run]\nregion = 'wales'\n", "allowed values: england-and-wales, scotland"),
        ("[email]\nport = 'twenty-five'\n", "email.port = 'twenty-five' is not allowed"),
        ("[email]\nstarttls = 'yes'\n", "allowed values: true, false"),
        ("[email]\npassword = 'x'\n", "never read from the settings file"),
        ("[run\n", "is not valid TOML"),
    ],
)
def test_bad_settings_name_key_file_and_allowed_values(
    tmp_path: Path, body: str, expected: str
) -> None:
    """Every bad key or value is one sentence naming the key, the file and the fix."""
    path = tmp_path / "sqs-checks.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_config(path)
    message = str(info.value)
    assert expected in message and str(path) in message and "\n" not in message


def test_bad_settings_stop_the_run_with_exit_2(tmp_path: Path) -> None:
    """``run --config`` with a bad file: exit 2, one sentence, no traceback."""
    path = tmp_path / "sqs-checks.toml"
    path.write_text("[export]\npath = 'x'\nreadr = 'csv'\n", encoding="utf-8")
    result = cli(["run", "--config", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith("Error:") and "export.readr" in result.output
    assert "Traceback" not in result.output
    missing = cli(["run", "--config", str(tmp_path / "nope.toml")])
    assert missing.exit_code == 2 and "sqs-checks init" in missing.output


def test_relative_paths_and_extras(tmp_path: Path) -> None:
    """Paths are relative to the file; extras carry history, email and the workspace."""
    (tmp_path / "plugins").mkdir()
    path = write_config(
        tmp_path,
        export={"path": "data", "reader": "csv"},
        run={"fail_on": "high", "formats": "json, html"},
        history={"url": "sqlite:///h/history.sqlite"},
    )
    values = settings_from_workspace(path, {})
    assert values["export"] == str((tmp_path / "data").resolve())
    assert values["reader"] == "csv" and values["fail_on"] == ["high"]
    assert values["formats"] == ["json", "html"]
    assert values["plugins_dirs"] == [str((tmp_path / "plugins").resolve())]
    assert values["history_url"] == f"sqlite:///{(tmp_path / 'h' / 'history.sqlite').resolve()}"
    assert values["email"]["enabled"] is False and values["workspace"] == str(tmp_path.resolve())
    empty = write_config(tmp_path, run={})
    with pytest.raises(ConfigError, match="export.path is empty"):
        settings_from_workspace(empty, {})
    assert settings_from_workspace(empty, {"export": "elsewhere"})["suite"] == "open-cases"


@pytest.mark.parametrize("history_url", ["sqlite"], indirect=True)
def test_run_with_no_arguments_in_a_workspace(workspace: Path) -> None:
    """Inside a workspace, ``sqs-checks run`` needs nothing else; fail_on comes from the file."""
    _export(workspace / "exports" / "latest")
    config = (workspace / "sqs-checks.toml").read_text(encoding="utf-8")
    (workspace / "sqs-checks.toml").write_text(
        config.replace("[run]\n", '[run]\nfail_on = "high"\n'), encoding="utf-8"
    )
    result = cli(["run", "--as-of", "2013-03-18", "-q"], cwd=workspace)
    assert result.exit_code == 1  # a high finding and fail_on = "high"
    report = json.loads((workspace / "reports" / "findings.json").read_text(encoding="utf-8"))
    assert report["run"]["as_of"] == "2013-03-18"
    elsewhere = cli(
        [
            "run",
            "--config",
            str(workspace / "sqs-checks.toml"),
            "--as-of",
            "2013-03-19",
            "-q",
            "--fail-on",
            "high",
        ],
        cwd=workspace.parent,
    )
    assert elsewhere.exit_code == 1
    runs = json.loads(cli(["history", "--format", "json"], cwd=workspace).output)
    assert [r["as_of"] for r in runs] == ["2013-03-19", "2013-03-18"]


def test_schedule_prints_cron_and_systemd(tmp_path: Path) -> None:
    """A crontab line and a service + timer pair, both running this workspace with --wait."""
    ws = tmp_path / "night ws"
    assert cli(["init", str(ws)]).exit_code == 0
    cron = cli(["schedule", "--at", "02:30"], cwd=ws)
    assert cron.exit_code == 0, cron.output
    line = cron.output.strip()
    assert line.startswith("30 2 * * * cd ")
    assert f"'{ws.resolve() / 'sqs-checks.toml'}'" in line and "run --config" in line
    assert "--quiet --wait" in line and "sqs-checks-nightly.log" in line

    units = tmp_path / "units"
    result = cli(
        ["schedule", "--at", "2:05", "--systemd", "--install", "--unit-dir", str(units)], cwd=ws
    )
    assert result.exit_code == 0, result.output
    service = next(units.glob("*.service")).read_text(encoding="utf-8")
    timer = next(units.glob("*.timer")).read_text(encoding="utf-8")
    assert "Type=oneshot" in service and "--wait" in service
    assert f'WorkingDirectory="{ws.resolve()}"' in service
    assert "OnCalendar=*-*-* 02:05:00" in timer and "Persistent=true" in timer
    assert "enable --now" in result.output
    analyze = shutil.which("systemd-analyze")
    if analyze:
        check = subprocess.run(
            [analyze, "verify", "--man=no", *units.glob("*.timer")],
            capture_output=True,
            text=True,
            cwd=units,
            check=False,
        )
        assert "error" not in (check.stdout + check.stderr).lower() or "Failed to" in (
            check.stderr
        ), check.stderr

    bad = cli(["schedule", "--at", "25:00"], cwd=ws)
    assert bad.exit_code == 2 and "HH:MM" in bad.output
    outside = cli(["schedule"], cwd=tmp_path)
    assert outside.exit_code == 2 and "No workspace here" in outside.output


@pytest.mark.skipif(
    shutil.which("crontab") is not None, reason="never touch a real crontab from a test"
)
def test_schedule_install_without_crontab(tmp_path: Path) -> None:
    """No crontab command: one sentence that still gives the line to add."""
    ws = tmp_path / "ws"
    assert cli(["init", str(ws)]).exit_code == 0
    add_shim(ws / "plugins")
    result = cli(["schedule", "--install"], cwd=ws)
    assert result.exit_code == 2
    assert "crontab command is not installed" in result.output and "0 2 * * *" in result.output
