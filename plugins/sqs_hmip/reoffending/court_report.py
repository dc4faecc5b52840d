"""reoffending.court_report - pre-sentence reports on time, quality assured, on a recent assessment.

Seed 1.3: "Pre-sentence reports (PSRs) were requested and provided to the court
in 31 cases. Just over half were of good quality and had been underpinned by
effective management oversight. A few PSRs ... were based on old assessments
of the likelihood of reoffending."

Relevant when the case has a ``psr`` that is submitted (``submitted_date`` on
or before the as-of date) or whose ``court_date`` is before the as-of date.
Each such report fails:

* ``late`` - submitted after its court date, or not submitted although the
  court date has passed;
* ``no_quality_assurance`` - submitted without quality assurance
  (``quality_assured_by`` empty, or quality assurance dated after the as-of
  date, which has not happened yet), or quality assured after it was
  submitted; quality assurance without a date counts as done in time;
* ``old_assessment`` - submitted, and its *basis* is missing or older than
  ``max_age`` months at submission (completed strictly before
  ``add_months(submitted_date, -max_age)``).

The *basis* is the assessment the report names in ``assessment_id`` when that
is a reoffending assessment of the same child completed on or before
submission; otherwise (no id, an id naming no assessment, another kind,
another child, or completed after submission) it is the child's latest
reoffending assessment completed on or before submission, on any of the
child's cases. Reports of kind ``other`` are not judged.
"""

from __future__ import annotations

from sqs_checks.checks import CheckContext, CheckOutput, Param, SqlCheck, bind_params


def _reports_sql(ctx: CheckContext) -> str:
    """The relevant in-scope psrs with their child and (optional) QA date and named basis."""
    qa_date = (
        "r.quality_assured_date"
        if ctx.has("court_reports", "quality_assured_date")
        else ("NULL::DATE")
    )
    named = "r.assessment_id" if ctx.has("court_reports", "assessment_id") else "NULL::VARCHAR"
    return f"""
    CREATE OR REPLACE TEMP TABLE _t_psr AS
    SELECT r.report_id, r.case_id, c.child_id, r.court_date, r.submitted_date,
           r.quality_assured_by, {qa_date} AS qa_date, {named} AS named_id
    FROM court_reports r JOIN cases c ON c.case_id = r.case_id
    WHERE r.kind = 'psr' AND r.case_id IN (SELECT case_id FROM scope_cases)
      AND (r.submitted_date IS NOT NULL OR r.court_date < $as_of)
    """


BASIS = """
CREATE OR REPLACE TEMP TABLE _t_psr_basis AS
WITH ra AS (
    SELECT a.assessment_id, a.completed_date, c.child_id
    FROM assessments a JOIN cases c ON c.case_id = a.case_id
    WHERE a.kind = 'reoffending'),
named AS (
    SELECT p.report_id, ra.assessment_id, ra.completed_date
    FROM _t_psr p JOIN ra ON ra.assessment_id = p.named_id AND ra.child_id = p.child_id
    WHERE ra.completed_date <= p.submitted_date),
latest AS (
    SELECT report_id, assessment_id, completed_date FROM (
        SELECT p.report_id, ra.assessment_id, ra.completed_date,
               row_number() OVER (PARTITION BY p.report_id
                                  ORDER BY ra.completed_date DESC, ra.assessment_id DESC) AS rn
        FROM _t_psr p JOIN ra ON ra.child_id = p.child_id AND ra.completed_date <= p.submitted_date)
    WHERE rn = 1)
SELECT p.*,
       coalesce(n.assessment_id, l.assessment_id) AS basis_id,
       coalesce(n.completed_date, l.completed_date) AS basis_completed,
       n.assessment_id IS NOT NULL AS basis_named,
       add_months(p.submitted_date, -$max_age) AS oldest_allowed
FROM _t_psr p
LEFT JOIN named n ON n.report_id = p.report_id
LEFT JOIN latest l ON l.report_id = p.report_id
WHERE p.submitted_date IS NOT NULL
"""

