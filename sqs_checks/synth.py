"""Synthetic case-management exports with planted, known defects.

:func:`generate_export` writes a realistic export in the canonical model of SPEC §2
(one file per table, CSV or Parquet) and a ``ground_truth.json`` listing every
finding that a correct implementation of the check catalog (SPEC §5, default
parameters, ``open-cases`` suite) raises on it, plus the input problems it contains.

How the ground truth stays exact:

* every case is first built compliant with every check (on-time assessments of the
  three kinds, reviews less than three months apart and after every trigger event,
  plans with contingency, timely sign-off by a manager who is not the author,
  quality-assured court reports based on fresh assessments, and so on);
* defects are then *planted* in chosen cases (about a third of the cases in scope),
  several of every reason code of every check;
* the ground truth is finally derived from the generated records themselves by a
  small evaluator of the SPEC §5 rules (:meth:`_Generator.evaluate`), so that the
  knock-on findings of a plant (for example the ``oversight.ineffective_sign_off``
  finding of a copied assessment that was signed off) are listed too. Every plant
  is checked to have produced the finding it was meant to produce.

Everything is deterministic for a given seed (one :class:`random.Random`) and a given
real today (``today``, default ``date.today()``): no date in a column that records
something that happened is ever later than it.

Readings of SPEC §5 taken where it is terse (the evaluator below and the data agree):

* ``level_unclear`` needs at least one completed assessment of the kind: a case with
  none is ``missing`` only.
* In a plan-review sequence a plan's creation sorts before a review on the same day;
  for ``public.victims`` a ``victim_safety`` plan sorts before a ``victim_liaison``
  referral on the same day (the data avoids such ties where they would matter).
* "Signed off" means ``signed_off_by`` filled and ``signed_off_date`` empty or not
  after as_of; quality assurance likewise.
* The basis of a court report named by ``assessment_id`` must also be completed by
  as_of; otherwise the basis falls back to the child's latest reoffending assessment.
* A quarantined row that names a case in scope (including a duplicate-id row) raises
  ``data.record_excluded`` on that case; an ``offences`` row on every case in scope
  of the child.
* An ``as_of`` later than today is replaced by today (and the ground truth says so).
"""

from __future__ import annotations

import bisect
import calendar as _stdcal
import csv
import gc
import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays

__all__ = [
    "DATE_COLUMNS",
    "FORWARD_LOOKING_DATE_COLUMNS",
    "REASONS",
    "TABLES",
    "generate_export",
    "narrative_similarity",
]

#: Canonical tables and their columns, in the order they are written.
TABLES: dict[str, tuple[str, ...]] = {
    "cases": (
        "case_id",
        "child_id",
        "case_manager",
        "team",
        "disposal_type",
        "start_date",
        "sentence_date",
        "end_date",
        "release_date",
        "mappa_eligible",
        "mappa_level",
        "has_identified_victim",
        "date_of_birth",
    ),
    "assessments": (
        "assessment_id",
        "case_id",
        "kind",
        "stage",
        "completed_date",
        "author",
        "level",
        "narrative",
        "signed_off_by",
        "signed_off_date",
        "diversity_assessed",
        "child_views_recorded",
        "parent_carer_involved",
    ),
    "plans": (
        "plan_id",
        "case_id",
        "kind",
        "created_date",
        "author",
        "has_contingency",
        "signed_off_by",
        "signed_off_date",
    ),
    "plan_reviews": ("review_id", "plan_id", "review_date", "author"),
    "events": ("event_id", "case_id", "event_date", "kind", "significant"),
    "court_reports": (
        "report_id",
        "case_id",
        "kind",
        "court_date",
        "submitted_date",
        "author",
        "quality_assured_by",
        "quality_assured_date",
        "assessment_id",
        "rosh_addressed",
    ),
    "offences": ("offence_id", "child_id", "offence_date", "category"),
    "referrals": ("referral_id", "case_id", "kind", "referral_date"),
    "staff": ("name", "role", "team"),
}

#: Date columns of each table.
DATE_COLUMNS: dict[str, frozenset[str]] = {
    "cases": frozenset(
        {"start_date", "sentence_date", "end_date", "release_date", "date_of_birth"}
    ),
    "assessments": frozenset({"completed_date", "signed_off_date"}),
    "plans": frozenset({"created_date", "signed_off_date"}),
    "plan_reviews": frozenset({"review_date"}),
    "events": frozenset({"event_date"}),
    "court_reports": frozenset({"court_date", "submitted_date", "quality_assured_date"}),
    "offences": frozenset({"offence_date"}),
    "referrals": frozenset({"referral_date"}),
    "staff": frozenset(),
}

#: The only date columns that may legitimately hold a date after today (SPEC §2).
FORWARD_LOOKING_DATE_COLUMNS = frozenset({"end_date", "release_date", "court_date"})

_BOOL_COLUMNS: dict[str, frozenset[str]] = {
    "cases": frozenset({"mappa_eligible", "has_identified_victim"}),
    "assessments": frozenset(
        {"diversity_assessed", "child_views_recorded", "parent_carer_involved"}
    ),
    "plans": frozenset({"has_contingency"}),
    "events": frozenset({"significant"}),
    "court_reports": frozenset({"rosh_addressed"}),
}
_INT_COLUMNS: dict[str, frozenset[str]] = {"cases": frozenset({"mappa_level"})}

_TEAMS = ("North", "South", "East", "West")
_CASE_MANAGERS = (
    ("Aisha Rahman", "North"),
    ("Dafydd Jones", "North"),
    ("Chloé Martin", "South"),
    ("Liam O'Connor", "South"),
    ("Priya Shah", "East"),
    ("Kwame Mensah", "East"),
    ("Zoë Whitaker", "West"),
    ("Tomasz Nowak", "West"),
)
_PRACTICE_MANAGERS = {
    "North": "Helen Okafor",
    "South": "Marcus Bell",
    "East": "Ruth Lindqvist",
    "West": "Imran Chaudhry",
}
_OPERATIONAL_MANAGERS = (("Joanne Fairweather", "North"), ("Gareth Pryce", "South"))
_OTHER_STAFF = (("Siân Morgan", "North"), ("Tom Adeyemi", "East"))
_FIRST_NAMES = (
    "Aaliyah",
    "Adam",
    "Alfie",
    "Amara",
    "Amelia",
    "Anna",
    "Ben",
    "Bethan",
    "Callum",
    "Carys",
    "Chen",
    "Ciara",
    "Connor",
    "Daniel",
    "Deborah",
    "Eleanor",
    "Emeka",
    "Erin",
    "Fatima",
    "Finn",
    "Grace",
    "Hamza",
    "Hannah",
    "Harvey",
    "Ifeoma",
    "Isla",
    "Jack",
    "Jasmine",
    "Jordan",
    "Kai",
    "Kate",
    "Leah",
    "Lewis",
    "Lucy",
    "Mohammed",
    "Molly",
    "Nadia",
    "Niamh",
    "Oliver",
    "Olivia",
    "Oscar",
    "Paige",
    "Rachel",
    "Rhys",
    "Rosa",
    "Ryan",
    "Sadia",
    "Sam",
    "Sophie",
    "Stefan",
    "Tariq",
    "Theo",
    "Una",
    "Victoria",
    "Wiktoria",
    "Yusuf",
    "Zara",
    "Ewan",
    "Megan",
    "Declan",
)
_SURNAMES = (
    "Adams",
    "Ahmed",
    "Ali",
    "Bailey",
    "Baker",
    "Begum",
    "Brown",
    "Campbell",
    "Carter",
    "Clarke",
    "Collins",
    "Cooper",
    "Davies",
    "Edwards",
    "Evans",
    "Fraser",
    "Green",
    "Hall",
    "Harris",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Kaur",
    "Kelly",
    "Khan",
    "King",
    "Kowalski",
    "Lewis",
    "Lloyd",
    "Malik",
    "Marsh",
    "Mitchell",
    "Morris",
    "Murphy",
    "Nguyen",
    "Owen",
    "Patel",
    "Phillips",
    "Price",
    "Quinn",
    "Roberts",
    "Robinson",
    "Scott",
    "Singh",
    "Smith",
    "Stewart",
    "Taylor",
    "Thomas",
    "Thompson",
    "Turner",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
)

_DISPOSALS = (
    ("referral_order", 0.27),
    ("community", 0.31),
    ("custody", 0.16),
    ("out_of_court", 0.16),
    ("other", 0.10),
)
_DISPOSAL_LENGTH = {  # days: (min, max)
    "referral_order": (90, 365),
    "community": (180, 730),
    "custody": (120, 730),
    "out_of_court": (60, 180),
    "other": (90, 365),
}
_VIOLENT = ("violence", "sexual", "robbery", "weapons", "arson")
_NON_VIOLENT = (
    "burglary",
    "drugs",
    "motoring",
    "theft",
    "public_order",
    "criminal_damage",
    "other",
)
_LEVELS = ("low", "medium", "high", "very_high")
_RANK = {"low": 0, "medium": 1, "high": 2, "very_high": 3}
_MANAGER_ROLES = frozenset({"practice_manager", "operational_manager"})

_REOFF_TRIGGERS = frozenset(
    {
        "new_offence",
        "arrest",
        "breach",
        "custody_release",
        "change_of_address",
        "change_of_care_status",
        "school_exclusion",
    }
)
_ROSH_TRIGGERS = frozenset({"new_offence", "arrest", "custody_release", "victim_concern"})
_VULN_TRIGGERS = frozenset(
    {
        "safeguarding_concern",
        "missing_episode",
        "change_of_address",
        "change_of_care_status",
        "custody_release",
        "school_exclusion",
    }
)
_EVENT_KINDS = (
    ("new_offence", 0.11),
    ("arrest", 0.08),
    ("breach", 0.08),
    ("change_of_address", 0.11),
    ("change_of_care_status", 0.05),
    ("safeguarding_concern", 0.11),
    ("missing_episode", 0.08),
    ("school_exclusion", 0.08),
    ("victim_concern", 0.07),
    ("other", 0.23),
)

# Review sequences: assessment kinds and plan kinds whose dated records must be
# kept up to date (SPEC §5 "Reviews" and "Plan reviews").
_SEQS = ("reoff", "rosh", "vuln", "plan", "rmp", "vmp")
_SEQ_CHECK = {
    "reoff": "reoffending.assessment_review",
    "rosh": "public.rosh_review",
    "vuln": "child.vulnerability_review",
    "plan": "reoffending.plan_review",
    "rmp": "public.rmp_review",
    "vmp": "child.vmp_review",
}
_SEQ_TRIGGERS = {
    "reoff": _REOFF_TRIGGERS,
    "rosh": _ROSH_TRIGGERS,
    "vuln": _VULN_TRIGGERS,
    "plan": _REOFF_TRIGGERS,
    "rmp": _ROSH_TRIGGERS,
    "vmp": _VULN_TRIGGERS,
}
_SEQ_ASSESSMENT_KIND = {"reoff": "reoffending", "rosh": "rosh", "vuln": "vulnerability"}
_SEQ_PLAN_KINDS = {
    "plan": frozenset({"intervention", "custody"}),
    "rmp": frozenset({"risk_management"}),
    "vmp": frozenset({"vulnerability_management"}),
}
_SEQ_REASON = {"overdue": "overdue", "late": "late", "event": "not_reviewed_after_event"}

