"""public.victims - an identified victim's safety addressed on time.

Seed 2.6: "In 37 cases where there was an identifiable victim or potential
victim, the risk of harm they faced had been effectively managed in 17."

Relevant when ``has_identified_victim`` is true and (the deadline
``wd_add(start_date, due)`` is before as_of, or the case has a
``victim_safety`` plan or a ``victim_liaison`` referral). Fails
``victim_not_addressed`` when it has neither (record = the case), ``late``
when the first of them (by date, then id) is dated after the deadline (record
= that plan or referral). Parameter: ``due`` 15 working days.
"""

from sqs_checks.checks import Param
from sqs_hmip.families.first_plan import Source, first_plan_check

CHECK = first_plan_check(
    id="public.victims",
    title="Victim safety addressed on time where there is an identified victim",
    area="public",
    seed="2.6",
    severity="medium",
    doc=__doc__,
    case_filter="c.has_identified_victim IS TRUE",
    deadline="wd_add(c.start_date, $due)",
    anchor="start_date",
    sources=[
        Source("plans", ("victim_safety",), {"victim_safety": "victim safety plan"}),
        Source(
            "referrals", ("victim_liaison",), {"victim_liaison": "victim liaison referral"}, "made"
        ),
    ],
    params=(Param("due", 15, "int", "working days after the start date"),),
    needs={
        "cases": ["has_identified_victim", "start_date"],
        "plans": ["kind", "created_date"],
        "referrals": ["kind", "referral_date"],
    },
    missing_reason="victim_not_addressed",
    missing_message=(
        "Identified victim not addressed: no victim safety plan and no victim liaison "
        "referral; one was due by {deadline} (the case started on {anchor})."
    ),
    late_message=(
        "{label} {verb} late on {done}; a victim safety plan or victim liaison referral "
        "was due by {deadline} (the case started on {anchor})."
    ),
    relevance=(
        "has_identified_victim is true and (the deadline wd_add(start_date, due) is before the "
        "as-of date, or the case has a victim_safety plan or a victim_liaison referral)"
    ),
    reasons={
        "victim_not_addressed": "neither a victim safety plan nor a victim liaison referral",
        "late": "the first of them is dated after the deadline",
    },
)
