"""Local checks written as one ``.sql`` file each, found in a ``--plugins-dir`` folder.

A local SQL check is a file such as ``plugins/unsigned_release_plans.sql``::

    /*
    id: public.release_plan_signed
    title: Release plans signed off by a manager
    area: public                      # optional: taken from the id
    severity: medium                  # low | medium | high (default medium)
    seed: local                       # optional: where the rule comes from
    params:
      due: 5                          # a default; its type is taken from it
      kinds: {default: [release], type: "list[str]", doc: plan kinds to look at}
    needs:
      plans: [kind, created_date, signed_off_by]
    reasons:
      not_signed: the plan is not signed off
    relevance: the case has a release plan older than `due` working days
    */
    -- relevant:
    SELECT case_id FROM plans WHERE list_contains($kinds, kind)
      AND wd_add(created_date, $due) < $as_of;
    -- findings:
    SELECT case_id, 'not_signed' AS reason, 'plans' AS record_table, plan_id AS record_id,
           printf('Plan created on %s is not signed off.', uk(created_date)) AS message
    FROM plans WHERE list_contains($kinds, kind) AND signed_off_by IS NULL
      AND wd_add(created_date, $due) < $as_of;

The header is YAML inside the first ``/* ... */`` comment. The body holds the
queries, introduced by the marker lines ``-- setup:``, ``-- relevant:`` and
``-- findings:``; a body without markers is the findings query. Setup
statements (several, each ending with ``;`` at the end of a line) run first;
name their temporary tables ``_t_...`` and they are dropped afterwards.

* The findings query must return ``case_id``; ``reason`` defaults to the first
  reason code of the header (else ``flagged``), ``record_table`` and
  ``record_id`` to the case itself, ``message`` to the reason's text,
  ``evidence`` (JSON) to ``{}``, and ``due_date`` (the date the rule wanted the
  work done by) to the evidence's ``deadline`` or ``due``, if any.
* The relevance query returns ``case_id``; without one, every in-scope case
  is relevant.
* Parameters are bound by name (``$due``, ``$as_of``), never formatted into
  the text; a query naming an undeclared parameter is an error.

A file whose header cannot be read (or has no ``id``) is reported as a plugin
failure and skipped. A file with an ``id`` but otherwise wrong metadata (an
unknown area or severity, a parameter default that does not fit its type, an
undeclared ``$name``) is still listed, and reported as ``error`` with the
reason whenever it runs, so the problem shows in every report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqs_checks.checks import (
    AREAS,
    SEVERITIES,
    Check,
    CheckContext,
    CheckOutput,
    Param,
    SqlCheck,
    bind_params,
)
from sqs_checks.errors import PluginFailure
from sqs_checks.hookspecs import hookimpl

HEADER = re.compile(r"\A\s*/\*(?P<yaml>.*?)\*/", re.S)
MARKER = re.compile(r"^\s*--\s*(setup|relevant|findings)\s*:?\s*$", re.I | re.M)
PARAM_NAME = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$")
HEADER_KEYS = (
    "id",
    "title",
    "area",
    "severity",
    "seed",
    "params",
    "needs",
    "tables",
    "reasons",
    "relevance",
    "description",
    "depends_on",
)
PARAM_TYPES = ("int", "float", "str", "bool", "list[str]", "months")


class SqlFileError(ValueError):
    """A local SQL check file is not usable (one-line reason)."""


def _infer_type(value: Any) -> str:
    """The parameter type a default value implies."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, (list, tuple)):
        return "list[str]"
    return "str"


