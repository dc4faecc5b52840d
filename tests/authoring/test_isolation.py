"""A broken local check is an error for that check, with a one-line reason; the rest run."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sqs_checks.cli import cli
from sqs_checks.testing import make_export, run_export

RAISES = """
from sqs_checks.checks import Check
from sqs_checks.hookspecs import hookimpl


class Boom(Check):
    def evaluate(self, ctx):
        raise RuntimeError("something broke\\nsecond line")


@hookimpl
def sqs_checks_checks():
    return [Boom(id="data.local_raises", title="Raises", area="data", seed="-",
                 severity="low")]
"""

NO_CASE_ID = "/*\nid: data.local_no_case\ntitle: No case id\n*/\nSELECT 'x' AS reason;\n"
UNKNOWN_CASE = (
    "/*\nid: data.local_unknown_case\ntitle: Unknown case\n*/\n"
    "SELECT 'NOPE' AS case_id, 'bad' AS reason;\n"
)
NULL_CASE = (
    "/*\nid: data.local_null_case\ntitle: Null case\n*/\n"
    "SELECT CAST(NULL AS VARCHAR) AS case_id, 'bad' AS reason;\n"
)
BAD_PARAM = (
    "/*\nid: data.local_bad_param\ntitle: Bad parameter\nparams:\n"
    "  due: {default: five, type: int}\n*/\n"
    "SELECT case_id FROM cases WHERE $due > 0;\n"
)
BAD_SQL = "/*\nid: data.local_bad_sql\ntitle: Bad SQL\n*/\nSELECT case_id FROM nowhere;\n"
GOOD = "/*\nid: data.local_good\ntitle: Good\n*/\nSELECT case_id FROM cases WHERE team IS NULL;\n"


def test_each_broken_check_errors_alone(tmp_path):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "raises.py").write_text(RAISES)
    for name, text in {
        "no_case.sql": NO_CASE_ID,
        "unknown_case.sql": UNKNOWN_CASE,
        "null_case.sql": NULL_CASE,
        "bad_param.sql": BAD_PARAM,
        "bad_sql.sql": BAD_SQL,
        "good.sql": GOOD,
    }.items():
        (folder / name).write_text(text)
    export = make_export(
        tmp_path / "export",
        {
            "cases": [{"case_id": "C1", "start_date": "2013-01-07", "team": ""}],
            "assessments": [],
        },
    )
    result = run_export(export, as_of="2013-03-18", plugins_dirs=[folder])
    runs = {r.check.id: r for r in result.checks}
    expected = {
        "data.local_raises": "RuntimeError: something broke",
        "data.local_no_case": "its findings query returns no case_id column",
        "data.local_unknown_case": "it returned case id 'NOPE', which is not in the export",
        "data.local_null_case": "it returned a finding or relevant case with no case_id",
        "data.local_bad_param": "bad_param.sql: the default of parameter due must be a whole",
        "data.local_bad_sql": "its SQL failed:",
    }
    for check_id, reason in expected.items():
        run = runs[check_id]
        assert run.status == "error", check_id
        assert run.reason.startswith(reason), (check_id, run.reason)
        assert "\n" not in run.reason
    assert runs["data.local_good"].status == "ran"
    assert runs["data.local_good"].flagged == 1
    assert runs["reoffending.initial_assessment"].status == "ran"
    assert {f["check_id"] for f in result.findings()} >= {"data.local_good"}
    assert not any(f["check_id"] in expected for f in result.findings())


def test_suite_parameter_of_wrong_type_is_one_sentence(tmp_path):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "good.sql").write_text(
        "/*\nid: data.local_due\ntitle: Due\nparams: {due: 5}\n*/\n"
        "SELECT case_id FROM cases WHERE $due < 0;\n"
    )
    suite = tmp_path / "local.yml"
    suite.write_text("name: local\nparameters:\n  data.local_due: {due: soon}\n")
    export = make_export(
        tmp_path / "export", {"cases": [{"case_id": "C1", "start_date": "2013-01-07"}]}
    )
    result = CliRunner().invoke(
        cli,
        [
            "run",
            str(export),
            "--suite",
            str(suite),
            "--plugins-dir",
            str(folder),
            "-o",
            str(tmp_path / "out"),
            "-q",
        ],
    )
    assert result.exit_code == 2
    assert "due must be a whole number, not 'soon'" in result.output
    assert "Traceback" not in result.output and Path(tmp_path / "out").exists() is False
