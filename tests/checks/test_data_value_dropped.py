"""data.value_dropped: a case whose value could not be read never looks silent (SPEC v2)."""

from __future__ import annotations

from sqs_checks.testing import run_check, run_export

CHECK = "data.value_dropped"
AS_OF = "2013-03-18"


def test_one_finding_per_row_with_its_columns_and_raw_values(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [
                {"case_id": "C1", "start_date": "2013-01-07", "mappa_level": "4"},
                {"case_id": "C2", "start_date": "2013-01-07", "mappa_level": "2"},
            ],
            "assessments": [
                {
                    "case_id": "C2",
                    "kind": "rosh",
                    "stage": "initial",
                    "completed_date": "2013-01-20",
                    "level": "Hgh",
                    "signed_off_date": "31/02/2013",
                },
                {
                    "case_id": "C2",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": "2013-01-20",
                    "level": "low",
                },
            ],
        },
        as_of=AS_OF,
    )
    assert report.status == "ran"
    assert report.relevant == {"C1", "C2"}
    found = {(f["case_id"], f["record_table"], f["record_id"]) for f in report.findings}
    assert found == {("C1", "cases", "2"), ("C2", "assessments", "2")}
    two = next(f for f in report.findings if f["case_id"] == "C2")
    assert two["evidence"]["columns"] == ["level", "signed_off_date"]
    assert two["evidence"]["values"] == ["Hgh", "31/02/2013"]
    assert two["evidence"]["column"] == "level" and two["evidence"]["value"] == "Hgh"
    assert 'the level "Hgh" and the signed_off_date "31/02/2013"' in two["message"]
    assert two["severity"] == "low"


def test_rows_of_other_tables_reach_their_case(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [
                {"case_id": "C1", "start_date": "2013-01-07"},
                {"case_id": "C2", "start_date": "2013-01-07"},
                {"case_id": "C3", "start_date": "2013-01-07"},
            ],
            "plans": [
                {
                    "case_id": "C1",
                    "kind": "risk_management",
                    "created_date": "2013-01-20",
                    "has_contingency": "dunno",
                }
            ],
            "events": [
                {
                    "case_id": "C2",
                    "event_date": "2013-02-01",
                    "kind": "arrest",
                    "significant": "perhaps",
                }
            ],
            "court_reports": [
                {"case_id": "C3", "court_date": "2013-02-30", "rosh_addressed": "yes"}
            ],
            "staff": [{"name": "Mo", "role": "practice_manager", "team": "North"}],
        },
        as_of=AS_OF,
    )
    assert {(f["case_id"], f["record_table"], f["record_id"]) for f in report.findings} == {
        ("C1", "plans", "2"),
        ("C2", "events", "2"),
        ("C3", "court_reports", "2"),
    }


def test_plugin_columns_of_plan_reviews_and_offences_reach_the_case_through_plan_and_child(
    tmp_path,
):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "extra.py").write_text(
        "from typing import Optional\n"
        "import pandera.polars as pa\n"
        "import polars as pl\n"
        "from sqs_checks.contract import TableContract\n"
        "from sqs_checks.hookspecs import hookimpl\n\n\n"
        "class Reviews(pa.DataFrameModel):\n"
        "    review_id: str\n"
        "    attended: Optional[pl.Boolean] = pa.Field(nullable=True)\n\n\n"
        "class Offences(pa.DataFrameModel):\n"
        "    offence_id: str\n"
        "    gravity: Optional[pl.Int64] = pa.Field(nullable=True)\n\n\n"
        "@hookimpl\n"
        "def sqs_checks_tables():\n"
        "    return [TableContract('plan_reviews', Reviews), TableContract('offences', Offences)]\n"
    )
    report = run_check(
        CHECK,
        {
            "cases": [
                {"case_id": "C1", "child_id": "K1", "start_date": "2013-01-07"},
                {"case_id": "C2", "child_id": "K1", "start_date": "2012-06-07"},
                {"case_id": "C3", "child_id": "K3", "start_date": "2013-01-07"},
            ],
            "plans": [{"case_id": "C3", "kind": "intervention", "created_date": "2013-01-20"}],
            "plan_reviews": [{"plan_id": "P1", "review_date": "2013-02-20", "attended": "?"}],
            "offences": [
                {
                    "child_id": "K1",
                    "offence_date": "2012-05-01",
                    "category": "theft",
                    "gravity": "x",
                }
            ],
        },
        as_of=AS_OF,
        plugins_dirs=[folder],
    )
    assert {(f["case_id"], f["record_table"]) for f in report.findings} == {
        ("C1", "offences"),
        ("C2", "offences"),
        ("C3", "plan_reviews"),
    }


