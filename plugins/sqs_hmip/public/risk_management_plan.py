"""public.risk_management_plan - a risk management plan where risk of serious harm calls for one.

Seed 2.4: plans to manage risk of harm to others were absent or insufficient.

Relevant when the latest rosh level is at least ``min_level`` (medium) and the
deadline - ``wd_add(completion of the first rosh assessment at min_level or
above, due)``, due 10 working days - has passed or the case has an RMP. Fails
``missing`` (no ``risk_management`` plan), ``late`` (the first RMP created
after the deadline), ``no_contingency`` (the latest RMP's ``has_contingency``
is not true).
"""

from sqs_hmip.families.management_plan import management_plan_check

CHECK = management_plan_check(
    id="public.risk_management_plan",
    title="Risk management plan in place on time where risk of harm calls for one",
    area="public",
    seed="2.4",
    kind="rosh",
    plan_kind="risk_management",
    plan_name="risk management plan",
    assessed="risk of serious harm",
    doc=__doc__,
)
