"""data.record_excluded - a row of the case was left out of the checks because of an input problem.

So that no case looks clean because its data was dropped (SPEC §2): every
quarantined row that belongs to a known in-scope case - a row naming the case,
a plan review of one of its plans, or an ``offences`` row of the case's child -
raises ``record_excluded`` on that case (record = the quarantined row's table
and row number).
"""

from sqs_checks.checks import SqlCheck

CHECK = SqlCheck(
    id="data.record_excluded",
    title="Every record of the case could be checked",
    area="data",
    seed="-",
    severity="medium",
    doc=__doc__,
    reasons={"record_excluded": "a row of the case has an input problem and was left out"},
    relevance="the case has a quarantined row (a row naming it, or an offences row of its child)",
    relevant_sql="SELECT DISTINCT case_id FROM quarantine",
    findings_sql="""
    SELECT case_id, 'record_excluded' AS reason, "table" AS record_table,
           CAST("row" AS VARCHAR) AS record_id,
           printf('Row %d of the %s table was left out of the checks because of an input problem '
                  || '(see the input problems list); correct it in the case-management system.',
                  "row", "table") AS message,
           json_object('table', "table", 'row', "row") AS evidence
    FROM quarantine
    """,
)
