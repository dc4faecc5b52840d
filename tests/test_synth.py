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

# Every reason code of every check of SPEC §5, written out here rather than taken
# from the module, so that a check or reason the generator forgets is noticed.
CATALOG = {
    "reoffending.initial_assessment": {"missing", "late"},
    "reoffending.copied_assessment": {"copied"},
    "reoffending.assessment_review": {"overdue", "late", "not_reviewed_after_event"},
    "reoffending.court_report": {"late", "no_quality_assurance", "old_assessment"},
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


def read_table(folder: Path, table: str) -> list[tuple[int, dict[str, str]]]:
    """Rows with the line each starts on (header = line 1)."""
    with open(folder / f"{table}.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = []
        line = 2
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
        return rows


def in_scope(case: dict[str, str], as_of: dt.date) -> bool:
    start = parse_date(case["start_date"])
    end = parse_date(case["end_date"]) if case["end_date"] else None
    return start <= as_of and (end is None or end >= as_of)


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
    quarantined = {(p["table"], p["row"]) for p in truth["input_problems"]}
    checked = 0
    for table in TABLES:
        columns = DATE_COLUMNS[table] - FORWARD_LOOKING_DATE_COLUMNS
        for line, row in read_table(tmp_path, table):
            if (table, line) in quarantined:
                continue
            for column in columns:
                if row[column]:
                    assert parse_date(row[column]) <= today, (table, line, column, row[column])
                    checked += 1
    assert checked > 1000


def test_records_after_as_of_are_present_when_there_is_room(tmp_path: Path) -> None:
    as_of = dt.date.today() - dt.timedelta(days=60)
    truth = generate_export(tmp_path, as_of=as_of, cases=300, seed=2)
    quarantined = {p["row"] for p in truth["input_problems"] if p["table"] == "assessments"}
    later = [
        row
        for line, row in read_table(tmp_path, "assessments")
        if line not in quarantined
        and row["completed_date"]
        and parse_date(row["completed_date"]) > as_of
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
    open_cases = [c for c in cases.values() if in_scope(c, AS_OF)]
    flagged = {f["case_id"] for f in truth["findings"]}
    assert 0.25 <= len(flagged) / len(open_cases) <= 0.40
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
        if f["check_id"] == "data.record_excluded":
            assert record in problems, f
        else:
            assert owner.get(record) == f["case_id"], f


def test_ground_truth_names_only_cases_in_scope(tmp_path: Path) -> None:
    as_of = dt.date.today() - dt.timedelta(days=30)
    truth = generate_export(tmp_path, as_of=as_of, cases=300, seed=4)
    cases = {row["case_id"]: row for _, row in read_table(tmp_path, "cases")}
    assert any(not in_scope(c, as_of) for c in cases.values()), "closed and future cases exist"
    for finding in truth["findings"]:
        assert in_scope(cases[finding["case_id"]], as_of), finding


def test_children_with_several_cases(export_300: tuple[Path, dict]) -> None:
    folder, _ = export_300
    per_child = Counter(row["child_id"] for _, row in read_table(folder, "cases"))
    assert sum(1 for n in per_child.values() if n > 1) >= 20


def test_input_problems_point_at_the_right_lines(export_300: tuple[Path, dict]) -> None:
    folder, truth = export_300
    problems = truth["input_problems"]
    case_ids = {row["case_id"] for _, row in read_table(folder, "cases")}
    plan_ids = {row["plan_id"] for _, row in read_table(folder, "plans")}
    kinds = set()
    for problem in problems:
        table, line, column = problem["table"], problem["row"], problem["column"]
        lines = (folder / f"{table}.csv").read_text(encoding="utf-8").splitlines()
        header = next(csv.reader([lines[0]]))
        row = dict(zip(header, next(csv.reader([lines[line - 1]])), strict=True))
        value = row[column]
        if column.endswith("_date"):
            with pytest.raises(ValueError):
                parse_date(value)
            kinds.add("impossible date")
        elif column == "assessment_id":
            earlier = [r["assessment_id"] for n, r in read_table(folder, table) if n < line]
            assert value in earlier
            kinds.add("duplicate id")
        elif column == "case_id":
            assert value not in case_ids
            kinds.add("unknown case")
        elif column == "plan_id":
            assert value not in plan_ids
            kinds.add("unknown plan")
        elif column in ("kind", "category"):
            assert value not in {"other", "new_offence", "violence", "theft"}
            assert re.fullmatch(r"[a-z_]+", value)
            kinds.add("unknown enum value")
        elif column == "significant":
            assert value.lower() not in {"true", "false", "yes", "no", "y", "n", "1", "0", ""}
            kinds.add("bad boolean")
        else:
            assert value == "", (table, line, column)
            kinds.add("null in a required column")
    assert {
        "impossible date",
        "duplicate id",
        "unknown case",
        "unknown enum value",
        "null in a required column",
    } <= kinds
    rows = {(p["table"], str(p["row"])) for p in problems}
    excluded = [f for f in truth["findings"] if f["check_id"] == "data.record_excluded"]
    assert excluded
    for finding in excluded:
        assert (finding["record_table"], finding["record_id"]) in rows


def test_planted_copies_are_light_edits_and_others_are_far_apart(
    export_300: tuple[Path, dict],
) -> None:
    folder, truth = export_300
    child_of = {row["case_id"]: row["child_id"] for _, row in read_table(folder, "cases")}
    chains: dict[tuple[str, str], list[dict[str, str]]] = {}
    for _, row in read_table(folder, "assessments"):
        try:
            done = parse_date(row["completed_date"]) if row["completed_date"] else None
        except ValueError:
            continue  # the planted impossible date
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
    assert not any(f["check_id"] == "data.record_excluded" for f in truth["findings"])
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
