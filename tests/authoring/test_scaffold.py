"""sqs-checks new-check: the generated check and test pass, and fail once the rule breaks."""

from __future__ import annotations

import os
import subprocess
import sys

from click.testing import CliRunner

from sqs_checks.cli import cli


def _pytest(folder) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
        capture_output=True,
        text=True,
        cwd=folder.parent,
        env=env,
        timeout=300,
    )


def test_generated_checks_pass_then_fail_when_broken(tmp_path):
    plugins = tmp_path / "plugins"
    runner = CliRunner()
    for check_id, kind in (("sentence.stale_sql", "--sql"), ("reoffending.stale_py", "--python")):
        result = runner.invoke(cli, ["new-check", check_id, kind, "--dir", str(plugins)])
        assert result.exit_code == 0, result.output
    assert (plugins / "stale_sql.sql").exists() and (plugins / "stale_py.py").exists()
    listed = runner.invoke(cli, ["checks", "--plugins-dir", str(plugins)])
    assert "sentence.stale_sql" in listed.output and "reoffending.stale_py" in listed.output
    passed = _pytest(plugins / "tests")
    assert passed.returncode == 0, passed.stdout
    assert "6 passed" in passed.stdout
    sql = plugins / "stale_sql.sql"
    broken = sql.read_text().replace("completed_date < add_months", "completed_date > add_months")
    sql.write_text(broken)
    py = plugins / "stale_py.py"
    py.write_text(py.read_text().replace("if completed < cutoff", "if completed > cutoff"))
    failed = _pytest(plugins / "tests")
    assert failed.returncode == 1
    assert "4 failed, 2 passed" in failed.stdout


def test_bad_id_and_existing_files_are_one_sentence(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(cli, ["new-check", "Nowhere thing", "--sql", "--dir", str(tmp_path)])
    assert bad.exit_code == 2 and "must look like namespace.name" in bad.output
    area = runner.invoke(
        cli, ["new-check", "local.thing", "--sql", "--area", "nowhere", "--dir", str(tmp_path)]
    )
    assert area.exit_code == 2 and "There is no area 'nowhere'" in area.output
    first = runner.invoke(cli, ["new-check", "data.x", "--sql", "--dir", str(tmp_path)])
    assert first.exit_code == 0
    again = runner.invoke(cli, ["new-check", "data.x", "--sql", "--dir", str(tmp_path)])
    assert again.exit_code == 2 and "already exists" in again.output
    assert "Traceback" not in bad.output + again.output + area.output
    no_kind = runner.invoke(cli, ["new-check", "data.y", "--dir", str(tmp_path)])
    assert no_kind.exit_code == 2 and "--sql or --python" in no_kind.output


def test_the_readme_local_namespace_works(tmp_path):
    """`new-check local.my_rule --sql` (the README's own line): its own namespace, an area as
    metadata, a test that passes, and a run that lists it under that area."""
    from sqs_checks.testing import make_export, run_export

    plugins = tmp_path / "plugins"
    result = CliRunner().invoke(cli, ["new-check", "local.my_rule", "--sql", "--dir", str(plugins)])
    assert result.exit_code == 0, result.output
    assert "area: reoffending" in (plugins / "my_rule.sql").read_text(encoding="utf-8")
    passed = _pytest(plugins / "tests")
    assert passed.returncode == 0 and "3 passed" in passed.stdout, passed.stdout
    export = make_export(
        tmp_path / "export",
        {"cases": [{"case_id": "C1", "start_date": "2012-01-09"}], "assessments": []},
    )
    run = run_export(export, as_of="2013-03-18", plugins_dirs=[plugins], checks=["local.my_rule"])
    (check,) = [r for r in run.checks if r.check.id == "local.my_rule"]
    assert (check.status, check.check.area) == ("ran", "reoffending")
    python = CliRunner().invoke(
        cli,
        ["new-check", "leeds_yjs.py_rule", "--python", "--area", "sentence", "--dir", str(plugins)],
    )
    assert python.exit_code == 0, python.output
    assert 'area="sentence"' in (plugins / "py_rule.py").read_text(encoding="utf-8")
