"""reoffending.copied_assessment: an assessment largely copied from its predecessor."""

from __future__ import annotations

import pytest

CHECK = "reoffending.copied_assessment"
AS_OF = "2013-03-18"


def words(prefix: str, n: int, start: int = 0) -> str:
    """``n`` distinct words: prefix0 prefix1 ..."""
    return " ".join(f"{prefix}{i}" for i in range(start, start + n))


def trigram_jaccard(a: str, b: str) -> float:
    """The similarity as SPEC §5 defines it, written independently of the check's SQL."""

    def grams(text: str) -> set[tuple[str, ...]]:
        tokens = "".join(ch if ch.isalnum() else " " for ch in text.lower()).split()
        return {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}

    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y)


BASE = words("w", 30)
AT = BASE + " " + words("x", 7)  # 28 shared 3-grams of 35: exactly 0.8
UNDER = BASE + " " + words("x", 8)  # 28 of 36: just under 0.8
OVER = BASE + " " + words("x", 6)  # 28 of 34: just over 0.8
LONG = words("l", 300)  # long narratives are compared the same way


def case(case_id: str, child: str | None = None, **extra):
    """An open case (child K-<case_id> unless told)."""
    row = {"case_id": case_id, "start_date": "2013-01-07", **extra}
    if child:
        row["child_id"] = child
    return row


def assessment(case_id, completed, narrative, kind="reoffending", stage="review", **extra):
    """A completed assessment with a narrative."""
    return {
        "case_id": case_id,
        "kind": kind,
        "stage": stage,
        "completed_date": completed,
        "narrative": narrative,
        **extra,
    }


def pair(case_id, first, second, **extra):
    """Two assessments of one case, a month apart; the later one is ``<case_id>_B``."""
    return [
        assessment(case_id, "2013-01-10", first, assessment_id=f"{case_id}_A", **extra),
        assessment(case_id, "2013-02-10", second, assessment_id=f"{case_id}_B", **extra),
    ]


def test_constructed_narratives_have_the_intended_similarity():
    assert trigram_jaccard(BASE, AT) == 0.8
    assert trigram_jaccard(BASE, UNDER) < 0.8 < trigram_jaccard(BASE, OVER)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from sqs_checks.testing import run_check

    messy = "Risk: HIGH (see AssetPlus), " + ", ".join(f"Item-{i}!" for i in range(25))
    clean = "risk high see assetplus " + " ".join(f"item {i}" for i in range(25))
    cases = [
        case("AT"),
        case("UNDER"),
        case("OVER"),
        case("SHORT"),
        case("TWENTY"),
        case("PUNCT"),
        case("NEW", child="K-OLD"),
        case("OLD", start_date="2012-01-02", end_date="2012-12-31"),
        case("KIND"),
        case("CHAIN"),
        case("TIE"),
        case("DRAFT"),
        case("ALONE"),
        case("NULL"),
        case("REPEAT"),
        case("LONG"),
    ]
    assessments = [
        *pair("AT", BASE, AT),
        *pair("UNDER", BASE, UNDER),
        *pair("OVER", BASE, OVER),
        *pair("SHORT", words("s", 19), words("s", 19)),
        *pair("TWENTY", words("t", 20), words("t", 20)),
        *pair("PUNCT", messy, clean),
        assessment("OLD", "2012-03-01", BASE, assessment_id="OLD_A"),
        assessment("NEW", "2013-01-20", BASE, assessment_id="NEW_A", stage="initial"),
        assessment("KIND", "2013-01-10", BASE, kind="rosh"),
        assessment("KIND", "2013-02-10", BASE, kind="vulnerability"),
        assessment("CHAIN", "2013-01-01", BASE, assessment_id="CHAIN_1"),
        assessment("CHAIN", "2013-02-01", words("y", 30), assessment_id="CHAIN_2"),
        assessment("CHAIN", "2013-03-01", BASE, assessment_id="CHAIN_3"),
        assessment("TIE", "2013-02-01", words("z", 30), assessment_id="TIE_2"),
        assessment("TIE", "2013-02-01", BASE, assessment_id="TIE_1"),
        assessment("TIE", "2013-01-01", BASE, assessment_id="TIE_0"),
        assessment("DRAFT", "2013-01-10", BASE),
        assessment("DRAFT", None, BASE),
        assessment("DRAFT", "2013-04-10", BASE),
        assessment("ALONE", "2013-01-10", BASE),
        *pair("NULL", None, BASE),
        *pair("REPEAT", BASE, BASE + ". " + BASE),
        *pair("LONG", LONG, LONG + " " + words("x", 50)),
    ]
    folder = tmp_path_factory.mktemp("copied")
    return run_check(
        CHECK, {"cases": cases, "assessments": assessments}, as_of=AS_OF, folder=folder
    )


