"""Due soon: the deadlines of the next N working days, by the checks' own rules.

The window runs from the as-of date (due today) to ``wd_add(as_of, N)``
inclusive. A deadline already met is not listed, nor one already missed (that
is a finding). Each test builds cases whose deadlines fall on the boundary days.
"""

from __future__ import annotations

import datetime as dt
import json

from sqs_checks.calendar import Calendar
from sqs_checks.due_soon import what_text, window_end, working_days_between
from sqs_checks.testing import make_export, run_export

AS_OF = dt.date(2013, 3, 18)  # a Monday
WITHIN = 3
CAL = Calendar(last_year=2020)
UNTIL = CAL.wd_add(AS_OF, WITHIN)  # Thursday 21/03/2013
NEXT = CAL.wd_add(AS_OF, WITHIN + 1)  # Friday 22/03/2013


def start_for(deadline: dt.date, due: int = 15) -> str:
    """The start date whose deadline ``wd_add(start, due)`` is ``deadline``."""
    return CAL.wd_sub(deadline, due).isoformat()


def listed(result, check_id: str) -> dict[str, dict]:
    """case id -> due-soon item of ``check_id``."""
    return {d["case_id"]: d for d in result.due_soon() if d["check_id"] == check_id}


def test_window_is_as_of_to_wd_add_inclusive():
    """The window ends on wd_add(as_of, N); working days are counted after the as-of date."""
    assert window_end(CAL, AS_OF, WITHIN) == UNTIL == dt.date(2013, 3, 21)
    assert working_days_between(CAL, AS_OF, AS_OF) == 0
    assert working_days_between(CAL, AS_OF, UNTIL) == WITHIN
    saturday = dt.date(2013, 3, 16)
    assert window_end(CAL, saturday, 0) == saturday  # never before the as-of date


def test_initial_assessment_boundaries(tmp_path):
    """Due today and on the last day are listed; the next working day, met and missed are not."""
    cases = [
        {"case_id": "TODAY", "start_date": start_for(AS_OF)},
        {"case_id": "LAST", "start_date": start_for(UNTIL)},
        {"case_id": "NEXT", "start_date": start_for(NEXT)},
        {"case_id": "MET", "start_date": start_for(UNTIL)},
        {"case_id": "MISSED", "start_date": start_for(CAL.wd_sub(AS_OF, 1))},
    ]
    assessments = [
        {
            "case_id": "MET",
            "kind": "reoffending",
            "stage": "initial",
            "completed_date": "2013-03-15",
        }
    ]
    export = make_export(tmp_path, {"cases": cases, "assessments": assessments})
    result = run_export(
        export, as_of=AS_OF, checks=["reoffending.initial_assessment"], due_within=WITHIN
    )
    items = listed(result, "reoffending.initial_assessment")
    assert set(items) == {"TODAY", "LAST"}
    assert items["TODAY"]["due_date"] == AS_OF and items["TODAY"]["working_days"] == 0
    assert items["LAST"]["due_date"] == UNTIL and items["LAST"]["working_days"] == WITHIN
    assert items["LAST"]["what"] == "Initial assessment of the likelihood of reoffending"
    assert items["LAST"]["case_manager"] == "Alex Smith"
    findings = {(f["case_id"], f["reason"]) for f in result.findings()}
    assert findings == {("MISSED", "missing")}  # due-soon items are never findings
    run = next(r for r in result.checks if r.check.id == "reoffending.initial_assessment")
    assert (run.relevant, run.flagged) == (2, 1)  # nor counted in the scorecard


def test_referral_order_deadline_uses_its_own_parameter(tmp_path):
    """due(case): a referral order's deadline is 20 working days, as the check computes it."""
    cases = [
        {"case_id": "RO", "start_date": start_for(UNTIL, 20), "disposal_type": "referral_order"},
        {"case_id": "RO15", "start_date": start_for(UNTIL, 15), "disposal_type": "referral_order"},
    ]
    export = make_export(tmp_path, {"cases": cases, "assessments": []})
    result = run_export(
        export, as_of=AS_OF, checks=["reoffending.initial_assessment"], due_within=WITHIN
    )
    assert set(listed(result, "reoffending.initial_assessment")) == {"RO"}


