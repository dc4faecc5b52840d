"""A confirmed profile is reusable: ``sqs-checks init --mapping`` keeps it and every run uses it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sqs_checks.cli import _add_plugin_commands, cli
from sqs_checks.workspace import MAPPING_TEMPLATE, read_config

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "local-export"


def _invoke(*args: str):
    """The real command line, with the plugin commands (``init`` comes from sqs_nightly)."""
    _add_plugin_commands(cli, list(args))
    return CliRunner().invoke(cli, list(args))


def _findings(folder: Path) -> list[tuple]:
    data = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    return sorted((f["check_id"], f["case_id"], f["reason"]) for f in data["findings"])


def test_init_keeps_a_confirmed_profile_and_runs_use_it(tmp_path):
    profile = tmp_path / "my-profile.yml"
    assert _invoke("map", str(EXAMPLE), "-o", str(profile)).exit_code == 0
    ws = tmp_path / "ws"
    made = _invoke("init", str(ws), "--mapping", str(profile), "--export", str(EXAMPLE))
    assert made.exit_code == 0, made.output
    assert "left open" not in made.output
    assert (ws / "mapping.yml").read_text(encoding="utf-8") == profile.read_text(encoding="utf-8")
    config = read_config(ws / "sqs-checks.toml")
    assert config["export"]["mapping"] == "mapping.yml"
    assert Path(config["export"]["path"]) == EXAMPLE.resolve()

    in_workspace = _invoke(
        "run", "--config", str(ws / "sqs-checks.toml"), "--as-of", "2013-03-18", "--format", "json"
    )
    assert in_workspace.exit_code == 0, in_workspace.output
    direct = _invoke(
        "run",
        str(EXAMPLE),
        "--mapping",
        str(profile),
        "--as-of",
        "2013-03-18",
        "-o",
        str(tmp_path / "direct"),
    )
    assert direct.exit_code == 0, direct.output
    assert _findings(ws / "reports") == _findings(tmp_path / "direct")
    assert _findings(ws / "reports")


def test_init_picks_up_a_profile_already_in_the_folder(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "mapping.yml").write_text("name: local\ntables:\n  cases:\n    source: Case List\n")
    assert _invoke("init", str(ws)).exit_code == 0
    assert read_config(ws / "sqs-checks.toml")["export"]["mapping"] == "mapping.yml"
    assert "Case List" in (ws / "mapping.yml").read_text(encoding="utf-8")


def test_init_without_a_profile_keeps_the_template_unused(tmp_path):
    ws = tmp_path / "ws"
    assert _invoke("init", str(ws)).exit_code == 0
    assert (ws / "mapping.yml").read_text(encoding="utf-8") == MAPPING_TEMPLATE
    assert read_config(ws / "sqs-checks.toml")["export"]["mapping"] == ""


def test_init_does_not_replace_another_profile_unless_forced(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "mapping.yml").write_text("name: theirs\ntables: {}\n")
    mine = tmp_path / "mine.yml"
    mine.write_text("name: mine\ntables:\n  cases:\n    source: Case List\n")
    refused = _invoke("init", str(ws), "--mapping", str(mine))
    assert refused.exit_code == 2 and "already holds another profile" in refused.output
    forced = _invoke("init", str(ws), "--mapping", str(mine), "--force")
    assert forced.exit_code == 0, forced.output
    assert "name: mine" in (ws / "mapping.yml").read_text(encoding="utf-8")


def test_init_says_when_the_profile_still_has_open_items(tmp_path):
    profile = tmp_path / "p.yml"
    profile.write_text(
        "name: p\ntables:\n  cases:\n    source: Case List\n"
        "    columns:\n      # open: header 'Sentence' could be disposal_type or sentence_date\n"
    )
    made = _invoke("init", str(tmp_path / "ws"), "--mapping", str(profile))
    assert made.exit_code == 0
    assert "still has 1 item that `sqs-checks map` left open" in made.output


def test_init_refuses_a_profile_that_is_not_valid(tmp_path):
    profile = tmp_path / "p.yml"
    profile.write_text("name: p\ntables:\n  caseload: {}\n")
    made = _invoke("init", str(tmp_path / "ws"), "--mapping", str(profile))
    assert made.exit_code == 2 and "unknown table 'caseload'" in made.output
    assert not (tmp_path / "ws" / "sqs-checks.toml").exists()
