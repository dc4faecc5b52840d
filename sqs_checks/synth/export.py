"""Building an export and writing it with its ground truth."""

from __future__ import annotations

import gc
import json
from datetime import date
from pathlib import Path

from sqs_checks.synth.bad_rows import make_bad_rows
from sqs_checks.synth.build import add_markup_narrative, build_cases
from sqs_checks.synth.generator import Generator
from sqs_checks.synth.planting import assign_plants, missed_plants, run_after_build
from sqs_checks.synth.population import calibrate, make_skeleton, make_staff
from sqs_checks.synth.truth import document, evaluate, record_excluded
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
) -> Generator:
    """Build the records of an export and evaluate them (nothing is written).

    The generator's ``findings`` then hold the ground truth but for the findings of
    bad rows, which need the lines the writers put them on.
    """
    gen = Generator(
        as_of=as_of,
        cases=cases,
        seed=seed,
        assessments_per_case=assessments_per_case,
        narratives=narratives,
        input_problems=input_problems,
        today=today,
    )
    make_staff(gen)
    make_skeleton(gen)
    calibrate(gen)
    assign_plants(gen)
    build_cases(gen)
    add_markup_narrative(gen)
    run_after_build(gen)
    make_bad_rows(gen)
    gen.findings = evaluate(
        as_of=gen.as_of,
        today=gen.today,
        children=gen.children,
        cases=gen.cases,
        staff=gen.staff,
        fast_copy_check=cases > 20_000,
    )
    return gen


def missed(gen: Generator) -> list[tuple[str, str, str]]:
    """Plants of a built export that did not produce their finding (should be none)."""
    return missed_plants(gen.cases, gen.findings)


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
            bytes (on the same day, or with the same ``today``).
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
        gen = build(
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
            write_csv(out, gen)
        else:
            write_parquet(out, gen)
        findings = gen.findings | record_excluded(gen.problems)  # rows known once written
        truth = document(
            as_of=gen.as_of, seed=seed, cases=cases, findings=findings, bad_rows=gen.problems
        )
        del gen
    finally:
        if collecting:
            gc.enable()
    (out / "ground_truth.json").write_text(
        json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return truth
