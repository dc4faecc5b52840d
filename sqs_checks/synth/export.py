"""Building an export and writing it with its ground truth."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sqs_checks.synth.bad_rows import make_bad_rows
from sqs_checks.synth.build import add_markup_narrative, build_cases
from sqs_checks.synth.dropped_values import make_dropped_values
from sqs_checks.synth.generator import Generator
from sqs_checks.synth.partial import as_read, leave_out_problems
from sqs_checks.synth.planting import assign_plants, missed_plants, run_after_build
from sqs_checks.synth.population import calibrate, make_skeleton, make_staff
from sqs_checks.synth.schema import Inputs
from sqs_checks.synth.truth import Truth, evaluate
from sqs_checks.synth.writers import write_csv, write_parquet


def build(
    *,
    as_of: date,
    cases: int,
    seed: int,
    assessments_per_case: float | None = None,
    narratives: bool = True,
    input_problems: bool = True,
    today: date | None = None,
    staff_listed: bool = True,
) -> Generator:
    """Build the records of an export, with its plants and input problems (nothing is
    written). ``staff_listed``: the staff table will have rows."""
    gen = Generator(
        as_of=as_of,
        cases=cases,
        seed=seed,
        assessments_per_case=assessments_per_case,
        narratives=narratives,
        input_problems=input_problems,
        today=today,
        staff_listed=staff_listed,
    )
    make_staff(gen)
    make_skeleton(gen)
    calibrate(gen)
    assign_plants(gen)
    build_cases(gen)
    add_markup_narrative(gen)
    run_after_build(gen)
    make_bad_rows(gen)
    make_dropped_values(gen)
    return gen


def judge(gen: Generator, inputs: Inputs | None = None) -> Truth:
    """The ground truth of the built records (rows of bad rows as last written)."""
    inputs = inputs or Inputs()
    return evaluate(
        as_of=gen.as_of,
        today=gen.today,
        children=gen.children,
        cases=gen.cases,
        staff=gen.staff if inputs.staff_rows else [],
        bad_rows=gen.problems,
        inputs=inputs,
        fast_copy_check=gen.n_cases > 20_000,
    )


def missed(gen: Generator, truth: Truth | None = None) -> list[tuple[str, str, str]]:
    """Plants of checks that ran which did not produce their finding (should be none)."""
    truth = truth or judge(gen)
    return [m for m in missed_plants(gen.cases, truth.findings) if truth.statuses[m[1]] == "ran"]


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
    drop: Iterable[str] = (),
    empty_staff: bool = False,
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
            bytes (on the same day, or with the same ``today``).
        assessments_per_case: wanted average number of assessment rows per case. None
            keeps the natural cadence (reviews every 8 to 12 weeks, plus reviews after
            events); a larger number makes reviews more frequent; a smaller one makes
            cases younger (a compliant case needs at least one assessment of each of
            the three kinds once past its deadline).
        narratives: write assessment narratives (needed for planted copies).
        input_problems: include bad rows, bad values in optional columns and the
            layout quirks of spreadsheet exports (CSV only; typed Parquet columns
            cannot hold them).
        fmt: ``"csv"`` or ``"parquet"``.
        today: the real date, after which nothing that happened can be dated (default
            ``date.today()``). Pinning it makes the output independent of the day the
            generator runs.
        drop: tables (``"events"``) and optional columns (``"plans.has_contingency"``)
            to leave out of the export (SPEC §5 "Partial inputs"); the ground truth
            then says which checks run, partly run or are skipped. ``cases`` and
            required columns cannot be left out; ``plan_reviews`` goes with ``plans``.
        empty_staff: write the staff table with its header only (it counts as absent).

    Returns:
        The ground truth: ``as_of``, ``seed``, ``cases``, ``suite``,
        ``cases_in_scope``, ``cases_out_of_scope_by_disposal``, ``absent`` (what
        ``drop`` left out), ``staff_rows``, ``checks`` (check id -> ``ran``,
        ``partial`` or ``skipped``), ``findings`` (check_id, case_id, reason,
        record_table, record_id) and ``input_problems`` (table, row as a person
        sees it with the header on line 1, column, value as written, action:
        ``row_excluded`` or ``value_dropped``).

    Raises:
        ValueError: a bad ``fmt``, ``cases`` or ``drop`` item.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    if cases < 0:
        raise ValueError("cases must not be negative")
    inputs = Inputs.of(drop, empty_staff=empty_staff)
    # Millions of small objects, none of them garbage: the cyclic collector would
    # only rescan them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        gen = build(
            as_of=as_of,
            cases=cases,
            seed=seed,
            assessments_per_case=assessments_per_case,
            narratives=narratives,
            input_problems=input_problems and fmt == "csv",
            today=today,
            staff_listed=inputs.staff_rows,
        )
        leave_out_problems(gen, inputs)
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            write_csv(out, gen, inputs)
        else:
            write_parquet(out, gen, inputs)
        as_read(gen, inputs)  # the evaluator judges what a reader of the files gets
        truth = judge(gen, inputs).document(as_of=gen.as_of, seed=seed, cases=cases, inputs=inputs)
        del gen
    finally:
        if collecting:
            gc.enable()
    (out / "ground_truth.json").write_text(
        json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return truth