def test_review_boundaries(tmp_path):
    """A review falls due add_months(last, 3) after the last assessment; a later one meets it."""
    last_today = AS_OF.replace(month=12, year=2012)  # 18/12/2012 + 3 months = 18/03/2013
    cases = [{"case_id": c, "start_date": "2012-06-04"} for c in ("TODAY", "LAST", "NEXT", "MET")]
    assessments = [
        {"case_id": "TODAY", "kind": "rosh", "stage": "initial", "completed_date": last_today},
        {"case_id": "LAST", "kind": "rosh", "stage": "initial", "completed_date": "2012-12-21"},
        {"case_id": "NEXT", "kind": "rosh", "stage": "initial", "completed_date": "2012-12-22"},
        {"case_id": "MET", "kind": "rosh", "stage": "initial", "completed_date": "2012-12-20"},
        {"case_id": "MET", "kind": "rosh", "stage": "review", "completed_date": "2013-03-11"},
    ]
    export = make_export(tmp_path, {"cases": cases, "assessments": assessments})
    result = run_export(export, as_of=AS_OF, checks=["public.rosh_review"], due_within=WITHIN)
    items = listed(result, "public.rosh_review")
    assert set(items) == {"TODAY", "LAST"}
    assert items["LAST"]["due_date"] == UNTIL
    assert items["LAST"]["what"] == "Review of the risk of serious harm assessment"


def test_review_after_an_event_is_listed_until_it_is_done(tmp_path):
    """An event's review is due wd_add(event_date, after_event); a review in time meets it."""
    cases = [{"case_id": c, "start_date": "2013-01-07"} for c in ("OPEN", "DONE")]
    assessments = [
        {"case_id": c, "kind": "reoffending", "stage": "initial", "completed_date": "2013-01-14"}
        for c in ("OPEN", "DONE")
    ]
    assessments.append(
        {
            "case_id": "DONE",
            "kind": "reoffending",
            "stage": "review",
            "completed_date": "2013-03-15",
        }
    )
    event_day = CAL.wd_sub(UNTIL, 10)
    events = [
        {"case_id": c, "event_date": event_day.isoformat(), "kind": "arrest"}
        for c in ("OPEN", "DONE")
    ]
    export = make_export(tmp_path, {"cases": cases, "assessments": assessments, "events": events})
    result = run_export(
        export, as_of=AS_OF, checks=["reoffending.assessment_review"], due_within=WITHIN
    )
    items = [d for d in result.due_soon() if d["record_table"] == "events"]
    assert [(d["case_id"], d["due_date"]) for d in items] == [("OPEN", UNTIL)]
    assert items[0]["what"] == (
        "Review of the likelihood of reoffending assessment after the arrest on "
        f"{event_day:%d/%m/%Y}"
    )


def test_sign_off_release_plan_and_court_report(tmp_path):
    """Sign-offs, release plans (wd_sub) and reports for a court date, each at its boundary."""
    cases = [
        {"case_id": "SIGN", "start_date": "2013-01-07"},
        {
            "case_id": "REL",
            "start_date": "2013-01-07",
            "disposal_type": "custody",
            "release_date": CAL.wd_add(UNTIL, 10).isoformat(),
        },
        {
            "case_id": "RELNEXT",
            "start_date": "2013-01-07",
            "disposal_type": "custody",
            "release_date": CAL.wd_add(NEXT, 10).isoformat(),
        },
        {"case_id": "PSR", "start_date": "2013-01-07"},
        {"case_id": "PSRDONE", "start_date": "2013-01-07"},
    ]
    completed = CAL.wd_sub(UNTIL, 5).isoformat()
    assessments = [
        {
            "case_id": "SIGN",
            "assessment_id": "A1",
            "kind": "reoffending",
            "stage": "initial",
            "completed_date": completed,
        },
        {
            "case_id": "SIGN",
            "assessment_id": "A2",
            "kind": "rosh",
            "stage": "initial",
            "completed_date": completed,
            "signed_off_by": "Pat Manager",
            "signed_off_date": "2013-03-15",
        },
    ]
    court_reports = [
        {"case_id": "PSR", "court_date": UNTIL.isoformat()},
        {"case_id": "PSRDONE", "court_date": UNTIL.isoformat(), "submitted_date": "2013-03-15"},
    ]
    export = make_export(
        tmp_path,
        {
            "cases": cases,
            "assessments": assessments,
            "plans": [],
            "court_reports": court_reports,
        },
    )
    result = run_export(
        export,
        as_of=AS_OF,
        checks=["oversight.sign_off", "public.release_plan", "reoffending.court_report"],
        due_within=WITHIN,
    )
    items = {(d["check_id"], d["case_id"], d["record_id"]) for d in result.due_soon()}
    assert items == {
        ("oversight.sign_off", "SIGN", "A1"),
        ("public.release_plan", "REL", "REL"),
        ("reoffending.court_report", "PSR", "CR1"),
    }
    texts = {d["check_id"]: d["what"] for d in result.due_soon()}
    assert texts["oversight.sign_off"].startswith("Manager sign-off of assessment A1")
    assert texts["reoffending.court_report"] == (
        f"Pre-sentence report for the court date of {UNTIL:%d/%m/%Y}"
    )
    assert all(d["due_date"] == UNTIL for d in result.due_soon())


