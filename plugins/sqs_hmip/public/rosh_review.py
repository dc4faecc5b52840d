"""public.rosh_review - risk of serious harm assessment reviewed on time and after events.

Seed 2.2: "In 17 out of the 26 relevant cases, the assessment had either not
been reviewed well enough, at regular intervals or following a significant
event."

Over the case's completed rosh assessments a1 ... an (any stage, by
``completed_date`` then ``assessment_id``). Relevant when n >= 2, or
``add_months(a1, interval)`` is before as_of, or the case has a trigger event
as below. Fails ``late`` when an assessment came more than ``interval`` months
after the one before (record = the later one); ``overdue`` when
``add_months(an, interval)`` is before as_of and the case was open on that
date (record = an); ``not_reviewed_after_event`` when an event of a kind in
``trigger_events``, ``significant`` not false, dated after a1 and with
``wd_add(event_date, after_event)`` before as_of, has no rosh assessment
completed from the event date up to that deadline (record = the event).
Parameters: ``interval`` 3 months, ``after_event`` 10 working days,
``trigger_events`` new_offence, arrest, custody_release, victim_concern.
"""

from sqs_hmip.families.reviews import ROSH_TRIGGERS, assessment_review_check

CHECK = assessment_review_check(
    id="public.rosh_review",
    title="Risk of serious harm assessment reviewed on time and after significant events",
    area="public",
    seed="2.2",
    kind="rosh",
    trigger_events=ROSH_TRIGGERS,
    doc=__doc__,
)
