"""public.release_plan - release (resettlement) plan in place before release from custody.

Seed 2.4: "... not enough notice was paid to particular areas such as victims'
issues and contingency planning, particularly prior to release from custody."

Relevant when the case is a custody case with a ``release_date`` and (the
deadline ``wd_sub(release_date, lead)`` is before as_of, or the case has a
``release`` plan). Fails ``missing`` when the case has no release plan,
``late`` when the first one (by ``created_date``, then ``plan_id``) was
created after the deadline. Parameter: ``lead`` 10 working days before the
release date.
"""

from sqs_checks.checks import Param
from sqs_hmip.families.first_plan import Source, first_plan_check

CHECK = first_plan_check(
    id="public.release_plan",
    title="Release plan completed on time before release from custody",
    area="public",
    seed="2.4",
    doc=__doc__,
    case_filter="c.disposal_type = 'custody' AND c.release_date IS NOT NULL",
    deadline="wd_sub(c.release_date, $lead)",
    anchor="release_date",
    sources=[Source("plans", ("release",), {"release": "release plan"})],
    params=(Param("lead", 10, "int", "working days before the release date"),),
    needs={
        "cases": ["disposal_type", "release_date"],
        "plans": ["kind", "created_date"],
    },
    missing_reason="missing",
    missing_message=(
        "No release plan: release from custody on {anchor}; the plan was due by {deadline}."
    ),
    late_message=(
        "{label} {verb} late on {done}; it was due by {deadline} "
        "(release from custody on {anchor})."
    ),
    relevance=(
        "custody case with a release date and (the deadline wd_sub(release_date, lead) is "
        "before the as-of date, or the case has a release plan)"
    ),
    reasons={
        "missing": "no release plan, and its deadline has passed",
        "late": "the first release plan was created after the deadline",
    },
)
