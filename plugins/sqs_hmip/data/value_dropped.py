"""data.value_dropped - a value of the case could not be read and was left empty.

SPEC §2 (v2): a bad value in an optional column (other than
``completed_date``) does not exclude its row: the value becomes null and the
row is checked without it. So that the dropped value is never silent, every
row of an in-scope case with such a value - a row naming the case, the case's
own ``cases`` row, a plan review of one of its plans, or an ``offences`` row of
the case's child - raises ``value_dropped`` on that case (record = the row's
table and row number; evidence: the column and the raw value). A row with
several dropped values raises one finding naming them all.

Like every ``data.*`` check, it describes the export, not the work: it is
counted, never scored as compliance.
"""

from sqs_checks.checks import SqlCheck

CHECK = SqlCheck(
    id="data.value_dropped",
    title="Every value of the case could be read",
    area="data",
    seed="-",
    severity="low",
    doc=__doc__,
    reasons={
        "value_dropped": "a value of a row of the case could not be read and was left empty; "
        "the row was checked without it"
    },
    relevance="the case has a row with a value dropped as unreadable (a row naming it, its "
    "cases row, a review of its plan, or an offences row of its child)",
    relevant_sql="SELECT DISTINCT case_id FROM dropped",
    findings_sql="""
    SELECT case_id, 'value_dropped' AS reason, "table" AS record_table,
           CAST("row" AS VARCHAR) AS record_id,
           printf('Row %d of the %s table: %s could not be read and was left empty, so the '
                  || 'checks ran without it; correct it in the case-management system.',
                  "row", "table",
                  array_to_string(list(printf('the %s %s', "column",
                                              coalesce('"' || "value" || '"', '(blank)'))
                                       ORDER BY "column"), ' and ')) AS message,
           json_object('table', "table", 'row', "row",
                       'column', min("column"), 'value', arg_min("value", "column"),
                       'columns', list("column" ORDER BY "column"),
                       'values', list("value" ORDER BY "column")) AS evidence
    FROM dropped
    GROUP BY case_id, "table", "row"
    """,
)
