"""A local check (loaded with --plugins-dir) that quotes assessment narratives in its findings.

Reports must show such text as text: the hostile-input tests put markup in it.
"""

from sqs_checks.checks import SqlCheck
from sqs_checks.hookspecs import hookimpl

CHECK = SqlCheck(
    id="data.narrative_quoted",
    title="Narratives quoted for review",
    area="data",
    seed="local",
    severity="low",
    needs={"assessments": ["narrative"]},
    reasons={"quoted": "the narrative is quoted for review"},
    relevant_sql="SELECT case_id FROM assessments WHERE narrative IS NOT NULL",
    findings_sql=(
        "SELECT case_id, 'quoted' AS reason, 'assessments' AS record_table, "
        "assessment_id AS record_id, 'Narrative: ' || narrative AS message, "
        "json_object('narrative', narrative, 'author', author) AS evidence "
        "FROM assessments WHERE narrative IS NOT NULL"
    ),
)


@hookimpl
def sqs_checks_checks():
    """The local check."""
    return [CHECK]