# Plants: key -> (check id, reason, slot). One plant per slot per case.
_PLANTS: dict[str, tuple[str, str, str]] = {
    "ia_missing": ("reoffending.initial_assessment", "missing", "reoff_ia"),
    "ia_late": ("reoffending.initial_assessment", "late", "reoff_ia"),
    "copied": ("reoffending.copied_assessment", "copied", "copy"),
    "psr_late": ("reoffending.court_report", "late", "psr"),
    "psr_no_qa": ("reoffending.court_report", "no_quality_assurance", "psr"),
    "psr_old": ("reoffending.court_report", "old_assessment", "psr"),
    "psr_rosh": ("public.court_report_rosh", "rosh_not_addressed", "psr"),
    "ip_missing": ("reoffending.intervention_plan", "missing", "plan"),
    "ip_late": ("reoffending.intervention_plan", "late", "plan"),
    "cp_missing": ("reoffending.custody_plan", "missing", "plan"),
    "cp_late": ("reoffending.custody_plan", "late", "plan"),
    "rosh_missing": ("public.rosh_assessment", "missing", "rosh_ia"),
    "rosh_late": ("public.rosh_assessment", "late", "rosh_ia"),
    "rosh_unclear": ("public.rosh_assessment", "level_unclear", "rosh_ia"),
    "rosh_overlooked": ("public.rosh_offences_overlooked", "offences_overlooked", "rosh_ia"),
    "rmp_missing": ("public.risk_management_plan", "missing", "rmp"),
    "rmp_late": ("public.risk_management_plan", "late", "rmp"),
    "rmp_nocont": ("public.risk_management_plan", "no_contingency", "rmp"),
    "release_missing": ("public.release_plan", "missing", "release"),
    "release_late": ("public.release_plan", "late", "release"),
    "victim_none": ("public.victims", "victim_not_addressed", "victims"),
    "victim_late": ("public.victims", "late", "victims"),
    "mappa_level": ("public.mappa", "level_not_recorded", "mappa"),
    "mappa_referral": ("public.mappa", "not_referred", "mappa"),
    "vuln_missing": ("child.vulnerability_assessment", "missing", "vuln_ia"),
    "vuln_late": ("child.vulnerability_assessment", "late", "vuln_ia"),
    "vuln_unclear": ("child.vulnerability_assessment", "level_unclear", "vuln_ia"),
    "vmp_missing": ("child.vulnerability_management_plan", "missing", "vmp"),
    "vmp_late": ("child.vulnerability_management_plan", "late", "vmp"),
    "vmp_nocont": ("child.vulnerability_management_plan", "no_contingency", "vmp"),
    "div": ("sentence.diversity", "not_assessed", "sentence"),
    "child_inv": ("sentence.involvement", "child_not_involved", "sentence"),
    "carer_inv": ("sentence.involvement", "carer_not_involved", "sentence"),
    "so_missing": ("oversight.sign_off", "missing", "signoff"),
    "so_late": ("oversight.sign_off", "late", "signoff"),
    "so_self": ("oversight.sign_off", "self_sign_off", "signoff"),
    "so_before": ("oversight.sign_off", "before_completion", "signoff"),
    "so_not_manager": ("oversight.sign_off", "not_a_manager", "signoff"),
}
for _seq in _SEQS:
    for _mode, _reason in _SEQ_REASON.items():
        _PLANTS[f"rv_{_seq}_{_mode}"] = (_SEQ_CHECK[_seq], _reason, f"{_seq}_seq")

# Slots a plant excludes in the same case (checked both ways).
_CONFLICTS: dict[str, frozenset[str]] = {
    "ia_missing": frozenset({"reoff_seq", "sentence", "psr", "signoff", "copy"}),
    "rosh_missing": frozenset({"rosh_seq", "rmp", "rmp_seq"}),
    "rosh_late": frozenset({"rmp", "rmp_seq"}),
    "rosh_unclear": frozenset({"rmp", "rmp_seq"}),
    "rosh_overlooked": frozenset({"rmp", "rmp_seq"}),
    "vuln_missing": frozenset({"vuln_seq", "vmp", "vmp_seq"}),
    "vuln_late": frozenset({"vmp", "vmp_seq"}),
    "vuln_unclear": frozenset({"vmp", "vmp_seq"}),
    "ip_missing": frozenset({"plan_seq"}),
    "cp_missing": frozenset({"plan_seq"}),
    "rmp_missing": frozenset({"rmp_seq"}),
    "vmp_missing": frozenset({"vmp_seq"}),
}

_RMP_PLANTS = frozenset(
    {"rmp_missing", "rmp_late", "rmp_nocont", "rv_rmp_overdue", "rv_rmp_late", "rv_rmp_event"}
)
_VMP_PLANTS = frozenset(
    {"vmp_missing", "vmp_late", "vmp_nocont", "rv_vmp_overdue", "rv_vmp_late", "rv_vmp_event"}
)

#: Reason codes that findings of the catalog can carry, by check (SPEC §5).
REASONS: dict[str, tuple[str, ...]] = {}
for _check, _reason, _slot in _PLANTS.values():
    REASONS.setdefault(_check, ())
    if _reason not in REASONS[_check]:
        REASONS[_check] += (_reason,)
REASONS["oversight.ineffective_sign_off"] = ("signed_off_deficient",)
REASONS["data.record_excluded"] = ("record_excluded",)

_WORD_SPLIT = re.compile(r"[\W_]+")  # every non-alphanumeric character


def _words(text: str) -> list[str]:
    return [w for w in _WORD_SPLIT.split(text.lower()) if w]


def _trigrams(words: list[str]) -> set[tuple[str, str, str]]:
    return set(zip(words, words[1:], words[2:], strict=False))


def narrative_similarity(a: str, b: str) -> float:
    """Return the SPEC §5 similarity of two narratives.

    Jaccard index of the sets of word 3-grams, after lower-casing and replacing
    every non-alphanumeric character by a space. Two texts without any 3-gram
    have similarity 0.
    """
    ta, tb = _trigrams(_words(a)), _trigrams(_words(b))
    union = ta | tb
    return len(ta & tb) / len(union) if union else 0.0


# --------------------------------------------------------------------------------------
# Narratives
# --------------------------------------------------------------------------------------

_OPENERS = (
    "At interview",
    "During the home visit",
    "In supervision",
    "At the office",
    "On the phone",
    "At the panel meeting",
    "In the last session",
    "Since the order began",
    "Over the past month",
    "In a joint visit with social care",
    "At school",
    "When seen with mum",
    "When seen with dad",
    "In the planning meeting",
    "At the review meeting",
    "In a one to one session",
    "During a walk and talk session",
    "At the youth club",
    "On a video call",
    "At the family centre",
    "After court",
    "During reparation",
    "In the custody review",
    "When seen at college",
    "Over the summer",
)
_CHILD_SUBJECTS = ("the young person", "he", "she", "the child", "our young person")
_INFORMANTS = (
    "Mum said that",
    "Dad reported that",
    "The carer told me that",
    "Nan explained that",
    "The social worker confirmed that",
    "The school reported that",
    "Police said that",
    "The keyworker noted that",
    "The foster carer said that",
    "The college tutor said that",
)
_TAILS = (
    "",
    "",
    "",
    " which is a concern",
    " and this was discussed with the family",
    " according to the school",
    " though this has improved recently",
    " and a referral has been made",
    " which needs to be monitored",
    " as confirmed by police",
    " and was open about it",
    " but would not say more",
    " and mum agreed with this",
    " so the plan was changed",
    " and this is new information",
    " which is a protective factor",
    " and this was shared with the manager",
)
_CLAUSES = {
    "reoffending": (
        "admitted the offence but minimised their part in it",
        "said the offence happened after drinking with older friends",
        "has not been attending school since the exclusion",
        "is smoking cannabis most days and owes money to a dealer",
        "has started a construction course at the local college",
        "spends most evenings in the town centre with peers known to police",
        "showed some victim empathy when the harm was talked through",
        "struggles to manage anger when challenged by staff",
        "has kept every appointment this month",
        "missed two appointments without giving a reason",
        "wants to get a job as a mechanic like an uncle",
        "was arrested for shoplifting with a cousin",
        "is sleeping at a friend's flat most nights",
        "said there is nothing to do in the village",
        "has paid part of the compensation order",
        "has been linked to county lines activity by police",
        "gets on well with the reparation supervisor",
        "is bored and says offending is for excitement",
        "broke the curfew three times in the last fortnight",
        "is in a relationship that seems to be a good influence",
        "has a part time job at a car wash on Saturdays",
        "could not explain how the stolen goods came to be at home",
        "completed the victim awareness sessions",
        "is drinking heavily at weekends with older lads",
        "has fallen out with the gang and wants a fresh start",
        "is on a reduced timetable of two hours a day",
        "talked about wanting to make mum proud",
        "has debts to other young people that may lead to more theft",
        "engaged well with the boxing project",
        "attributes the offending to boredom and peer pressure",
    ),
    "rosh": (
        "carried a knife for protection and says everyone does",
        "assaulted a peer at school causing a cut to the lip",
        "made threats to a neighbour on social media",
        "has a history of damaging property when angry",
        "was part of a group that robbed a younger boy of a phone",
        "shows no intent to harm others at present",
        "pushed mum during an argument about money",
        "set fire to a bin behind the shops",
        "has not been violent since moving placement",
        "was seen with a machete in a video shared online",
        "punched a member of staff at the children's home",
        "has younger siblings who may be at risk from the behaviour",
        "sent sexual images of a classmate to friends",
        "threw a brick at a passing bus",
        "has access to weapons through an older brother",
        "said the victim deserved what happened",
        "has been the aggressor in fights at the bus station",
        "keeps away from the victim's area as agreed",
        "was involved in a road rage incident on a moped",
        "has a conviction for possession of a bladed article",
        "was calm and reflective about the harm caused",
        "threatened a teacher after being excluded",
        "intimidated a witness before the trial",
        "damaged a car belonging to mum's partner",
        "has shown controlling behaviour towards a girlfriend",
        "is at risk of retaliation from a rival group",
        "talked about getting a gun to feel safe",
        "was restrained twice in custody this month",
        "has stopped carrying weapons according to police",
        "understands the consequences of further violence",
    ),
    "vulnerability": (
        "was reported missing overnight and returned the next morning",
        "self harmed by cutting last month",
        "is at risk of criminal exploitation by older males",
        "has low mood and is waiting for a mental health appointment",
        "lives in an overcrowded flat with five siblings",
        "is not eating properly and looks tired",
        "disclosed being bullied online",
        "has a diagnosis of ADHD and struggles in class",
        "is in foster care after a placement breakdown",
        "has no trusted adult to talk to",
        "is sofa surfing between relatives",
        "has been groomed by an older man met online",
        "is a young carer for a disabled parent",
        "witnessed domestic abuse at home",
        "has a speech and language need that affects understanding",
        "has spoken about suicidal thoughts to a teacher",
        "uses cannabis to cope with anxiety",
        "was assaulted by a rival group in the park",
        "has a child protection plan for neglect",
        "was found with large amounts of cash and two phones",
        "has an education health and care plan",
        "is grieving the recent death of a grandparent",
        "has been sleeping in a car with mum",
        "is frightened to go out after dark",
        "has started seeing the school counsellor",
        "was taken to hospital after drinking too much",
        "has gaps in the history because of care moves",
        "has a learning disability and is easily led",
        "is worried about immigration status",
        "is settled at the new placement and feels safe",
    ),
}
_POOL_SIZE = 2503  # prime: any step walks the whole pool without repeats
_SHORT_NARRATIVES = (
    "No change since last review.",
    "Reviewed, nothing new to add.",
    "See previous assessment.",
    "As before.",
)
_SCRIPT_NARRATIVE = (
    "The referral form was copied in with odd text pasted by the young person: "
    "<script>alert('hello')</script> & \"quotes\". At interview the young person "
    "was calm and said the form had been filled in as a joke with friends, and "
    "that school had already dealt with it."
)
_COPY_EDITS = (
    ("has", "had"),
    ("is", "was"),
    ("the", "a"),
    ("and", "but"),
    ("said", "says"),
)


@lru_cache(maxsize=1)
def _sentence_pools() -> dict[str, tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]]:
    """Pools of sentences per assessment kind, with their word counts and clause numbers."""
    rng = random.Random(20130318)
    pools: dict[str, tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]] = {}
    for kind, clauses in _CLAUSES.items():
        seen: set[str] = set()
        texts: list[str] = []
        numbers: list[int] = []
        while len(texts) < _POOL_SIZE:
            number = int(rng.random() * len(clauses))
            clause = clauses[number]
            tail = rng.choice(_TAILS)
            if rng.random() < 0.3:
                informant = rng.choice(_INFORMANTS)
                sentence = f"{informant} {rng.choice(_CHILD_SUBJECTS)} {clause}{tail}."
            else:
                subject = rng.choice(_CHILD_SUBJECTS)
                sentence = f"{rng.choice(_OPENERS)}, {subject} {clause}{tail}."
            if sentence not in seen:
                seen.add(sentence)
                texts.append(sentence[0].upper() + sentence[1:])
                numbers.append(number)
        pools[kind] = (tuple(texts), tuple(len(_words(t)) for t in texts), tuple(numbers))
    return pools


