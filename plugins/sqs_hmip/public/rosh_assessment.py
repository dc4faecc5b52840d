"""public.rosh_assessment - initial risk of serious harm assessment on time, with a level.

Seed 2.1: "The initial assessment of the child or young person's risk of harm
to others was not good enough in 30 of the cases sampled. Sometimes initial
assessments and screenings did not take place ... or the nature or level of
the risk of harm was unclear."

Relevant when ``wd_add(start_date, due(case))`` is before as_of, or the case
has a completed ``initial`` rosh assessment. Fails ``missing`` when it has
none, ``late`` when the first one was completed after the deadline, and
``level_unclear`` when the case's completed rosh assessments (any stage) all
lack a level (record = the last one). Parameters: ``due`` 15 working days,
``due_referral_order`` 20.
"""

from sqs_hmip.families.initial_assessment import initial_assessment_check

CHECK = initial_assessment_check(
    id="public.rosh_assessment",
    title="Initial assessment of risk of serious harm completed on time with a clear level",
    area="public",
    seed="2.1",
    kind="rosh",
    level_unclear=True,
    doc=__doc__,
)
