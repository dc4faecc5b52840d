"""public.rosh_offences_overlooked - risk of serious harm not assessed low despite serious offences.

Seed 2.1: "Sometimes initial assessments and screenings did not take place,
relevant previous offences or behaviour were overlooked, victims were
ignored ..."

The case's *latest rosh level* is the level of its last completed rosh
assessment (by ``completed_date`` then ``assessment_id``) that records one.
Relevant when the case has a latest rosh level and the child (on any of the
child's cases) has an offence of a category in ``categories`` dated strictly
before the completion of the assessment that gave that level. Fails
``offences_overlooked`` (record = that assessment) when the level is ``low``.
Offences dated on or after that assessment's completion do not count: the
assessor could not have known them.
"""

from __future__ import annotations

from sqs_checks.checks import Param, SqlCheck
from sqs_checks.codes import OFFENCE_CATEGORIES

CATEGORIES = OFFENCE_CATEGORIES

SETUP = """
CREATE OR REPLACE TEMP TABLE _t_roo AS
WITH latest AS (
    SELECT a.case_id, c.child_id,
           arg_max(a.assessment_id, (a.completed_date, a.assessment_id)) AS assessment_id,
           max(a.completed_date) AS completed_date,
           arg_max(a.level, (a.completed_date, a.assessment_id)) AS level
    FROM assessments a JOIN cases c ON c.case_id = a.case_id
    WHERE a.kind = 'rosh' AND a.level IS NOT NULL
      AND a.case_id IN (SELECT case_id FROM scope_cases)
    GROUP BY a.case_id, c.child_id)
SELECT l.case_id, l.assessment_id, l.completed_date, l.level,
       count(*) AS n_offences,
       list(DISTINCT replace(o.category, '_', ' ') ORDER BY replace(o.category, '_', ' '))
         AS categories,
       list(o.offence_id ORDER BY o.offence_date, o.offence_id) AS offence_ids,
       max(o.offence_date) AS last_offence
FROM latest l JOIN offences o
  ON o.child_id = l.child_id AND o.offence_date < l.completed_date
 AND list_contains($categories, o.category)
GROUP BY ALL
"""

FINDINGS = """
SELECT case_id, 'offences_overlooked' AS reason, 'assessments' AS record_table,
       assessment_id AS record_id,
       printf('Risk of serious harm assessed LOW on %s although the child had %d earlier '
              || 'offence%s of %s (the latest on %s); review the level with that history in mind.',
              uk(completed_date), n_offences, CASE WHEN n_offences = 1 THEN '' ELSE 's' END,
              array_to_string(categories, ', '), uk(last_offence)) AS message,
       json_object('level', level, 'completed_date', completed_date,
                   'offence_ids', offence_ids, 'categories', categories) AS evidence
FROM _t_roo WHERE level = 'low'
"""

CHECK = SqlCheck(
    id="public.rosh_offences_overlooked",
    title="Risk of serious harm level takes account of the child's serious offences",
    area="public",
    seed="2.1",
    severity="medium",
    params=(
        Param(
            "categories",
            ["violence", "sexual", "robbery", "weapons", "arson"],
            "list[str]",
            "offence categories that make a low risk of serious harm level doubtful",
            CATEGORIES,
        ),
    ),
    needs={
        "assessments": ["kind", "completed_date", "level"],
        "offences": ["child_id", "offence_date", "category"],
    },
    doc=__doc__,
    reasons={
        "offences_overlooked": (
            "the latest rosh level is low although the child had an offence in categories "
            "before that assessment"
        ),
    },
    relevance=(
        "the case has a latest rosh level, and the child has an offence in categories dated "
        "before the completion of the rosh assessment that gave it"
    ),
    setup_sql=[SETUP],
    relevant_sql="SELECT case_id FROM _t_roo",
    findings_sql=FINDINGS,
)
