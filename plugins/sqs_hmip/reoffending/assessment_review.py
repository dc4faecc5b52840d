"""reoffending.assessment_review - reoffending assessment reviewed on time and after events.

Seed 1.2: "We consider that it is vital to review periodically what is
happening in a child or young person's life as this can change very rapidly.
... The remaining reviews were not good enough because they had not taken
place after significant changes ..."

Over the case's completed reoffending assessments a1 ... an (any stage, by
``completed_date`` then ``assessment_id``). Relevant when n >= 2, or
``add_months(a1, interval)`` is before as_of, or the case has a trigger event
as below. Fails ``late`` when an assessment came more than ``interval`` months
after the one before (record = the later one); ``overdue`` when
``add_months(an, interval)`` is before as_of and the case was open on that
date (record = an); ``not_reviewed_after_event`` when an event of a kind in
``trigger_events``, ``significant`` not false, dated after a1 and with
``wd_add(event_date, after_event)`` before as_of, has no reoffending
assessment completed from the event date up to that deadline (record = the
event). Parameters: ``interval`` 3 months, ``after_event`` 10 working days,
``trigger_events`` new_offence, arrest, breach, custody_release,
change_of_address, change_of_care_status, school_exclusion.
"""

from sqs_hmip.families.reviews import REOFFENDING_TRIGGERS, assessment_review_check

CHECK = assessment_review_check(
    id="reoffending.assessment_review",
    title="Likelihood of reoffending assessment reviewed on time and after significant events",
    area="reoffending",
    seed="1.2",
    kind="reoffending",
    trigger_events=REOFFENDING_TRIGGERS,
    doc=__doc__,
)