def test_relevant_when_an_assessment_has_a_predecessor(report):
    assert report.status == "ran"
    assert report.relevant == {
        "AT",
        "UNDER",
        "OVER",
        "SHORT",
        "TWENTY",
        "PUNCT",
        "NEW",
        "CHAIN",
        "TIE",
        "NULL",
        "REPEAT",
        "LONG",
    }


def test_copied_at_and_over_the_threshold_not_under(report):
    flagged = report.records()
    assert ("AT", "copied", "AT_B") in flagged
    assert ("OVER", "copied", "OVER_B") in flagged
    assert "UNDER" not in report.flagged


def test_min_words_counts_words_after_normalising(report):
    assert "SHORT" not in report.flagged  # 19 words each
    assert ("TWENTY", "copied", "TWENTY_B") in report.records()  # exactly 20


def test_case_and_punctuation_do_not_hide_a_copy(report):
    assert ("PUNCT", "copied", "PUNCT_B") in report.records()


def test_predecessor_on_another_case_of_the_same_child(report):
    finding = next(f for f in report.findings if f["case_id"] == "NEW")
    assert finding["record_id"] == "NEW_A"
    assert finding["evidence"]["predecessor_id"] == "OLD_A"
    assert finding["evidence"]["predecessor_case_id"] == "OLD"
    assert finding["message"] == (
        "The likelihood of reoffending assessment completed on 20/01/2013 is largely a copy of "
        "the previous one (OLD_A, completed on 01/03/2012 on case OLD): 100% of their "
        "three-word phrases are the same. Update it with what has changed."
    )


def test_only_the_immediate_predecessor_of_the_same_kind_counts(report):
    assert "KIND" not in report.relevant  # rosh then vulnerability: no predecessor
    assert "CHAIN" not in report.flagged  # CHAIN_3 equals CHAIN_1 but follows CHAIN_2


def test_same_day_assessments_are_ordered_by_id(report):
    # order TIE_0, TIE_1 (copy of TIE_0), TIE_2 (new words)
    assert {
        (f["record_id"], f["evidence"]["predecessor_id"])
        for f in report.findings
        if f["case_id"] == "TIE"
    } == {("TIE_1", "TIE_0")}


def test_drafts_and_future_assessments_are_not_predecessors(report):
    assert "DRAFT" not in report.relevant
    assert "ALONE" not in report.relevant


def test_a_missing_narrative_is_never_a_copy(report):
    assert "NULL" not in report.flagged


def test_evidence_carries_the_similarity(report):
    finding = next(f for f in report.findings if f["case_id"] == "AT")
    assert finding["evidence"]["similarity"] == 0.8
    assert finding["evidence"]["shared_3grams"] == 28
    assert "80% of their three-word phrases" in finding["message"]