def parse_params(raw: Any) -> list[Param]:
    """Parameters from a header's ``params`` block (name: default, or a mapping)."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise SqlFileError("params must map each parameter name to its default")
    params: list[Param] = []
    for name, spec in raw.items():
        name = str(name)
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or name == "as_of":
            raise SqlFileError(f"{name!r} cannot be a parameter name")
        if isinstance(spec, dict) and "default" in spec:
            unknown = set(spec) - {"default", "type", "doc", "choices"}
            if unknown:
                raise SqlFileError(f"parameter {name} has an unknown key {sorted(unknown)[0]!r}")
            default = spec["default"]
            kind = str(spec.get("type") or _infer_type(default))
            doc = str(spec.get("doc") or "")
            choices = tuple(spec["choices"]) if spec.get("choices") is not None else None
        else:
            default, kind, doc, choices = spec, _infer_type(spec), "", None
        if kind not in PARAM_TYPES:
            raise SqlFileError(
                f"parameter {name} has an unknown type {kind!r} (types: {', '.join(PARAM_TYPES)})"
            )
        param = Param(name, default, kind, doc, choices)
        try:
            param = Param(name, param.coerce(default), kind, doc, choices)
        except ValueError as exc:
            raise SqlFileError(f"the default of parameter {exc}") from None
        params.append(param)
    return params


def parse_needs(raw: Any) -> dict[str, list[str]]:
    """``needs`` as table -> columns; a list of tables or ``table.column`` is accepted."""
    if raw is None:
        return {}
    needs: dict[str, list[str]] = {}
    if isinstance(raw, str):
        raw = [raw]
    if isinstance(raw, list):
        for item in raw:
            table, _, column = str(item).partition(".")
            needs.setdefault(table.strip(), [])
            if column:
                needs[table.strip()].append(column.strip())
        return needs
    if isinstance(raw, dict):
        for table, columns in raw.items():
            if columns is None:
                columns = []
            if isinstance(columns, str):
                columns = [columns]
            if not isinstance(columns, list):
                raise SqlFileError(f"needs.{table} must be a list of column names")
            needs[str(table)] = [str(c) for c in columns]
        return needs
    raise SqlFileError("needs must map table names to lists of columns")


def split_body(body: str) -> dict[str, str]:
    """The ``setup``, ``relevant`` and ``findings`` sections of a file's body."""
    sections: dict[str, str] = {}
    matches = list(MARKER.finditer(body))
    if not matches:
        text = body.strip()
        return {"findings": text} if text else {}
    if body[: matches[0].start()].strip():
        raise SqlFileError("SQL comes before the first -- setup/relevant/findings marker")
    for i, match in enumerate(matches):
        name = match.group(1).lower()
        end = matches[i + 1].start() if i + 1 < len(matches) else len(body)
        if name in sections:
            raise SqlFileError(f"the -- {name}: section appears twice")
        sections[name] = body[match.end() : end].strip()
    return sections


def _strip_semicolon(sql: str) -> str:
    return re.sub(r"(;\s*)+\Z", "", sql.strip())


def split_statements(sql: str) -> list[str]:
    """Setup statements: each ends with ``;`` at the end of a line."""
    parts = re.split(r";[ \t]*(?:\n|\Z)", sql)
    return [p.strip() for p in parts if p.strip() and not _only_comments(p)]


def _only_comments(sql: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in sql.splitlines())


@dataclass
class LocalSqlCheck(SqlCheck):
    """A check read from a local ``.sql`` file (see the module docs)."""

    default_reason: str = "flagged"

    def evaluate(self, ctx: CheckContext) -> CheckOutput:
        """Run setup, then the findings query; fill in the columns it leaves out."""
        import duckdb

        ctx.params = {p.name: p.coerce(ctx.params.get(p.name, p.default)) for p in self.params}
        con = ctx.con
        try:
            for statement in self.setup_sql:
                con.execute(statement, bind_params(statement, ctx.params, ctx.as_of))
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE _t_local_findings AS {self.findings_sql}",
                bind_params(self.findings_sql, ctx.params, ctx.as_of),
            )
        except duckdb.Error as exc:
            raise ValueError(f"its SQL failed: {_first_line(exc)}") from None
        columns = [r[0] for r in con.execute("DESCRIBE _t_local_findings").fetchall()]
        if "case_id" not in columns:
            raise ValueError("its findings query returns no case_id column")

        def text(column: str, default: str) -> str:
            return f"CAST({column} AS VARCHAR)" if column in columns else default

        values: dict[str, Any] = {"reason": self.default_reason, "title": self.title}
        whens = ""
        for i, (code, meaning) in enumerate(self.reasons.items()):
            values[f"r{i}"], values[f"t{i}"] = code, meaning
            whens += f" WHEN $r{i} THEN $t{i}"
        meaning = f"CASE reason_{whens} ELSE $title END" if whens else "$title"
        reason = text("reason", "$reason")
        message = f"coalesce({text('message', 'NULL')}, {meaning})"
        evidence = "CAST(evidence AS JSON)" if "evidence" in columns else "CAST('{}' AS JSON)"
        due = "TRY_CAST(due_date AS DATE)" if "due_date" in columns else "CAST(NULL AS DATE)"
        query = (
            "CREATE OR REPLACE TEMP TABLE _t_local_out AS "
            f"WITH f AS (SELECT *, {reason} AS reason_ FROM _t_local_findings) "
            "SELECT CAST(case_id AS VARCHAR) AS case_id, reason_ AS reason, "
            f"{text('record_table', chr(39) + 'cases' + chr(39))} AS record_table, "
            f"{text('record_id', 'CAST(case_id AS VARCHAR)')} AS record_id, "
            f"{message} AS message, {evidence} AS evidence, {due} AS due_date FROM f"
        )
        used = set(PARAM_NAME.findall(query))
        con.execute(query, {k: v for k, v in values.items() if k in used})
        relevant = self.relevant_sql or "SELECT case_id FROM scope_cases"
        return CheckOutput(relevant=relevant, findings="SELECT * FROM _t_local_out")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@dataclass
class BrokenCheck(Check):
    """A local check whose file is wrong: listed, and ``error`` with the reason when run."""

    problem: str = ""

    def evaluate(self, ctx: CheckContext) -> CheckOutput:
        """Always fail, naming the problem with the file."""
        raise ValueError(self.problem)


