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
    status: str = "ran"  # ran | skipped | error
    reason: str | None = None
    relevant: int = 0
    flagged: int = 0
    seconds: float = 0.0

    @property
    def met(self) -> int:
        """Relevant cases not flagged."""
        return max(self.relevant - self.flagged, 0)


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
    filters: dict[str, str] = field(default_factory=dict)
    redact: bool = False
    tool_version: str = __version__

    # --- filters -------------------------------------------------------------------

    def apply_filters(self, case_manager: str | None = None, team: str | None = None) -> None:
        """Restrict every output to one case manager's and/or one team's cases.

        Names are compared trimmed and case-insensitively.
        """
        self.filters = {k: v for k, v in (("case_manager", case_manager), ("team", team)) if v}
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

    def _view(self) -> str:
        """The table of case ids every output shows."""
        exists = self.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'view_cases'"
        ).fetchone()[0]
        return "view_cases" if exists else "scope_cases"

    def _refresh_counts(self) -> None:
        view = self._view()
        counts = dict(
            ((cid, kind), n)
            for cid, kind, n in self.con.execute(
                f"SELECT check_id, 'relevant', count(DISTINCT case_id) FROM relevance "
                f"WHERE case_id IN (SELECT case_id FROM {view}) GROUP BY 1 UNION ALL "
                f"SELECT check_id, 'flagged', count(DISTINCT case_id) FROM findings "
                f"WHERE case_id IN (SELECT case_id FROM {view}) GROUP BY 1"
            ).fetchall()
        )
        for run in self.checks:
            run.relevant = counts.get((run.check.id, "relevant"), 0)
            run.flagged = counts.get((run.check.id, "flagged"), 0)
        self.cases_shown = self.con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]

    # --- findings ----------------------------------------------------------------------

    def findings_sql(self) -> str:
        """SQL returning the findings as output (enriched, ordered, filtered)."""
        order = (
            ", ".join(f"('{r.check.id}', {i})" for i, r in enumerate(self.checks)) or "(NULL, 0)"
        )
        sev = ", ".join(f"('{r.check.id}', '{r.severity}')" for r in self.checks) or "(NULL, NULL)"
        team = "c.team" if "team" in self.loaded.columns.get("cases", set()) else "NULL"
        return (
            "WITH o(check_id, pos) AS (VALUES " + order + "), "
            "s(check_id, severity) AS (VALUES " + sev + ") "
            "SELECT f.check_id, f.case_id, c.child_id, c.case_manager, "
            f"CAST({team} AS VARCHAR) AS team, s.severity, f.reason, f.record_table, f.record_id, "
            "f.message, f.evidence "
            "FROM findings f JOIN src_cases c USING (case_id) "
            "LEFT JOIN o USING (check_id) LEFT JOIN s USING (check_id) "
            f"WHERE f.case_id IN (SELECT case_id FROM {self._view()}) "
            "ORDER BY o.pos, f.case_id, f.reason, f.record_table, f.record_id"
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
        return self.con.execute(f"SELECT count(*) FROM ({self.findings_sql()})").fetchone()[0]

    def worst_severity(self) -> str | None:
        """The highest severity among the shown findings, or None."""
        levels = {
            r[0]
            for r in self.con.execute(
                f"SELECT DISTINCT severity FROM ({self.findings_sql()})"
            ).fetchall()
        }
        return max(levels, key=severity_rank) if levels else None

    def input_problems(self) -> list[dict[str, Any]]:
        """The quarantined rows and their problems (SPEC §2)."""
        return self.loaded.problem_list()

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
        ran = [r for r in self.checks if r.status == "ran"]
        checks = [
            {
                "id": r.check.id,
                "area": r.check.area,
                "title": r.check.title,
                "relevant": r.relevant,
                "flagged": r.flagged,
                "met": r.met,
                "percent": percent(r.met, r.relevant),
                "text": phrase(r.check.title, r.met, r.relevant),
            }
            for r in ran
        ]
        ran_ids = [r.check.id for r in ran]
        ids_sql = ", ".join(f"'{i}'" for i in ran_ids) or "NULL"
        area_of = ", ".join(f"('{r.check.id}', '{r.check.area}')" for r in ran) or "(NULL, NULL)"
        team_col = "c.team" if "team" in self.loaded.columns.get("cases", set()) else "NULL"
        base = (
            f"WITH a(check_id, area) AS (VALUES {area_of}), "
            f"rel AS (SELECT DISTINCT r.check_id, r.case_id FROM relevance r "
            f"WHERE r.check_id IN ({ids_sql}) AND r.case_id IN (SELECT case_id FROM {view})), "
            f"fl AS (SELECT DISTINCT f.check_id, f.case_id FROM findings f "
            f"WHERE f.check_id IN ({ids_sql}) AND f.case_id IN (SELECT case_id FROM {view})) "
        )
        areas = []
        rows = self.con.execute(
            base + "SELECT a.area, count(DISTINCT rel.case_id), "
            "count(DISTINCT CASE WHEN fl.case_id IS NOT NULL THEN rel.case_id END) "
            "FROM rel JOIN a USING (check_id) LEFT JOIN fl USING (check_id, case_id) GROUP BY 1"
        ).fetchall()
        by_area = {area: (relevant, flagged) for area, relevant, flagged in rows}
        for area, heading in AREAS.items():
            if area not in by_area:
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
        for key, expr in (("teams", team_col), ("case_managers", "c.case_manager")):
            extra = (
                ", any_value(c.team) AS team"
                if key == "case_managers" and team_col != "NULL"
                else ""
            )
            query = (
                base + f"SELECT {expr} AS grp, rel.check_id, count(DISTINCT rel.case_id), "
                "count(DISTINCT fl.case_id) "
                f"{extra} FROM rel JOIN src_cases c USING (case_id) "
                "LEFT JOIN fl USING (check_id, case_id) GROUP BY 1, 2 ORDER BY 1, 2"
            )
            per: dict[Any, dict[str, Any]] = {}
            for row in self.con.execute(query).fetchall():
                grp, check_id, relevant, flagged = row[:4]
                entry = per.setdefault(
                    grp, {"checks": [], "team": row[4] if len(row) > 4 else None}
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
                base + ", rc AS (SELECT DISTINCT case_id FROM rel), "
                "fc AS (SELECT DISTINCT case_id FROM fl) "
                f"SELECT {expr} AS grp, count(*), count(rc.case_id), count(fc.case_id) "
                f"FROM {view} v JOIN src_cases c USING (case_id) "
                "LEFT JOIN rc ON rc.case_id = c.case_id LEFT JOIN fc ON fc.case_id = c.case_id "
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
            "teams": groups["teams"],
            "case_managers": groups["case_managers"],
        }
        framework = getattr(self.suite, "framework", None)
        if framework is not None:
            from sqs_checks.headings import framework_summary, heading_scorecard

            card["framework"] = framework_summary(framework, self.checks)
            card["headings"] = heading_scorecard(self.con, framework, self.checks, view)
        return card

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
                "filters": dict(self.filters) or None,
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
        }

    def to_dict(self) -> dict[str, Any]:
        """The whole ``findings.json`` as a dict (small exports and tests)."""
        data = self.header()
        data["findings"] = self.findings()
        return data