# --------------------------------------------------------------------------------------
# Calendar (private: sqs_checks.calendar is written separately)
# --------------------------------------------------------------------------------------


class _WorkingDays:
    """Working days (Mon-Fri less England and Wales bank holidays) as date ordinals."""

    def __init__(self, first_year: int, last_year: int) -> None:
        bank = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
        hol = {d.toordinal() for d in bank}
        lo = date(first_year, 1, 1).toordinal()
        hi = date(last_year, 12, 31).toordinal()
        # date.fromordinal(1) is a Monday, so (o - 1) % 7 is the weekday.
        self.days = [o for o in range(lo, hi + 1) if (o - 1) % 7 < 5 and o not in hol]

    def add(self, d: int, n: int) -> int:
        """``wd_add``: the n-th working day after d (d not counted); n = 0 gives d."""
        if n == 0:
            return d
        return self.days[bisect.bisect_right(self.days, d) + n - 1]

    def sub(self, d: int, n: int) -> int:
        """``wd_sub``: the n-th working day before d; n = 0 gives d."""
        if n == 0:
            return d
        return self.days[bisect.bisect_left(self.days, d) - n]

    def next_on_or_after(self, d: int) -> int:
        """The first working day on or after d."""
        return self.days[bisect.bisect_left(self.days, d)]


@lru_cache(maxsize=65536)
def _add_months(d: int, months: int) -> int:
    """SPEC §3 ``add_months`` on date ordinals (day clamped to the month's end)."""
    x = date.fromordinal(d)
    years, month0 = divmod(x.month - 1 + months, 12)
    year = x.year + years
    day = min(x.day, _stdcal.monthrange(year, month0 + 1)[1])
    return date(year, month0 + 1, day).toordinal()


# --------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class _Child:
    id: str
    dob: int
    violent: bool
    cases: list[_Case] = field(default_factory=list)
    offences: list[_Offence] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class _Case:
    id: str
    child: _Child
    cm: str
    team: str
    disposal: str
    start: int
    status: str  # "open" (in scope), "closed" or "future"
    end: int | None = None
    sentence_date: int | None = None
    release: int | None = None
    mappa_eligible: bool | None = None
    mappa_level: int | None = None
    victim: bool | None = None
    psr: bool = False
    plants: list[str] = field(default_factory=list)
    slots: set[str] = field(default_factory=set)
    assessments: list[_Assessment] = field(default_factory=list)
    plans: list[_Plan] = field(default_factory=list)
    events: list[_Event] = field(default_factory=list)
    reports: list[_Report] = field(default_factory=list)
    referrals: list[_Referral] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)  # record ids used by a plant


@dataclass(slots=True, eq=False)
class _Assessment:
    id: str
    case: _Case
    kind: str
    stage: str
    completed: int | None
    author: str
    level: str | None = None
    narrative: str | None = None
    sig: tuple[int, ...] | None = None
    nwords: int = 0
    signer: str | None = None
    sign_date: int | None = None
    diversity: bool | None = None
    child_views: bool | None = None
    carer: bool | None = None


@dataclass(slots=True, eq=False)
class _Plan:
    id: str
    case: _Case
    kind: str
    created: int
    author: str
    contingency: bool | None = None
    signer: str | None = None
    sign_date: int | None = None
    reviews: list[_PlanReview] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class _PlanReview:
    id: str
    plan: _Plan
    date: int
    author: str | None


@dataclass(slots=True, eq=False)
class _Event:
    id: str
    case: _Case
    date: int
    kind: str
    significant: bool | None


@dataclass(slots=True, eq=False)
class _Report:
    id: str
    case: _Case
    kind: str
    court_date: int | None
    submitted: int | None
    author: str
    qa_by: str | None = None
    qa_date: int | None = None
    assessment_id: str | None = None
    rosh_addressed: bool | None = None


@dataclass(slots=True, eq=False)
class _Offence:
    id: str
    child: _Child
    date: int
    category: str


@dataclass(slots=True, eq=False)
class _Referral:
    id: str
    case: _Case
    kind: str
    date: int


@dataclass(slots=True)
class _ProblemRow:
    """A deliberately bad input row and what a reader must report about it."""

    table: str
    values: list[Any]
    column: str
    case_ids: list[str]
    after: _Assessment | None = None  # the record this row must follow (duplicate ids)
    row: int = 0


# --------------------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------------------


