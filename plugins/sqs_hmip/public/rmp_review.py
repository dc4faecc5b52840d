"""public.rmp_review - risk management plan reviewed on time and after significant events.

Seed 2.2: "Of those 23 plans which should have been reviewed, 20 had not been
done well enough. Reviews were either not undertaken, were late, were not
good enough or did not take account of new information."

Over the dated sequence a1 ... an of the case's ``risk_management`` plan
creations and every ``plan_reviews`` row of those plans (by date; a plan
before a review of the same date; then id). Relevant when n >= 2, or
``add_months(a1, interval)`` is before as_of, or the case has a trigger event
as below. Fails ``late`` when an item came more than ``interval`` months
after the one before (record = the later plan or review); ``overdue`` when
``add_months(an, interval)`` is before as_of and the case was open on that
date (record = an); ``not_reviewed_after_event`` when an event of a kind in
``trigger_events``, ``significant`` not false, dated after a1 and with
``wd_add(event_date, after_event)`` before as_of, has no plan or review dated
from the event date up to that deadline (record = the event). Parameters:
``interval`` 3 months, ``after_event`` 10 working days, ``trigger_events``
new_offence, arrest, custody_release, victim_concern.
"""

from sqs_hmip.families.reviews import ROSH_TRIGGERS, plan_review_check

CHECK = plan_review_check(
    id="public.rmp_review",
    title="Risk management plan reviewed on time and after significant events",
    area="public",
    seed="2.2",
    plan_kinds=("risk_management",),
    trigger_events=ROSH_TRIGGERS,
    doc=__doc__,
)
