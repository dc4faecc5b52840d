"""oversight.ineffective_sign_off: managers signing off work other checks found deficient."""

from __future__ import annotations

import pytest

CHECK = "oversight.ineffective_sign_off"
AS_OF = "2013-03-18"
TEXT = " ".join(f"word{i}" for i in range(30))


def assessment(
    assessment_id,
    case_id,
    kind,
    stage,
    completed,
    level,
    signed_by=None,
    signed_on=None,
    narrative=None,
):
    """A completed assessment."""
    return {
        "assessment_id": assessment_id,
        "case_id": case_id,
        "kind": kind,
        "stage": stage,
        "completed_date": completed,
        "level": level,
        "narrative": narrative,
        "signed_off_by": signed_by,
        "signed_off_date": signed_on,
    }


def plan(plan_id, case_id, kind, created, contingency, signed_by=None, signed_on=None):
    """A plan."""
    return {
        "plan_id": plan_id,
        "case_id": case_id,
        "kind": kind,
        "created_date": created,
        "has_contingency": contingency,
        "signed_off_by": signed_by,
        "signed_off_date": signed_on,
    }


CASES = [
    "COPY",
    "COPY_UNSIGNED",
    "COPY_NOT_DOCUMENT",
    "ROSH_UNCLEAR",
    "VULN_UNCLEAR",
    "RMP",
    "VMP_SIGNED_LATER",
    "GOOD",
    "NOTHING",
]


def tables():
    """One export with a scenario per case."""
    pat = {"signed_by": "Pat Manager", "signed_on": "2013-02-12"}
    return {
        "cases": [{"case_id": c, "start_date": "2013-01-07"} for c in CASES],
        "assessments": [
            assessment(
                "COPY_1", "COPY", "reoffending", "initial", "2013-01-10", "low", narrative=TEXT
            ),
            assessment(
                "COPY_2",
                "COPY",
                "reoffending",
                "review",
                "2013-02-10",
                "high",
                narrative=TEXT,
                **pat,
            ),
            assessment(
                "CU_1",
                "COPY_UNSIGNED",
                "reoffending",
                "initial",
                "2013-01-10",
                "low",
                narrative=TEXT,
            ),
            assessment(
                "CU_2",
                "COPY_UNSIGNED",
                "reoffending",
                "review",
                "2013-02-10",
                "high",
                narrative=TEXT,
            ),
            assessment(
                "CN_1",
                "COPY_NOT_DOCUMENT",
                "reoffending",
                "initial",
                "2013-01-10",
                "low",
                narrative=TEXT,
            ),
            assessment(
                "CN_2",
                "COPY_NOT_DOCUMENT",
                "reoffending",
                "review",
                "2013-02-10",
                "low",
                narrative=TEXT,
                **pat,
            ),
            assessment("RU_1", "ROSH_UNCLEAR", "rosh", "initial", "2013-01-20", None, **pat),
            assessment(
                "VU_1", "VULN_UNCLEAR", "vulnerability", "initial", "2013-01-20", None, **pat
            ),
            assessment("RMP_R", "RMP", "rosh", "initial", "2013-01-20", "high"),
            assessment(
                "VMP_V", "VMP_SIGNED_LATER", "vulnerability", "initial", "2013-01-20", "high"
            ),
            assessment("GOOD_1", "GOOD", "reoffending", "initial", "2013-01-20", "low", **pat),
        ],
        "plans": [
            plan("RMP_P", "RMP", "risk_management", "2013-01-25", False, **pat),
            plan(
                "VMP_P",
                "VMP_SIGNED_LATER",
                "vulnerability_management",
                "2013-01-25",
                False,
                "Pat Manager",
                "2013-03-20",
            ),
        ],
    }


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from sqs_checks.testing import run_check

    return run_check(CHECK, tables(), as_of=AS_OF, folder=tmp_path_factory.mktemp("iso"))


def test_relevant_when_a_document_needing_sign_off_is_signed(report):
    assert report.status == "ran"
    assert report.relevant == {"COPY", "ROSH_UNCLEAR", "VULN_UNCLEAR", "RMP", "GOOD"}


def test_signed_off_deficient_work_fails(report):
    assert report.records() == {
        ("COPY", "signed_off_deficient", "COPY_2"),
        ("ROSH_UNCLEAR", "signed_off_deficient", "RU_1"),
        ("VULN_UNCLEAR", "signed_off_deficient", "VU_1"),
        ("RMP", "signed_off_deficient", "RMP_P"),
    }


def test_evidence_names_the_other_check(report):
    checks = {f["case_id"]: f["evidence"]["check"] for f in report.findings}
    assert checks == {
        "COPY": "reoffending.copied_assessment",
        "ROSH_UNCLEAR": "public.rosh_assessment",
        "VULN_UNCLEAR": "child.vulnerability_assessment",
        "RMP": "public.risk_management_plan",
    }
    rmp = next(f for f in report.findings if f["case_id"] == "RMP")
    assert rmp["record_table"] == "plans"
    assert rmp["evidence"]["reasons"] == ["no_contingency"]
    assert rmp["message"] == (
        "Risk management plan completed on 25/01/2013 was signed off by Pat Manager on "
        "12/02/2013 although it records no contingency arrangements (see "
        "public.risk_management_plan); a manager should send it back for improvement rather "
        "than sign it off."
    )


def test_unsigned_or_not_yet_signed_documents_are_not_judged(report):
    assert "COPY_UNSIGNED" not in report.relevant
    assert "VMP_SIGNED_LATER" not in report.relevant  # signed after the as-of date
    assert "COPY_NOT_DOCUMENT" not in report.relevant  # a low-level review needs no sign-off


def test_uses_the_suites_sign_off_parameters(tmp_path):
    from sqs_checks.testing import make_export, run_export

    export = make_export(tmp_path / "e", tables())
    result = run_export(
        export,
        as_of=AS_OF,
        checks=[CHECK],
        params={"oversight.sign_off": {"plan_kinds": ["release"]}},
    )
    flagged = {f["case_id"] for f in result.findings() if f["check_id"] == CHECK}
    assert flagged == {"COPY", "ROSH_UNCLEAR", "VULN_UNCLEAR"}


def test_partial_when_some_checks_it_reads_cannot_run(sqs_run_check):
    # SPEC §5 (v2): without plans, the RMP and VMP checks are skipped, but copies and
    # unclear levels are still judged
    without_plans = {k: v for k, v in tables().items() if k != "plans"}
    report = sqs_run_check(CHECK, without_plans, as_of=AS_OF)
    assert report.status == "partial"
    assert "public.risk_management_plan (no_contingency) not judged" in report.reason
    assert "child.vulnerability_management_plan (no_contingency) not judged" in report.reason
    full = sqs_run_check(CHECK, tables(), as_of=AS_OF)
    kept = {
        (f["case_id"], f["reason"], f["record_id"])
        for f in full.findings
        if f["record_table"] != "plans"
    }
    assert report.records() == kept and len(kept) < len(full.findings)


def test_skipped_when_no_check_it_reads_ran(sqs_run_check):
    # no narrative (copies), no level (unclear levels), no plans (contingency): nothing to read
    bare = {
        "cases": [{"case_id": "C1", "start_date": "2013-01-07"}],
        "assessments": [
            {
                "case_id": "C1",
                "kind": "rosh",
                "stage": "initial",
                "completed_date": "2013-01-20",
                "signed_off_by": "Mo Manager",
            }
        ],
    }
    report = sqs_run_check(CHECK, bare, as_of=AS_OF)
    assert report.status == "skipped"
    assert "reoffending.copied_assessment" in report.reason
