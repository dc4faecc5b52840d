"""Engine: scope, as-of views, skipped and failing checks, dependency order."""

from __future__ import annotations

import datetime as dt
import textwrap

from sqs_checks.testing import make_export, run_export

AS_OF = dt.date(2013, 3, 18)


def _cases():
    return [
        {"case_id": "OPEN", "start_date": "2013-01-07"},
        {"case_id": "CLOSED", "start_date": "2012-11-01", "end_date": "2013-03-01"},
        {"case_id": "ENDS_LATER", "start_date": "2012-11-01", "end_date": "2013-03-30"},
        {"case_id": "FUTURE", "start_date": "2013-03-20"},
        {
            "case_id": "SAMPLE_RO",
            "start_date": "2012-10-01",
            "disposal_type": "referral_order",
            "end_date": "2013-02-01",
        },
        {"case_id": "TOO_RECENT", "start_date": "2013-02-19", "disposal_type": "custody"},
        {"case_id": "EDGE_28", "start_date": "2013-02-18", "disposal_type": "custody"},
        {"case_id": "EDGE_6M", "start_date": "2012-09-18", "disposal_type": "community"},
        {"case_id": "TOO_OLD", "start_date": "2012-09-17", "disposal_type": "community"},
        {"case_id": "OOC", "start_date": "2013-01-07", "disposal_type": "out_of_court"},
    ]


def test_open_cases_scope(tmp_path):
    result = run_export(make_export(tmp_path, {"cases": _cases()}), as_of=AS_OF)
    scope = {r[0] for r in result.con.execute("SELECT case_id FROM scope_cases").fetchall()}
    # court disposals only by default (SPEC §4, v2): the open out-of-court case is counted
    assert scope == {"OPEN", "ENDS_LATER", "TOO_RECENT", "EDGE_28", "EDGE_6M", "TOO_OLD"}
    assert result.cases_in_scope == 6
    assert result.cases_out_of_scope_by_disposal == 1
    assert result.header()["run"]["cases_out_of_scope_by_disposal"] == 1


def test_a_suite_may_judge_out_of_court_and_other_disposals(tmp_path):
    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "all-disposals.yml").write_text(
        "extend: open-cases\n"
        "scope:\n  kind: open\n"
        "  disposals: [referral_order, community, custody, out_of_court, other]\n"
    )
    cases = [*_cases(), {"case_id": "OTHER", "start_date": "2013-01-07", "disposal_type": "other"}]
    result = run_export(
        make_export(tmp_path / "x", {"cases": cases}),
        as_of=AS_OF,
        suite=str(suites / "all-disposals.yml"),
    )
    scope = {r[0] for r in result.con.execute("SELECT case_id FROM scope_cases").fetchall()}
    assert {"OOC", "OTHER"} <= scope and result.cases_out_of_scope_by_disposal == 0


def test_inspection_sample_scope(tmp_path):
    result = run_export(make_export(tmp_path, {"cases": _cases()}), as_of=AS_OF, suite="sqs-2013")
    scope = {r[0] for r in result.con.execute("SELECT case_id FROM scope_cases").fetchall()}
    assert scope == {"SAMPLE_RO", "EDGE_28", "EDGE_6M", "CLOSED", "ENDS_LATER", "OPEN"}


def test_records_after_as_of_do_not_exist_yet(tmp_path):
    export = make_export(
        tmp_path,
        {
            "cases": [{"case_id": "C1", "start_date": "2013-01-07"}],
            "assessments": [
                {
                    "case_id": "C1",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": "2013-01-20",
                    "signed_off_by": "Mo Manager",
                    "signed_off_date": "2013-03-25",
                },
                {
                    "case_id": "C1",
                    "kind": "rosh",
                    "stage": "initial",
                    "completed_date": "2013-03-25",
                },
            ],
        },
    )
    result = run_export(export, as_of=AS_OF, checks=["oversight.sign_off"])
    con = result.con
    assert con.execute("SELECT count(*) FROM assessments").fetchone()[0] == 1
    assert con.execute("SELECT signed_off_by FROM assessments").fetchone()[0] is None
    assert {(f["reason"], f["record_id"]) for f in result.findings()} == {("missing", "A1")}
    # as of a later date the sign-off exists (it is late)
    later = run_export(export, as_of=dt.date(2013, 3, 26), checks=["oversight.sign_off"])
    assert ("late", "A1") in {(f["reason"], f["record_id"]) for f in later.findings()}


