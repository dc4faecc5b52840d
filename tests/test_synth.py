"""The synthetic export generator: realistic, deterministic, and honest about its defects."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from sqs_checks.synth import (
    DATE_COLUMNS,
    FORWARD_LOOKING_DATE_COLUMNS,
    TABLES,
    generate_export,
    narrative_similarity,
)
from sqs_checks.synth.export import build, missed

AS_OF = dt.date(2013, 3, 18)
COURT_DISPOSALS = {"referral_order", "community", "custody"}

# Every reason code of every check of SPEC §5, written out here rather than taken
# from the module, so that a check or reason the generator forgets is noticed.
CATALOG = {
    "reoffending.initial_assessment": {"missing", "late"},
    "reoffending.copied_assessment": {"copied"},
    "reoffending.assessment_review": {"overdue", "late", "not_reviewed_after_event"},
    "reoffending.court_report": {
        "late",
        "no_quality_assurance",
        "no_assessment",
        "old_assessment",
    },
    "reoffending.intervention_plan": {"missing", "late"},
    "reoffending.custody_plan": {"missing", "late"},
    "reoffending.plan_review": {"overdue", "late", "not_reviewed_after_event"},
    "public.rosh_assessment": {"missing", "late", "level_unclear"},
    "public.rosh_offences_overlooked": {"offences_overlooked"},
    "public.rosh_review": {"overdue", "late", "not_reviewed_after_event"},
    "public.risk_management_plan": {"missing", "late", "no_contingency"},
    "public.rmp_review": {"overdue", "late", "not_reviewed_after_event"},
    "public.release_plan": {"missing", "late"},
    "public.victims": {"victim_not_addressed", "late"},
    "public.mappa": {"level_not_recorded", "not_referred"},
    "public.court_report_rosh": {"rosh_not_addressed"},
    "child.vulnerability_assessment": {"missing", "late", "level_unclear"},
    "child.vulnerability_review": {"overdue", "late", "not_reviewed_after_event"},
    "child.vulnerability_management_plan": {"missing", "late", "no_contingency"},
    "child.vmp_review": {"overdue", "late", "not_reviewed_after_event"},
    "sentence.diversity": {"not_assessed"},
    "sentence.involvement": {"child_not_involved", "carer_not_involved"},
    "oversight.sign_off": {
        "missing",
        "late",
        "self_sign_off",
        "before_completion",
        "not_a_manager",
    },
    "oversight.ineffective_sign_off": {"signed_off_deficient"},
    "data.record_excluded": {"record_excluded"},
    "data.value_dropped": {"value_dropped"},
}
ALL_CODES = {(check, reason) for check, reasons in CATALOG.items() for reason in reasons}


def parse_date(text: str) -> dt.date:
    """ISO, DD/MM/YYYY or D/M/YYYY, as SPEC §2 reads them."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if m:
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    raise ValueError(text)


