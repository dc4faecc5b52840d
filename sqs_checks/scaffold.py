"""``sqs-checks new-check``: write a working local check and its test.

The generated check answers a real question - *is the case's latest completed
assessment older than ``max_age`` months?* - so the author starts from
something that runs, then changes the rule. The generated test builds a tiny
export with one up-to-date case, one stale case and one case with no
assessment; it passes as generated and fails once the rule is broken.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqs_checks.checks import AREAS
from sqs_checks.errors import UserError

ID_PATTERN = re.compile(r"^(?P<namespace>[a-z][a-z0-9_]*)\.(?P<name>[a-z][a-z0-9_]*)$")
"""A check id: ``namespace.name``. The namespace is an area (``sentence.my_rule``) or the
service's own (``local.my_rule``, ``leeds.my_rule``), with the area as metadata."""

DEFAULT_AREA = "reoffending"
"""The area of a local check whose namespace is not an area, unless ``--area`` says."""

SQL_TEMPLATE = """/*
id: {check_id}
title: Latest assessment no older than max_age months
area: {area}
severity: medium
seed: local
description: >
  A local check written in SQL. Change the queries below to your rule, then
  run its test: pytest {test_path}
params:
  max_age: {{default: 6, type: months, doc: "months before the as-of date"}}
needs:
  assessments: [completed_date]
reasons:
  stale: the case's latest completed assessment is older than max_age months
relevance: the case has a completed assessment
*/
-- relevant:
SELECT DISTINCT case_id FROM assessments
WHERE case_id IN (SELECT case_id FROM scope_cases);

-- findings:
SELECT case_id,
       'stale' AS reason,
       'assessments' AS record_table,
       assessment_id AS record_id,
       printf('Latest assessment completed on %s, more than %d months before %s; '
              || 'review it.', uk(completed_date), $max_age, uk($as_of)) AS message,
       json_object('completed_date', completed_date) AS evidence
FROM (SELECT *, row_number() OVER (PARTITION BY case_id
                                   ORDER BY completed_date DESC, assessment_id DESC) AS rn
      FROM assessments)
WHERE rn = 1 AND completed_date < add_months($as_of, -$max_age);
"""

PY_TEMPLATE = '''"""{check_id} - a local check written in Python.

Flags a case whose latest completed assessment is older than ``max_age``
months. Change :meth:`{class_name}.evaluate` to your rule, then run its test:
pytest {test_path}
"""

from __future__ import annotations

from sqs_checks.calendar import add_months
from sqs_checks.checks import Check, CheckContext, CheckOutput, Param
from sqs_checks.hookspecs import hookimpl


class {class_name}(Check):
    """The case's latest completed assessment is no older than ``max_age`` months."""

    def evaluate(self, ctx: CheckContext) -> CheckOutput:
        """Read the latest assessment of each in-scope case; flag the stale ones."""
        rows = ctx.con.execute(
            "SELECT case_id, assessment_id, completed_date FROM ("
            "  SELECT *, row_number() OVER (PARTITION BY case_id"
            "           ORDER BY completed_date DESC, assessment_id DESC) AS rn"
            "  FROM assessments WHERE case_id IN (SELECT case_id FROM scope_cases))"
            " WHERE rn = 1"
        ).fetchall()
        cutoff = add_months(ctx.as_of, -ctx.params["max_age"])
        findings = [
            {{
                "case_id": case_id,
                "reason": "stale",
                "record_table": "assessments",
                "record_id": assessment_id,
                "message": (
                    f"Latest assessment completed on {{completed:%d/%m/%Y}}, more than "
                    f"{{ctx.params['max_age']}} months before {{ctx.as_of:%d/%m/%Y}}; review it."
                ),
                "evidence": {{"completed_date": completed.isoformat()}},
            }}
            for case_id, assessment_id, completed in rows
            if completed < cutoff
        ]
        return CheckOutput(relevant=[row[0] for row in rows], findings=findings)


CHECK = {class_name}(
    id="{check_id}",
    title="Latest assessment no older than max_age months",
    area="{area}",
    seed="local",
    severity="medium",
    params=(Param("max_age", 6, "months", "months before the as-of date"),),
    needs={{"assessments": ["completed_date"]}},
    doc=__doc__,
    reasons={{"stale": "the case's latest completed assessment is older than max_age months"}},
    relevance="the case has a completed assessment",
)


@hookimpl
def sqs_checks_checks() -> list[Check]:
    """This plugin's checks."""
    return [CHECK]
'''

