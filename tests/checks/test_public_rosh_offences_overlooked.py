"""public.rosh_offences_overlooked: a low risk of serious harm level despite serious offences."""

from __future__ import annotations

import pytest

CHECK = "public.rosh_offences_overlooked"
AS_OF = "2013-03-18"


def case(case_id: str, child: str | None = None, **extra):
    """An open case (child K-<case_id> unless told)."""
    row = {"case_id": case_id, "start_date": "2013-01-07", **extra}
    if child:
        row["child_id"] = child
    return row


def rosh(case_id, completed, level, assessment_id=None, stage="initial"):
    """A completed rosh assessment."""
    return {
        "assessment_id": assessment_id or f"{case_id}_{completed}",
        "case_id": case_id,
        "kind": "rosh",
        "stage": stage,
        "completed_date": completed,
        "level": level,
    }


def offence(child_id, date, category):
    """An offence of a child."""
    return {"child_id": child_id, "offence_date": date, "category": category}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from sqs_checks.testing import run_check

    cases = [
        case(c)
        for c in (
            "LOW",
            "MEDIUM",
            "AFTER",
            "SAME_DAY",
            "THEFT",
            "LATEST",
            "UNLEVELLED",
            "NO_ROSH",
            "SIBLING",
        )
    ]
    cases.append(case("OLD", child="K-SIBLING", start_date="2011-01-03", end_date="2011-12-30"))
    assessments = [
        rosh("LOW", "2013-01-20", "low", "LOW_R"),
        rosh("MEDIUM", "2013-01-20", "medium"),
        rosh("AFTER", "2013-01-20", "low"),
        rosh("SAME_DAY", "2013-01-20", "low"),
        rosh("THEFT", "2013-01-20", "low"),
        # the latest level is LOW (given 10/02), after an earlier HIGH
        rosh("LATEST", "2013-01-10", "high"),
        rosh("LATEST", "2013-02-10", "low", "LATEST_R"),
        rosh("LATEST", "2013-03-01", None, stage="review"),
        rosh("UNLEVELLED", "2013-01-20", None),
        rosh("SIBLING", "2013-01-20", "low", "SIBLING_R"),
        {
            "case_id": "NO_ROSH",
            "kind": "reoffending",
            "stage": "initial",
            "completed_date": "2013-01-20",
            "level": "low",
        },
    ]
    offences = [
        offence("K-LOW", "2012-05-01", "violence"),
        offence("K-LOW", "2012-09-01", "robbery"),
        offence("K-LOW", "2012-10-01", "theft"),
        offence("K-MEDIUM", "2012-05-01", "violence"),
        offence("K-AFTER", "2013-01-21", "weapons"),
        offence("K-SAME_DAY", "2013-01-20", "sexual"),
        offence("K-THEFT", "2012-05-01", "theft"),
        offence("K-LATEST", "2013-01-05", "arson"),
        offence("K-UNLEVELLED", "2012-05-01", "violence"),
        offence("K-NO_ROSH", "2012-05-01", "violence"),
        offence("K-SIBLING", "2011-02-01", "weapons"),
    ]
    return run_check(
        CHECK,
        {"cases": cases, "assessments": assessments, "offences": offences},
        as_of=AS_OF,
        folder=tmp_path_factory.mktemp("roo"),
    )


def test_relevant_with_a_level_and_an_earlier_serious_offence(report):
    assert report.status == "ran"
    assert report.relevant == {"LOW", "MEDIUM", "LATEST", "SIBLING"}


def test_low_level_despite_serious_offences_fails(report):
    assert report.records() == {
        ("LOW", "offences_overlooked", "LOW_R"),
        ("LATEST", "offences_overlooked", "LATEST_R"),
        ("SIBLING", "offences_overlooked", "SIBLING_R"),
    }
    finding = next(f for f in report.findings if f["case_id"] == "LOW")
    assert finding["message"] == (
        "Risk of serious harm assessed LOW on 20/01/2013 although the child had 2 earlier "
        "offences of robbery, violence (the latest on 01/09/2012); review the level with that "
        "history in mind."
    )


def test_offences_dated_on_or_after_the_assessment_do_not_count(report):
    assert "AFTER" not in report.relevant
    assert "SAME_DAY" not in report.relevant


def test_other_categories_and_missing_levels_do_not_count(report):
    assert "THEFT" not in report.relevant
    assert "UNLEVELLED" not in report.relevant
    assert "NO_ROSH" not in report.relevant


def test_categories_parameter(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "assessments": [rosh("C1", "2013-01-20", "low")],
            "offences": [offence("K-C1", "2012-05-01", "theft")],
        },
        as_of=AS_OF,
        params={"categories": ["theft", "burglary"]},
    )
    assert report.reasons() == {("C1", "offences_overlooked")}


def test_skipped_without_offences(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {"cases": [case("C1")], "assessments": [rosh("C1", "2013-01-20", "low")]},
        as_of=AS_OF,
    )
    assert report.status == "skipped" and report.reason == "the export has no offences table"