def test_missing_optional_table_or_column_is_skipped_with_reason(tmp_path):
    export = make_export(tmp_path, {"cases": [{"case_id": "C1", "start_date": "2013-01-07"}]})
    result = run_export(export, as_of=AS_OF)
    runs = {r.check.id: r for r in result.checks}
    assert runs["reoffending.initial_assessment"].status == "skipped"
    assert runs["reoffending.initial_assessment"].reason == "the export has no assessments table"
    assert runs["data.record_excluded"].status == "ran"


LOCAL = """
from sqs_checks.checks import Check, CheckOutput, Param, SqlCheck
from sqs_checks.hookspecs import hookimpl


class Boom(Check):
    def evaluate(self, ctx):
        raise RuntimeError("the local check fell over")


class Rows(Check):
    def evaluate(self, ctx):
        return CheckOutput(relevant=["C1"], findings=ctx.params["rows"])


@hookimpl
def sqs_checks_checks():
    return [
        Boom(id="local.boom", title="Boom", area="data", seed="-", severity="low"),
        Rows(id="local.no_case", title="No case", area="data", seed="-", severity="low",
             params=(Param("rows", [], "list[str]"),)),
        SqlCheck(id="local.unknown_case", title="Unknown", area="data", seed="-", severity="low",
                 relevant_sql="SELECT 'C1' AS case_id",
                 findings_sql="SELECT 'NOPE' AS case_id, 'x' AS reason"),
        SqlCheck(id="local.no_case_column", title="No column", area="data", seed="-",
                 severity="low", relevant_sql="SELECT 'C1' AS case_id",
                 findings_sql="SELECT 'x' AS reason"),
        SqlCheck(id="local.typed", title="Typed", area="data", seed="-", severity="low",
                 params=(Param("days", 5, "int"),),
                 relevant_sql="SELECT case_id FROM cases WHERE $days > 0",
                 findings_sql="SELECT case_id, 'slow' AS reason FROM cases WHERE $days > 100"),
        SqlCheck(id="local.after", title="After", area="data", seed="-", severity="low",
                 depends_on=("local.typed",),
                 relevant_sql="SELECT case_id FROM findings WHERE check_id = 'local.typed'",
                 findings_sql="SELECT case_id, 'seen' AS reason FROM findings "
                              "WHERE check_id = 'local.typed'"),
    ]
"""


def test_a_failing_plugin_check_is_an_error_and_the_rest_run(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "local_checks.py").write_text(textwrap.dedent(LOCAL))
    export = make_export(
        tmp_path / "export",
        {
            "cases": [{"case_id": "C1", "start_date": "2013-01-07"}],
            "assessments": [
                {
                    "case_id": "C1",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": "2013-03-01",
                }
            ],
        },
    )
    suite = tmp_path / "local.yml"
    suite.write_text("name: local\nextend: open-cases\nparameters:\n  local.typed: {days: 200}\n")
    result = run_export(export, as_of=AS_OF, plugins_dirs=[plugins], suite=str(suite))
    runs = {r.check.id: r for r in result.checks}
    assert runs["local.boom"].status == "error"
    assert runs["local.boom"].reason == "RuntimeError: the local check fell over"
    assert runs["local.unknown_case"].status == "error"
    assert "'NOPE', which is not in the export" in runs["local.unknown_case"].reason
    assert runs["local.no_case_column"].status == "error"
    assert runs["local.no_case_column"].reason == "its findings have no case_id column"
    assert runs["local.typed"].status == "ran" and runs["local.typed"].flagged == 1
    assert runs["local.after"].status == "ran" and runs["local.after"].flagged == 1
    assert runs["reoffending.initial_assessment"].status == "ran"
    assert runs["reoffending.initial_assessment"].flagged == 1
    assert not [f for f in result.findings() if f["check_id"] == "local.unknown_case"]


