"""sentence.diversity - diversity and barriers to engagement considered in the initial assessment.

Seed 4.1: "At the pre-sentence stage and at the commencement of supervision,
attention was routinely being paid to assessing the child or young person's
diverse needs and identifying barriers to engagement in nearly two-thirds of
cases."

Relevant when the case has a completed initial reoffending assessment. Fails
``not_assessed`` when the first one's ``diversity_assessed`` is not true
(false or not recorded); record = that assessment.
"""

from sqs_hmip.families.first_initial_assessment import Flag, first_initial_assessment_check

CHECK = first_initial_assessment_check(
    id="sentence.diversity",
    title="Diversity and barriers to engagement considered in the initial assessment",
    area="sentence",
    seed="4.1",
    severity="low",
    flags=(
        Flag(
            column="diversity_assessed",
            reason="not_assessed",
            meaning="the first initial reoffending assessment does not consider diversity",
            missing="does not consider the child's diverse needs and barriers to engagement; "
            "add them.",
            unrecorded="does not record whether the child's diverse needs and barriers to "
            "engagement were considered; record it.",
        ),
    ),
    doc=__doc__,
)
