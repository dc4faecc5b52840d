"""sentence.involvement - the child and their parents or carers involved in the initial assessment.

Seed 4.2 and 4.3: "The child or young person and their parents/carers had
been involved in the assessment and planning of interventions in 27 out of
the 47 cases."

Relevant when the case has a completed initial reoffending assessment. On the
first one, fails ``child_not_involved`` when ``child_views_recorded`` is not
true and ``carer_not_involved`` when ``parent_carer_involved`` is not true
(false or not recorded); record = that assessment.
"""

from sqs_hmip.families.first_initial_assessment import Flag, first_initial_assessment_check

CHECK = first_initial_assessment_check(
    id="sentence.involvement",
    title="Child and parents or carers involved in the initial assessment",
    area="sentence",
    seed="4.2, 4.3",
    severity="low",
    flags=(
        Flag(
            column="child_views_recorded",
            reason="child_not_involved",
            meaning="the child's own views are not recorded on the first initial assessment",
            missing="does not record the child's own views; ask the child and record them.",
            unrecorded="does not say whether the child's own views were recorded; record them.",
        ),
        Flag(
            column="parent_carer_involved",
            reason="carer_not_involved",
            meaning="parents or carers were not involved in the first initial assessment",
            missing="did not involve the child's parents or carers; involve them.",
            unrecorded="does not say whether the child's parents or carers were involved; "
            "record it.",
        ),
    ),
    doc=__doc__,
)
