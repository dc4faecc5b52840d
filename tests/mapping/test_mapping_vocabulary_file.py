"""The vocabulary file is consistent, and headers and codes are read as services write them."""

from __future__ import annotations

import pytest

from sqs_checks.contract import Contract
from sqs_checks.mapping_help.codes import abbreviates, is_initials, match_code
from sqs_checks.mapping_help.vocabulary import vocabulary, words


def test_every_signature_names_known_concepts_and_every_code_is_canonical():
    vocab = vocabulary()
    concepts = {c for c in vocab.phrases.values() if c}
    contract = Contract()
    for table, spec in vocab.tables.items():
        assert table in contract, table
        assert spec.nouns <= concepts
        for column, signatures in spec.columns.items():
            assert column in contract.columns(table), (table, column)
            for sig in signatures:
                assert sig.concepts <= concepts, (table, column, sig)
                assert 0 < sig.weight <= 1
    for key, codes in vocab.codes.items():
        table, column = key.split(".")
        choices = {str(c) for c in contract.columns(table)[column].choices}
        assert set(codes) <= choices, key


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("CaseRef", ["case", "ref"]),
        ("case_ref", ["case", "ref"]),
        ("Case Ref", ["case", "ref"]),
        ("RoSHYN", ["rosh", "yn"]),
        ("DoB", ["dob"]),
        ("QA'd By", ["qa", "by"]),
        ("YPRef", ["yp", "ref"]),
        ("PSRs", ["psr"]),
        ("Child's Views", ["child", "views"]),
        ("Parent/Carer", ["parent", "carer"]),
    ],
)
def test_headers_are_split_into_words(header, expected):
    assert words(header, vocabulary().known) == expected


def test_an_unknown_word_is_not_read_as_a_known_one_it_resembles():
    reading = vocabulary().read("VictimIdentified")
    assert reading.concepts == ("VICTIM",) and reading.unknown == ("identified",)


@pytest.mark.parametrize(
    ("code", "phrase", "expected"),
    [
        ("vsp", "victim safety plan", True),
        ("thf", "theft", True),
        ("newoff", "new offence", True),
        ("vict", "victim concern", True),
        ("arg", "arrest", False),
        ("theft", "theft", False),
    ],
)
def test_abbreviations(code, phrase, expected):
    assert abbreviates(code, phrase) is expected


def test_initials_skip_small_words():
    assert is_initials("coa", "change of address") and is_initials("ca", "change of address")
    assert not is_initials("cx", "change of address")


@pytest.mark.parametrize(
    ("table", "column", "value", "code"),
    [
        ("cases", "disposal_type", "YRO with ISS", "community"),
        ("cases", "disposal_type", "Section 250", "custody"),
        ("cases", "disposal_type", "Outcome 22", "out_of_court"),
        ("plans", "kind", "Safety and Wellbeing Plan", "vulnerability_management"),
        ("plans", "kind", "VSP", "victim_safety"),
        ("plans", "kind", "Safety Plan", None),
        ("plans", "kind", "RSP", None),
        ("events", "kind", "No new offence", None),
        ("events", "kind", "Arrested for new offence", None),
        ("offences", "category", "Other - see notes", None),
        ("cases", "mappa_level", "Level 2", "2"),
        ("assessments", "diversity_assessed", "Not considered", "no"),
        ("assessments", "diversity_assessed", "Unknown", None),
        ("events", "kind", "Moved", "change_of_address"),
        ("events", "kind", "Moved school", None),
        ("events", "kind", "Missing appointment", None),
        ("events", "kind", "Release on Temporary Licence", None),
        ("events", "kind", "Safeguarding referral", "safeguarding_concern"),
        ("assessments", "stage", "PSR", None),
        ("staff", "role", "Senior Practitioner", None),
        ("offences", "category", "Shop theft", "theft"),
        ("offences", "category", "Drug driving", None),
    ],
)
def test_codes(table, column, value, code):
    assert match_code(value, table, Contract().columns(table)[column]).code == code
