"""sentence.diversity: diversity considered in the first initial reoffending assessment."""

from __future__ import annotations

CHECK = "sentence.diversity"
AS_OF = "2013-03-18"


def initial(case_id, completed, diversity, assessment_id=None, kind="reoffending", stage="initial"):
    """A completed assessment with its diversity flag."""
    return {
        "assessment_id": assessment_id or f"{case_id}_{completed}",
        "case_id": case_id,
        "kind": kind,
        "stage": stage,
        "completed_date": completed,
        "diversity_assessed": diversity,
    }


def test_first_initial_assessment_decides(sqs_run_check):
    cases = ["YES", "NO", "BLANK", "FIRST_NO", "FIRST_YES", "ROSH_ONLY", "REVIEW_ONLY", "DRAFT"]
    report = sqs_run_check(
        CHECK,
        {
            "cases": [{"case_id": c, "start_date": "2013-01-07"} for c in cases],
            "assessments": [
                initial("YES", "2013-01-20", True),
                initial("NO", "2013-01-20", False, "NO_A"),
                initial("BLANK", "2013-01-20", None, "BLANK_A"),
                initial("FIRST_NO", "2013-01-20", False, "FIRST_NO_1"),
                initial("FIRST_NO", "2013-01-25", True),
                initial("FIRST_YES", "2013-01-20", True),
                initial("FIRST_YES", "2013-01-25", False),
                initial("ROSH_ONLY", "2013-01-20", False, kind="rosh"),
                initial("REVIEW_ONLY", "2013-01-20", False, stage="review"),
                initial("DRAFT", None, False),
            ],
        },
        as_of=AS_OF,
    )
    assert report.status == "ran"
    assert report.relevant == {"YES", "NO", "BLANK", "FIRST_NO", "FIRST_YES"}
    assert report.records() == {
        ("NO", "not_assessed", "NO_A"),
        ("BLANK", "not_assessed", "BLANK_A"),
        ("FIRST_NO", "not_assessed", "FIRST_NO_1"),
    }
    messages = {f["case_id"]: f["message"] for f in report.findings}
    assert messages["NO"] == (
        "The initial assessment of the likelihood of reoffending completed on 20/01/2013 does "
        "not consider the child's diverse needs and barriers to engagement; add them."
    )
    assert "does not record whether" in messages["BLANK"]


def test_skipped_without_the_diversity_column(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [{"case_id": "C1", "start_date": "2013-01-07"}],
            "assessments": [
                {
                    "case_id": "C1",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": "2013-01-20",
                }
            ],
        },
        as_of=AS_OF,
    )
    assert report.status == "skipped"
    assert report.reason == "the assessments table has no diversity_assessed column"
