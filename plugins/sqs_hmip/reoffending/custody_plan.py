"""reoffending.custody_plan - custodial sentence plan in place on time.

Seed 1.5: "Planning for work to reduce likelihood of reoffending through the
custodial phase of the 13 cases where the child or young person was in custody
was adequate in just over half of them."

Relevant when the case is a custody case and (the deadline
``wd_add(start_date, due)`` is before as_of, or the case has a ``custody``
plan). Fails ``missing`` when the case has no custody plan, ``late`` when the
first one (by ``created_date``, then ``plan_id``) was created after the
deadline. Parameter: ``due`` 10 working days.
"""

from sqs_checks.checks import Param
from sqs_hmip.families.first_plan import Source, first_plan_check

CHECK = first_plan_check(
    id="reoffending.custody_plan",
    title="Custodial sentence plan completed on time",
    area="reoffending",
    seed="1.5",
    doc=__doc__,
    case_filter="c.disposal_type = 'custody'",
    deadline="wd_add(c.start_date, $due)",
    anchor="start_date",
    sources=[Source("plans", ("custody",), {"custody": "custodial sentence plan"})],
    params=(Param("due", 10, "int", "working days after the start date"),),
    needs={"cases": ["disposal_type", "start_date"], "plans": ["kind", "created_date"]},
    missing_reason="missing",
    missing_message=(
        "No custodial sentence plan: the sentence started on {anchor}; "
        "the plan was due by {deadline}."
    ),
    late_message=(
        "{label} {verb} late on {done}; it was due by {deadline} "
        "(the sentence started on {anchor})."
    ),
    relevance=(
        "custody case and (the deadline wd_add(start_date, due) is before the as-of date, "
        "or the case has a custody plan)"
    ),
    reasons={
        "missing": "no custody plan, and its deadline has passed",
        "late": "the first custody plan was created after the deadline",
    },
)
