"""public.court_report_rosh - pre-sentence reports assess the risk of harm to others.

Seed 2.3: "In 18 out of the 31 relevant cases, PSRs did not contain a
thorough assessment of the risk of harm to others."

Relevant when the case has a submitted ``psr`` (``submitted_date`` on or
before the as-of date). Fails ``rosh_not_addressed`` for each submitted psr
whose ``rosh_addressed`` is not true (false or not recorded); record = the
report. Reports not yet submitted are not judged.
"""

from __future__ import annotations

from sqs_checks.checks import SqlCheck

SUBMITTED_PSRS = """
SELECT * FROM court_reports
WHERE kind = 'psr' AND submitted_date IS NOT NULL
  AND case_id IN (SELECT case_id FROM scope_cases)
"""

CHECK = SqlCheck(
    id="public.court_report_rosh",
    title="Pre-sentence reports contain an assessment of the risk of harm to others",
    area="public",
    seed="2.3",
    severity="medium",
    needs={"court_reports": ["kind", "submitted_date", "rosh_addressed"]},
    doc=__doc__,
    reasons={"rosh_not_addressed": "a submitted psr does not address the risk of harm to others"},
    relevance="the case has a submitted pre-sentence report (psr)",
    relevant_sql=f"SELECT case_id FROM ({SUBMITTED_PSRS})",
    findings_sql=f"""
    SELECT case_id, 'rosh_not_addressed' AS reason, 'court_reports' AS record_table,
           report_id AS record_id,
           printf('Pre-sentence report submitted on %s %s; a report must assess the risk of '
                  || 'serious harm the child poses to others.', uk(submitted_date),
                  CASE WHEN rosh_addressed IS NULL THEN 'does not record whether it addresses '
                       || 'the risk of harm to others'
                       ELSE 'does not address the risk of harm to others' END) AS message,
           json_object('submitted_date', submitted_date, 'rosh_addressed', rosh_addressed)
             AS evidence
    FROM ({SUBMITTED_PSRS}) WHERE rosh_addressed IS NOT TRUE
    """,
)
