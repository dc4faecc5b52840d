"""reoffending.intervention_plan - intervention plan in place on time (non-custody cases).

Seed 1.4: "After the child or young person receives a sentence from the court,
the service must plan how to deliver work to reduce their likelihood of
reoffending. These plans were acceptable in 26 of the cases."

Relevant when the case is not a custody case and (the deadline
``wd_add(start_date, due(case))`` is before as_of, or the case has an
``intervention`` plan). Fails ``missing`` when the case has no intervention
plan, ``late`` when the first one (by ``created_date``, then ``plan_id``) was
created after the deadline. Parameters: ``due`` 15 working days,
``due_referral_order`` 20.
"""

from sqs_hmip.families.first_plan import Source, first_plan_check
from sqs_hmip.families.initial_assessment import due_params
from sqs_hmip.sql import DUE

CHECK = first_plan_check(
    id="reoffending.intervention_plan",
    title="Intervention plan completed on time",
    area="reoffending",
    seed="1.4",
    doc=__doc__,
    case_filter="c.disposal_type <> 'custody'",
    deadline=f"wd_add(c.start_date, {DUE})",
    anchor="start_date",
    sources=[Source("plans", ("intervention",), {"intervention": "intervention plan"})],
    params=due_params(),
    needs={"cases": ["disposal_type", "start_date"], "plans": ["kind", "created_date"]},
    missing_reason="missing",
    missing_message=(
        "No intervention plan: the case started on {anchor}; the plan was due by {deadline}."
    ),
    late_message=(
        "{label} {verb} late on {done}; it was due by {deadline} (the case started on {anchor})."
    ),
    relevance=(
        "non-custody case and (the deadline wd_add(start_date, due) - due_referral_order for "
        "referral orders - is before the as-of date, or the case has an intervention plan)"
    ),
    reasons={
        "missing": "no intervention plan, and its deadline has passed",
        "late": "the first intervention plan was created after the deadline",
    },
)
