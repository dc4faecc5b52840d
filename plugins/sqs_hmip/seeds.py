"""The inspection report paragraphs the catalog's checks come from.

The 2013 Short Quality Screening (SQS) report of youth offending work is the
source of the catalog: each check names the paragraph it comes from (its
``seed``), and ``sqs-checks explain`` prints that paragraph. Paragraphs are
keyed by their number in the report ("1.1" ... "4.5"); ``mgmt`` is the
report's "Operational management" section. The text is the report's own,
with page-break artefacts and footnote markers removed.
"""

from __future__ import annotations

import re

REPORT = "HM Inspectorate of Probation, Short Quality Screening of youth offending work (2013)"
"""The report the paragraphs come from."""

HEADINGS: dict[str, str] = {
    "1": "Reducing the likelihood of reoffending",
    "2": "Protecting the public",
    "3": "Protecting the child or young person",
    "4": "Ensuring that the sentence is served",
    "mgmt": "Operational management",
}
"""The report's section headings, by section number (``mgmt`` for operational management)."""

PARAGRAPHS: dict[str, str] = {
    "1.1": (
        "The initial assessment of the likelihood of reoffending in 26 out of 46 cases we saw "
        "was completed in time and was satisfactory. In the remaining 20 cases, the initial "
        "assessments were not deemed to be of acceptable quality because they contained unclear "
        "or inadequate evidence or failed to identify vulnerability or other factors linked to "
        "reoffending, emotional/mental health, substance misuse or education, training and "
        "employment. In six cases, the assessment was largely a copy of a previous assessment, "
        "without being properly updated."
    ),
    "1.2": (
        "We consider that it is vital to review periodically what is happening in a child or "
        "young person's life as this can change very rapidly. In Hertfordshire, 27 of the cases "
        "we saw had reached the stage of needing a review, and 15 had been reviewed properly. "
        "The remaining reviews were not good enough because they had not taken place after "
        "significant changes, had not updated historic information or were copies of previous "
        "assessments without proper updates."
    ),
    "1.3": (
        "For the court to make a fully informed decision about a sentence to be imposed on a "
        "child or young person, they need the best information from the service. Pre-sentence "
        "reports (PSRs) were requested and provided to the court in 31 cases. Just over half "
        "were of good quality and had been underpinned by effective management oversight. A few "
        "PSRs either were not analytical enough or were based on old assessments of the "
        "likelihood of reoffending. Other missing elements included thorough assessments of "
        "risk of harm to others and vulnerability."
    ),
    "1.4": (
        "After the child or young person receives a sentence from the court, the service must "
        "plan how to deliver work to reduce their likelihood of reoffending. These plans were "
        "acceptable in 26 of the cases. Plans which were not good enough included those not "
        "sequenced according to risk of harm to others or reducing the likelihood of "
        "reoffending."
    ),
    "1.5": (
        "Planning for work to reduce likelihood of reoffending through the custodial phase of "
        "the 13 cases where the child or young person was in custody was adequate in just over "
        "half of them. In one case we noted 'An excellent plan for early release on electronic "
        "tag was developed after effective reviews of the issues, involving some innovative "
        "interventions and a robust multi agency approach. Six appropriate objectives were set "
        "and the case manager had a good understanding of sequencing to address risk of harm. "
        "Agencies and referrals included in the release plan were: family project to support "
        "mother (and other family members), the Adolescent Drug & Alcohol Service for "
        "Hertfordshire (ADASH) for support with drug issues, referral for money advice made, "
        "referral to knife crime group and to 'crash bang' (a car crime programme), victim "
        "liaison work, referral to Y'z Up and referral to the health worker for mental health "
        'support and counselling".'
    ),
    "1.6": (
        "Half of the plans were reviewed satisfactorily in those cases where a review was needed."
    ),
    "2.1": (
        "The initial assessment of the child or young person's risk of harm to others was not "
        "good enough in 30 of the cases sampled. Sometimes initial assessments and screenings "
        "did not take place, relevant previous offences or behaviour were overlooked, victims "
        "were ignored, staff did not understand risk of harm to others or the nature or level "
        "of the risk of harm was unclear."
    ),
    "2.2": (
        "In 17 out of the 26 relevant cases, the assessment had either not been reviewed well "
        "enough, at regular intervals or following a significant event. Of those 23 plans which "
        "should have been reviewed, 20 had not been done well enough. Reviews were either not "
        "undertaken, were late, were not good enough or did not take account of new "
        "information."
    ),
    "2.3": (
        "In 18 out of the 31 relevant cases, PSRs did not contain a thorough assessment of the "
        "risk of harm to others."
    ),
    "2.4": (
        "Planning to address the child or young person's risk of harm to others was not "
        "satisfactory in 31 out of the 38 cases where this was an issue. This pattern was "
        "repeated in custody cases, where 10 out of the 13 relevant cases had deficient "
        "planning to address the risk of harm to others in the custodial period. In six cases, "
        "no formal planning to manage risk of harm to others had been completed and in other "
        "cases not enough notice was paid to particular areas such as victims' issues and "
        "contingency planning, particularly prior to release from custody. Staff did not always "
        "anticipate potential changes in risk of harm to others. They also did not include "
        "required interventions in the sentence plans."
    ),
    "2.5": (
        "We also noted in one case that `There has been some good co-working with the schools "
        "in this case and this has helped to protect the original victim (who was at the same "
        "school at the time) as well as possible future victims (the young person is now at a "
        "school where young people who are younger than him are on a separate site). The case "
        "manager's insistence on involving school directly in the formulation of the risk "
        "management plan is a positive feature too'."
    ),
    "2.6": (
        "In 37 cases where there was an identifiable victim or potential victim, the risk of "
        "harm they faced had been effectively managed in 17. Engagement with Multi-Agency "
        "Public Protection Arrangements (MAPPA) in the assessment and planning of all four "
        "relevant cases was not adequate."
    ),
    "3.1": (
        "The initial assessment of the child or young person's vulnerability and safeguarding "
        "needs was found to be sufficient in just over half of the cases sampled. Where the "
        "assessment was not good enough, this was usually because the vulnerability screening "
        "was of insufficient quality, hadn't happened at all or had overlooked relevant "
        "information about the child or young person's behaviour. The nature of the "
        "vulnerability sometimes wasn't identified or was inaccurate. Assessments of the child "
        "or young person's vulnerability and safeguarding needs were not reviewed sufficiently "
        "well in 15 out of the 27 cases where a review should have taken place."
    ),
    "3.2": (
        "Planning to address vulnerability and safeguarding issues was good enough in 19 of the "
        "39 relevant cases, but 11 cases did not have a formal vulnerability management plan at "
        "all, where we thought there should have been one. There were also poorly planned "
        "responses or too little attention being given to diversity factors, contingency "
        "planning, poor anticipation of potential changes or planning for emotional and mental "
        "health, education training and employment, care arrangements and substance misuse."
    ),
    "3.3": (
        "Planning to address vulnerability and safeguarding was better in the 13 custody cases, "
        "where seven cases had a sufficient plan in place. Overall, plans had not been "
        "sufficiently reviewed in 15 cases and in three had not been reviewed at all."
    ),
    "4.1": (
        "At the pre-sentence stage and at the commencement of supervision, attention was "
        "routinely being paid to assessing the child or young person's diverse needs and "
        "identifying barriers to engagement in nearly two-thirds of cases. It was then used in "
        "65% of the reports."
    ),
    "4.2": (
        "Evidence of good levels of involvement of the children and young people, and their "
        "parents/carers was seen in the assessment and planning of interventions and especially "
        "in the development of the PSR. In one case we noted `There was productive engagement "
        "with the young person's mother and family. His mother and sister were taken along with "
        "the case manager to the young offenders' institute for his initial assessment and "
        "although their contributions were valued, he was also seen alone. The case manager "
        "made efforts to get the family to support the young person in the community. He had "
        "previously lived with his sister and after some information of concern came to light, "
        "the case manager made an unannounced home visit with the allocated social worker. The "
        "findings resulted in the sister and her children receiving an assessment and "
        "subsequent referral to a family project for support. The risk management plan was then "
        "changed to enable the young person to live with his mother on release'."
    ),
    "4.3": (
        "The child or young person and their parents/carers had been involved in the assessment "
        "and planning of interventions in 27 out of the 47 cases. However, the plans did not "
        "always reflect the child or young person's views on priorities."
    ),
    "4.4": (
        "Overall, the service gave sufficient attention to the health or well-being of the "
        "child or young person where it might act as a barrier to successful outcomes from the "
        "sentence."
    ),
    "4.5": (
        "The great majority of children and young people had complied with their supervision "
        "and this was a credit to the efforts made by case managers including visiting the home "
        "and working with parents/carers. In one case we noted that 'the young person has "
        "engaged with the order and has not missed any appointments without permission. It is "
        "fair to say that he presents as motivated but fails to back this up when it matters, "
        "but the case manager...is very much on top of the case and...is encouraging the young "
        'person to engage and move forward".'
    ),
    "mgmt": (
        "We found that in three-quarters of all cases, staff supervision or other quality "
        "assurance arrangements had not made a positive difference, in particular with regard "
        "to risk of harm to others (94%) and vulnerability (81%). In some instances there had "
        "been no management oversight, despite concerns surrounding the child or young person's "
        "vulnerability or risk of harm to others. We found other examples where, rather than "
        "providing advice on how to improve, practice managers had signed off insufficient "
        "assessments and plans."
    ),
}
"""The text of each paragraph, by its number."""


def paragraph_numbers(seed: str) -> list[str]:
    """The paragraph numbers a check's ``seed`` names ("1.1, 1.2" -> ["1.1", "1.2"]).

    Unknown numbers and placeholders such as "-" are left out.
    """
    return [part for part in re.split(r"[,;\s]+", seed or "") if part in PARAGRAPHS]


def heading(number: str) -> str:
    """The heading of the report section a paragraph number belongs to ("" when unknown)."""
    return HEADINGS.get(number.split(".")[0], "")


def seed_text(seed: str) -> str:
    """The paragraphs a ``seed`` names, each as "NUMBER (HEADING) TEXT", one per line.

    Empty when the seed names no paragraph of the report.
    """
    return "\n".join(
        f"{number} ({heading(number)}) {PARAGRAPHS[number]}" for number in paragraph_numbers(seed)
    )