def read_lines(folder: Path, table: str) -> tuple[list[str], list[tuple[int, list[str] | None]]]:
    """The header, then every line after it as (line number, fields), None for a line
    that is not a row: blank, or every field empty (SPEC §2)."""
    text = (folder / f"{table}.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[-1] == "", "the file ends with a line end"
    header = next(csv.reader([lines[0]]))
    out: list[tuple[int, list[str] | None]] = []
    for number, line in enumerate(lines[1:-1], start=2):
        fields = next(csv.reader([line])) if line.strip() else []
        if fields:
            assert len(fields) == len(header), (table, number)  # no value spans two lines
        out.append((number, fields if any(f.strip() for f in fields) else None))
    return header, out


def read_table(folder: Path, table: str) -> list[tuple[int, dict[str, str]]]:
    """Rows with the line each is on (header = line 1)."""
    header, lines = read_lines(folder, table)
    return [
        (number, dict(zip(header, fields, strict=True)))
        for number, fields in lines
        if fields is not None
    ]


def date_or_none(text: str) -> dt.date | None:
    """A date cell as the checks read it (bad text is dropped: null)."""
    try:
        return parse_date(text) if text else None
    except ValueError:
        return None


def is_open(case: dict[str, str], as_of: dt.date) -> bool:
    start = parse_date(case["start_date"])
    end = date_or_none(case["end_date"])
    return start <= as_of and (end is None or end >= as_of)


def in_scope(case: dict[str, str], as_of: dt.date) -> bool:
    """The open-cases suite: open, court disposal (SPEC §4)."""
    return is_open(case, as_of) and case["disposal_type"] in COURT_DISPOSALS


@pytest.fixture(scope="module")
def export_300(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("synth300")
    return folder, generate_export(folder, as_of=AS_OF, cases=300, seed=1)


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate_export(first, as_of=AS_OF, cases=120, seed=5)
    generate_export(second, as_of=AS_OF, cases=120, seed=5)
    generate_export(other, as_of=AS_OF, cases=120, seed=6)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted([f"{t}.csv" for t in TABLES] + ["ground_truth.json"])
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "assessments.csv").read_bytes() != (other / "assessments.csv").read_bytes()


def test_return_value_is_the_ground_truth_file(export_300: tuple[Path, dict]) -> None:
    folder, truth = export_300
    assert json.loads((folder / "ground_truth.json").read_text(encoding="utf-8")) == truth
    assert truth["as_of"] == "2013-03-18"
    assert (truth["seed"], truth["cases"], truth["suite"]) == (1, 300, "open-cases")
    for finding in truth["findings"]:
        assert set(finding) == {"check_id", "case_id", "reason", "record_table", "record_id"}
    keys = [tuple(f.values()) for f in truth["findings"]]
    assert len(keys) == len(set(keys)), "one finding per (check, case, reason, record)"


@pytest.mark.parametrize("days_before_today", [0, 15, 400])
def test_no_past_event_date_after_today(tmp_path: Path, days_before_today: int) -> None:
    today = dt.date.today()
    truth = generate_export(
        tmp_path, as_of=today - dt.timedelta(days=days_before_today), cases=200, seed=3
    )
    bad = {(p["table"], p["row"], p["column"]) for p in truth["input_problems"]}
    checked = 0
    for table in TABLES:
        columns = DATE_COLUMNS[table] - FORWARD_LOOKING_DATE_COLUMNS
        for line, row in read_table(tmp_path, table):
            for column in columns:
                if row[column] and (table, line, column) not in bad:
                    assert parse_date(row[column]) <= today, (table, line, column, row[column])
                    checked += 1
    assert checked > 1000


def test_records_after_as_of_are_present_when_there_is_room(tmp_path: Path) -> None:
    as_of = dt.date.today() - dt.timedelta(days=60)
    generate_export(tmp_path, as_of=as_of, cases=300, seed=2)
    later = [
        row
        for line, row in read_table(tmp_path, "assessments")
        if (date_or_none(row["completed_date"]) or as_of) > as_of
    ]
    assert later, "a few records dated after as_of exercise the 'not yet' rule"


def test_as_of_after_today_is_capped(tmp_path: Path) -> None:
    today = dt.date.today()
    truth = generate_export(tmp_path, as_of=today + dt.timedelta(days=90), cases=60, seed=1)
    assert truth["as_of"] == today.isoformat()


def test_dates_and_booleans_come_in_several_spellings(export_300: tuple[Path, dict]) -> None:
    folder, _ = export_300
    starts = [row["start_date"] for _, row in read_table(folder, "cases")]
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) for s in starts)
    assert any(re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", s) for s in starts)
    flags = Counter(row["significant"] for _, row in read_table(folder, "events"))
    assert {"true", "false", "yes"} <= set(flags)
    assert flags["true"] > flags["yes"]


def test_every_reason_code_of_every_check_is_planted(export_300: tuple[Path, dict]) -> None:
    _, truth = export_300
    codes = {(f["check_id"], f["reason"]) for f in truth["findings"]}
    assert codes == ALL_CODES, (sorted(ALL_CODES - codes), sorted(codes - ALL_CODES))


def test_several_of_each_at_200_and_one_of_each_at_100(tmp_path: Path) -> None:
    truth = generate_export(tmp_path / "200", as_of=AS_OF, cases=200, seed=1)
    counts = Counter((f["check_id"], f["reason"]) for f in truth["findings"])
    assert {code: n for code, n in counts.items() if n < 3} == {}
    assert set(counts) == ALL_CODES
    truth = generate_export(tmp_path / "100", as_of=AS_OF, cases=100, seed=9)
    assert {(f["check_id"], f["reason"]) for f in truth["findings"]} == ALL_CODES


def test_defects_spread_over_a_third_of_cases_teams_and_managers(
    export_300: tuple[Path, dict],
) -> None:
    folder, truth = export_300
    cases = {row["case_id"]: row for _, row in read_table(folder, "cases")}
    judged = [c for c in cases.values() if in_scope(c, AS_OF)]
    flagged = {f["case_id"] for f in truth["findings"]}
    assert 0.25 <= len(flagged) / len(judged) <= 0.45
    assert {cases[c]["team"] for c in flagged} == {"North", "South", "East", "West"}
    assert len({cases[c]["case_manager"] for c in flagged}) >= 8
    staff = {row["name"]: row["role"] for _, row in read_table(folder, "staff")}
    assert {"case_manager", "practice_manager", "operational_manager"} <= set(staff.values())


@pytest.mark.parametrize(("seed", "as_of"), [(1, AS_OF), (2, dt.date(2024, 2, 29))])
def test_every_plant_produces_the_finding_it_was_planted_for(seed: int, as_of: dt.date) -> None:
    gen = build(as_of=as_of, cases=300, seed=seed)
    assert sum(len(c.plants) for c in gen.cases) > 150
    assert missed(gen) == []


def test_every_finding_names_an_existing_record(export_300: tuple[Path, dict]) -> None:
    folder, truth = export_300
    id_column = {
        "cases": "case_id",
        "assessments": "assessment_id",
        "plans": "plan_id",
        "plan_reviews": "review_id",
        "events": "event_id",
        "court_reports": "report_id",
        "referrals": "referral_id",
    }
    owner: dict[tuple[str, str], str] = {}
    plan_case = {row["plan_id"]: row["case_id"] for _, row in read_table(folder, "plans")}
    for table, column in id_column.items():
        for _, row in read_table(folder, table):
            case = plan_case.get(row["plan_id"]) if table == "plan_reviews" else row["case_id"]
            owner.setdefault((table, row[column]), case or "")
    problems = {(p["table"], str(p["row"])) for p in truth["input_problems"]}
    for f in truth["findings"]:
        record = (f["record_table"], f["record_id"])
        if f["check_id"].startswith("data."):
            assert record in problems, f
        else:
            assert owner.get(record) == f["case_id"], f


def test_ground_truth_names_only_cases_in_scope(tmp_path: Path) -> None:
    as_of = dt.date.today() - dt.timedelta(days=30)
    truth = generate_export(tmp_path, as_of=as_of, cases=300, seed=4)
    cases = {row["case_id"]: row for _, row in read_table(tmp_path, "cases")}
    assert any(not is_open(c, as_of) for c in cases.values()), "closed and future cases exist"
    assert any(is_open(c, as_of) and not in_scope(c, as_of) for c in cases.values())
    for finding in truth["findings"]:
        assert in_scope(cases[finding["case_id"]], as_of), finding


def test_children_with_several_cases(export_300: tuple[Path, dict]) -> None:
    folder, _ = export_300
    per_child = Counter(row["child_id"] for _, row in read_table(folder, "cases"))
    assert sum(1 for n in per_child.values() if n > 1) >= 20


ENUMS = {
    ("cases", "disposal_type"): {"referral_order", "community", "custody", "out_of_court", "other"},
    ("assessments", "kind"): {"reoffending", "rosh", "vulnerability"},
    ("assessments", "stage"): {"initial", "review", "closure"},
    ("assessments", "level"): {"low", "medium", "high", "very_high"},
    ("plans", "kind"): {
        "intervention",
        "risk_management",
        "vulnerability_management",
        "custody",
        "release",
        "victim_safety",
    },
    ("events", "kind"): {
        "new_offence",
        "arrest",
        "breach",
        "custody_release",
        "change_of_address",
        "change_of_care_status",
        "safeguarding_concern",
        "missing_episode",
        "school_exclusion",
        "victim_concern",
        "other",
    },
    ("court_reports", "kind"): {"psr", "other"},
    ("offences", "category"): {
        "violence",
        "sexual",
        "robbery",
        "weapons",
        "arson",
        "burglary",
        "drugs",
        "motoring",
        "theft",
        "public_order",
        "criminal_damage",
        "other",
    },
    ("referrals", "kind"): {
        "mappa",
        "victim_liaison",
        "substance_misuse",
        "mental_health",
        "education",
        "other",
    },
}
BOOLEANS = {"true", "false", "yes", "no", "y", "n", "1", "0"}
NA = {"na", "n/a", "null", "none"}
BOOL_COLUMNS = {
    "mappa_eligible",
    "has_identified_victim",
    "diversity_assessed",
    "child_views_recorded",
    "parent_carer_involved",
    "has_contingency",
    "significant",
    "rosh_addressed",
}
REQUIRED = {
    "cases": {"case_id", "child_id", "case_manager", "disposal_type", "start_date"},
    "assessments": {"assessment_id", "case_id", "kind", "stage", "author"},
    "plans": {"plan_id", "case_id", "kind", "created_date", "author"},
    "plan_reviews": {"review_id", "plan_id", "review_date"},
    "events": {"event_id", "case_id", "event_date", "kind"},
    "court_reports": {"report_id", "case_id", "kind", "author"},
    "offences": {"offence_id", "child_id", "offence_date", "category"},
    "referrals": {"referral_id", "case_id", "kind", "referral_date"},
}


def bad_value(table: str, column: str, text: str) -> str | None:
    """What SPEC §2 finds wrong with a cell's text, or None."""
    value = text.strip()
    if column in REQUIRED[table] and not value:
        return "blank required value"
    if column in DATE_COLUMNS[table]:
        if not value or value.lower() in NA:
            return None
        try:
            day = parse_date(value)
        except ValueError:
            return "impossible date"
        if column not in FORWARD_LOOKING_DATE_COLUMNS and day > dt.date.today():
            return "date after today"
        return None
    if column in BOOL_COLUMNS:
        if value and value.lower() not in BOOLEANS | NA:
            return "bad boolean"
        return None
    if column == "mappa_level":
        return None if value in ("", "1", "2", "3") else "mappa level not 1-3"
    codes = ENUMS.get((table, column))
    if codes is not None and value and value.lower() not in NA:
        code = re.sub(r"[\s-]+", "_", value.lower())
        return None if code in codes else "unknown code"
    return None


def test_input_problems_point_at_the_right_lines(export_300: tuple[Path, dict]) -> None:
    """Every listed problem is on its line, is a problem by SPEC §2, with its action."""
    folder, truth = export_300
    problems = truth["input_problems"]
    case_ids = {row["case_id"] for _, row in read_table(folder, "cases")}
    plan_ids = {row["plan_id"] for _, row in read_table(folder, "plans")}
    kinds = Counter()
    by_row: dict[tuple[str, int], list[dict]] = {}
    for problem in problems:
        assert set(problem) == {"table", "row", "column", "value", "action"}
        by_row.setdefault((problem["table"], problem["row"]), []).append(problem)
    for (table, line), listed in by_row.items():
        rows = dict(read_table(folder, table))
        assert line in rows, (table, line)
        row = rows[line]
        excluded = False
        for problem in listed:
            column = problem["column"]
            assert row[column] == problem["value"], problem
            if column == "assessment_id":
                earlier = [r["assessment_id"] for n, r in rows.items() if n < line]
                assert problem["value"] in earlier
                kinds["duplicate id"] += 1
            elif column == "case_id":
                assert problem["value"] not in case_ids
                kinds["unknown case"] += 1
            elif column == "plan_id":
                assert problem["value"] not in plan_ids
                kinds["unknown plan"] += 1
            else:
                what = bad_value(table, column, problem["value"])
                assert what is not None, problem
                kinds[what] += 1
            excluded |= column in REQUIRED[table] | {"completed_date"}
        for problem in listed:
            assert problem["action"] == ("row_excluded" if excluded else "value_dropped"), problem
        kinds["row excluded" if excluded else "value dropped"] += 1
    assert kinds.keys() >= {
        "impossible date",
        "date after today",
        "duplicate id",
        "unknown case",
        "unknown plan",
        "unknown code",
        "bad boolean",
        "mappa level not 1-3",
        "blank required value",
    }, kinds
    assert kinds["row excluded"] >= 6 and kinds["value dropped"] >= 10, kinds
    rows_listed = {(p["table"], str(p["row"])) for p in problems}
    data = [f for f in truth["findings"] if f["check_id"].startswith("data.")]
    assert {f["check_id"] for f in data} == {"data.record_excluded", "data.value_dropped"}
    for finding in data:
        assert (finding["record_table"], finding["record_id"]) in rows_listed


def test_planted_copies_are_light_edits_and_others_are_far_apart(
    export_300: tuple[Path, dict],
) -> None:
    folder, truth = export_300
    child_of = {row["case_id"]: row["child_id"] for _, row in read_table(folder, "cases")}
    chains: dict[tuple[str, str], list[dict[str, str]]] = {}
    for _, row in read_table(folder, "assessments"):
        done = date_or_none(row["completed_date"])  # None too: the planted impossible date
        if done is None or done > AS_OF or row["case_id"] not in child_of:
            continue
        row["_done"] = done.isoformat()
        chains.setdefault((child_of[row["case_id"]], row["kind"]), []).append(row)
    copied = {
        f["record_id"]
        for f in truth["findings"]
        if f["check_id"] == "reoffending.copied_assessment"
    }
    seen_copies, highest_other = set(), 0.0
    for chain in chains.values():
        chain.sort(key=lambda r: (r["_done"], r["assessment_id"]))
        for before, after in zip(chain, chain[1:], strict=False):
            if len(after["narrative"].split()) < 20 or len(before["narrative"].split()) < 20:
                continue
            similarity = narrative_similarity(after["narrative"], before["narrative"])
            if after["assessment_id"] in copied:
                assert similarity >= 0.8
                seen_copies.add(after["assessment_id"])
            else:
                highest_other = max(highest_other, similarity)
    assert seen_copies == copied
    assert highest_other < 0.5
    words = [len(row["narrative"].split()) for chain in chains.values() for row in chain]
    assert 30 <= sorted(words)[len(words) // 2] <= 60


def test_similarity_follows_the_spec() -> None:
    text = "The young person, aged 15, said: school was boring & pointless; mum agreed."
    assert narrative_similarity(text, text.upper()) == 1.0
    assert narrative_similarity(text, "Something else entirely was said here today.") == 0.0
    assert narrative_similarity("", "") == 0.0


def test_parquet_has_typed_columns_and_no_input_problems(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    truth = generate_export(tmp_path, as_of=AS_OF, cases=150, seed=2, fmt="parquet")
    assert truth["input_problems"] == []
    assert not any(f["check_id"].startswith("data.") for f in truth["findings"])
    cases = pq.read_table(tmp_path / "cases.parquet")
    assert cases.num_rows == 150
    assert str(cases.schema.field("start_date").type) == "date32[day]"
    assert str(cases.schema.field("mappa_eligible").type) == "bool"
    assert sorted(p.name for p in tmp_path.glob("*.parquet")) == sorted(
        f"{t}.parquet" for t in TABLES
    )


def test_without_narratives_nothing_is_copied(tmp_path: Path) -> None:
    truth = generate_export(tmp_path, as_of=AS_OF, cases=150, seed=2, narratives=False)
    assert not any(f["check_id"] == "reoffending.copied_assessment" for f in truth["findings"])
    assert all(row["narrative"] == "" for _, row in read_table(tmp_path, "assessments"))


@pytest.mark.parametrize("wanted", [7.5, 12.0])
def test_assessments_per_case_is_honoured_roughly(tmp_path: Path, wanted: float) -> None:
    generate_export(
        tmp_path,
        as_of=AS_OF,
        cases=400,
        seed=1,
        assessments_per_case=wanted,
        narratives=False,
        input_problems=False,
    )
    rows = len(read_table(tmp_path, "assessments"))
    assert wanted * 0.75 <= rows / 400 <= wanted * 1.25


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate_export(tmp_path, as_of=AS_OF, cases=10, fmt="xlsx")
    with pytest.raises(ValueError):
        generate_export(tmp_path, as_of=AS_OF, cases=-1)


DIGESTS = Path(__file__).parent / "synth_digests.json"


def file_digest(path: Path) -> str:
    """SHA-256 of a file; of a Parquet file's schema and values (its bytes name the writer)."""
    if path.suffix != ".parquet":
        return hashlib.sha256(path.read_bytes()).hexdigest()
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    digest = hashlib.sha256(str(table.schema).encode())
    for name in table.column_names:
        values = [
            v.isoformat() if isinstance(v, dt.date) else v for v in table.column(name).to_pylist()
        ]
        digest.update(json.dumps([name, values], ensure_ascii=False).encode())
    return digest.hexdigest()


def test_same_seeds_give_the_recorded_bytes(tmp_path: Path) -> None:
    """Exports and ground truths are byte-identical to the recorded ones (today pinned).

    ``SQS_UPDATE_SYNTH_DIGESTS=1`` rewrites the record, for a change of the export
    made on purpose.
    """
    pytest.importorskip("pyarrow.parquet")
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    today = dt.date.fromisoformat(recorded["today"])
    differences = []
    for n, entry in enumerate(recorded["exports"]):
        args = dict(entry["args"])
        args["as_of"] = dt.date.fromisoformat(args["as_of"])
        folder = tmp_path / str(n)
        generate_export(folder, today=today, **args)
        files = {p.name: file_digest(p) for p in sorted(folder.iterdir())}
        if files != entry["files"]:
            changed = sorted(
                k
                for k in files.keys() | entry["files"].keys()
                if files.get(k) != entry["files"].get(k)
            )
            differences.append((entry["args"], changed))
            entry["files"] = files
    if os.environ.get("SQS_UPDATE_SYNTH_DIGESTS") == "1":
        DIGESTS.write_text(json.dumps(recorded, indent=1) + "\n", encoding="utf-8")
        return
    assert len(recorded["exports"]) >= 20
    assert not differences, differences


SYNTH = Path(__file__).parent.parent / "sqs_checks" / "synth"


def _imports(path: Path) -> set[str]:
    """The modules a source file imports (absolute names)."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            found.add(node.module or "")
    return found


def test_the_generator_imports_nothing_of_the_engine_nor_the_catalog() -> None:
    """The ground truth is an independent oracle: no code shared with what it checks."""
    import subprocess
    import sys

    third_party = {"holidays", "pyarrow", "pyarrow.parquet"}
    for path in sorted(SYNTH.rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            assert (
                name.startswith("sqs_checks.synth")
                or name in third_party
                or top in sys.stdlib_module_names
            ), f"{path.relative_to(SYNTH)} imports {name}"
    code = (
        "import sys, datetime, tempfile; from sqs_checks.synth import generate_export; "
        "generate_export(tempfile.mkdtemp(), as_of=datetime.date(2013, 3, 18), cases=30); "
        "print(' '.join(m for m in sys.modules if m.startswith(('sqs_', 'duckdb', 'polars'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "sqs_checks.synth.truth" in loaded
    assert not [m for m in loaded if m.startswith(("sqs_hmip", "sqs_checks.engine"))], loaded
    assert [m for m in loaded if not m.startswith("sqs_checks.synth")] == ["sqs_checks"]


def test_the_evaluator_does_not_use_the_generator() -> None:
    """``truth/`` reads records; it imports none of the modules that make them."""
    shared = {
        "sqs_checks.synth.records",
        "sqs_checks.synth.calendar",
        "sqs_checks.synth.catalog",
        "sqs_checks.synth.similarity",
        "sqs_checks.synth.schema",
    }
    for path in sorted((SYNTH / "truth").glob("*.py")):
        for name in _imports(path):
            if name.startswith("sqs_checks.synth"):
                assert name in shared or name.startswith("sqs_checks.synth.truth"), (path, name)


def test_a_plant_family_is_one_module_listing_its_plants() -> None:
    """Every module of ``plants/`` is found; every plant aims at a reason of the catalog."""
    import importlib

    from sqs_checks.synth.catalog import REASONS
    from sqs_checks.synth.planting import PLANTS

    listed: set[str] = set()
    for path in sorted((SYNTH / "plants").glob("*.py")):
        if path.stem != "__init__":
            module = importlib.import_module(f"sqs_checks.synth.plants.{path.stem}")
            assert module.PLANTS, path.stem
            listed |= {plant.key for plant in module.PLANTS}
    assert listed == set(PLANTS)
    for plant in PLANTS.values():
        assert plant.reason in REASONS[plant.check], plant.key


# --- SPEC v2: scope by disposal, NA markers, dropped values, layout, partial inputs ------


def findings_of(truth: dict, check: str | None = None) -> list[dict]:
    """The ground truth's findings (of one check)."""
    return [f for f in truth["findings"] if check is None or f["check_id"] == check]


def test_open_cases_of_other_disposals_are_counted_not_judged(
    export_300: tuple[Path, dict],
) -> None:
    folder, truth = export_300
    cases = [row for _, row in read_table(folder, "cases")]
    left_out = [c for c in cases if is_open(c, AS_OF) and not in_scope(c, AS_OF)]
    assert {c["disposal_type"] for c in left_out} == {"out_of_court", "other"}
    assert truth["cases_out_of_scope_by_disposal"] == len(left_out) > 20
    assert truth["cases_in_scope"] == sum(in_scope(c, AS_OF) for c in cases)
    assert not {f["case_id"] for f in findings_of(truth)} & {c["case_id"] for c in left_out}


def _needs_sign_off(row: dict[str, str], table: str) -> bool:
    if table == "plans":
        return row["kind"] in ("risk_management", "vulnerability_management", "release")
    return row["stage"] == "initial" or row["level"] in ("high", "very_high")


def test_na_markers_are_no_sign_off_and_no_quality_assurance(
    export_300: tuple[Path, dict],
) -> None:
    folder, truth = export_300
    cases = {row["case_id"]: row for _, row in read_table(folder, "cases")}
    keys = {(f["check_id"], f["reason"], f["record_id"]) for f in findings_of(truth)}
    listed = {(p["table"], p["row"], p["column"]) for p in truth["input_problems"]}
    unsigned = 0
    for table, id_column in (("assessments", "assessment_id"), ("plans", "plan_id")):
        for line, row in read_table(folder, table):
            if row["signed_off_by"].strip().lower() not in NA:
                continue
            assert (table, line, "signed_off_by") not in listed, "an NA marker is no problem"
            done = date_or_none(row.get("completed_date", row.get("created_date", "")))
            if (
                in_scope(cases[row["case_id"]], AS_OF)
                and _needs_sign_off(row, table)
                and done is not None
                and done < AS_OF - dt.timedelta(days=10)
            ):
                assert ("oversight.sign_off", "missing", row[id_column]) in keys, row
                unsigned += 1
    assert unsigned >= 3
    no_qa = 0
    for _, row in read_table(folder, "court_reports"):
        if row["quality_assured_by"].strip().lower() in NA and row["submitted_date"]:
            assert in_scope(cases[row["case_id"]], AS_OF)
            assert ("reoffending.court_report", "no_quality_assurance", row["report_id"]) in keys
            no_qa += 1
    assert no_qa >= 3


def _dropped(truth: dict, table: str, column: str) -> list[int]:
    return [
        p["row"]
        for p in truth["input_problems"]
        if (p["table"], p["column"], p["action"]) == (table, column, "value_dropped")
    ]


def test_a_dropped_value_leaves_its_row_checked_as_null(export_300: tuple[Path, dict]) -> None:
    """SPEC §2 v2, value by value: the row is checked, the value is null."""
    folder, truth = export_300
    rows = {table: dict(read_table(folder, table)) for table in TABLES}
    keys = {(f["check_id"], f["case_id"], f["reason"], f["record_id"]) for f in truth["findings"]}
    by_case = Counter(f["case_id"] for f in truth["findings"])

    (line,) = _dropped(truth, "cases", "mappa_level")
    case = rows["cases"][line]["case_id"]
    assert ("public.mappa", case, "level_not_recorded", case) in keys
    (line,) = _dropped(truth, "cases", "has_identified_victim")
    case = rows["cases"][line]["case_id"]
    assert not [k for k in keys if k[0] == "public.victims" and k[1] == case]
    (line,) = _dropped(truth, "cases", "end_date")
    case = rows["cases"][line]["case_id"]
    assert ("data.value_dropped", case, "value_dropped", str(line)) in keys  # still in scope
    (line,) = _dropped(truth, "plans", "has_contingency")
    plan = rows["plans"][line]
    assert (
        "public.risk_management_plan",
        plan["case_id"],
        "no_contingency",
        plan["plan_id"],
    ) in keys
    for table, id_column in (("assessments", "assessment_id"), ("plans", "plan_id")):
        (line,) = _dropped(truth, table, "signed_off_date")
        record = rows[table][line]
        assert record["signed_off_by"]
        assert not [k for k in keys if k[0] == "oversight.sign_off" and k[3] == record[id_column]]
    (line,) = _dropped(truth, "court_reports", "rosh_addressed")
    report = rows["court_reports"][line]
    assert (
        "public.court_report_rosh",
        report["case_id"],
        "rosh_not_addressed",
        report["report_id"],
    ) in keys
    (line,) = _dropped(truth, "court_reports", "quality_assured_date")
    report = rows["court_reports"][line]
    assert not [
        k for k in keys if k[0] == "reoffending.court_report" and k[3] == report["report_id"]
    ]
    # two bad values on one row: both listed, one finding, both values null
    (line,) = set(_dropped(truth, "assessments", "diversity_assessed")) & set(
        _dropped(truth, "assessments", "child_views_recorded")
    )
    first = rows["assessments"][line]
    case = first["case_id"]
    assert ("sentence.diversity", case, "not_assessed", first["assessment_id"]) in keys
    assert ("sentence.involvement", case, "child_not_involved", first["assessment_id"]) in keys
    dropped_here = [k for k in keys if k[0] == "data.value_dropped" and k[3] == str(line)]
    assert dropped_here == [("data.value_dropped", case, "value_dropped", str(line))]
    # the event with "maybe" is an event like any other: no exclusion
    (line,) = _dropped(truth, "events", "significant")
    assert not [k for k in keys if k[0] == "data.record_excluded" and k[3] == str(line)]
    assert by_case[rows["events"][line]["case_id"]] >= 1


def _case_of_row(rows: dict, table: str, line: int) -> str | None:
    row = rows[table][line]
    return row.get("case_id")


def test_one_data_finding_per_row_and_case_in_scope(export_300: tuple[Path, dict]) -> None:
    folder, truth = export_300
    cases = {row["case_id"]: row for _, row in read_table(folder, "cases")}
    rows = {table: dict(read_table(folder, table)) for table in TABLES}
    by_row: dict[tuple[str, int], set[str]] = {}
    for p in truth["input_problems"]:
        by_row.setdefault((p["table"], p["row"]), set()).add(p["action"])
    expected = set()
    out_of_scope = 0
    for (table, line), actions in by_row.items():
        assert len(actions) == 1, "every problem of a row has the row's action"
        check = "data.record_excluded" if actions == {"row_excluded"} else "data.value_dropped"
        row = rows[table][line]
        if table == "offences":
            linked = [c for c, r in cases.items() if r["child_id"] == row["child_id"]]
        elif table == "plan_reviews":
            plan = [r for r in rows["plans"].values() if r["plan_id"] == row["plan_id"]]
            linked = [plan[0]["case_id"]] if plan else []
        else:
            linked = [row["case_id"]] if row["case_id"] in cases else []
        for case in linked:
            if in_scope(cases[case], AS_OF):
                expected.add((check, case, table, str(line)))
            elif check == "data.value_dropped":
                out_of_scope += 1
    found = {
        (f["check_id"], f["case_id"], f["record_table"], f["record_id"])
        for f in truth["findings"]
        if f["check_id"].startswith("data.")
    }
    assert found == expected
    assert out_of_scope >= 1, "a dropped value on a case out of scope is listed, no finding"
    excluded_twice = [
        k
        for k, v in Counter(
            (p["table"], p["row"]) for p in truth["input_problems"] if p["action"] == "row_excluded"
        ).items()
        if v > 1
    ]
    assert excluded_twice, "a row excluded for one problem lists the other as excluded too"


def test_row_numbers_count_blank_lines_and_rows_of_empty_fields(
    export_300: tuple[Path, dict],
) -> None:
    folder, truth = export_300
    after_quirk = 0
    for table, kind in (("assessments", "empty fields"), ("plans", "blank")):
        header, lines = read_lines(folder, table)
        quirks = [n for n, fields in lines if fields is None]
        assert len(quirks) >= 3, table
        raw = (folder / f"{table}.csv").read_text(encoding="utf-8").split("\n")
        for n in quirks:
            assert (raw[n - 1] == "") == (kind == "blank"), (table, n)
        for p in truth["input_problems"]:
            if p["table"] == table and p["row"] > quirks[0]:
                after_quirk += 1
    assert after_quirk >= 2


def test_every_line_of_the_events_file_ends_with_a_separator(
    export_300: tuple[Path, dict],
) -> None:
    folder, truth = export_300
    lines = (folder / "events.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(TABLES["events"]) + ","
    assert all(line.endswith(",") for line in lines)
    assert any(p["table"] == "events" for p in truth["input_problems"])


def test_a_report_with_no_assessment_at_all_is_no_assessment_not_old(
    export_300: tuple[Path, dict],
) -> None:
    folder, truth = export_300
    child = {row["case_id"]: row["child_id"] for _, row in read_table(folder, "cases")}
    done_by_child: dict[str, list[dt.date]] = {}
    for _, row in read_table(folder, "assessments"):
        done = date_or_none(row["completed_date"])
        if row["kind"] == "reoffending" and done and done <= AS_OF and row["case_id"] in child:
            done_by_child.setdefault(child[row["case_id"]], []).append(done)
    reports = {row["report_id"]: row for _, row in read_table(folder, "court_reports")}
    seen = Counter()
    for f in findings_of(truth, "reoffending.court_report"):
        if f["reason"] not in ("no_assessment", "old_assessment"):
            continue
        report = reports[f["record_id"]]
        submitted = parse_date(report["submitted_date"])
        before = [d for d in done_by_child.get(child[f["case_id"]], []) if d <= submitted]
        assert bool(before) == (f["reason"] == "old_assessment"), f
        seen[f["reason"]] += 1
    assert seen["no_assessment"] >= 3 and seen["old_assessment"] >= 3, seen


@pytest.mark.parametrize("absent", [False, True])
def test_an_empty_staff_table_means_no_manager_check(tmp_path: Path, absent: bool) -> None:
    """An empty staff table counts as absent: no ``not_a_manager``, and not partial."""
    if absent:
        truth = generate_export(tmp_path, as_of=AS_OF, cases=300, seed=1, drop=["staff"])
        assert not (tmp_path / "staff.csv").exists()
    else:
        truth = generate_export(tmp_path, as_of=AS_OF, cases=300, seed=1, empty_staff=True)
        assert (tmp_path / "staff.csv").read_text(encoding="utf-8") == "name,role,team\n"
    assert truth["staff_rows"] is False
    assert truth["checks"]["oversight.sign_off"] == "ran"
    reasons = {f["reason"] for f in findings_of(truth, "oversight.sign_off")}
    assert reasons == {"missing", "late", "self_sign_off", "before_completion"}
    gen = build(as_of=AS_OF, cases=300, seed=1, staff_listed=False)
    assert missed(gen) == []


BRIEF_DROP = [
    "events",
    "plans.has_contingency",
    "assessments.level",
    "referrals",
    "court_reports.quality_assured_by",
    "assessments.child_views_recorded",
    "plans.signed_off_by",
]
RAN, PARTIAL, SKIPPED = "ran", "partial", "skipped"
# Expected statuses, worked out by hand from SPEC §5 "Partial inputs".
PARTIAL_CASES = {
    "brief": (
        BRIEF_DROP,
        {
            "reoffending.initial_assessment": RAN,
            "public.rosh_assessment": PARTIAL,
            "child.vulnerability_assessment": PARTIAL,
            "reoffending.copied_assessment": RAN,
            "reoffending.assessment_review": PARTIAL,
            "public.rosh_review": PARTIAL,
            "child.vulnerability_review": PARTIAL,
            "reoffending.plan_review": PARTIAL,
            "public.rmp_review": PARTIAL,
            "child.vmp_review": PARTIAL,
            "reoffending.court_report": PARTIAL,
            "reoffending.intervention_plan": RAN,
            "reoffending.custody_plan": RAN,
            "public.release_plan": RAN,
            "public.rosh_offences_overlooked": SKIPPED,
            "public.risk_management_plan": SKIPPED,
            "child.vulnerability_management_plan": SKIPPED,
            "public.victims": SKIPPED,
            "public.mappa": PARTIAL,
            "public.court_report_rosh": RAN,
            "sentence.diversity": RAN,
            "sentence.involvement": PARTIAL,
            "oversight.sign_off": PARTIAL,
            "oversight.ineffective_sign_off": PARTIAL,
            "data.record_excluded": RAN,
            "data.value_dropped": RAN,
        },
        {
            "reoffending.initial_assessment": {"missing", "late"},
            "public.rosh_assessment": {"missing", "late"},
            "reoffending.intervention_plan": {"missing", "late"},
            "reoffending.custody_plan": {"missing", "late"},
            "reoffending.assessment_review": {"overdue", "late"},
            "reoffending.court_report": {"late", "no_assessment", "old_assessment"},
            "public.mappa": {"level_not_recorded"},
            "public.court_report_rosh": {"rosh_not_addressed"},
            "sentence.diversity": {"not_assessed"},
            "sentence.involvement": {"carer_not_involved"},
        },
    ),
    "no plans": (
        [
            "plans",
            "plan_reviews",
            "court_reports.submitted_date",
            "cases.mappa_level",
            "offences",
            "assessments.signed_off_date",
            "assessments.child_views_recorded",
            "assessments.parent_carer_involved",
        ],
        {
            "reoffending.initial_assessment": RAN,
            "public.rosh_assessment": RAN,
            "child.vulnerability_assessment": RAN,
            "reoffending.copied_assessment": RAN,
            "reoffending.assessment_review": RAN,
            "public.rosh_review": RAN,
            "child.vulnerability_review": RAN,
            "reoffending.plan_review": SKIPPED,
            "public.rmp_review": SKIPPED,
            "child.vmp_review": SKIPPED,
            "reoffending.court_report": SKIPPED,
            "reoffending.intervention_plan": SKIPPED,
            "reoffending.custody_plan": SKIPPED,
            "public.release_plan": SKIPPED,
            "public.rosh_offences_overlooked": SKIPPED,
            "public.risk_management_plan": SKIPPED,
            "child.vulnerability_management_plan": SKIPPED,
            "public.victims": SKIPPED,
            "public.mappa": SKIPPED,
            "public.court_report_rosh": SKIPPED,
            "sentence.diversity": RAN,
            "sentence.involvement": SKIPPED,
            "oversight.sign_off": PARTIAL,
            "oversight.ineffective_sign_off": PARTIAL,
            "data.record_excluded": RAN,
            "data.value_dropped": RAN,
        },
        {
            "reoffending.initial_assessment": {"missing", "late"},
            "public.rosh_assessment": {"missing", "late", "level_unclear"},
            "reoffending.copied_assessment": {"copied"},
            "child.vulnerability_review": {"overdue", "late", "not_reviewed_after_event"},
            "sentence.diversity": {"not_assessed"},
        },
    ),
    "no completion dates": (
        ["assessments.completed_date", "plans.signed_off_by", "events.significant"],
        {
            "reoffending.initial_assessment": SKIPPED,
            "public.rosh_assessment": SKIPPED,
            "child.vulnerability_assessment": SKIPPED,
            "reoffending.copied_assessment": SKIPPED,
            "reoffending.assessment_review": SKIPPED,
            "public.rosh_review": SKIPPED,
            "child.vulnerability_review": SKIPPED,
            "reoffending.plan_review": RAN,
            "public.rmp_review": RAN,
            "child.vmp_review": RAN,
            "reoffending.court_report": PARTIAL,
            "reoffending.intervention_plan": RAN,
            "reoffending.custody_plan": RAN,
            "public.release_plan": RAN,
            "public.rosh_offences_overlooked": SKIPPED,
            "public.risk_management_plan": SKIPPED,
            "child.vulnerability_management_plan": SKIPPED,
            "public.victims": RAN,
            "public.mappa": RAN,
            "public.court_report_rosh": RAN,
            "sentence.diversity": SKIPPED,
            "sentence.involvement": SKIPPED,
            "oversight.sign_off": SKIPPED,
            "oversight.ineffective_sign_off": SKIPPED,
            "data.record_excluded": RAN,
            "data.value_dropped": RAN,
        },
        {
            "reoffending.intervention_plan": {"missing", "late"},
            "reoffending.plan_review": {"overdue", "late"},
            "public.victims": {"victim_not_addressed", "late"},
            "public.mappa": {"level_not_recorded", "not_referred"},
            "reoffending.court_report": {"late", "no_quality_assurance"},
        },
    ),
}


@pytest.fixture(scope="module")
def full_300(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The same export as the partial ones, with every table and column."""
    return generate_export(tmp_path_factory.mktemp("full"), as_of=AS_OF, cases=300, seed=3)


@pytest.mark.parametrize("name", sorted(PARTIAL_CASES))
def test_a_partial_export_says_what_each_check_can_judge(
    tmp_path: Path, full_300: dict, name: str
) -> None:
    drop, statuses, comparable = PARTIAL_CASES[name]
    truth = generate_export(tmp_path, as_of=AS_OF, cases=300, seed=3, drop=drop)
    assert truth["checks"] == statuses
    assert truth["absent"] == sorted(drop)
    for item in drop:  # the files do not have what was left out
        table, _, column = item.partition(".")
        if column:
            header = (tmp_path / f"{table}.csv").read_text(encoding="utf-8").split("\n")[0]
            assert column not in next(csv.reader([header]))
        else:
            assert not (tmp_path / f"{table}.csv").exists()
    for f in findings_of(truth):
        assert statuses[f["check_id"]] != SKIPPED, f
    # what a check judges, it judges as on the full export
    for check, reasons in comparable.items():

        def judged(t: dict, check: str = check, reasons: set[str] = reasons) -> set[tuple]:
            return {
                (f["case_id"], f["reason"], f["record_id"])
                for f in findings_of(t, check)
                if f["reason"] in reasons
            }

        assert judged(truth) == judged(full_300), check
        assert judged(full_300) or check == "reoffending.copied_assessment", check


def test_reasons_not_judged_raise_no_finding(tmp_path: Path) -> None:
    truth = generate_export(tmp_path, as_of=AS_OF, cases=300, seed=3, drop=BRIEF_DROP)
    reasons = {(f["check_id"], f["reason"], f["record_table"]) for f in findings_of(truth)}
    for check, reason in (
        ("public.rosh_assessment", "level_unclear"),
        ("child.vulnerability_assessment", "level_unclear"),
        ("reoffending.assessment_review", "not_reviewed_after_event"),
        ("reoffending.plan_review", "not_reviewed_after_event"),
        ("reoffending.court_report", "no_quality_assurance"),
        ("public.mappa", "not_referred"),
        ("sentence.involvement", "child_not_involved"),
    ):
        assert not [r for r in reasons if r[:2] == (check, reason)], (check, reason)
    assert not [r for r in reasons if r[0] == "oversight.sign_off" and r[2] == "plans"]
    assert [r for r in reasons if r[0] == "oversight.sign_off" and r[2] == "assessments"]
    # only copies can make a signed-off document deficient here
    copied = {f["record_id"] for f in findings_of(truth, "reoffending.copied_assessment")}
    assert copied
    for f in findings_of(truth, "oversight.ineffective_sign_off"):
        assert f["record_table"] == "assessments" and f["record_id"] in copied, f


@pytest.mark.parametrize(
    "drop",
    [["cases"], ["cases.case_id"], ["assessments.author"], ["nope"], ["plans.nope"], ["plans"]],
)
def test_what_cannot_be_left_out_is_refused(tmp_path: Path, drop: list[str]) -> None:
    with pytest.raises(ValueError):
        generate_export(tmp_path, as_of=AS_OF, cases=30, drop=drop)


def test_parquet_keeps_na_markers_and_leaves_out_what_is_dropped(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    truth = generate_export(
        tmp_path,
        as_of=AS_OF,
        cases=300,
        seed=2,
        fmt="parquet",
        drop=["events", "plans.has_contingency"],
    )
    assert not (tmp_path / "events.parquet").exists()
    assert "has_contingency" not in pq.read_table(tmp_path / "plans.parquet").column_names
    signers = pq.read_table(tmp_path / "assessments.parquet").column("signed_off_by").to_pylist()
    signers += pq.read_table(tmp_path / "plans.parquet").column("signed_off_by").to_pylist()
    assert [s for s in signers if s and s.strip().lower() in NA]
    assert truth["checks"]["reoffending.assessment_review"] == "partial"
