"""sentence.involvement: the child and parents or carers involved in the initial assessment."""

from __future__ import annotations

CHECK = "sentence.involvement"
AS_OF = "2013-03-18"


def initial(case_id, child, carer, completed="2013-01-20", assessment_id=None):
    """A completed initial reoffending assessment with its involvement flags."""
    return {
        "assessment_id": assessment_id or f"{case_id}_A",
        "case_id": case_id,
        "kind": "reoffending",
        "stage": "initial",
        "completed_date": completed,
        "child_views_recorded": child,
        "parent_carer_involved": carer,
    }


def test_two_reason_codes(sqs_run_check):
    cases = ["BOTH", "NO_CHILD", "NO_CARER", "NEITHER", "BLANKS", "LATER_FIXED", "NONE"]
    report = sqs_run_check(
        CHECK,
        {
            "cases": [{"case_id": c, "start_date": "2013-01-07"} for c in cases],
            "assessments": [
                initial("BOTH", True, True),
                initial("NO_CHILD", False, True),
                initial("NO_CARER", True, False),
                initial("NEITHER", False, False),
                initial("BLANKS", None, None),
                initial("LATER_FIXED", False, True, "2013-01-20", "LATER_FIXED_1"),
                initial("LATER_FIXED", True, True, "2013-01-27", "LATER_FIXED_2"),
            ],
        },
        as_of=AS_OF,
    )
    assert report.status == "ran"
    assert report.relevant == set(cases) - {"NONE"}
    assert report.records() == {
        ("NO_CHILD", "child_not_involved", "NO_CHILD_A"),
        ("NO_CARER", "carer_not_involved", "NO_CARER_A"),
        ("NEITHER", "child_not_involved", "NEITHER_A"),
        ("NEITHER", "carer_not_involved", "NEITHER_A"),
        ("BLANKS", "child_not_involved", "BLANKS_A"),
        ("BLANKS", "carer_not_involved", "BLANKS_A"),
        ("LATER_FIXED", "child_not_involved", "LATER_FIXED_1"),
    }
    messages = {(f["case_id"], f["reason"]): f["message"] for f in report.findings}
    assert messages[("NEITHER", "child_not_involved")] == (
        "The initial assessment of the likelihood of reoffending completed on 20/01/2013 does "
        "not record the child's own views; ask the child and record them."
    )
    assert messages[("NEITHER", "carer_not_involved")] == (
        "The initial assessment of the likelihood of reoffending completed on 20/01/2013 did "
        "not involve the child's parents or carers; involve them."
    )


def test_scorecard_counts_cases_not_records(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [{"case_id": "C1", "start_date": "2013-01-07"}],
            "assessments": [initial("C1", False, False)],
        },
        as_of=AS_OF,
    )
    run = next(r for r in report.result.checks if r.check.id == CHECK)
    assert (run.relevant, run.flagged) == (1, 1)
