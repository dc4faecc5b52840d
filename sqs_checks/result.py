"""A finished run: per-check counts, findings, input problems and the scorecard.

The findings stay in DuckDB (table ``findings``) so that a national export's
millions of findings are never held as Python objects unless a reporter asks.
:meth:`RunResult.findings` returns them enriched with the case's child,
case manager and team and the check's severity, in a stable order.

Filters (``--case-manager``, ``--team``) restrict every output, the scorecard
included, to the matching cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqs_checks import __version__
from sqs_checks.checks import AREAS, Check, severity_rank

if TYPE_CHECKING:  # pragma: no cover
    from sqs_checks.loading import LoadedExport
    from sqs_checks.suites import Suite


@dataclass
class CheckRun:
    """How one check went: status, counts and the parameters it ran with."""

    check: Check
    severity: str
    params: dict[str, Any]
    status: str = "ran"  # ran | partial | skipped | error
    reason: str | None = None
    judged: frozenset[str] = frozenset()
    relevant: int = 0
    flagged: int = 0
    seconds: float = 0.0

    @property
    def met(self) -> int:
        """Relevant cases not flagged."""
        return max(self.relevant - self.flagged, 0)

    @property
    def scored(self) -> bool:
        """Whether the check counts towards compliance (``data.*`` checks are only counted)."""
        return is_scored(self.check.id, self.check.area)

    @property
    def counted(self) -> bool:
        """Whether its counts are shown: it ran, fully or partly."""
        return self.status in ("ran", "partial")


def is_scored(check_id: str, area: str) -> bool:
    """Whether a check scores compliance: ``data.*`` checks (and the suite's data
    expectations) describe the export, not the work, so they are counted, never scored
    (SPEC §5, v2)."""
    return area != DATA_AREA and not check_id.startswith("data.")


DATA_AREA = "data"
"""The area of the checks that describe the export rather than the work."""


def data_note(cases: int) -> str:
    """ "3 cases have records that could not be checked" (SPEC §5, v2)."""
    return f"{cases} {'case has' if cases == 1 else 'cases have'} records that could not be checked"


def count_text(title: str, flagged: int) -> str:
    """How a data check reads in a report: a count, never a percentage."""
    return f"{title}: {flagged} {'case' if flagged == 1 else 'cases'} flagged (counted, not scored)"


def _row_number(value: Any) -> int | None:
    """A problem's row number as an int (None when it has none)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _fold(text: str) -> str:
    """Lower case without accents or surrounding spaces, for comparing names."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def nearest_names(value: str, names: list[str], limit: int = 3) -> list[str]:
    """The names nearest to ``value``, compared case- and accent-insensitively."""
    import difflib

    folded = {_fold(n): n for n in names}
    wanted = _fold(value)
    if wanted in folded:
        return [folded[wanted]]
    matches = difflib.get_close_matches(wanted, list(folded), n=limit, cutoff=0.6)
    return [folded[m] for m in matches]


def _filters_words(filters: dict[str, str]) -> str:
    """ "case manager Sam Lee and team North"."""
    return " and ".join(f"{k.replace('_', ' ')} {v}" for k, v in filters.items())


def percent(met: int, relevant: int) -> int | None:
    """Whole-number percentage, or None when nothing is relevant."""
    return round(100 * met / relevant) if relevant else None


def phrase(title: str, met: int, relevant: int) -> str:
    """The inspection report's phrasing: "<title>: 26 of 46 relevant cases (57%)"."""
    pct = percent(met, relevant)
    if pct is None:
        return f"{title}: no relevant cases"
    return f"{title}: {met} of {relevant} relevant cases ({pct}%)"