FINDINGS = """
SELECT case_id, 'late' AS reason, 'court_reports' AS record_table, report_id AS record_id,
       printf('Pre-sentence report submitted on %s, after the court date of %s; reports must '
              || 'reach the court before the hearing.', uk(submitted_date), uk(court_date))
         AS message,
       json_object('court_date', court_date, 'submitted_date', submitted_date) AS evidence
FROM _t_psr WHERE submitted_date > court_date
UNION ALL
SELECT case_id, 'late', 'court_reports', report_id,
       printf('Pre-sentence report for the court date of %s has not been submitted.',
              uk(court_date)),
       json_object('court_date', court_date, 'submitted_date', NULL)
FROM _t_psr WHERE submitted_date IS NULL AND court_date < $as_of
UNION ALL
SELECT case_id, 'no_quality_assurance', 'court_reports', report_id,
       CASE WHEN quality_assured_by IS NULL
            THEN printf('Pre-sentence report submitted on %s without quality assurance; a manager '
                        || 'should quality assure reports before they go to court.',
                        uk(submitted_date))
            ELSE printf('Pre-sentence report submitted on %s was quality assured by %s only on %s, '
                        || 'after it was submitted.', uk(submitted_date), quality_assured_by,
                        uk(qa_date)) END,
       json_object('submitted_date', submitted_date, 'quality_assured_by', quality_assured_by,
                   'quality_assured_date', qa_date)
FROM _t_psr
WHERE submitted_date IS NOT NULL AND (quality_assured_by IS NULL OR qa_date > submitted_date)
UNION ALL
SELECT case_id, 'old_assessment', 'court_reports', report_id,
       CASE WHEN basis_id IS NULL
            THEN printf('Pre-sentence report submitted on %s was not based on any assessment of '
                        || 'the likelihood of reoffending: none was completed by then.',
                        uk(submitted_date))
            ELSE printf('Pre-sentence report submitted on %s was based on an assessment of the '
                        || 'likelihood of reoffending completed on %s (%s), more than %d months '
                        || 'earlier; update the assessment before writing the report.',
                        uk(submitted_date), uk(basis_completed), basis_id, $max_age) END,
       json_object('submitted_date', submitted_date, 'basis_id', basis_id,
                   'basis_completed', basis_completed, 'basis_named_by_report', basis_named,
                   'named_assessment_id', named_id, 'oldest_allowed', oldest_allowed)
FROM _t_psr_basis WHERE basis_id IS NULL OR basis_completed < oldest_allowed
"""


class CourtReportCheck(SqlCheck):
    """Pre-sentence reports: builds its SQL from the optional columns the export has."""

    def evaluate(self, ctx: CheckContext) -> CheckOutput:
        """Create ``_t_psr`` and ``_t_psr_basis``; answer with the relevance and findings."""
        for statement in (_reports_sql(ctx), BASIS):
            ctx.con.execute(statement, bind_params(statement, ctx.params, ctx.as_of))
        return CheckOutput(relevant="SELECT case_id FROM _t_psr", findings=FINDINGS)


CHECK = CourtReportCheck(
    id="reoffending.court_report",
    title="Pre-sentence reports on time, quality assured and based on a recent assessment",
    area="reoffending",
    seed="1.3",
    severity="medium",
    params=(Param("max_age", 3, "months", "how old (in months) the basis assessment may be"),),
    needs={
        "court_reports": ["kind", "court_date", "submitted_date", "quality_assured_by"],
        "assessments": ["kind", "completed_date"],
    },
    doc=__doc__,
    reasons={
        "late": "submitted after the court date, or not submitted and the court date has passed",
        "no_quality_assurance": (
            "submitted without quality assurance, or quality assured after submission"
        ),
        "old_assessment": (
            "submitted, and the reoffending assessment it is based on is missing or older "
            "than max_age months at submission"
        ),
    },
    relevance=(
        "the case has a pre-sentence report (psr) that is submitted, or whose court date is "
        "before the as-of date"
    ),
)
