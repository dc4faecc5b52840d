"""reoffending.initial_assessment - initial assessment of the likelihood of reoffending on time.

Seed 1.1: "The initial assessment of the likelihood of reoffending in 26 out
of 46 cases we saw was completed in time and was satisfactory."

Relevant when ``wd_add(start_date, due(case))`` is before as_of, or the case
has a completed ``initial`` reoffending assessment. Fails ``missing`` when it
has none, ``late`` when the first one was completed after the deadline.
Parameters: ``due`` 15 working days, ``due_referral_order`` 20.
"""

from sqs_hmip.families.initial_assessment import initial_assessment_check

CHECK = initial_assessment_check(
    id="reoffending.initial_assessment",
    title="Initial assessment of the likelihood of reoffending completed on time",
    area="reoffending",
    seed="1.1",
    kind="reoffending",
    level_unclear=False,
    doc=__doc__,
)