@dataclass
class RunResult:
    """Everything a reporter, the history store or a notifier needs."""

    con: Any
    as_of: dt.date
    suite: Suite
    loaded: LoadedExport
    checks: list[CheckRun]
    cases_in_scope: int
    started_at: dt.datetime
    cases_out_of_scope_by_disposal: int = 0
    filters: dict[str, str] = field(default_factory=dict)
    redact: bool = False
    tool_version: str = __version__
    timings: Any = None
    due_within: int | None = None
    due_until: dt.date | None = None
    due_soon_errors: list[str] = field(default_factory=list)

    # --- filters -------------------------------------------------------------------

    def apply_filters(self, case_manager: str | None = None, team: str | None = None) -> None:
        """Restrict every output to one case manager's and/or one team's cases.

        Names are compared trimmed and case-insensitively.
        """
        self.filters = {k: v for k, v in (("case_manager", case_manager), ("team", team)) if v}
        for key, value in self.filters.items():
            self._check_filter(key, value)
        conditions = ["case_id IN (SELECT case_id FROM scope_cases)"]
        params: dict[str, Any] = {}
        for key, value in self.filters.items():
            conditions.append(f"lower(trim({key})) = lower(trim(${key}))")
            params[key] = value
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE view_cases AS SELECT case_id FROM src_cases WHERE "
            + " AND ".join(conditions),
            params,
        )
        self._refresh_counts()

    def _check_filter(self, key: str, value: str) -> None:
        """Raise a usage error when no case of the export has ``value`` in ``key``.

        The message suggests the nearest names, compared case- and accent-insensitively
        ("Zoe Whitaker" -> "Zoë Whitaker").
        """
        from sqs_checks.errors import UserError

        words = key.replace("_", " ")
        if key not in self.loaded.columns.get("cases", set()):
            raise UserError(
                f"The export's cases table has no {key} column, so --{key.replace('_', '-')} "
                "cannot select cases; leave it out or map a column to it."
            )
        names = [
            r[0]
            for r in self.con.execute(
                f"SELECT DISTINCT {key} FROM src_cases WHERE {key} IS NOT NULL ORDER BY 1"
            ).fetchall()
        ]
        wanted = value.strip().lower()
        if any(str(n).strip().lower() == wanted for n in names):
            return
        close = nearest_names(value, [str(n) for n in names])
        hint = (
            f"did you mean {' or '.join(repr(n) for n in close)}?"
            if close
            else f"the {words}s in the export are {', '.join(repr(n) for n in names[:8])}"
            + (" and more" if len(names) > 8 else "")
            if names
            else f"the export records no {words}"
        )
        raise UserError(
            f"No case in the export has the {words} {value!r}; {hint} "
            f"(give the name as the export writes it)."
        )

    def _view(self) -> str:
        """The table of case ids every output shows."""
        exists = self.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'view_cases'"
        ).fetchone()[0]
        return "view_cases" if exists else "scope_cases"

    def _refresh_counts(self) -> None:
        from sqs_checks.engine import check_counts

        view = self._view()
        counts = check_counts(self.con, view)
        for run in self.checks:
            run.relevant, run.flagged = counts.get(run.check.id, (0, 0))
        self.cases_shown = self.con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]

    # --- findings ----------------------------------------------------------------------

    def findings_sql(self, ordered: bool = True) -> str:
        """SQL returning the findings as output (enriched, filtered; ordered unless told not to).

        A caller that sorts the findings its own way asks for them unordered, so they
        are sorted once.
        """
        order = (
            ", ".join(f"('{r.check.id}', {i})" for i, r in enumerate(self.checks)) or "(NULL, 0)"
        )
        sev = ", ".join(f"('{r.check.id}', '{r.severity}')" for r in self.checks) or "(NULL, NULL)"
        team = "c.team" if "team" in self.loaded.columns.get("cases", set()) else "NULL"
        sort = "ORDER BY o.pos, f.case_id, f.reason, f.record_table, f.record_id" if ordered else ""
        return (
            "WITH o(check_id, pos) AS (VALUES " + order + "), "
            "s(check_id, severity) AS (VALUES " + sev + ") "
            "SELECT f.check_id, f.case_id, c.child_id, c.case_manager, "
            f"CAST({team} AS VARCHAR) AS team, s.severity, f.reason, f.record_table, f.record_id, "
            "f.message, f.evidence, f.due_date "
            "FROM findings f JOIN src_cases c USING (case_id) "
            "LEFT JOIN o USING (check_id) LEFT JOIN s USING (check_id) "
            f"WHERE f.case_id IN (SELECT case_id FROM {self._view()}) " + sort
        )

    def findings(self) -> list[dict[str, Any]]:
        """Every finding as a dict (evidence parsed), in stable order."""
        import json

        cursor = self.con.execute(self.findings_sql())
        names = [d[0] for d in cursor.description]
        rows = []
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            row["evidence"] = json.loads(row["evidence"]) if row["evidence"] else {}
            rows.append(row)
        return rows

    def finding_count(self) -> int:
        """How many findings the outputs show."""
        sql = self.findings_sql(ordered=False)
        return self.con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]

    def worst_severity(self) -> str | None:
        """The highest severity among the shown findings, or None."""
        levels = {
            r[0]
            for r in self.con.execute(
                f"SELECT DISTINCT severity FROM ({self.findings_sql(ordered=False)})"
            ).fetchall()
        }
        return max(levels, key=severity_rank) if levels else None

    def input_problems(self) -> list[dict[str, Any]]:
        """The quarantined rows and dropped values and their problems (SPEC §2).

        A filtered run lists only the problems of rows that belong to the shown
        cases (a row naming the case, or an offence of its child).
        """
        problems = self.loaded.problem_list()
        if not self.filters:
            return problems
        view = self._view()
        keys = {
            (str(table), int(row))
            for table, row in self.con.execute(
                f'SELECT "table", "row" FROM quarantine WHERE case_id IN (SELECT case_id FROM '
                f'{view}) UNION SELECT "table", "row" FROM dropped WHERE case_id IN '
                f"(SELECT case_id FROM {view})"
            ).fetchall()
            if row is not None
        }
        return [p for p in problems if (str(p.get("table")), _row_number(p.get("row"))) in keys]

    # --- what falls due soon ------------------------------------------------------------

    def due_soon(self) -> list[dict[str, Any]]:
        """The deadlines of the shown cases that fall due soon and are not yet met.

        One dict per item - ``check_id``, ``case_id``, ``case_manager``, ``team``,
        ``due_date``, ``what``, ``working_days`` (left after the as-of date; 0 =
        due today), ``record_table``, ``record_id`` - by due date, case manager,
        case and check. Empty when the run listed none (see
        :mod:`sqs_checks.due_soon`).
        """
        exists = self.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'due_soon'"
        ).fetchone()[0]
        if not exists:
            return []
        order = (
            ", ".join(f"('{r.check.id}', {i})" for i, r in enumerate(self.checks)) or "(NULL, 0)"
        )
        team = "c.team" if "team" in self.loaded.columns.get("cases", set()) else "NULL"
        cursor = self.con.execute(
            f"WITH o(check_id, pos) AS (VALUES {order}) "
            "SELECT d.check_id, d.case_id, CAST(c.case_manager AS VARCHAR) AS case_manager, "
            f"CAST({team} AS VARCHAR) AS team, d.due_date, d.what, d.working_days, "
            "d.record_table, d.record_id "
            "FROM due_soon d JOIN src_cases c USING (case_id) LEFT JOIN o USING (check_id) "
            f"WHERE d.case_id IN (SELECT case_id FROM {self._view()}) "
            "ORDER BY d.due_date, lower(c.case_manager), d.case_id, o.pos, d.record_table, "
            "d.record_id, d.what"
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # --- the scorecard ----------------------------------------------------------------

    def scorecard(self) -> dict[str, Any]:
        """Relevant, flagged and met per check, per area, per team and per case manager.

        Computed once per set of filters and cached.
        """
        cached = getattr(self, "_scorecard", None)
        if cached is not None and cached[0] == self.filters:
            return cached[1]
        card = self._compute_scorecard()
        self._scorecard = (dict(self.filters), card)
        return card

    def _compute_scorecard(self) -> dict[str, Any]:
        view = self._view()
        shown = [r for r in self.checks if r.counted]
        checks = [
            {
                "id": r.check.id,
                "area": r.check.area,
                "title": r.check.title,
                "status": r.status,
                "scored": r.scored,
                "relevant": r.relevant,
                "flagged": r.flagged,
                "met": r.met if r.scored else None,
                "percent": percent(r.met, r.relevant) if r.scored else None,
                "text": (
                    phrase(r.check.title, r.met, r.relevant)
                    if r.scored
                    else count_text(r.check.title, r.flagged)
                ),
            }
            for r in shown
        ]
        ran = [r for r in shown if r.scored]
        data_ids = [r.check.id for r in shown if not r.scored]
        data_cases = 0
        if data_ids:
            data_cases = self.con.execute(
                f"SELECT count(DISTINCT case_id) FROM findings WHERE list_contains($ids, check_id) "
                f"AND case_id IN (SELECT case_id FROM {view})",
                {"ids": data_ids},
            ).fetchone()[0]
        team_col = "c.team" if "team" in self.loaded.columns.get("cases", set()) else "NULL"
        # every relevant (check, case) of the shown cases once, with whether it is flagged:
        # each figure below is one grouped pass over it
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE _sc AS "
            "SELECT k.check_id, k.case_id, a.area, k.flagged FROM check_cases k "
            "JOIN (SELECT unnest($ids) AS check_id, unnest($areas) AS area) a USING (check_id) "
            f"WHERE k.case_id IN (SELECT case_id FROM {view})",
            {"ids": [r.check.id for r in ran], "areas": [r.check.area for r in ran]},
        )
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE _sc_cases AS "
            "SELECT case_id, bool_or(flagged) AS flagged FROM _sc GROUP BY case_id"
        )
        areas = []
        rows = self.con.execute(
            "SELECT area, count(DISTINCT case_id), count(DISTINCT case_id) FILTER (WHERE flagged) "
            "FROM _sc GROUP BY area"
        ).fetchall()
        by_area = {area: (relevant, flagged) for area, relevant, flagged in rows}
        for area, heading in AREAS.items():
            if area not in by_area or area == DATA_AREA:
                continue
            relevant, flagged = by_area[area]
            met = relevant - flagged
            areas.append(
                {
                    "area": area,
                    "heading": heading,
                    "relevant": relevant,
                    "flagged": flagged,
                    "met": met,
                    "percent": percent(met, relevant),
                    "text": phrase(heading, met, relevant),
                }
            )
        groups: dict[str, list[dict[str, Any]]] = {}
        # a case manager's team: the team of most of their counted cases (ties: first by name)
        team_of: dict[Any, Any] = {}
        if team_col != "NULL":
            for manager, team in self.con.execute(
                "SELECT case_manager, team FROM (SELECT c.case_manager, c.team, "
                "count(DISTINCT s.case_id) AS n FROM _sc s JOIN src_cases c USING (case_id) "
                "GROUP BY 1, 2) ORDER BY n DESC, team NULLS LAST"
            ).fetchall():
                team_of.setdefault(manager, team)
        for key, expr in (("teams", team_col), ("case_managers", "c.case_manager")):
            query = (
                f"SELECT {expr} AS grp, s.check_id, count(*), count(*) FILTER (WHERE s.flagged) "
                "FROM _sc s JOIN src_cases c USING (case_id) GROUP BY 1, 2 ORDER BY 1, 2"
            )
            per: dict[Any, dict[str, Any]] = {}
            for row in self.con.execute(query).fetchall():
                grp, check_id, relevant, flagged = row[:4]
                entry = per.setdefault(
                    grp,
                    {"checks": [], "team": team_of.get(grp) if key == "case_managers" else None},
                )
                entry["checks"].append(
                    {
                        "id": check_id,
                        "relevant": relevant,
                        "flagged": flagged,
                        "met": relevant - flagged,
                        "percent": percent(relevant - flagged, relevant),
                    }
                )
            totals = self.con.execute(
                f"SELECT {expr} AS grp, count(*), count(s.case_id), "
                "count(s.case_id) FILTER (WHERE s.flagged) "
                f"FROM {view} v JOIN src_cases c USING (case_id) "
                "LEFT JOIN _sc_cases s ON s.case_id = c.case_id "
                "GROUP BY 1 ORDER BY 1 NULLS LAST"
            ).fetchall()
            items = []
            name = "team" if key == "teams" else "case_manager"
            for grp, cases, relevant, flagged in totals:
                entry = per.get(grp, {"checks": [], "team": None})
                item = {
                    name: grp,
                    "cases": cases,
                    "relevant": relevant,
                    "flagged": flagged,
                    "met": relevant - flagged,
                    "percent": percent(relevant - flagged, relevant),
                    "checks": entry["checks"],
                }
                if key == "case_managers":
                    item["team"] = entry["team"]
                items.append(item)
            groups[key] = items
        card = {
            "filtered": dict(self.filters) or None,
            "cases": getattr(self, "cases_shown", self.cases_in_scope),
            "checks": checks,
            "areas": areas,
            "data": {
                "cases": data_cases,
                "text": data_note(data_cases),
                "checks": [c for c in checks if not c["scored"]],
            },
            "teams": groups["teams"],
            "case_managers": groups["case_managers"],
        }
        framework = getattr(self.suite, "framework", None)
        if framework is not None:
            from sqs_checks.headings import framework_summary, heading_scorecard

            card["framework"] = framework_summary(framework, self.checks)
            card["headings"] = heading_scorecard(self.con, framework, self.checks, view)
        return card

    # --- a degraded run ---------------------------------------------------------------

    def degraded(self) -> list[str]:
        """Why this run cannot judge all it was asked to, one sentence each (SPEC §7, v2).

        A run is degraded when no case is in scope (or in the filtered view), when
        a check of the suite is skipped, partial or in error - except a check a
        plugin added for a table the export does not have at all - and when the
        export has headers that look like canonical columns it lacks.
        """
        from sqs_checks.calendar import uk
        from sqs_checks.codes import CANONICAL_TABLES

        # a local header that looks like an absent column explains the checks it turned off
        notes = [h if h.endswith(".") else f"{h}." for h in self.loaded.hints]
        if self.cases_in_scope == 0:
            left_out = self.cases_out_of_scope_by_disposal
            why = (
                f"; {left_out} {'case was' if left_out == 1 else 'cases were'} left out because "
                "of their disposal (a suite's scope.disposals can take them in)"
                if left_out
                else ""
            )
            notes.append(
                f"No case is in scope of the {self.suite.name} suite on {uk(self.as_of)}, so "
                f"nothing was judged{why}."
            )
        elif self.filters and getattr(self, "cases_shown", 1) == 0:
            notes.append(
                f"No case of {_filters_words(self.filters)} is in scope of the {self.suite.name} "
                f"suite on {uk(self.as_of)}, so the reports show nothing to judge."
            )
        tables = self.loaded.columns
        for run in self.checks:
            if run.status in ("ran",):
                continue
            plugin_tables = [t for t in run.check.needs if t not in CANONICAL_TABLES]
            if plugin_tables and all(t not in tables for t in plugin_tables):
                continue  # a plugin's check for a table this export does not have at all
            what = {"skipped": "was skipped", "partial": "ran in part", "error": "failed"}.get(
                run.status, run.status
            )
            notes.append(f"{run.check.id} {what}: {run.reason or 'no reason given'}.")
        return notes

    # --- the output contract ----------------------------------------------------------

    def header(self) -> dict[str, Any]:
        """``findings.json`` without its findings (SPEC §7), plus the scorecard.

        Each check entry names the ``headings`` it counts under: the suite's
        framework headings, or its area when the suite has no framework.
        """
        from sqs_checks.headings import check_headings

        return {
            "tool": {"name": "sqs-checks", "version": self.tool_version},
            "run": {
                "as_of": self.as_of.isoformat(),
                "suite": self.suite.name,
                "export": self.loaded.description,
                "export_sha256": self.loaded.fingerprint,
                "started_at": self.started_at.isoformat(timespec="seconds"),
                "cases_in_scope": self.cases_in_scope,
                "cases_out_of_scope_by_disposal": self.cases_out_of_scope_by_disposal,
                "filters": dict(self.filters) or None,
                "degraded": self.degraded(),
                "timings": self.timings.to_list() if self.timings is not None else None,
                "due_within": self.due_within,
                "due_until": self.due_until.isoformat() if self.due_until else None,
            },
            "input_problems": self.input_problems(),
            "checks": [
                {
                    "id": r.check.id,
                    "area": r.check.area,
                    "headings": check_headings(getattr(self.suite, "framework", None), r.check),
                    "title": r.check.title,
                    "severity": r.severity,
                    "relevant": r.relevant,
                    "flagged": r.flagged,
                    "status": r.status,
                    "skipped_reason": r.reason,
                }
                for r in self.checks
            ],
            "scorecard": self.scorecard(),
            "due_soon": [
                {**item, "due_date": item["due_date"].isoformat()} for item in self.due_soon()
            ],
        }

    def to_dict(self) -> dict[str, Any]:
        """The whole ``findings.json`` as a dict (small exports and tests)."""
        data = self.header()
        data["findings"] = self.findings()
        return data