def test_offences_reach_every_case_of_the_child_and_out_of_scope_cases_are_not_flagged(
    sqs_run_check,
):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [
                {"case_id": "C1", "child_id": "K1", "start_date": "2013-01-07"},
                {"case_id": "C2", "child_id": "K1", "start_date": "2012-01-07"},
                {
                    "case_id": "CLOSED",
                    "child_id": "K1",
                    "start_date": "2012-01-07",
                    "end_date": "2012-06-01",
                },
            ],
            "offences": [
                {"child_id": "K1", "offence_date": "2099-05-01", "category": "theft"},
            ],
        },
        as_of=AS_OF,
    )
    # offence_date is required: a date after today excludes the row (record_excluded)
    assert report.findings == []
    excluded = run_check(
        "data.record_excluded",
        {
            "cases": [
                {"case_id": "C1", "child_id": "K1", "start_date": "2013-01-07"},
                {"case_id": "C2", "child_id": "K1", "start_date": "2012-01-07"},
            ],
            "offences": [{"child_id": "K1", "offence_date": "2099-05-01", "category": "theft"}],
        },
        as_of=AS_OF,
    )
    assert excluded.flagged == {"C1", "C2"}


def test_plan_review_author_cannot_be_bad_but_a_review_plan_id_orphan_is_excluded(tmp_path):
    """Text never fails to parse: only typed optional columns drop values."""
    from sqs_checks.testing import make_export

    export = make_export(
        tmp_path,
        {
            "cases": [{"case_id": "C1", "start_date": "2013-01-07"}],
            "plans": [
                {
                    "case_id": "C1",
                    "kind": "risk_management",
                    "created_date": "2013-01-20",
                    "has_contingency": "dunno",
                }
            ],
            "plan_reviews": [
                {"plan_id": "P1", "review_date": "2013-02-20", "author": "=cmd"},
                {"plan_id": "P9", "review_date": "2013-02-20"},
            ],
        },
    )
    result = run_export(export, as_of=AS_OF)
    actions = {(p["table"], p["row"], p["action"]) for p in result.input_problems()}
    assert actions == {("plans", 2, "value_dropped"), ("plan_reviews", 3, "row_excluded")}
    findings = {(f["check_id"], f["record_table"], f["record_id"]) for f in result.findings()}
    assert ("data.value_dropped", "plans", "2") in findings
    # a review of a plan that does not exist belongs to no known case: listed, not a finding
    assert not any(f[0] == "data.record_excluded" for f in findings)


def test_the_data_area_is_counted_never_scored(tmp_path):
    from sqs_checks.testing import make_export

    export = make_export(
        tmp_path,
        {
            "cases": [
                {"case_id": "C1", "start_date": "2013-01-07", "mappa_level": "9"},
                {"case_id": "C2", "start_date": "2013-01-07", "disposal_type": "yro"},
                {"case_id": "C3", "start_date": "2013-01-07"},
            ],
            "assessments": [{"case_id": "C3", "kind": "rosh", "stage": "x"}],
        },
    )
    result = run_export(export, as_of=AS_OF)
    card = result.scorecard()
    assert "data" not in {a["area"] for a in card["areas"]}
    data = {c["id"]: c for c in card["data"]["checks"]}
    assert data["data.value_dropped"]["percent"] is None
    assert data["data.value_dropped"]["met"] is None
    assert data["data.value_dropped"]["scored"] is False
    assert data["data.record_excluded"]["flagged"] == 1
    assert card["data"]["cases"] == 2
    assert card["data"]["text"] == "2 cases have records that could not be checked"
    for group in (*card["teams"], *card["case_managers"]):
        assert not any(c["id"].startswith("data.") for c in group["checks"])
    # the case-level totals leave the data checks out: C1 is flagged only by a data check
    manager = card["case_managers"][0]
    assert (
        manager["flagged"]
        == result.con.execute(
            "SELECT count(DISTINCT case_id) FROM findings WHERE check_id NOT LIKE 'data.%'"
        ).fetchone()[0]
    )