class _Generator:
    """Builds the records of one export; see :func:`generate_export`."""

    def __init__(
        self,
        *,
        as_of: date,
        cases: int,
        seed: int,
        assessments_per_case: float | None,
        narratives: bool,
        input_problems: bool,
        today: date | None = None,
    ) -> None:
        real_today = today or date.today()
        self.today = real_today.toordinal()
        self.as_of = min(as_of.toordinal(), self.today)
        self.n_cases = cases
        self.seed = seed
        self.target_apc = assessments_per_case
        self.narratives = narratives
        self.want_problems = input_problems
        self.rng = random.Random(seed)
        first = date.fromordinal(self.as_of).year - 6
        last = max(date.fromordinal(self.as_of).year, real_today.year) + 3
        self.cal = _WorkingDays(first, last)
        self.gap_lo, self.gap_hi = 56, 84
        self.age_scale = 1.0
        self.children: list[_Child] = []
        self.cases: list[_Case] = []
        self.staff: list[tuple[str, str, str | None]] = []
        self.roles: dict[str, str] = {}
        self.case_managers: list[tuple[str, str]] = []
        self.cms_by_team: dict[str, list[str]] = {}
        self.pm: dict[str, str] = {}
        self.oms: list[str] = []
        self.others: list[str] = []
        self.problems: list[_ProblemRow] = []
        self.findings: set[tuple[str, str, str, str, str]] = set()
        self.counters: dict[str, int] = {}
        self._pools = _sentence_pools()
        self._used: dict[tuple[str, str], tuple[set[int], list[set[int]]]] = {}
        self.assessment_by_id: dict[str, _Assessment] = {}
        self.pred: dict[str, _Assessment] = {}
        self.child_reoff: dict[str, list[_Assessment]] = {}

    # ---- ids ---------------------------------------------------------------------------

    _ID_FORMAT = {
        "case": "C%07d",
        "child": "Y%07d",
        "assessment": "A%08d",
        "plan": "P%08d",
        "review": "R%08d",
        "event": "E%08d",
        "report": "CR%07d",
        "offence": "O%08d",
        "referral": "RF%07d",
    }

    def _id(self, kind: str) -> str:
        counters = self.counters
        n = counters[kind] = counters.get(kind, 0) + 1
        return self._ID_FORMAT[kind] % n

    # ---- small random helpers ----------------------------------------------------------

    def _int(self, lo: int, hi: int) -> int:
        """Uniform integer in [lo, hi]."""
        return lo + int(self.rng.random() * (hi - lo + 1))

    def _weighted(self, options: tuple[tuple[str, float], ...]) -> str:
        u = self.rng.random()
        acc = 0.0
        for value, weight in options:
            acc += weight
            if u < acc:
                return value
        return options[-1][0]

    def _bool_value(self, p_true: float = 1.0, p_blank: float = 0.0) -> bool | None:
        u = self.rng.random()
        if u < p_blank:
            return None
        return u < p_blank + (1.0 - p_blank) * p_true

    # ---- staff -------------------------------------------------------------------------

    def make_staff(self) -> None:
        """Teams, case managers, practice/operational managers and other staff."""
        n_cm = max(8, min(3000, self.n_cases // 30))
        if n_cm == 8:
            cms = list(_CASE_MANAGERS)
        else:
            combos = [(f, s) for f in _FIRST_NAMES for s in _SURNAMES]
            random.Random(self.seed + 1).shuffle(combos)
            reserved = {n for n, _ in _CASE_MANAGERS}
            reserved |= set(_PRACTICE_MANAGERS.values())
            reserved |= {n for n, _ in _OPERATIONAL_MANAGERS + _OTHER_STAFF}
            names = [f"{f} {s}" for f, s in combos if f"{f} {s}" not in reserved]
            cms = list(_CASE_MANAGERS) + [
                (names[i], _TEAMS[i % 4]) for i in range(n_cm - len(_CASE_MANAGERS))
            ]
        self.case_managers = cms
        for name, team in cms:
            self.cms_by_team.setdefault(team, []).append(name)
            self.staff.append((name, "case_manager", team))
        for team in _TEAMS:
            self.pm[team] = _PRACTICE_MANAGERS[team]
            self.staff.append((_PRACTICE_MANAGERS[team], "practice_manager", team))
        for name, team in _OPERATIONAL_MANAGERS:
            self.oms.append(name)
            self.staff.append((name, "operational_manager", team))
        for name, team in _OTHER_STAFF:
            self.others.append(name)
            self.staff.append((name, "other", team))
        self.roles = {name.strip().lower(): role for name, role, _ in self.staff}

    # ---- skeleton: children and cases --------------------------------------------------

    def _draw_age(self) -> int:
        u = self.rng.random()
        if u < 0.03:
            age = self._int(0, 6)
        elif u < 0.45:
            age = self._int(7, 90)
        elif u < 0.8:
            age = self._int(91, 240)
        else:
            age = self._int(241, 540)
        return age

    def _new_case(self, child: _Child, start: int, status: str) -> _Case:
        cm, team = self.case_managers[int(self.rng.random() * len(self.case_managers))]
        disposal = self._weighted(_DISPOSALS)
        return _Case(
            id="",
            child=child,
            cm=cm,
            team=team,
            disposal=disposal,
            start=start,
            status=status,
        )

    def make_skeleton(self) -> None:
        """Children, their cases, and each case's dates and flags."""
        r = self.rng.random
        A, T = self.as_of, self.today
        room = T - A
        made = 0
        while made < self.n_cases:
            u = r()
            k = 1 if u < 0.78 else 2 if u < 0.95 else 3
            k = min(k, self.n_cases - made)
            child = _Child(id=self._id("child"), dob=0, violent=r() < 0.3)
            u = r()
            if room >= 2 and k == 1 and u < 0.025:
                last = self._new_case(child, A + self._int(1, min(room, 40)), "future")
            elif u < 0.11:
                last = self._new_case(child, A - self._int(100, 700), "closed")
                lo, hi = _DISPOSAL_LENGTH[last.disposal]
                end = last.start + self._int(lo, hi)
                if end >= A:
                    end = A - self._int(1, 60)
                last.end = max(end, last.start + 45)
            else:
                last = self._new_case(child, A - int(self._draw_age() * self.age_scale), "open")
            chain = [last]
            for _ in range(k - 1):
                nxt = chain[0]
                if nxt.status == "open" and r() < 0.25:
                    case = self._new_case(child, nxt.start - self._int(20, 200), "open")
                else:
                    end = nxt.start - self._int(7, 250)
                    case = self._new_case(child, 0, "closed")
                    lo, hi = _DISPOSAL_LENGTH[case.disposal]
                    case.start = end - self._int(max(lo, 45), hi)
                    case.end = end
                chain.insert(0, case)
            chain.sort(key=lambda c: c.start)
            child.dob = chain[0].start - self._int(10 * 365 + 3, 17 * 365 + 300)
            for case in chain:
                case.id = self._id("case")
                child.cases.append(case)
                self.cases.append(case)
                self._case_flags(case)
            self.children.append(child)
            made += k

    def _case_flags(self, c: _Case) -> None:
        r = self.rng.random
        lo, hi = _DISPOSAL_LENGTH[c.disposal]
        if c.status == "open":
            u = r()
            if u < 0.01:
                c.end = self.as_of
            elif u < 0.3:
                planned = c.start + self._int(lo, hi)
                if planned >= self.as_of:
                    c.end = planned
        if c.disposal in ("referral_order", "community", "custody") and r() < 0.93:
            c.sentence_date = c.start
        if c.disposal == "custody":
            c.release = c.start + self._int(75, 400)
            if c.end is not None and c.status == "closed" and c.release > c.end:
                c.release = max(c.start + 60, c.end - 10)
        eligible = c.child.violent and c.disposal in ("custody", "community") and r() < 0.35
        if eligible:
            c.mappa_eligible = True
            c.mappa_level = 1 if r() < 0.6 else 2 if r() < 0.75 else 3
        else:
            c.mappa_eligible = False if r() < 0.8 else None
        if r() < 0.55:
            c.victim = True
        else:
            c.victim = False if r() < 0.85 else None
        c.psr = c.disposal in ("community", "custody") and r() < 0.7

    # ---- cadence calibration -----------------------------------------------------------

    def calibrate(self) -> None:
        """Pick the review cadence (and, if needed, younger cases) for the asked density.

        A rough model of the build below: a case past its first weeks has one initial
        assessment of each of the three kinds, then one of each kind per review (every
        ``gap`` days, plus after trigger events); closed cases are reviewed sparsely.
        """
        target = self.target_apc
        if target is None or not self.cases:
            return
        A = self.as_of
        open_spans = [A - c.start for c in self.cases if c.status == "open"]
        fixed = 0.0
        for c in self.cases:
            if c.status == "closed":
                fixed += 3.6 + 3 * max(0, (c.end or A) - c.start - 100) / 180
            elif c.status == "future":
                fixed += 3
        n = len(self.cases)

        def estimate(mean_gap: float, scale: float) -> float:
            total = fixed
            rate = 1 / mean_gap + 0.003
            for span in open_spans:
                s = span * scale
                total += 3 * min(1.0, s / 20) + 3 * max(0.0, s - 35) * rate
            return total / n

        if estimate(70.0, 1.0) > target:
            lo, hi = 0.0, 1.0
            for _ in range(30):
                mid = (lo + hi) / 2
                if estimate(70.0, mid) > target:
                    hi = mid
                else:
                    lo = mid
            self.age_scale = lo
            for c in self.cases:
                if c.status == "open":
                    c.start = A - int((A - c.start) * lo)
                    if c.release is not None:
                        c.release = c.start + self._int(75, 400)
            return
        lo_gap, hi_gap = 3.0, 70.0
        for _ in range(30):
            mid = (lo_gap + hi_gap) / 2
            if estimate(mid, 1.0) > target:
                lo_gap = mid
            else:
                hi_gap = mid
        mean = (lo_gap + hi_gap) / 2
        self.gap_lo = max(1, int(mean * 0.8))
        self.gap_hi = min(84, max(self.gap_lo + 1, int(mean * 1.2)))

    # ---- plants ------------------------------------------------------------------------

    def _eligible(self, key: str, c: _Case) -> bool:
        age = self.as_of - c.start
        custody = c.disposal == "custody"
        if key in ("ia_missing", "ia_late"):
            return not c.psr and age >= (45 if key == "ia_missing" else 60)
        if key == "copied":
            if not self.narratives:
                return False
            earlier = any(o is not c and o.start < c.start for o in c.child.cases)
            return age >= 130 or (earlier and age >= 45)
        if key.startswith("rv_"):
            mode = key.rsplit("_", 1)[1]
            return age >= {"overdue": 200, "late": 270, "event": 120}[mode]
        if key in ("rosh_missing", "vuln_missing", "rosh_unclear", "vuln_unclear"):
            return age >= 45
        if key in ("rosh_late", "vuln_late"):
            return age >= 60
        if key == "rosh_overlooked":
            return age >= 45
        if key.startswith(("rmp_", "vmp_")):
            return age >= 90
        if key.startswith("ip_"):
            return not custody and age >= 60
        if key.startswith("cp_"):
            return custody and age >= 50
        if key.startswith("release_"):
            return custody and age >= 90
        if key.startswith("victim_"):
            return age >= 50
        if key.startswith("mappa_"):
            return True
        if key in ("psr_late", "psr_no_qa", "psr_rosh"):
            return c.psr and age >= 10
        if key == "psr_old":
            return c.psr and age >= 45 and len(c.child.cases) == 1
        if key in ("div", "child_inv", "carer_inv"):
            return age >= 45
        if key.startswith("so_"):
            return age >= 60
        raise KeyError(key)

    def _compatible(self, key: str, c: _Case) -> bool:
        slot = _PLANTS[key][2]
        if slot in c.slots:
            return False
        mine = _CONFLICTS.get(key, frozenset())
        for other in c.plants:
            if _PLANTS[other][2] in mine or slot in _CONFLICTS.get(other, frozenset()):
                return False
        return True

    def _apply_plant_flags(self, key: str, c: _Case) -> None:
        """Case attributes a plant needs, set before the case is built."""
        r = self.rng.random
        if key == "rosh_overlooked":
            c.child.violent = True
        elif key.startswith("victim_"):
            c.victim = True
        elif key == "mappa_level":
            c.mappa_eligible, c.mappa_level = True, None
        elif key == "mappa_referral":
            c.mappa_eligible, c.mappa_level = True, 2 if r() < 0.7 else 3
        elif key == "release_missing":
            c.release = max(c.start + 75, self.as_of - 40 + self._int(0, 48))
        elif key == "release_late":
            c.release = max(c.start + 75, self.as_of - 45 + self._int(0, 35))

    def assign_plants(self) -> None:
        """Choose the defective cases and the defects planted in each."""
        rng = self.rng
        in_scope = [c for c in self.cases if c.status == "open"]
        if not in_scope:
            return
        order = in_scope[:]
        rng.shuffle(order)
        n_each = (
            1
            if self.n_cases < 150
            else 2
            if self.n_cases < 200
            else max(3, round(self.n_cases * 0.012))
        )
        defective = order[: max(1, round(0.28 * len(order)))]
        rest = order[len(defective) :]
        keys = sorted(_PLANTS)
        wanted = [k for k in keys for _ in range(n_each)]
        rng.shuffle(wanted)
        max_per_case = 4
        pointers: dict[str, int] = {k: int(rng.random() * len(defective)) for k in keys}
        rest_pointers: dict[str, int] = {k: 0 for k in keys}
        visited: dict[str, int] = {k: 0 for k in keys}
        for key in wanted:
            chosen = None
            while visited[key] < len(defective):
                c = defective[pointers[key] % len(defective)]
                pointers[key] += 1
                visited[key] += 1
                if (
                    len(c.plants) < max_per_case
                    and self._eligible(key, c)
                    and self._compatible(key, c)
                ):
                    chosen = c
                    break
            if chosen is None:
                while rest_pointers[key] < len(rest):
                    c = rest[rest_pointers[key]]
                    rest_pointers[key] += 1
                    if (
                        len(c.plants) < max_per_case
                        and self._eligible(key, c)
                        and self._compatible(key, c)
                    ):
                        chosen = c
                        break
            if chosen is None:
                continue
            chosen.plants.append(key)
            chosen.slots.add(_PLANTS[key][2])
            self._apply_plant_flags(key, chosen)

    # ---- narratives --------------------------------------------------------------------

    def _narrative(
        self, kind: str, used: set[int], last: list[set[int]]
    ) -> tuple[str | None, tuple[int, ...] | None, int]:
        """A new narrative of 30-60 words from the kind's pool of sentences.

        ``used`` holds the sentences already used for the child and kind, ``last[0]``
        the clauses of the child's last narrative of the kind: no sentence is used
        twice and no clause twice in a row, so that two narratives of a child stay far
        from the copy threshold unless a copy is planted.
        """
        r = self.rng.random
        u = r()
        if u < 0.01:
            return None, None, 0
        if u < 0.025:
            text = _SHORT_NARRATIVES[int(r() * len(_SHORT_NARRATIVES))]
            return text, None, len(_words(text))
        texts, counts, clauses = self._pools[kind]
        avoid = last[0]
        target = 30 + int(r() * 26)
        i = int(r() * _POOL_SIZE)
        step = 1 + int(r() * (_POOL_SIZE - 1))
        chosen: list[int] = []
        words = 0
        for _ in range(40):
            if i not in used and clauses[i] not in avoid:
                n = counts[i]
                if words + n <= 60:
                    chosen.append(i)
                    words += n
                    if words >= target:
                        break
                elif words >= 30:
                    break
            i = (i + step) % _POOL_SIZE
        used.update(chosen)
        last[0] = {clauses[j] for j in chosen}
        return " ".join([texts[j] for j in chosen]), tuple(chosen), words

    # ---- building ----------------------------------------------------------------------

    def _author(self, c: _Case) -> str:
        if self.rng.random() < 0.06:
            colleagues = self.cms_by_team[c.team]
            other = colleagues[int(self.rng.random() * len(colleagues))]
            return other
        return c.cm

    def _signer(self, c: _Case) -> str:
        r = self.rng.random
        name = self.pm[c.team] if r() < 0.85 else self.oms[int(r() * len(self.oms))]
        u = r()
        if u < 0.02:
            return name.upper()
        if u < 0.04:
            return name.lower()
        return name

    def _sign(self, c: _Case, doc: _Assessment | _Plan, completed: int) -> None:
        """Sign a document on time (0-3 working days), as a manager who is not the author."""
        r = self.rng.random
        when = self.cal.add(completed, int(r() * 4))
        if when > self.today:
            return
        doc.signer = self._signer(c)
        doc.sign_date = None if r() < 0.03 else when

    def _assessment(
        self, c: _Case, kind: str, stage: str, completed: int, level: str | None
    ) -> _Assessment:
        if self.narratives:
            key = (c.child.id, kind)
            memo = self._used.get(key)
            if memo is None:
                memo = self._used[key] = (set(), [set()])
            narrative, sig, nwords = self._narrative(kind, memo[0], memo[1])
        else:
            narrative, sig, nwords = None, None, 0
        r = self.rng.random
        author = c.cm if r() >= 0.06 else self._author(c)
        a = _Assessment(
            self._id("assessment"),
            c,
            kind,
            stage,
            completed,
            author,
            level,
            narrative,
            sig,
            nwords,
        )
        if kind == "reoffending":
            if stage == "initial":
                a.diversity = a.child_views = a.carer = True
            else:
                a.diversity, a.child_views, a.carer = r() < 0.97, r() < 0.97, r() < 0.95
        if stage == "initial" or level == "high" or level == "very_high":
            self._sign(c, a, completed)
        c.assessments.append(a)
        self.assessment_by_id[a.id] = a
        return a

    def _plan(self, c: _Case, kind: str, created: int, contingency: bool | None) -> _Plan:
        p = _Plan(
            id=self._id("plan"),
            case=c,
            kind=kind,
            created=created,
            author=self._author(c),
            contingency=contingency,
        )
        if kind in ("risk_management", "vulnerability_management", "release"):
            self._sign(c, p, created)
        elif kind in ("intervention", "custody") and self.rng.random() < 0.4:
            self._sign(c, p, created)
        c.plans.append(p)
        return p

    def _levels(self, c: _Case) -> dict[str, str | None]:
        r = self.rng.random
        p = set(c.plants)
        reoff = _LEVELS[int(r() * 4)] if r() < 0.97 else None
        if p & {"rosh_missing", "rosh_unclear"}:
            rosh: str | None = None
        elif "rosh_overlooked" in p:
            rosh = "low"
        elif p & _RMP_PLANTS:
            rosh = ("medium", "high", "very_high")[int(r() * 3)]
        elif c.child.violent:
            rosh = ("medium", "medium", "high", "very_high")[int(r() * 4)]
        else:
            u = r()
            rosh = "low" if u < 0.6 else "medium" if u < 0.9 else "high"
        if p & {"vuln_missing", "vuln_unclear"}:
            vuln: str | None = None
        elif p & _VMP_PLANTS:
            vuln = ("medium", "high", "very_high")[int(r() * 3)]
        else:
            u = r()
            vuln = (
                "low"
                if u < 0.45
                else "medium"
                if u < 0.8
                else "high"
                if u < 0.95
                else ("very_high")
            )
        return {"reoffending": reoff, "rosh": rosh, "vulnerability": vuln}

    def _child_history(self, child: _Child) -> None:
        first = child.cases[0].start
        n = self._int(1, 4)
        cats: list[str] = []
        for i in range(n):
            if child.violent and i == 0:
                cats.append(_VIOLENT[int(self.rng.random() * len(_VIOLENT))])
            else:
                cats.append(self._offence_category(child))
        for cat in cats:
            when = first - self._int(20, 3 * 365)
            when = max(when, child.dob + 10 * 365 + 3)
            self._offence(child, min(when, first - 14), cat)

    def _offence_category(self, child: _Child) -> str:
        if child.violent and self.rng.random() < 0.4:
            return _VIOLENT[int(self.rng.random() * len(_VIOLENT))]
        return _NON_VIOLENT[int(self.rng.random() * len(_NON_VIOLENT))]

    def _offence(self, child: _Child, when: int, category: str) -> None:
        child.offences.append(
            _Offence(id=self._id("offence"), child=child, date=when, category=category)
        )

    def build(self) -> None:
        """Build every child's offences and every case's records, compliant but for plants."""
        for child in self.children:
            self._child_history(child)
            for c in child.cases:
                self._build_case(c)

    def _initial_date(self, c: _Case, key: str, due: int) -> int | None:
        p = c.plants
        if f"{key}_missing" in p:
            return None
        if f"{key}_late" in p:
            latest = self.as_of - 1
            for _ in range(20):
                d = self.cal.add(c.start, due + self._int(1, 8))
                if d <= latest:
                    return d
            return self.cal.add(c.start, due + 1)
        return self.cal.add(c.start, self._int(1, due - 3))

    def _build_case(self, c: _Case) -> None:
        cal = self.cal
        r = self.rng.random
        S = c.start
        A = self.as_of
        if c.status == "closed":
            hz = c.end if c.end is not None else A
        elif c.status == "future":
            hz = min(self.today, S + 40)
        else:
            hz = A
        plants = set(c.plants)
        due = 20 if c.disposal == "referral_order" else 15
        levels = self._levels(c)

        # -- the pre-sentence report and its assessment
        psr: _Report | None = None
        r0: int | None = None
        if c.psr:
            court = S
            submitted: int | None = cal.sub(court, self._int(1, 3))
            late_unsubmitted = False
            if "psr_late" in plants:
                if r() < 0.5:
                    submitted = cal.add(court, self._int(1, 3))
                    if submitted > A:
                        submitted = None
                        late_unsubmitted = True
                else:
                    submitted = None
                    late_unsubmitted = True
            if submitted is not None and submitted > self.today:
                submitted = None
            psr = _Report(
                id=self._id("report"),
                case=c,
                kind="psr",
                court_date=court,
                submitted=submitted,
                author=c.cm,
                rosh_addressed=True,
            )
            basis_day = submitted if submitted is not None else cal.sub(court, 2)
            if "psr_old" not in plants:
                r0 = cal.sub(basis_day, self._int(2, 6))
            if submitted is not None or late_unsubmitted:
                qa = submitted - self._int(0, 2) if submitted is not None else None
                if qa is not None:
                    psr.qa_by = self.pm[c.team] if r() < 0.9 else self.oms[0]
                    psr.qa_date = qa if r() < 0.97 else None
            if "psr_no_qa" in plants and submitted is not None:
                if r() < 0.5 and submitted + 5 <= self.today:
                    psr.qa_date = submitted + self._int(1, 5)
                    psr.qa_by = self.pm[c.team]
                else:
                    psr.qa_by = psr.qa_date = None
            if "psr_rosh" in plants:
                psr.rosh_addressed = False if r() < 0.7 else None
            c.reports.append(psr)

        # -- initial assessments
        if r0 is None:
            r0 = self._initial_date(c, "ia", due)
        h0 = self._initial_date(c, "rosh", due)
        v0 = self._initial_date(c, "vuln", due)
        if "rosh_late" not in plants and h0 is not None and r() < 0.5 and r0 is not None:
            if S <= r0 <= cal.add(S, due):
                h0 = r0
        if "vuln_late" not in plants and v0 is not None and r() < 0.5 and h0 is not None:
            if S <= h0 <= cal.add(S, due):
                v0 = h0
        initial: dict[str, _Assessment] = {}
        for kind, d in (("reoffending", r0), ("rosh", h0), ("vulnerability", v0)):
            if d is not None and d <= hz:
                initial[kind] = self._assessment(c, kind, "initial", d, levels[kind])
        if psr is not None:
            ra = initial.get("reoffending")
            if "psr_old" in plants:
                psr.assessment_id = ra.id if ra is not None and r() < 0.5 else None
            elif ra is not None:
                u = r()
                if u < 0.9:
                    psr.assessment_id = ra.id
                elif u < 0.95:
                    psr.assessment_id = "A99999999"  # names no assessment: basis falls back
                else:
                    psr.assessment_id = None

        # -- initial plans
        sched: dict[str, int] = {}
        if c.disposal == "custody":
            if "cp_missing" not in plants:
                d = (
                    cal.add(S, 10 + self._int(1, 8))
                    if "cp_late" in plants
                    else cal.add(S, self._int(1, 8))
                )
                sched["custody"] = d
        elif "ip_missing" not in plants:
            d = (
                cal.add(S, due + self._int(1, 8))
                if "ip_late" in plants
                else cal.add(S, self._int(2, due - 1))
            )
            sched["intervention"] = d
        if h0 is not None and levels["rosh"] is not None and _RANK[levels["rosh"]] >= 1:
            if "rmp_missing" not in plants:
                late = "rmp_late" in plants
                sched["risk_management"] = cal.add(
                    h0, 10 + self._int(1, 8) if late else self._int(0, 8)
                )
        if v0 is not None and levels["vulnerability"] is not None:
            if _RANK[levels["vulnerability"]] >= 1 and "vmp_missing" not in plants:
                late = "vmp_late" in plants
                sched["vulnerability_management"] = cal.add(
                    v0, 10 + self._int(1, 8) if late else self._int(0, 8)
                )
        plans: dict[str, _Plan] = {}
        for kind, d in sched.items():
            if d <= hz:
                cont: bool | None = True
                if kind in ("intervention", "custody"):
                    cont = self._bool_value(0.6, 0.3)
                if (kind == "risk_management" and "rmp_nocont" in plants) or (
                    kind == "vulnerability_management" and "vmp_nocont" in plants
                ):
                    cont = False if r() < 0.6 else None
                plans[kind] = self._plan(c, kind, d, cont)

        firsts = {"reoff": r0, "rosh": h0, "vuln": v0}
        firsts["plan"] = sched.get("custody", sched.get("intervention"))
        firsts["rmp"] = sched.get("risk_management")
        firsts["vmp"] = sched.get("vulnerability_management")
        present = [d for d in firsts.values() if d is not None]
        base = max(present) if present else S
        earliest = min(present) if present else S

        # -- events
        events: list[_Event] = []
        if r() < 0.2 and base - S > 3:
            d = S + self._int(1, base - S - 1)
            if d <= hz:
                events.append(self._event(c, d, "other", self._bool_value(0.3, 0.3)))
        t = base
        while True:
            t += 1 + int(self.rng.expovariate(1 / 120))
            if t > hz:
                break
            kind = self._weighted(_EVENT_KINDS)
            if kind == "other":
                sig = self._bool_value(0.3, 0.3)
            else:
                sig = self._bool_value(0.87, 0.08)
            events.append(self._event(c, t, kind, sig))
        if c.release is not None and base < c.release <= hz:
            events.append(self._event(c, c.release, "custody_release", True))
        for key in c.plants:
            if key.startswith("rv_") and key.endswith("_event"):
                seq = key.split("_")[1]
                if firsts[seq] is not None:
                    self._ensure_trigger_event(c, events, seq, firsts[seq], base)
        events.sort(key=lambda e: (e.date, e.id))
        c.events.extend(events)
        for e in events:
            if e.kind == "new_offence":
                self._offence(c.child, e.date, self._offence_category(c.child))

        # -- review points
        if not present:
            points: list[int] = []
        elif c.status == "closed":
            # out of scope: reviewed now and then, not to the standard
            points = list(range(base + self._int(60, 150), hz, self._int(120, 240)))
        else:
            points = self._review_points(events, base, earliest, hz)
        members = {seq: [firsts[seq] is not None] * len(points) for seq in _SEQS}
        for key in c.plants:
            if key.startswith("rv_"):
                _, seq, mode = key.split("_")
                if firsts[seq] is not None:
                    self._plant_sequence(c, seq, mode, firsts[seq], points, members[seq], events)
        for i, day in enumerate(points):
            for seq, kind in _SEQ_ASSESSMENT_KIND.items():
                if members[seq][i] and kind in initial:
                    self._assessment(c, kind, "review", day, levels[kind])
            for seq, kinds in _SEQ_PLAN_KINDS.items():
                if members[seq][i]:
                    for kind in kinds:
                        if kind in plans and plans[kind].created <= day:
                            self._plan_review(plans[kind], day, c)
        if c.status == "closed" and c.end is not None and "reoffending" in initial:
            if (not points or points[-1] < c.end) and r() < 0.6:
                self._assessment(c, "reoffending", "closure", c.end, levels["reoffending"])

        # -- release plan
        if c.release is not None and c.disposal == "custody":
            deadline = cal.sub(c.release, 10)
            d: int | None
            if "release_missing" in plants:
                d = None
            elif "release_late" in plants:
                room = max(1, min(9, len(self._workdays_between(deadline, A))))
                d = cal.add(deadline, self._int(1, room))
            else:
                d = cal.sub(c.release, self._int(11, 30))
                if d <= S:
                    d = cal.add(S, 1)
            if d is not None and d <= hz:
                plans["release"] = self._plan(c, "release", d, self._bool_value(0.7, 0.2))

        # -- victims
        if c.victim:
            if "victim_none" not in plants:
                if "victim_late" in plants:
                    d1 = cal.add(S, 15 + self._int(1, 6))
                    d2 = cal.add(S, 15 + self._int(7, 12)) if r() < 0.5 else None
                else:
                    d1 = cal.add(S, self._int(1, 13))
                    d2 = cal.add(S, self._int(2, 14)) if r() < 0.35 else None
                if r() < 0.5 and d2 is not None:
                    d1, d2 = d2, d1  # the plan sometimes comes first
                if d1 <= hz:
                    c.referrals.append(self._referral(c, "victim_liaison", d1))
                if d2 is not None and d2 <= hz:
                    plans["victim_safety"] = self._plan(c, "victim_safety", d2, None)

        # -- MAPPA
        if c.mappa_eligible and c.mappa_level in (2, 3) and "mappa_referral" not in plants:
            c.referrals.append(self._referral(c, "mappa", S - self._int(0, 20)))

        # -- other referrals and reports
        for _ in range(self._int(0, 2)):
            d = S + self._int(0, max(0, hz - S))
            kind = ("substance_misuse", "mental_health", "education", "other")[int(r() * 4)]
            if d <= hz:
                c.referrals.append(self._referral(c, kind, d))
        if c.disposal == "referral_order" and r() < 0.4:
            sub = cal.sub(S, 2)
            c.reports.append(
                _Report(
                    id=self._id("report"),
                    case=c,
                    kind="other",
                    court_date=S,
                    submitted=sub if sub <= self.today else None,
                    author=c.cm,
                )
            )
        if c.status == "open" and not (plants & {"ia_missing", "ia_late", "psr_old"}):
            if not any(k.startswith("rv_reoff") for k in plants) and A - S > 150 and r() < 0.1:
                self._pending_psr(c)

        # -- plants on existing records
        for key in c.plants:
            if key == "rosh_unclear" or key == "vuln_unclear":
                kind = "rosh" if key == "rosh_unclear" else "vulnerability"
                for a in c.assessments:
                    if a.kind == kind:
                        c.taken.add(a.id)
            elif key in ("rmp_nocont", "vmp_nocont"):
                for p in c.plans:
                    c.taken.add(p.id)
        for key in c.plants:
            if key in ("div", "child_inv", "carer_inv"):
                first = initial.get("reoffending")
                if first is not None:
                    value = False if r() < 0.7 else None
                    if key == "div":
                        first.diversity = value
                    elif key == "child_inv":
                        first.child_views = value
                    else:
                        first.carer = value
            elif key.startswith("so_"):
                self._plant_sign_off(c, key)

        # -- records dated after as_of (ignored by the checks)
        if c.status == "open" and self.today - A >= 3 and r() < 0.05:
            self._future_records(c, initial, plans, levels)

    def _workdays_between(self, lo: int, hi: int) -> list[int]:
        days = self.cal.days
        return days[bisect.bisect_right(days, lo) : bisect.bisect_right(days, hi)]

    def _event(self, c: _Case, d: int, kind: str, significant: bool | None) -> _Event:
        return _Event(id=self._id("event"), case=c, date=d, kind=kind, significant=significant)

    def _referral(self, c: _Case, kind: str, d: int) -> _Referral:
        return _Referral(id=self._id("referral"), case=c, kind=kind, date=d)

    def _plan_review(self, plan: _Plan, day: int, c: _Case) -> None:
        author = self._author(c) if self.rng.random() < 0.97 else None
        plan.reviews.append(_PlanReview(id=self._id("review"), plan=plan, date=day, author=author))

    def _gap(self) -> int:
        return self._int(self.gap_lo, self.gap_hi)

    def _review_points(self, events: list[_Event], base: int, earliest: int, hz: int) -> list[int]:
        """Dates of full reviews: regular (< 3 months apart) and after every trigger event."""
        cal = self.cal
        points: list[int] = []
        limit = _add_months(earliest, 3)
        nxt = min(max(earliest + self._gap(), base + self._int(3, 10)), limit)
        nxt = cal.next_on_or_after(nxt)
        if nxt > limit:
            nxt = cal.sub(limit + 1, 1)
        for e in events:
            if e.date <= base or e.kind == "other" or e.significant is False:
                continue
            while nxt < e.date and nxt <= hz:
                points.append(nxt)
                nxt = cal.next_on_or_after(nxt + self._gap())
            if points and points[-1] >= e.date:
                continue  # an earlier event's review already covers this one
            # nxt >= e.date here: review at the next regular review or soon after the event
            point = min(nxt, cal.add(e.date - 1, self._int(1, 7)))
            if point > hz:
                continue  # due after the horizon: nothing to do yet
            points.append(point)
            nxt = cal.next_on_or_after(point + self._gap())
        while nxt <= hz:
            points.append(nxt)
            nxt = cal.next_on_or_after(nxt + self._gap())
        return points

    def _ensure_trigger_event(
        self, c: _Case, events: list[_Event], seq: str, first: int, base: int
    ) -> None:
        A = self.as_of
        triggers = _SEQ_TRIGGERS[seq]
        for e in events:
            if (
                e.kind in triggers
                and e.significant is not False
                and e.date > first
                and self.cal.add(e.date, 10) < A
            ):
                return
        latest = self.cal.sub(A, 12)
        if latest <= base + 1:
            return
        kind = sorted(triggers)[int(self.rng.random() * len(triggers))]
        events.append(self._event(c, self._int(base + 1, latest), kind, True))

    def _plant_sequence(
        self,
        c: _Case,
        seq: str,
        mode: str,
        first: int,
        points: list[int],
        member: list[bool],
        events: list[_Event],
    ) -> None:
        """Leave sequence ``seq`` out of some review points so that it fails as planted."""
        A = self.as_of
        if mode == "overdue":
            cut = max(first + 1, _add_months(A, -3) - self._int(5, 45))
            for i, day in enumerate(points):
                if day > cut:
                    member[i] = False
        elif mode == "late":
            elems = [first] + [d for d, m in zip(points, member, strict=True) if m]
            options = []
            for e in elems:
                bound = _add_months(e, 3)
                if any(bound < d <= A for d in points):
                    options.append(e)
            if not options:
                return
            e = options[int(self.rng.random() * len(options))]
            bound = _add_months(e, 3)
            for i, day in enumerate(points):
                if e < day <= bound:
                    member[i] = False
        else:
            triggers = _SEQ_TRIGGERS[seq]
            options = [
                e
                for e in events
                if e.kind in triggers
                and e.significant is not False
                and e.date > first
                and self.cal.add(e.date, 10) < A
            ]
            if not options:
                return
            ev = options[int(self.rng.random() * len(options))]
            deadline = self.cal.add(ev.date, 10)
            for i, day in enumerate(points):
                if ev.date <= day <= deadline:
                    member[i] = False

    def _pending_psr(self, c: _Case) -> None:
        """A report for a new matter, due at a court date after as_of."""
        A = self.as_of
        court = A + self._int(5, 45)
        submitted: int | None = self.cal.sub(court, self._int(3, 8))
        if submitted is not None and submitted > self.today:
            submitted = None
        rep = _Report(
            id=self._id("report"),
            case=c,
            kind="psr",
            court_date=court,
            submitted=submitted,
            author=c.cm,
            rosh_addressed=True,
        )
        if submitted is not None:
            rep.qa_by = self.pm[c.team]
            rep.qa_date = submitted - self._int(0, 1)
            basis = [
                a
                for a in c.assessments
                if a.kind == "reoffending" and a.completed is not None and a.completed <= submitted
            ]
            if basis:
                rep.assessment_id = max(basis, key=lambda a: (a.completed, a.id)).id
        c.reports.append(rep)

    def _plant_sign_off(self, c: _Case, key: str) -> None:
        A = self.as_of
        cal = self.cal
        docs: list[tuple[int, _Assessment | _Plan]] = []
        for a in c.assessments:
            if a.completed is None:
                continue
            if a.stage == "initial" or a.level in ("high", "very_high"):
                docs.append((a.completed, a))
        for p in c.plans:
            if p.kind in ("risk_management", "vulnerability_management", "release"):
                docs.append((p.created, p))
        options = []
        for done, doc in docs:
            if doc.id in c.taken or done > A:
                continue
            if key == "so_missing" and cal.add(done, 5) >= A:
                continue
            if key == "so_late" and cal.add(done, 6) > A:
                continue
            options.append((done, doc))
        if not options:
            return
        done, doc = options[int(self.rng.random() * len(options))]
        c.taken.add(doc.id)
        r = self.rng.random
        if key == "so_missing":
            doc.signer = doc.sign_date = None
            if A < self.today and r() < 0.3:
                # signed, but only after as_of: not signed off at as_of
                doc.signer = self.pm[c.team]
                doc.sign_date = A + self._int(1, self.today - A)
        elif key == "so_late":
            room = len(self._workdays_between(cal.add(done, 5), A))
            doc.signer = self.pm[c.team]
            doc.sign_date = cal.add(done, 5 + self._int(1, max(1, min(room, 15))))
        elif key == "so_self":
            if r() < 0.5:
                doc.author = self.pm[c.team]
                doc.signer = self.pm[c.team].upper() if r() < 0.5 else self.pm[c.team]
            else:
                doc.signer = doc.author
            doc.sign_date = min(A, cal.add(done, self._int(0, 3)))
        elif key == "so_before":
            doc.signer = self.pm[c.team]
            doc.sign_date = done - self._int(1, 6)
        else:
            u = r()
            colleagues = [n for n in self.cms_by_team[c.team] if n != doc.author]
            if u < 0.4 and colleagues:
                doc.signer = colleagues[0]
            elif u < 0.7:
                doc.signer = self.others[int(r() * len(self.others))]
            else:
                doc.signer = "Agency Cover"
            doc.sign_date = min(A, cal.add(done, self._int(0, 3)))
        if doc.sign_date is not None and doc.sign_date > self.today:
            doc.sign_date = self.today

    def _future_records(
        self,
        c: _Case,
        initial: dict[str, _Assessment],
        plans: dict[str, _Plan],
        levels: dict[str, str | None],
    ) -> None:
        """A trigger event after as_of and the review that followed it (both ignored)."""
        A, T = self.as_of, self.today
        day = A + self._int(1, min(20, T - A - 1))
        kind = ("arrest", "change_of_address", "safeguarding_concern", "new_offence")[
            int(self.rng.random() * 4)
        ]
        ev = self._event(c, day, kind, True)
        c.events.append(ev)
        if kind == "new_offence":
            self._offence(c.child, day, self._offence_category(c.child))
        review = min(T, day + self._int(0, 5))
        for kind_ in initial:
            self._assessment(c, kind_, "review", review, levels[kind_])
        for plan in plans.values():
            if plan.kind in (
                "intervention",
                "custody",
                "risk_management",
                "vulnerability_management",
            ):
                self._plan_review(plan, review, c)
        c.referrals.append(self._referral(c, "education", min(T, day + 1)))

    # ---- copied assessments ------------------------------------------------------------

    def chains(self) -> None:
        """Each assessment's predecessor: same kind, same child, across the child's cases."""
        if self.pred:
            return  # dates do not change once the cases are built
        A = self.as_of
        for child in self.children:
            by_kind: dict[str, list[_Assessment]] = {}
            for c in child.cases:
                for a in c.assessments:
                    if a.completed is not None and a.completed <= A:
                        by_kind.setdefault(a.kind, []).append(a)
            for kind, items in by_kind.items():
                items.sort(key=lambda a: (a.completed, a.id))
                for prev, nxt in zip(items, items[1:], strict=False):
                    self.pred[nxt.id] = prev
                if kind == "reoffending":
                    self.child_reoff[child.id] = items

    def plant_markup(self) -> None:
        """One narrative with markup, quotes and an ampersand, which reports must escape."""
        if not self.narratives:
            return
        for c in self.cases:
            if c.status != "open":
                continue
            for a in c.assessments:
                if a.sig is not None and a.id not in c.taken:
                    a.narrative = _SCRIPT_NARRATIVE
                    a.sig = None
                    a.nwords = len(_words(_SCRIPT_NARRATIVE))
                    return

    def plant_copies(self) -> None:
        """Make the planted assessments light edits of their predecessors."""
        if not self.narratives:
            return
        self.chains()
        used: set[tuple[str, str]] = set()
        for c in self.cases:
            if "copied" not in c.plants:
                continue
            options = []
            for a in c.assessments:
                p = self.pred.get(a.id)
                if (
                    p is None
                    or a.id in c.taken
                    or a.completed is None
                    or p.narrative is None
                    or p.nwords < 25
                    or (c.child.id, a.kind) in used
                ):
                    continue
                options.append((a, p))
            if not options:
                continue
            cross = [(a, p) for a, p in options if p.case is not c]
            pool = cross if cross and self.rng.random() < 0.6 else options
            a, p = pool[int(self.rng.random() * len(pool))]
            used.add((c.child.id, a.kind))
            c.taken.add(a.id)
            a.narrative = self._light_edit(p.narrative or "")
            a.sig = None
            a.nwords = len(_words(a.narrative))

    def _light_edit(self, text: str) -> str:
        words = text.split(" ")
        r = self.rng.random
        if r() < 0.5:
            for _ in range(10):
                i = self._int(len(words) // 3, 2 * len(words) // 3)
                for old, new in _COPY_EDITS:
                    if words[i] == old:
                        edited = " ".join(words[:i] + [new] + words[i + 1 :])
                        if narrative_similarity(text, edited) >= 0.8:
                            return edited
        edited = text + " " + ("No change.", "Reviewed.", "Still relevant.")[int(r() * 3)]
        if narrative_similarity(text, edited) >= 0.8:
            return edited
        return text

    # ---- input problems ----------------------------------------------------------------

    def make_problems(self) -> None:
        """A handful of bad rows, each with a single problem a reader must report."""
        if not self.want_problems:
            return
        A = self.as_of
        in_scope = [c for c in self.cases if c.status == "open" and c.start < A - 30]
        if not in_scope:
            return
        r = self.rng.random

        def pick() -> _Case:
            return in_scope[int(r() * len(in_scope))]

        def day(c: _Case) -> int:
            return c.start + self._int(10, max(10, A - c.start - 1))

        year = date.fromordinal(A).year
        # an impossible date
        c = pick()
        self.problems.append(
            _ProblemRow(
                "assessments",
                [
                    self._id("assessment"),
                    c.id,
                    "vulnerability",
                    "review",
                    f"31/02/{year}",
                    c.cm,
                    "low",
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                ],
                "completed_date",
                [c.id],
            )
        )
        # a duplicate id (the first row wins)
        c = pick()
        original = next((a for a in c.assessments if a.completed is not None), None)
        if original is not None:
            self.problems.append(
                _ProblemRow(
                    "assessments",
                    [
                        original.id,
                        c.id,
                        original.kind,
                        "review",
                        day(c),
                        c.cm,
                        "medium",
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                    ],
                    "assessment_id",
                    [c.id],
                    after=original,
                )
            )
        # an assessment of a case that does not exist
        c = pick()
        self.problems.append(
            _ProblemRow(
                "assessments",
                [
                    self._id("assessment"),
                    "C9999999",
                    "rosh",
                    "initial",
                    day(c),
                    c.cm,
                    "low",
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                ],
                "case_id",
                [],
            )
        )
        # an unknown enum value
        c = pick()
        self.problems.append(
            _ProblemRow(
                "events",
                [self._id("event"), c.id, day(c), "argument_with_staff", True],
                "kind",
                [c.id],
            )
        )
        # an unparseable boolean
        c = pick()
        self.problems.append(
            _ProblemRow(
                "events",
                [self._id("event"), c.id, day(c), "other", "maybe"],
                "significant",
                [c.id],
            )
        )
        # a null in a required column
        c = pick()
        self.problems.append(
            _ProblemRow(
                "plans",
                [self._id("plan"), c.id, "victim_safety", day(c), "", None, None, None],
                "author",
                [c.id],
            )
        )
        # an impossible ISO date
        c = pick()
        self.problems.append(
            _ProblemRow(
                "referrals",
                [self._id("referral"), c.id, "education", f"{year}-13-05"],
                "referral_date",
                [c.id],
            )
        )
        # a plan review of a plan that does not exist
        c = pick()
        self.problems.append(
            _ProblemRow(
                "plan_reviews",
                [self._id("review"), "P99999999", day(c), c.cm],
                "plan_id",
                [],
            )
        )
        # an offence with an unknown category, of a child with a case in scope
        c = pick()
        self.problems.append(
            _ProblemRow(
                "offences",
                [self._id("offence"), c.child.id, c.start - 30, "shoplifting"],
                "category",
                [o.id for o in c.child.cases if o.status == "open"],
            )
        )

    # ---- evaluation of the rules (the ground truth) ------------------------------------

    def evaluate(self) -> None:
        """Derive every finding of SPEC §5 on the cases in scope from the records."""
        self.chains()
        for c in self.cases:
            if c.status == "open" and c.start <= self.as_of:
                self._evaluate_case(c)

    def _evaluate_case(self, c: _Case) -> None:
        A = self.as_of
        cal = self.cal
        S = c.start
        found = self.findings

        def add(check: str, reason: str, table: str, rid: str) -> None:
            found.add((check, c.id, reason, table, rid))

        assessments = sorted(
            (a for a in c.assessments if a.completed is not None and a.completed <= A),
            key=lambda a: (a.completed, a.id),
        )
        by_kind: dict[str, list[_Assessment]] = {
            "reoffending": [],
            "rosh": [],
            "vulnerability": [],
        }
        for a in assessments:
            by_kind[a.kind].append(a)
        plans = sorted((p for p in c.plans if p.created <= A), key=lambda p: (p.created, p.id))
        by_plan: dict[str, list[_Plan]] = {}
        for p in plans:
            by_plan.setdefault(p.kind, []).append(p)
        events = [e for e in c.events if e.date <= A]
        referrals = [x for x in c.referrals if x.date <= A]
        due = 20 if c.disposal == "referral_order" else 15
        deadline = cal.add(S, due)
        deficient: set[str] = set()

        # initial assessments
        for check, kind, unclear in (
            ("reoffending.initial_assessment", "reoffending", False),
            ("public.rosh_assessment", "rosh", True),
            ("child.vulnerability_assessment", "vulnerability", True),
        ):
            items = by_kind[kind]
            inits = [a for a in items if a.stage == "initial"]
            if not (deadline < A or inits):
                continue
            if not inits:
                add(check, "missing", "cases", c.id)
            elif inits[0].completed > deadline:  # type: ignore[operator]
                add(check, "late", "assessments", inits[0].id)
            if unclear and items and all(a.level is None for a in items):
                add(check, "level_unclear", "assessments", items[-1].id)
                deficient.add(items[-1].id)

        # copied assessments
        for a in assessments:
            p = self.pred.get(a.id)
            if p is None or a.nwords < 20 or p.nwords < 20:
                continue
            if a.narrative is None or p.narrative is None:
                continue
            if a.sig is not None and p.sig is not None and not set(a.sig) & set(p.sig):
                if self._fast_copy_check:
                    continue
            if narrative_similarity(a.narrative, p.narrative) >= 0.8:
                add("reoffending.copied_assessment", "copied", "assessments", a.id)
                deficient.add(a.id)

        # reviews
        for seq, kind in _SEQ_ASSESSMENT_KIND.items():
            elems = [(a.completed or 0, 0, "assessments", a.id) for a in by_kind[kind]]
            self._evaluate_sequence(c, _SEQ_CHECK[seq], elems, _SEQ_TRIGGERS[seq], events, add)
        for seq, kinds in _SEQ_PLAN_KINDS.items():
            pelems: list[tuple[int, int, str, str]] = []
            for p in plans:
                if p.kind in kinds:
                    pelems.append((p.created, 0, "plans", p.id))
                    for rv in p.reviews:
                        if rv.date <= A:
                            pelems.append((rv.date, 1, "plan_reviews", rv.id))
            pelems.sort()
            self._evaluate_sequence(c, _SEQ_CHECK[seq], pelems, _SEQ_TRIGGERS[seq], events, add)

        # court reports
        for rep in c.reports:
            if rep.kind != "psr":
                continue
            submitted = rep.submitted is not None and rep.submitted <= A
            if not (submitted or (rep.court_date is not None and rep.court_date < A)):
                continue
            if submitted:
                assert rep.submitted is not None
                if rep.court_date is not None and rep.submitted > rep.court_date:
                    add("reoffending.court_report", "late", "court_reports", rep.id)
                qa_done = rep.qa_by is not None and (rep.qa_date is None or rep.qa_date <= A)
                if not qa_done or (rep.qa_date is not None and rep.qa_date > rep.submitted):
                    add("reoffending.court_report", "no_quality_assurance", "court_reports", rep.id)
                basis = self._basis(c, rep)
                if basis is None or (basis.completed or 0) < _add_months(rep.submitted, -3):
                    add("reoffending.court_report", "old_assessment", "court_reports", rep.id)
                if rep.rosh_addressed is not True:
                    add("public.court_report_rosh", "rosh_not_addressed", "court_reports", rep.id)
            else:
                add("reoffending.court_report", "late", "court_reports", rep.id)

        # intervention and custody plans
        if c.disposal != "custody":
            self._evaluate_plan_deadline(
                c,
                "reoffending.intervention_plan",
                by_plan.get("intervention", []),
                deadline,
                add,
            )
        else:
            self._evaluate_plan_deadline(
                c, "reoffending.custody_plan", by_plan.get("custody", []), cal.add(S, 10), add
            )

        # risk and vulnerability management plans
        for check, kind, plan_kind in (
            ("public.risk_management_plan", "rosh", "risk_management"),
            ("child.vulnerability_management_plan", "vulnerability", "vulnerability_management"),
        ):
            with_level = [a for a in by_kind[kind] if a.level is not None]
            if not with_level or _RANK[with_level[-1].level or "low"] < 1:
                continue
            first = next(a for a in with_level if _RANK[a.level or "low"] >= 1)
            pdl = cal.add(first.completed or 0, 10)
            items = by_plan.get(plan_kind, [])
            if not (pdl < A or items):
                continue
            if not items:
                add(check, "missing", "cases", c.id)
                continue
            if items[0].created > pdl:
                add(check, "late", "plans", items[0].id)
            if items[-1].contingency is not True:
                add(check, "no_contingency", "plans", items[-1].id)
                deficient.add(items[-1].id)

        # offences overlooked
        with_level = [a for a in by_kind["rosh"] if a.level is not None]
        if with_level and with_level[-1].level == "low":
            giver = with_level[-1]
            if any(
                o.category in _VIOLENT and o.date < (giver.completed or 0) for o in c.child.offences
            ):
                add(
                    "public.rosh_offences_overlooked",
                    "offences_overlooked",
                    "assessments",
                    giver.id,
                )

        # release plan
        if c.disposal == "custody" and c.release is not None:
            self._evaluate_plan_deadline(
                c,
                "public.release_plan",
                by_plan.get("release", []),
                cal.sub(c.release, 10),
                add,
            )

        # victims
        if c.victim is True:
            vdl = cal.add(S, 15)
            items_v = [(p.created, 0, "plans", p.id) for p in by_plan.get("victim_safety", [])]
            items_v += [
                (x.date, 1, "referrals", x.id) for x in referrals if x.kind == "victim_liaison"
            ]
            items_v.sort()
            if vdl < A or items_v:
                if not items_v:
                    add("public.victims", "victim_not_addressed", "cases", c.id)
                elif items_v[0][0] > vdl:
                    add("public.victims", "late", items_v[0][2], items_v[0][3])

        # MAPPA
        if c.mappa_eligible is True:
            if c.mappa_level is None:
                add("public.mappa", "level_not_recorded", "cases", c.id)
            elif c.mappa_level in (2, 3) and not any(x.kind == "mappa" for x in referrals):
                add("public.mappa", "not_referred", "cases", c.id)

        # diversity and involvement
        inits = [a for a in by_kind["reoffending"] if a.stage == "initial"]
        if inits:
            first_a = inits[0]
            if first_a.diversity is not True:
                add("sentence.diversity", "not_assessed", "assessments", first_a.id)
            if first_a.child_views is not True:
                add("sentence.involvement", "child_not_involved", "assessments", first_a.id)
            if first_a.carer is not True:
                add("sentence.involvement", "carer_not_involved", "assessments", first_a.id)

        # sign-off
        docs: list[tuple[int, str, _Assessment | _Plan]] = [
            (a.completed or 0, "assessments", a)
            for a in assessments
            if a.stage == "initial" or a.level in ("high", "very_high")
        ]
        docs += [
            (p.created, "plans", p)
            for p in plans
            if p.kind in ("risk_management", "vulnerability_management", "release")
        ]
        for done, table, doc in docs:
            sdl = cal.add(done, 5)
            signed = doc.signer is not None and (doc.sign_date is None or doc.sign_date <= A)
            if not signed:
                if sdl < A:
                    add("oversight.sign_off", "missing", table, doc.id)
                continue
            assert doc.signer is not None
            if doc.sign_date is not None and doc.sign_date > sdl:
                add("oversight.sign_off", "late", table, doc.id)
            if doc.signer.strip().lower() == doc.author.strip().lower():
                add("oversight.sign_off", "self_sign_off", table, doc.id)
            if doc.sign_date is not None and doc.sign_date < done:
                add("oversight.sign_off", "before_completion", table, doc.id)
            if self.roles.get(doc.signer.strip().lower()) not in _MANAGER_ROLES:
                add("oversight.sign_off", "not_a_manager", table, doc.id)
            if doc.id in deficient:
                add("oversight.ineffective_sign_off", "signed_off_deficient", table, doc.id)

    _fast_copy_check = False

    def _evaluate_sequence(
        self,
        c: _Case,
        check: str,
        elems: list[tuple[int, int, str, str]],
        triggers: frozenset[str],
        events: list[_Event],
        add: Callable[[str, str, str, str], None],
    ) -> None:
        if not elems:
            return
        A = self.as_of
        for prev, nxt in zip(elems, elems[1:], strict=False):
            if nxt[0] > _add_months(prev[0], 3):
                add(check, "late", nxt[2], nxt[3])
        last = elems[-1]
        due = _add_months(last[0], 3)
        if due < A and c.start <= due and (c.end is None or c.end >= due):
            add(check, "overdue", last[2], last[3])
        first = elems[0][0]
        for e in events:
            if e.kind not in triggers or e.significant is False or e.date <= first:
                continue
            deadline = self.cal.add(e.date, 10)
            if deadline >= A:
                continue
            if not any(e.date <= x[0] <= deadline for x in elems):
                add(check, "not_reviewed_after_event", "events", e.id)

    def _evaluate_plan_deadline(
        self,
        c: _Case,
        check: str,
        items: list[_Plan],
        deadline: int,
        add: Callable[[str, str, str, str], None],
    ) -> None:
        if not (deadline < self.as_of or items):
            return
        if not items:
            add(check, "missing", "cases", c.id)
        elif items[0].created > deadline:
            add(check, "late", "plans", items[0].id)

    def _basis(self, c: _Case, rep: _Report) -> _Assessment | None:
        submitted = rep.submitted or 0
        named = self.assessment_by_id.get(rep.assessment_id or "")
        if (
            named is not None
            and named.kind == "reoffending"
            and named.case.child is c.child
            and named.completed is not None
            and named.completed <= submitted
            and named.completed <= self.as_of
        ):
            return named
        items = self.child_reoff.get(c.child.id, [])
        best = None
        for a in items:
            if (a.completed or 0) <= submitted:
                best = a
            else:
                break
        return best

    def add_excluded(self) -> None:
        """``data.record_excluded`` for every quarantined row of a case in scope."""
        for prob in self.problems:
            for case_id in prob.case_ids:
                self.findings.add(
                    ("data.record_excluded", case_id, "record_excluded", prob.table, str(prob.row))
                )

    def check_plants(self) -> list[tuple[str, str, str]]:
        """Plants that did not produce their finding (should be none)."""
        have = {(f[1], f[0], f[2]) for f in self.findings}
        missing = []
        for c in self.cases:
            for key in c.plants:
                check, reason, _ = _PLANTS[key]
                if (c.id, check, reason) not in have:
                    missing.append((c.id, check, reason))
        return missing

    # ---- output ------------------------------------------------------------------------

    def _records(self, table: str) -> Iterator[list[Any]]:
        """The rows of one table as Python values (dates as ordinals), in id order."""
        if table == "cases":
            for c in self.cases:
                yield [
                    c.id,
                    c.child.id,
                    c.cm,
                    c.team,
                    c.disposal,
                    c.start,
                    c.sentence_date,
                    c.end,
                    c.release,
                    c.mappa_eligible,
                    c.mappa_level,
                    c.victim,
                    c.child.dob,
                ]
        elif table == "assessments":
            for c in self.cases:
                for a in c.assessments:
                    yield [
                        a.id,
                        c.id,
                        a.kind,
                        a.stage,
                        a.completed,
                        a.author,
                        a.level,
                        a.narrative,
                        a.signer,
                        a.sign_date,
                        a.diversity,
                        a.child_views,
                        a.carer,
                    ]
        elif table == "plans":
            for c in self.cases:
                for p in c.plans:
                    yield [
                        p.id,
                        c.id,
                        p.kind,
                        p.created,
                        p.author,
                        p.contingency,
                        p.signer,
                        p.sign_date,
                    ]
        elif table == "plan_reviews":
            for c in self.cases:
                reviews = [rv for p in c.plans for rv in p.reviews]
                reviews.sort(key=lambda rv: rv.id)
                for rv in reviews:
                    yield [rv.id, rv.plan.id, rv.date, rv.author]
        elif table == "events":
            for c in self.cases:
                for e in c.events:
                    yield [e.id, c.id, e.date, e.kind, e.significant]
        elif table == "court_reports":
            for c in self.cases:
                for rep in c.reports:
                    yield [
                        rep.id,
                        c.id,
                        rep.kind,
                        rep.court_date,
                        rep.submitted,
                        rep.author,
                        rep.qa_by,
                        rep.qa_date,
                        rep.assessment_id,
                        rep.rosh_addressed,
                    ]
        elif table == "referrals":
            for c in self.cases:
                for x in c.referrals:
                    yield [x.id, c.id, x.kind, x.date]
        elif table == "offences":
            for child in self.children:
                for o in child.offences:
                    yield [o.id, child.id, o.date, o.category]
        else:
            for name, role, team in self.staff:
                yield [name, role, team]

    def _size(self, table: str) -> int:
        if table == "cases":
            return len(self.cases)
        if table == "offences":
            return sum(len(child.offences) for child in self.children)
        if table == "staff":
            return len(self.staff)
        if table == "plan_reviews":
            return sum(len(p.reviews) for c in self.cases for p in c.plans)
        attr = {
            "assessments": "assessments",
            "plans": "plans",
            "events": "events",
            "court_reports": "reports",
            "referrals": "referrals",
        }[table]
        return sum(len(getattr(c, attr)) for c in self.cases)

    def table_rows(self, table: str) -> Iterator[list[Any]]:
        """The rows of one table with its bad rows mixed in; notes the line of each bad row.

        A duplicate id comes a few rows after the row whose id it repeats (the first
        row wins); every other bad row goes anywhere.
        """
        problems = [p for p in self.problems if p.table == table]
        if not problems:
            yield from self._records(table)
            return
        loose = [p for p in problems if p.after is None]
        size = self._size(table)
        slots = sorted(((self._int(0, size), i) for i in range(len(loose))), reverse=True)
        followers = {p.after.id: p for p in problems if p.after is not None}
        waiting: list[list[Any]] = []  # [rows still to wait, problem]
        line = 1
        for k, row in enumerate(self._records(table)):
            while slots and slots[-1][0] == k:
                prob = loose[slots.pop()[1]]
                line += 1
                prob.row = line
                yield prob.values
            line += 1
            yield row
            follower = followers.pop(row[0], None) if followers else None
            if follower is not None:
                waiting.append([self._int(0, 30), follower])
            for item in waiting[:]:
                item[0] -= 1
                if item[0] < 0:
                    waiting.remove(item)
                    line += 1
                    item[1].row = line
                    yield item[1].values
        for prob in [loose[i] for _, i in reversed(slots)] + [item[1] for item in waiting]:
            line += 1
            prob.row = line
            yield prob.values

    def ground_truth(self) -> dict[str, Any]:
        """The ground-truth document (also written to ``ground_truth.json``)."""
        findings = [
            {
                "check_id": f[0],
                "case_id": f[1],
                "reason": f[2],
                "record_table": f[3],
                "record_id": f[4],
            }
            for f in sorted(self.findings, key=lambda f: (f[1], f[0], f[2], f[3], f[4]))
        ]
        problems = [
            {"table": p.table, "row": p.row, "column": p.column}
            for p in sorted(self.problems, key=lambda p: (p.table, p.row))
        ]
        return {
            "as_of": date.fromordinal(self.as_of).isoformat(),
            "seed": self.seed,
            "cases": self.n_cases,
            "suite": "open-cases",
            "findings": findings,
            "input_problems": problems,
        }


# --------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------


class _DateText(dict):
    """Date ordinal -> text in one of the formats seen in exports (memoised)."""

    def __init__(self, style: int) -> None:
        super().__init__()
        self.style = style

    def __missing__(self, o: int) -> str:
        d = date.fromordinal(o)
        if self.style == 0:
            text = d.isoformat()
        elif self.style == 1:
            text = f"{d.day:02d}/{d.month:02d}/{d.year}"
        else:
            text = f"{d.day}/{d.month}/{d.year}"
        self[o] = text
        return text


def _past_event_columns(table: str) -> set[int]:
    return {
        i
        for i, name in enumerate(TABLES[table])
        if name in DATE_COLUMNS[table] and name not in FORWARD_LOOKING_DATE_COLUMNS
    }


def _as_text(
    rows: Iterator[list[Any]],
    table: str,
    rng: random.Random,
    today: int,
    styles: tuple[_DateText, _DateText, _DateText],
) -> Iterator[list[Any]]:
    """Rows with dates and booleans spelt as in an export (None and numbers left to csv)."""
    r = rng.random
    columns = TABLES[table]
    date_idx = [i for i, name in enumerate(columns) if name in DATE_COLUMNS[table]]
    past = _past_event_columns(table)
    bool_idx = [i for i, name in enumerate(columns) if name in _BOOL_COLUMNS.get(table, ())]
    true_false = {True: "true", False: "false"}
    yes_no = {True: "yes", False: "no"}
    for row in rows:
        u = r()
        text = styles[0] if u >= 0.08 else styles[1] if u >= 0.025 else styles[2]
        for i in date_idx:
            v = row[i]
            if v.__class__ is int:
                if v > today and i in past:
                    raise AssertionError(f"{table} {row[0]}: {columns[i]} after today")
                row[i] = text[v]
        if bool_idx:
            words = yes_no if r() < 0.1 else true_false
            for i in bool_idx:
                v = row[i]
                if v.__class__ is bool:
                    row[i] = words[v]
        yield row


def _write_csv(out_dir: Path, gen: _Generator) -> None:
    """Write one CSV per table: mostly ISO dates and true/false, some UK dates and yes/no.

    Raises AssertionError if a date in a column that records something that happened
    is after today (a bug of this module).
    """
    rng = random.Random(f"{gen.seed}-format")
    styles = (_DateText(0), _DateText(1), _DateText(2))
    for table, columns in TABLES.items():
        with open(out_dir / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(_as_text(gen.table_rows(table), table, rng, gen.today, styles))


def _write_parquet(out_dir: Path, gen: _Generator) -> None:
    """Write one Parquet file per table with typed columns (dates, booleans, integers)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    epoch = date(1970, 1, 1).toordinal()
    for table, columns in TABLES.items():
        rows = list(gen.table_rows(table))
        arrays = []
        for i, name in enumerate(columns):
            values = [row[i] for row in rows]
            if name in DATE_COLUMNS[table]:
                if name not in FORWARD_LOOKING_DATE_COLUMNS:
                    if max((v for v in values if v is not None), default=0) > gen.today:
                        raise AssertionError(f"{table}: {name} after today")
                arr = pa.array(
                    [None if v is None else v - epoch for v in values], type=pa.int32()
                ).cast(pa.date32())
            elif name in _BOOL_COLUMNS.get(table, ()):
                arr = pa.array(values, type=pa.bool_())
            elif name in _INT_COLUMNS.get(table, ()):
                arr = pa.array(values, type=pa.int8())
            else:
                arr = pa.array(values, type=pa.string())
            arrays.append(arr)
        del rows
        pq.write_table(pa.table(arrays, names=list(columns)), out_dir / f"{table}.parquet")


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def _run(
    *,
    as_of: date,
    cases: int,
    seed: int,
    assessments_per_case: float | None,
    narratives: bool,
    input_problems: bool,
    today: date | None = None,
) -> _Generator:
    gen = _Generator(
        as_of=as_of,
        cases=cases,
        seed=seed,
        assessments_per_case=assessments_per_case,
        narratives=narratives,
        input_problems=input_problems,
        today=today,
    )
    gen._fast_copy_check = cases > 20_000
    gen.make_staff()
    gen.make_skeleton()
    gen.calibrate()
    gen.assign_plants()
    gen.build()
    gen.plant_markup()
    gen.plant_copies()
    gen.make_problems()
    gen.evaluate()
    return gen


def generate_export(
    out_dir: Path,
    *,
    as_of: date,
    cases: int = 200,
    seed: int = 1,
    assessments_per_case: float | None = None,
    narratives: bool = True,
    input_problems: bool = True,
    fmt: str = "csv",
    today: date | None = None,
) -> dict:
    """Write a synthetic export with planted defects and return its ground truth.

    Args:
        out_dir: folder to write into (created if needed): one file per canonical
            table (``cases.csv`` ... ``staff.csv``, or ``.parquet`` files) and
            ``ground_truth.json``.
        as_of: the date the export is meant to be checked at. Records are dated around
            it; a date later than today is capped at today (nothing that happened can
            be dated in the future), and the ground truth names the date used.
        cases: number of rows of the ``cases`` table (most open on ``as_of``).
        seed: seed of the single random generator; the same arguments give the same
            bytes (on the same day: dates are capped at today).
        assessments_per_case: wanted average number of assessment rows per case. None
            keeps the natural cadence (reviews every 8 to 12 weeks, plus reviews after
            events); a larger number makes reviews more frequent; a smaller one makes
            cases younger (a compliant case needs at least one assessment of each of
            the three kinds once past its deadline).
        narratives: write assessment narratives (needed for planted copies).
        input_problems: include a handful of bad rows (CSV only; typed Parquet
            columns cannot hold them).
        fmt: ``"csv"`` or ``"parquet"``.
        today: the real date, after which nothing that happened can be dated (default
            ``date.today()``). Pinning it makes the output independent of the day the
            generator runs.

    Returns:
        The ground truth: ``as_of``, ``seed``, ``cases``, ``suite``, ``findings``
        (check_id, case_id, reason, record_table, record_id) and ``input_problems``
        (table, row as a person sees it with the header on line 1, column).
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    if cases < 0:
        raise ValueError("cases must not be negative")
    # Millions of small objects, none of them garbage: the cyclic collector would
    # only rescan them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        gen = _run(
            as_of=as_of,
            cases=cases,
            seed=seed,
            assessments_per_case=assessments_per_case,
            narratives=narratives,
            input_problems=input_problems and fmt == "csv",
            today=today,
        )
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            _write_csv(out, gen)
        else:
            _write_parquet(out, gen)
        gen.add_excluded()  # needs the lines the bad rows landed on
        truth = gen.ground_truth()
        del gen
    finally:
        if collecting:
            gc.enable()
    (out / "ground_truth.json").write_text(
        json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return truth