BAD_DEFAULT = """
from sqs_checks.checks import Param, SqlCheck
from sqs_checks.hookspecs import hookimpl


@hookimpl
def sqs_checks_checks():
    return [SqlCheck(id="local.bad_param", title="Bad", area="data", seed="-", severity="low",
                     params=(Param("days", "five", "int"),),
                     relevant_sql="SELECT case_id FROM cases",
                     findings_sql="SELECT case_id, 'x' AS reason FROM cases WHERE $days > 1")]
"""


def test_a_parameter_of_the_wrong_type_is_an_error_for_that_check(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "bad.py").write_text(BAD_DEFAULT)
    export = make_export(
        tmp_path / "export", {"cases": [{"case_id": "C1", "start_date": "2013-01-07"}]}
    )
    result = run_export(export, as_of=AS_OF, plugins_dirs=[plugins])
    run = next(r for r in result.checks if r.check.id == "local.bad_param")
    assert run.status == "error"
    assert run.reason == "the default of parameter days must be a whole number, not 'five'"


TWICE = """
from sqs_checks.checks import SqlCheck
from sqs_checks.hookspecs import hookimpl

FINDINGS = '''
SELECT case_id, 'x' AS reason, 'cases' AS record_table, case_id AS record_id,
       'b second' AS message, json_object('n', 2) AS evidence FROM cases
UNION ALL
SELECT case_id, 'x', 'cases', case_id, 'a first', json_object('n', 1) FROM cases
UNION ALL
SELECT case_id, 'y', NULL, NULL, 'no record, twice', NULL FROM cases
UNION ALL
SELECT case_id, 'y', NULL, NULL, 'no record, twice', NULL FROM cases
'''


@hookimpl
def sqs_checks_checks():
    return [
        SqlCheck(id="local.twice", title="Twice", area="data", seed="-", severity="low",
                 relevant_sql="SELECT case_id FROM cases", findings_sql=FINDINGS),
        SqlCheck(id="local.once", title="Once", area="data", seed="-", severity="low",
                 relevant_sql="SELECT case_id FROM cases",
                 findings_sql="SELECT case_id, 'z' AS reason FROM cases WHERE case_id = 'C1'"),
    ]
"""


def test_findings_with_one_key_are_stored_once_with_the_smallest_message(tmp_path):
    """Two answers for one (case, reason, record) keep one finding; a record-less key too."""
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "local_checks.py").write_text(textwrap.dedent(TWICE))
    export = make_export(
        tmp_path / "export",
        {
            "cases": [
                {"case_id": "C1", "start_date": "2013-01-07"},
                {"case_id": "C2", "start_date": "2013-01-08"},
            ]
        },
    )
    result = run_export(
        export, as_of=AS_OF, plugins_dirs=[plugins], checks=["local.twice", "local.once"]
    )
    runs = {r.check.id: r for r in result.checks}
    assert (runs["local.twice"].relevant, runs["local.twice"].flagged) == (2, 2)
    assert (runs["local.once"].relevant, runs["local.once"].flagged) == (2, 1)
    twice = [f for f in result.findings() if f["check_id"] == "local.twice"]
    assert [(f["case_id"], f["reason"], f["message"], f["evidence"]) for f in twice] == [
        ("C1", "x", "a first", {"n": 1}),
        ("C1", "y", "no record, twice", {}),
        ("C2", "x", "a first", {"n": 1}),
        ("C2", "y", "no record, twice", {}),
    ]


def test_a_small_export_is_checked_on_one_thread(tmp_path):
    """Its queries take milliseconds: one DuckDB thread, not one per core."""
    result = run_export(make_export(tmp_path, {"cases": _cases()}), as_of=AS_OF)
    assert result.con.execute("SELECT current_setting('threads')").fetchone()[0] == 1


def test_a_large_export_keeps_a_thread_per_core():
    from sqs_checks import engine

    con = engine.connect()
    default = con.execute("SELECT current_setting('threads')").fetchone()[0]
    assert engine.fit_threads(con, engine.SMALL_EXPORT_ROWS) == default
    assert engine.fit_threads(con, engine.SMALL_EXPORT_ROWS - 1) == 1