def test_filters_and_findings_json(tmp_path):
    """A filtered run lists its own cases' items only; findings.json carries them as due_soon."""
    cases = [
        {"case_id": "C1", "start_date": start_for(UNTIL), "case_manager": "Sam Lee"},
        {"case_id": "C2", "start_date": start_for(UNTIL), "case_manager": "Jo Bloggs"},
    ]
    export = make_export(tmp_path / "export", {"cases": cases, "assessments": []})
    result = run_export(
        export, as_of=AS_OF, checks=["reoffending.initial_assessment"], due_within=WITHIN
    )
    assert {d["case_id"] for d in result.due_soon()} == {"C1", "C2"}
    result.apply_filters(case_manager="sam lee")
    assert [d["case_id"] for d in result.due_soon()] == ["C1"]
    from sqs_checks.reporters.json_reporter import JsonReporter

    path = JsonReporter().write(result, tmp_path / "out", {})
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["run"]["due_within"] == WITHIN
    assert data["run"]["due_until"] == UNTIL.isoformat()
    (item,) = data["due_soon"]
    assert {k: item[k] for k in ("check_id", "case_id", "case_manager", "team", "due_date")} == {
        "check_id": "reoffending.initial_assessment",
        "case_id": "C1",
        "case_manager": "Sam Lee",
        "team": "North",
        "due_date": UNTIL.isoformat(),
    }
    assert item["what"] == "Initial assessment of the likelihood of reoffending"


def test_what_text_reads_evidence_as_words():
    """Dates read DD/MM/YYYY, codes as words, the record by its table and id."""
    text = what_text(
        "Review after the {event_kind} on {event_date} ({record}){missing}",
        {"event_kind": "change_of_address", "event_date": "2013-03-12"},
        "events",
        "E1",
    )
    assert text == "Review after the change of address on 12/03/2013 (event E1)"


def test_what_text_is_every_evidence_value_as_words_then_filled():
    """Reading only the evidence a template names gives the text that turning all of it
    into words and filling the template with ``string.Formatter`` gives."""
    import string

    from sqs_checks.due_soon import _Blank, _word

    def every_value(template, evidence, table, record):
        values = _Blank({str(k): _word(v) for k, v in evidence.items()})
        if record is not None:
            values["record"] = f"{table[:-1]} {record}"
        return " ".join(string.Formatter().vformat(template, (), values).split())

    evidence = {
        "deadline": "2013-03-21",
        "kind": "risk_management",
        "signed": True,
        "draft": False,
        "level": None,
        "days": 5,
        "codes": "a_b",
        "record": "from evidence",
        "not_a_date": "2013-02-30",
    }
    templates = [
        "Sign-off by {deadline} of the {kind} plan",
        "{signed}/{draft}/{level}/{days}/{absent}",
        "  {codes}\t{codes[0]} {kind:>20} {kind:{days}}  ",
        "{record} due {deadline} ({not_a_date})",
        "No fields at all",
        "{{literal}} {deadline}",
    ]
    for template in templates:
        for record in (None, "P7"):
            expected = every_value(template, evidence, "plans", record)
            assert what_text(template, evidence, "plans", record) == expected


WORKING = (
    "SELECT table_name FROM duckdb_tables() WHERE temporary AND "
    "(table_name LIKE '\\_t\\_%' ESCAPE '\\' OR table_name LIKE '\\_out\\_%' ESCAPE '\\')"
)


def test_no_working_table_outlives_its_check(tmp_path):
    """A run's due-soon evaluations leave nothing behind (the engine drops each check's
    tables), and a collector run over a finished result drops its own."""
    from sqs_checks.due_soon import collect_due_soon
    from sqs_checks.synth import generate_export

    generate_export(tmp_path, as_of=AS_OF, cases=120, seed=5)
    result = run_export(tmp_path, as_of=AS_OF)
    assert result.due_soon()
    assert result.con.execute(WORKING).fetchall() == []
    before = result.due_soon()
    collect_due_soon(result, 10, CAL)
    assert result.con.execute(WORKING).fetchall() == []
    assert sorted(map(str, result.due_soon())) == sorted(map(str, before))
