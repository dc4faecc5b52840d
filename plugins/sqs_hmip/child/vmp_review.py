"""child.vmp_review - vulnerability management plan reviewed on time and after significant events.

Seed 3.3: "Overall, plans had not been sufficiently reviewed in 15 cases and
in three had not been reviewed at all."

Over the dated sequence a1 ... an of the case's ``vulnerability_management``
plan creations and every ``plan_reviews`` row of those plans (by date; a plan
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
safeguarding_concern, missing_episode, change_of_address,
change_of_care_status, custody_release, school_exclusion.
"""

from sqs_hmip.families.reviews import VULNERABILITY_TRIGGERS, plan_review_check

CHECK = plan_review_check(
    id="child.vmp_review",
    title="Vulnerability management plan reviewed on time and after significant events",
    area="child",
    seed="3.3",
    plan_kinds=("vulnerability_management",),
    trigger_events=VULNERABILITY_TRIGGERS,
    doc=__doc__,
)