def load_sql_check(path: str | Path) -> Check:
    """Read one ``.sql`` check file.

    Returns a :class:`LocalSqlCheck`, or a :class:`BrokenCheck` when the file
    has an ``id`` but something else is wrong. Raises :class:`SqlFileError`
    when not even the ``id`` can be read.
    """
    import yaml

    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    match = HEADER.match(text)
    if not match:
        raise SqlFileError("it does not start with a /* ... */ header naming its id and title")
    try:
        meta = yaml.safe_load(match.group("yaml")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise SqlFileError(f"its header is not valid YAML{where}") from None
    if not isinstance(meta, dict):
        raise SqlFileError("its header must be YAML settings (id: ..., title: ...)")
    check_id = str(meta.get("id") or "").strip()
    if not check_id:
        raise SqlFileError("its header has no id (for example id: sentence.my_check)")
    title = str(meta.get("title") or check_id)
    area = str(meta.get("area") or check_id.split(".")[0])
    severity = str(meta.get("severity") or "medium")
    base: dict[str, Any] = {
        "id": check_id,
        "title": title,
        "area": area if area in AREAS else "data",
        "seed": str(meta.get("seed") or "local"),
        "severity": severity if severity in SEVERITIES else "medium",
        "source": str(path),
    }
    try:
        _check_meta(meta, check_id, area, severity)
        params = parse_params(meta.get("params"))
        needs = parse_needs(meta.get("needs", meta.get("tables")))
        reasons = meta.get("reasons") or {}
        if not isinstance(reasons, dict):
            raise SqlFileError("reasons must map each reason code to what it means")
        reasons = {str(k): str(v) for k, v in reasons.items()}
        depends = meta.get("depends_on") or []
        depends = [depends] if isinstance(depends, str) else [str(d) for d in depends]
        sections = split_body(text[match.end() :])
        if not sections.get("findings"):
            raise SqlFileError("it has no findings query (add one after the header)")
        setup = split_statements(sections.get("setup", ""))
        relevant = _strip_semicolon(sections.get("relevant", ""))
        findings = _strip_semicolon(sections["findings"])
        declared = {p.name for p in params} | {"as_of"}
        for sql in [*setup, relevant, findings]:
            undeclared = sorted(set(PARAM_NAME.findall(sql)) - declared)
            if undeclared:
                raise SqlFileError(
                    f"its SQL uses ${undeclared[0]}, which is not declared under params"
                )
    except SqlFileError as exc:
        return BrokenCheck(**base, problem=f"{path.name}: {exc}")
    return LocalSqlCheck(
        **base,
        params=tuple(params),
        needs=needs,
        depends_on=tuple(depends),
        doc=str(meta.get("description") or ""),
        reasons=reasons,
        relevance=str(meta.get("relevance") or ("every in-scope case" if not relevant else "")),
        setup_sql=tuple(setup),
        relevant_sql=relevant,
        findings_sql=findings,
        default_reason=next(iter(reasons), "flagged"),
    )


def _check_meta(meta: dict[str, Any], check_id: str, area: str, severity: str) -> None:
    unknown = [k for k in meta if k not in HEADER_KEYS]
    if unknown:
        raise SqlFileError(
            f"its header has an unknown key {unknown[0]!r} (keys: {', '.join(HEADER_KEYS)})"
        )
    if not ID_PATTERN.match(check_id):
        raise SqlFileError(f"the id {check_id!r} must look like area.name (lower case)")
    if area not in AREAS:
        if "area" not in meta:
            raise SqlFileError(
                f"its id's namespace {area!r} is not an area: add an area to the header "
                f"(area: one of {', '.join(AREAS)})"
            )
        raise SqlFileError(f"area {area!r} is not one of {', '.join(AREAS)}")
    if severity not in SEVERITIES:
        raise SqlFileError(f"severity {severity!r} is not one of {', '.join(SEVERITIES)}")


@dataclass
class SqlChecksPlugin:
    """The local SQL checks of one plugins folder, registered as one plugin.

    Attributes:
        folder: the plugins folder.
        checks: the checks read (broken ones included, see :class:`BrokenCheck`).
        failures: files that could not be read at all.
    """

    folder: Path
    files: list[Path]
    checks: list[Check] = field(default_factory=list)
    failures: list[PluginFailure] = field(default_factory=list)

    def __post_init__(self) -> None:
        for path in self.files:
            try:
                self.checks.append(load_sql_check(path))
            except (SqlFileError, OSError, UnicodeDecodeError) as exc:
                self.failures.append(PluginFailure(path.stem, str(path), _first_line(exc)))

    @hookimpl
    def sqs_checks_checks(self) -> list[Check]:
        """The checks of the folder's ``*.sql`` files."""
        return list(self.checks)