def test_parameters_change_kinds_threshold_and_min_words(sqs_run_check):
    tables = {
        "cases": [case("R"), case("V")],
        "assessments": [
            *pair("R", BASE, UNDER, kind="rosh"),
            *pair("V", words("v", 10), words("v", 10), kind="vulnerability"),
        ],
    }
    default = sqs_run_check(CHECK, tables, as_of=AS_OF)
    assert default.relevant == {"R", "V"} and default.flagged == set()
    tuned = sqs_run_check(CHECK, tables, as_of=AS_OF, params={"threshold": 0.75, "min_words": 10})
    assert tuned.records() == {("R", "copied", "R_B"), ("V", "copied", "V_B")}
    rosh_only = sqs_run_check(
        CHECK, tables, as_of=AS_OF, params={"kinds": ["rosh"], "threshold": 0.75, "min_words": 10}
    )
    assert rosh_only.relevant == {"R"} and rosh_only.flagged == {"R"}


def test_skipped_without_a_narrative_column(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "assessments": [
                {
                    "case_id": "C1",
                    "kind": "rosh",
                    "stage": "initial",
                    "completed_date": "2013-01-10",
                }
            ],
        },
        as_of=AS_OF,
    )
    assert report.status == "skipped"
    assert report.reason == "the assessments table has no narrative column"


def test_repeated_phrases_count_once(report):
    # the later narrative says everything twice: 30 distinct 3-grams, 28 of them shared
    finding = next(f for f in report.findings if f["case_id"] == "REPEAT")
    expected = trigram_jaccard(BASE, BASE + ". " + BASE)
    assert expected == 28 / 30
    assert finding["evidence"]["similarity"] == round(expected, 4)
    assert finding["evidence"]["shared_3grams"] == 28


def test_long_narratives(report):
    finding = next(f for f in report.findings if f["case_id"] == "LONG")
    expected = trigram_jaccard(LONG, LONG + " " + words("x", 50))
    assert expected == 298 / 348
    assert finding["evidence"]["similarity"] == round(expected, 4)


def test_batches_give_the_same_answer(report, monkeypatch):
    """A national export is compared a batch of pairs at a time; the answer must not change."""
    from sqs_hmip.reoffending import copied_assessment

    from sqs_checks.testing import run_check

    monkeypatch.setattr(copied_assessment, "PAIRS_PER_BATCH", 2)
    batched = run_check(CHECK, report.result.loaded.description, as_of=AS_OF)
    assert batched.records() == report.records()
    assert batched.relevant == report.relevant
    assert len(report.records()) >= 4


def test_words_are_the_same_whether_split_or_matched():
    """The split of plain prose gives exactly the words the regular expression finds.

    Random narratives over letters (accented, Greek, Cyrillic), digits, the common
    separators, other punctuation, combining marks, no-break and other spaces.
    """
    import random

    import duckdb
    from sqs_hmip.reoffending.copied_assessment import BLANKED, WORDS

    rng = random.Random(5)
    alphabet = (
        list("abcXYZ019 ") * 6
        + list(".,;:!?'\"()-/\n\r\t")
        + ["  ", "é", "É", "ß", "ø", "λ", "Ж", "٣", "\u0301", "\u00a0", "\u2003", "—", "’"]
        + ["&", "#", "@", "*", "_", "[", "]", "%", "😀", "İ"]
    )
    texts = ["", " ", "...", "a", "Risk: HIGH (see AssetPlus).", "don't-stop/now", None]
    for _ in range(3000):
        pool = alphabet if rng.random() < 0.5 else list("abc XYZ 019 .,;:!?'\"()-/\n")
        texts.append("".join(rng.choice(pool) for _ in range(rng.randint(0, 40))))
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, narrative VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(texts)))
    rows = con.execute(
        f"SELECT i, {WORDS}, "
        r"regexp_extract_all(lower(coalesce(narrative, '')), '[\p{L}\p{N}]+'), "
        r"NOT regexp_matches(blanked, '[^\p{L}\p{N} ]') "
        f"FROM (SELECT i, narrative, {BLANKED} AS blanked FROM t) ORDER BY i"
    ).fetchall()
    assert [r[1] for r in rows] == [r[2] for r in rows]
    split = sum(1 for r in rows if r[3])
    assert 500 < split < len(rows) - 500  # both ways were taken many times
