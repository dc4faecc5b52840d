"""``sqs-checks demo``: write the synthetic demo export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sqs_checks.commands.options import DATE


@click.command("demo")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option(
    "--as-of", type=DATE, default=None, help="Date the records are built around (default today)."
)
@click.option(
    "--cases", type=click.IntRange(1), default=200, show_default=True, help="Number of cases."
)
@click.option(
    "--seed", type=int, default=1, show_default=True, help="Random seed (same seed, same export)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True
)
@click.option(
    "--drop",
    multiple=True,
    metavar="TABLE[.COLUMN]",
    help="Leave a table or an optional column out of the export (repeatable).",
)
@click.option("--empty-staff", is_flag=True, help="Write the staff table with its header only.")
@click.option("--force", is_flag=True, help="Replace an export already in DIRECTORY.")
def demo(
    directory: str,
    as_of: dt.date | None,
    cases: int,
    seed: int,
    fmt: str,
    drop: tuple[str, ...],
    empty_staff: bool,
    force: bool,
) -> None:
    """Write a realistic synthetic export with planted defects to DIRECTORY.

    The planted defects are listed in DIRECTORY/ground_truth.json (which case
    should fail which check and why; with --drop, which checks run only in part or
    are skipped). Run it with:
    sqs-checks run DIRECTORY --as-of <same date> -o out
    """
    from sqs_checks.errors import UserError
    from sqs_checks.synth import generate_export

    held = existing_export(Path(directory))
    if held and not force:
        raise UserError(
            f"{directory} already holds an export ({held}); choose another folder, or add "
            "--force to replace it."
        )
    as_of = as_of or dt.date.today()
    try:
        truth = generate_export(
            Path(directory),
            as_of=as_of,
            cases=cases,
            seed=seed,
            fmt=fmt,
            drop=drop,
            empty_staff=empty_staff,
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--drop") from None
    not_run = sorted(c for c, status in truth["checks"].items() if status != "ran")
    click.echo(
        f"Wrote a demo export of {cases} cases to {directory} "
        f"({len(truth['findings'])} planted findings, "
        f"{len(truth['input_problems'])} input problems"
        + (f", {len(not_run)} checks not fully judged" if not_run else "")
        + "). "
        f"Check it with: sqs-checks run {directory} --as-of {as_of.isoformat()} -o report"
    )


EXPORT_FILES = ("cases.csv", "cases.parquet", "ground_truth.json")
"""Files whose presence means a folder already holds an export."""


def existing_export(folder: Path) -> str | None:
    """The export file ``folder`` already holds (``demo`` will not overwrite it), or None."""
    for name in EXPORT_FILES:
        if (folder / name).exists():
            return name
    return None


commands = [demo]
