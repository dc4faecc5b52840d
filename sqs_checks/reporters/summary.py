"""The inspection-style summary: *Areas for improvement* and *Strengths*, from the scorecard.

An inspection report opens with a short list of what must improve and what
works well, each with its figures. The reports do the same from the checks'
figures:

* **Areas for improvement** - scored checks under :data:`STRENGTH_PERCENT`
  compliance, worst first (lowest compliance, then most cases flagged), each in
  the check's *shortfall* words: "Initial assessments of the likelihood of
  reoffending were late or missing in 9 of 46 cases (20%)";
* **Strengths** - scored checks at :data:`STRENGTH_PERCENT` or above, best
  first, in the check's title words: "Intervention plan completed on time in
  40 of 42 cases (95%)".

Data checks are never scored, so never listed; nor are checks that did not run
or had no relevant case.
"""

from __future__ import annotations

from typing import Any

STRENGTH_PERCENT = 80
"""Compliance (%) from which a check counts as a strength (the reports' green band)."""

MAX_IMPROVEMENTS = 5
"""Areas for improvement listed at most."""

MAX_STRENGTHS = 3
"""Strengths listed at most."""


def _cases(n: int) -> str:
    return "case" if n == 1 else "cases"


def improvement_text(check: dict[str, Any]) -> str:
    """One area for improvement: the shortfall with the flagged share."""
    flagged, relevant = check["flagged"], check["relevant"]
    share = round(100 * flagged / relevant)
    figures = f"{flagged} of {relevant} {_cases(relevant)} ({share}%)"
    if check.get("shortfall"):
        return f"{check['shortfall']} in {figures}."
    return f"“{check['title']}” was not met in {figures}."


def strength_text(check: dict[str, Any]) -> str:
    """One strength: the standard met, with the met share."""
    met, relevant = check["met"], check["relevant"]
    return f"{check['title']} in {met} of {relevant} {_cases(relevant)} ({check['percent']}%)."


def inspection_summary(checks: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """``improve`` and ``strengths``: lists of ``{id, text, percent}``, in the order shown.

    ``checks`` are :meth:`~sqs_checks.reporters.common.ReportData.checks` entries.
    """
    scored = [
        c
        for c in checks
        if c["counted"] and c["scored"] and c["relevant"] and c["percent"] is not None
    ]
    weak = sorted(
        (c for c in scored if c["percent"] < STRENGTH_PERCENT),
        key=lambda c: (c["met"] / c["relevant"], -c["flagged"], c["id"]),
    )
    strong = sorted(
        (c for c in scored if c["percent"] >= STRENGTH_PERCENT),
        key=lambda c: (-c["met"] / c["relevant"], -c["relevant"], c["id"]),
    )
    return {
        "improve": [
            {"id": c["id"], "text": improvement_text(c), "percent": c["percent"]}
            for c in weak[:MAX_IMPROVEMENTS]
        ],
        "strengths": [
            {"id": c["id"], "text": strength_text(c), "percent": c["percent"]}
            for c in strong[:MAX_STRENGTHS]
        ],
        "more_improve": max(len(weak) - MAX_IMPROVEMENTS, 0),
    }
