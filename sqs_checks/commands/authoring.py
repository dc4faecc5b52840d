"""``sqs-checks new-check``, ``map`` and ``validate``: for plugin authors and data teams."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sqs_checks.commands.options import plugins_dir_option


@click.command("new-check")
@click.argument("check_id")
@click.option("--sql", "kind", flag_value="sql", help="Write the check as a .sql file.")
@click.option("--python", "kind", flag_value="python", help="Write the check as a Python module.")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    default="plugins",
    show_default=True,
    help="Plugins folder that receives the check.",
)
@click.option(
    "--tests-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder that receives the test (default DIR/tests).",
)
@click.option(
    "--area",
    default=None,
    help="The report area it scores under (default: the id's namespace when it is an area, "
    "else reoffending).",
)
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def new_check_command(
    check_id: str,
    kind: str | None,
    directory: str,
    tests_dir: str | None,
    area: str | None,
    force: bool,
) -> None:
    """Write a working local check CHECK_ID and a test for it.

    CHECK_ID is namespace.name: an area (sentence.my_rule) or your service's own
    namespace (local.my_rule), with the area given by --area.

    The check runs with --plugins-dir DIR; the test passes as written (run it
    with pytest) and fails once the rule is broken. Edit both to your rule.
    """
    from sqs_checks.errors import UserError
    from sqs_checks.scaffold import new_check

    if kind is None:
        raise UserError("Say which kind of check to write: --sql or --python.")
    check_path, test_path = new_check(check_id, kind, directory, tests_dir, force, area)
    click.echo(f"Wrote {check_path} and {test_path}.")
    click.echo(f"Run its test with: pytest {test_path}")
    click.echo(f"Run it with: sqs-checks run EXPORT --plugins-dir {directory}")


@click.command("map")
@click.argument("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the proposed profile here (default: print it).",
)
@click.option("--reader", default=None, help="Force a reader: csv, xlsx, parquet, sql.")
@plugins_dir_option
def map_command(export: str, output: str | None, reader: str | None, plugins_dirs) -> None:
    """Propose a mapping profile for EXPORT: local tables, headers, codes and date forms.

    Only what the headers, the values and the youth justice vocabulary decide is
    mapped; anything uncertain is left open in a comment with its candidates.
    Confirm it, check it with `sqs-checks validate EXPORT --mapping FILE`, then
    run with --mapping FILE (or `sqs-checks init DIR --mapping FILE`).
    """
    from sqs_checks.contract import build_contract
    from sqs_checks.loading import choose_reader
    from sqs_checks.mapping_help import propose_profile
    from sqs_checks.plugins import get_plugin_manager

    pm = get_plugin_manager(tuple(plugins_dirs))
    chosen = choose_reader(export, pm.collect("sqs_checks_readers"), reader)
    raw = chosen.read(export)
    proposal = propose_profile(raw, build_contract(pm))
    text = proposal.to_yaml(Path(export).stem or "local-export")
    if output:
        Path(output).write_text(text, encoding="utf-8")
        left = text.count("# open:") + text.count("# not matched: ") + text.count("# MISSING")
        click.echo(
            f"Wrote the proposed mapping profile to {output}"
            + (f" ({left} {'item' if left == 1 else 'items'} left open for you)" if left else "")
            + f"; check it, then run: sqs-checks validate {export} --mapping {output}"
        )
    else:
        click.echo(text, nl=False)


@click.command("validate")
@click.argument("export")
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False),
    default=None,
    help="Mapping profile (YAML) to try.",
)
@click.option("--reader", default=None, help="Force a reader: csv, xlsx, parquet, sql.")
@plugins_dir_option
def validate_command(export: str, mapping: str | None, reader: str | None, plugins_dirs) -> None:
    """Load EXPORT (with --mapping FILE) and report what does not fit the canonical model.

    Exit codes: 0 everything fits; 1 something does not fit (a missing table
    or column, or rows with problems: each listed with its fix); 2 the export
    or the profile cannot be read.
    """
    from sqs_checks.contract import build_contract
    from sqs_checks.mapping import load_profile
    from sqs_checks.mapping_help import validate_export
    from sqs_checks.plugins import get_plugin_manager

    pm = get_plugin_manager(tuple(plugins_dirs))
    contract = build_contract(pm)
    profile = load_profile(mapping, [t.name for t in contract]) if mapping else None
    readers = pm.collect("sqs_checks_readers")
    if reader:
        from sqs_checks.loading import choose_reader

        readers = [choose_reader(export, readers, reader)]
    report = validate_export(export, readers=readers, contract=contract, profile=profile)
    for line in report.lines():
        click.echo(line)
    if not report.fits:
        sys.exit(1)


commands = [new_check_command, map_command, validate_command]