TEST_TEMPLATE = '''"""Tests of the local check {check_id} ({kind}), from sqs-checks new-check."""

from pathlib import Path

from sqs_checks.testing import assert_report, run_check

PLUGINS_DIR = Path(__file__).resolve().parent.parent
CHECK_ID = "{check_id}"


def tables():
    """A tiny export: C1 up to date, C2 stale, C3 without an assessment."""
    return {{
        "cases": [
            {{"case_id": "C1", "start_date": "2012-01-09"}},
            {{"case_id": "C2", "start_date": "2012-01-09"}},
            {{"case_id": "C3", "start_date": "2012-01-09"}},
        ],
        "assessments": [
            {{"assessment_id": "A1", "case_id": "C1", "kind": "reoffending", "stage": "review",
              "completed_date": "2013-01-14"}},
            {{"assessment_id": "A2", "case_id": "C2", "kind": "reoffending", "stage": "initial",
              "completed_date": "2012-02-01"}},
        ],
    }}


def test_flags_the_stale_case_only(tmp_path):
    report = run_check(CHECK_ID, tables(), as_of="2013-03-18", plugins_dirs=[PLUGINS_DIR],
                       folder=tmp_path)
    assert_report(report, relevant={{"C1", "C2"}},
                  findings=[{{"case_id": "C2", "reason": "stale", "record_id": "A2"}}])


def test_parameter_changes_the_answer(tmp_path):
    report = run_check(CHECK_ID, tables(), as_of="2013-03-18", params={{"max_age": 18}},
                       plugins_dirs=[PLUGINS_DIR], folder=tmp_path)
    assert_report(report, relevant={{"C1", "C2"}}, findings=[])


def test_skipped_without_assessments(tmp_path):
    report = run_check(CHECK_ID, {{"cases": tables()["cases"]}}, as_of="2013-03-18",
                       plugins_dirs=[PLUGINS_DIR], folder=tmp_path)
    assert_report(report, status="skipped", reason="no assessments table")
'''


def parse_id(check_id: str, area: str | None = None) -> tuple[str, str]:
    """The area and name of a check id (``namespace.name``); raise a one-sentence UserError.

    The area is ``area`` when given, else the namespace when it is an area (``sentence``),
    else :data:`DEFAULT_AREA` (a service's own namespace, such as ``local``).
    """
    match = ID_PATTERN.match(check_id)
    if not match:
        raise UserError(
            f"The check id {check_id!r} must look like namespace.name in lower case with "
            "underscores (for example local.stale_assessment or sentence.stale_assessment)."
        )
    namespace, name = match.group("namespace"), match.group("name")
    chosen = area or (namespace if namespace in AREAS else DEFAULT_AREA)
    if chosen not in AREAS:
        raise UserError(f"There is no area {chosen!r}; use one of: {', '.join(AREAS)}.")
    return chosen, name


def new_check(
    check_id: str,
    kind: str,
    directory: str | Path = "plugins",
    tests_dir: str | Path | None = None,
    force: bool = False,
    area: str | None = None,
) -> tuple[Path, Path]:
    """Write a local check (``kind`` ``sql`` or ``python``) and its test; return both paths.

    The check goes to ``directory/<name>.sql`` (or ``.py``), the test to
    ``tests_dir/test_<name>.py`` (default ``directory/tests``, a folder the
    plugin loader does not import).
    """
    area, name = parse_id(check_id, area)
    if kind not in ("sql", "python"):
        raise UserError(f"Say --sql or --python for the kind of check, not {kind!r}.")
    folder = Path(directory)
    tests = Path(tests_dir) if tests_dir else folder / "tests"
    check_path = folder / f"{name}.{'sql' if kind == 'sql' else 'py'}"
    test_path = tests / f"test_{name}.py"
    for path in (check_path, test_path):
        if path.exists() and not force:
            raise UserError(f"{path} already exists; choose another id or add --force.")
    folder.mkdir(parents=True, exist_ok=True)
    tests.mkdir(parents=True, exist_ok=True)
    class_name = "".join(part.capitalize() for part in name.split("_")) + "Check"
    values = {
        "check_id": check_id,
        "area": area,
        "class_name": class_name,
        "test_path": test_path.as_posix(),
        "kind": kind,
    }
    template = SQL_TEMPLATE if kind == "sql" else PY_TEMPLATE
    check_path.write_text(template.format(**values), encoding="utf-8")
    test_text = TEST_TEMPLATE.format(**values)
    if tests.resolve().parent != folder.resolve():
        rel = Path(_relative(folder.resolve(), tests.resolve()))
        test_text = test_text.replace(
            "PLUGINS_DIR = Path(__file__).resolve().parent.parent",
            f"PLUGINS_DIR = (Path(__file__).resolve().parent / {rel.as_posix()!r}).resolve()",
        )
    test_path.write_text(test_text, encoding="utf-8")
    return check_path, test_path


def _relative(target: Path, start: Path) -> str:
    import os

    return os.path.relpath(target, start)
