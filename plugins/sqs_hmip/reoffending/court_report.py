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
* ``no_assessment`` - submitted, and the child has no reoffending assessment
  completed on or before submission (so there is no basis at all);
* ``old_assessment`` - submitted, and its *basis* is older than ``max_age``
  months at submission (completed strictly before
  ``add_months(submitted_date, -max_age)``).

The *basis* is the assessment the report names in ``assessment_id`` when that
is a reoffending assessment of the same child completed on or before
submission; otherwise (no id, an id naming no assessment, another kind,
another child, or completed after submission) it is the child's latest
reoffending assessment completed on or before submission, on any of the
child's cases. Reports of kind ``other`` are not judged.

Partial inputs (SPEC §5): without ``court_date`` only submitted reports are
relevant and ``late`` is not judged; without ``quality_assured_by``,
``no_quality_assurance`` is not judged; without assessments, ``no_assessment``
and ``old_assessment`` are not judged. Without ``submitted_date`` nothing can
be judged and the check is skipped.
"""

from __future__ import annotations

from sqs_checks.checks import CheckContext, CheckOutput, Param, SqlCheck, bind_params


def _column(ctx: CheckContext, column: str, cast: str) -> str:
    """``r.column`` when court_reports has it, else a typed null."""
    return f"r.{column}" if ctx.has("court_reports", column) else f"NULL::{cast}"


def _reports_sql(ctx: CheckContext) -> str:
    """Every in-scope psr with its child and (optional) court date, QA date and named basis.

    Not only the relevant ones: the table does not depend on the as-of date, so the due-soon
    evaluation reuses it. Whether a report is relevant (submitted, or its court date before
    the as-of date) is decided by :data:`RELEVANT`.
    """
    return f"""
    CREATE OR REPLACE TEMP TABLE _t_psr AS
    SELECT r.report_id, r.case_id, c.child_id, {_column(ctx, "court_date", "DATE")} AS court_date,
           r.submitted_date, {_column(ctx, "quality_assured_by", "VARCHAR")} AS quality_assured_by,
           {_column(ctx, "quality_assured_date", "DATE")} AS qa_date,
           {_column(ctx, "assessment_id", "VARCHAR")} AS named_id
    FROM court_reports r JOIN cases c ON c.case_id = r.case_id
    WHERE r.kind = 'psr' AND r.case_id IN (SELECT case_id FROM scope_cases)
    """


RELEVANT = "SELECT case_id FROM _t_psr WHERE submitted_date IS NOT NULL OR court_date < $as_of"
"""The relevant reports' cases: submitted, or the court date is before the as-of date."""


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

LATE = """
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
"""

NO_QUALITY_ASSURANCE = """
SELECT case_id, 'no_quality_assurance' AS reason, 'court_reports' AS record_table,
       report_id AS record_id,
       CASE WHEN quality_assured_by IS NULL
            THEN printf('Pre-sentence report submitted on %s without quality assurance; a manager '
                        || 'should quality assure reports before they go to court.',
                        uk(submitted_date))
            ELSE printf('Pre-sentence report submitted on %s was quality assured by %s only on %s, '
                        || 'after it was submitted.', uk(submitted_date), quality_assured_by,
                        uk(qa_date)) END AS message,
       json_object('submitted_date', submitted_date, 'quality_assured_by', quality_assured_by,
                   'quality_assured_date', qa_date) AS evidence
FROM _t_psr
WHERE submitted_date IS NOT NULL AND (quality_assured_by IS NULL OR qa_date > submitted_date)
"""

NO_ASSESSMENT = """
SELECT case_id, 'no_assessment' AS reason, 'court_reports' AS record_table,
       report_id AS record_id,
       printf('Pre-sentence report submitted on %s was not based on any assessment of the '
              || 'likelihood of reoffending: none was completed by then; assess before writing '
              || 'the report.', uk(submitted_date)) AS message,
       json_object('submitted_date', submitted_date, 'named_assessment_id', named_id)
         AS evidence
FROM _t_psr_basis WHERE basis_id IS NULL
"""

OLD_ASSESSMENT = """
SELECT case_id, 'old_assessment' AS reason, 'court_reports' AS record_table,
       report_id AS record_id,
       printf('Pre-sentence report submitted on %s was based on an assessment of the '
              || 'likelihood of reoffending completed on %s (%s), more than %d months '
              || 'earlier; update the assessment before writing the report.',
              uk(submitted_date), uk(basis_completed), basis_id, $max_age) AS message,
       json_object('submitted_date', submitted_date, 'basis_id', basis_id,
                   'basis_completed', basis_completed, 'basis_named_by_report', basis_named,
                   'named_assessment_id', named_id, 'oldest_allowed', oldest_allowed)
         AS evidence
FROM _t_psr_basis WHERE basis_completed < oldest_allowed
"""


class CourtReportCheck(SqlCheck):
    """Pre-sentence reports: builds its SQL from the optional columns the export has."""

    reuse_working_tables = True
    """Its ``evaluate`` only runs statements on ``ctx.con``: due soon may reuse its working
    tables (:mod:`sqs_checks.reuse`)."""

    def evaluate(self, ctx: CheckContext) -> CheckOutput:
        """Create ``_t_psr`` (and ``_t_psr_basis``); answer with the relevance and findings."""
        statements = [_reports_sql(ctx)]
        if ctx.judges("old_assessment"):
            statements.append(BASIS)
        for statement in statements:
            ctx.con.execute(statement, bind_params(statement, ctx.params, ctx.as_of))
        findings = self.findings_query(ctx)
        if findings:
            findings = f"SELECT *, {DUE_DATE} AS due_date FROM ({findings})"
        return CheckOutput(relevant=RELEVANT, findings=findings or None)


DUE_DATE = (
    "CASE reason WHEN 'late' THEN TRY_CAST(evidence->>'court_date' AS DATE) "
    "WHEN 'no_quality_assurance' THEN TRY_CAST(evidence->>'submitted_date' AS DATE) END"
)
"""The date each reason's rule wanted the work done by: the court date for a late report,
the submission for its quality assurance (the other reasons have no deadline)."""


CHECK = CourtReportCheck(
    id="reoffending.court_report",
    title="Pre-sentence reports on time, quality assured and based on a recent assessment",
    area="reoffending",
    seed="1.3",
    severity="medium",
    params=(Param("max_age", 3, "months", "how old (in months) the basis assessment may be"),),
    needs={"court_reports": ["kind", "submitted_date"]},
    reason_needs={
        "late": {"court_reports": ["court_date"]},
        "no_quality_assurance": {"court_reports": ["quality_assured_by"]},
        "no_assessment": {"assessments": ["kind", "completed_date"]},
        "old_assessment": {"assessments": ["kind", "completed_date"]},
    },
    reason_sql={
        "late": LATE,
        "no_quality_assurance": NO_QUALITY_ASSURANCE,
        "no_assessment": NO_ASSESSMENT,
        "old_assessment": OLD_ASSESSMENT,
    },
    doc=__doc__,
    reasons={
        "late": "submitted after the court date, or not submitted and the court date has passed",
        "no_quality_assurance": (
            "submitted without quality assurance, or quality assured after submission"
        ),
        "no_assessment": (
            "submitted, and the child has no reoffending assessment completed on or before "
            "submission"
        ),
        "old_assessment": (
            "submitted, and the reoffending assessment it is based on is older than max_age "
            "months at submission"
        ),
    },
    relevance=(
        "the case has a pre-sentence report (psr) that is submitted, or whose court date is "
        "before the as-of date"
    ),
    upcoming={"late": "Pre-sentence report for the court date of {court_date}"},
)
