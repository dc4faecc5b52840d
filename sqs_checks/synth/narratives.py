"""Assessment narratives: pools of case-note sentences, fresh narratives and light edits.

Every narrative is drawn from a pool of sentences per assessment kind, so that two
narratives of a child share no sentence (and stay far below the copy threshold)
unless a copy is planted.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import lru_cache

from sqs_checks.synth.similarity import narrative_similarity, words

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
POOL_SIZE = 2503  # prime: any step walks the whole pool without repeats
_SHORT_NARRATIVES = (
    "No change since last review.",
    "Reviewed, nothing new to add.",
    "See previous assessment.",
    "As before.",
)
SCRIPT_NARRATIVE = (
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
def sentence_pools() -> dict[str, tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]]:
    """Pools of sentences per assessment kind, with their word counts and clause numbers."""
    rng = random.Random(20130318)
    pools: dict[str, tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]] = {}
    for kind, clauses in _CLAUSES.items():
        seen: set[str] = set()
        texts: list[str] = []
        numbers: list[int] = []
        while len(texts) < POOL_SIZE:
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
        pools[kind] = (tuple(texts), tuple(len(words(t)) for t in texts), tuple(numbers))
    return pools


def draw_narrative(
    r: Callable[[], float], kind: str, used: set[int], last: list[set[int]]
) -> tuple[str | None, tuple[int, ...] | None, int]:
    """A new narrative of 30-60 words from the kind's pool of sentences.

    ``r`` is the generator's random function. ``used`` holds the sentences already
    used for the child and kind, ``last[0]`` the clauses of the child's last
    narrative of the kind: no sentence is used twice and no clause twice in a row,
    so that two narratives of a child stay far from the copy threshold unless a copy
    is planted. Returns the text (or None: no narrative), its sentence numbers (None
    for a stock phrase) and its number of words.
    """
    u = r()
    if u < 0.01:
        return None, None, 0
    if u < 0.025:
        text = _SHORT_NARRATIVES[int(r() * len(_SHORT_NARRATIVES))]
        return text, None, len(words(text))
    texts, counts, clauses = sentence_pools()[kind]
    avoid = last[0]
    target = 30 + int(r() * 26)
    i = int(r() * POOL_SIZE)
    step = 1 + int(r() * (POOL_SIZE - 1))
    chosen: list[int] = []
    total = 0
    for _ in range(40):
        if i not in used and clauses[i] not in avoid:
            n = counts[i]
            if total + n <= 60:
                chosen.append(i)
                total += n
                if total >= target:
                    break
            elif total >= 30:
                break
        i = (i + step) % POOL_SIZE
    used.update(chosen)
    last[0] = {clauses[j] for j in chosen}
    return " ".join([texts[j] for j in chosen]), tuple(chosen), total


def light_edit(r: Callable[[], float], text: str) -> str:
    """``text`` with one small word changed or a few words added: a copy to be detected."""
    parts = text.split(" ")
    if r() < 0.5:
        for _ in range(10):
            lo, hi = len(parts) // 3, 2 * len(parts) // 3
            i = lo + int(r() * (hi - lo + 1))
            for old, new in _COPY_EDITS:
                if parts[i] == old:
                    edited = " ".join(parts[:i] + [new] + parts[i + 1 :])
                    if narrative_similarity(text, edited) >= 0.8:
                        return edited
    edited = text + " " + ("No change.", "Reviewed.", "Still relevant.")[int(r() * 3)]
    if narrative_similarity(text, edited) >= 0.8:
        return edited
    return text
