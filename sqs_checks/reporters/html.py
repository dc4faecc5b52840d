"""``report.html``: one self-contained page people read, that opens offline.

Everything is inlined (stylesheet, script, charts drawn as SVG); a
Content-Security-Policy forbids the page any request at all and allows only
its own script (by hash), so even a value that slipped past escaping could not
run or fetch anything. Every value is escaped by Jinja's autoescape.

The case list shows at most ``html_max_findings`` findings (default 20,000);
beyond that it stops at a whole case and says so, and points at the workbook
and the CSV, which list everything.

When the run has history (``result.history``, set by the pipeline from the
workspace's history store, see :func:`sqs_checks.history.since_last_run`), the
page gains a *Since last run* section: the new, resolved, persisting and held
findings, and a trend chart per area. Without history the page is unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqs_checks.atomic import atomic_open
from sqs_checks.checks import AREAS, SEVERITIES
from sqs_checks.headings import scorecard_groups
from sqs_checks.reporters.base import Reporter
from sqs_checks.reporters.common import (
    ACT_NOW,
    RECORD_REASON,
    ReportData,
    days_text,
    evidence_text,
    severity_order,
    uk_date,
)
from sqs_checks.reporters.summary import inspection_summary

MAX_FINDINGS = 20_000
"""Default cap on the findings the HTML case list shows."""

MAX_PROBLEMS = 5_000
"""Input problems listed in the page at most (the other outputs list all)."""

MAX_TREND_POINTS = 90
"""Runs a trend chart shows at most (the latest ones, the current run last)."""

HISTORY_LISTS = (
    ("new", "New since the last run"),
    ("resolved", "Resolved since the last run"),
    ("persisting", "Still open from earlier runs (longest open first)"),
    ("held", "Held: not in the last run, but the export is unchanged (not counted as new)"),
)
"""The finding lists of the *Since last run* section, in the order shown."""

TREND_BOX = {"width": 360, "height": 172, "left": 40, "right": 348, "top": 10, "bottom": 130}
"""Geometry of a trend chart (SVG user units): the plot spans left-right, top (100%)-bottom (0%)."""


def band(percent: int | None) -> str:
    """Colour band of a compliance percentage: good (80+), fair (60-79), poor, none."""
    if percent is None:
        return "none"
    if percent >= 80:
        return "good"
    if percent >= 60:
        return "fair"
    return "poor"


def _short(label: str, width: int = 40) -> str:
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def _chart_row(label: Any, met: int, relevant: int, percent: int | None) -> dict[str, Any]:
    label = "(none)" if label is None or str(label) == "" else str(label)
    if percent is None:
        value = text = "no relevant cases"
    else:
        value = f"{percent}%  ({met} of {relevant})"
        text = f"{met} of {relevant} relevant cases ({percent}%)"
    short = _short(label)
    return {"label": label, "short": short, "percent": percent, "value": value, "text": text}


def _natural(text: str) -> list[Any]:
    return [int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text)]


@lru_cache(maxsize=1)
def _assets() -> tuple[Any, str, str, str]:
    """The Jinja environment, stylesheet, script and the script's CSP hash (loaded once)."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sqs_checks.reporters", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )
    env.globals["band"] = band
    env.filters["ukdate"] = uk_date
    env.filters["daystext"] = days_text
    folder = resources.files("sqs_checks.reporters") / "templates"
    css = (folder / "report.css").read_text(encoding="utf-8").strip()
    history_css = (folder / "history.css").read_text(encoding="utf-8").strip()
    env.globals["history_css"] = Markup(history_css)
    headings_css = (folder / "headings.css").read_text(encoding="utf-8").strip()
    env.globals["headings_css"] = Markup(headings_css)
    script = (folder / "report.js").read_text(encoding="utf-8").strip()
    digest = hashlib.sha256(f"\n{script}\n".encode()).digest()
    script_hash = "sha256-" + base64.b64encode(digest).decode("ascii")
    return env, css, script, script_hash


def build_context(data: ReportData, max_findings: int = MAX_FINDINGS) -> dict[str, Any]:
    """Everything the template shows, as plain values (tests read it too)."""
    from markupsafe import Markup

    env, css, script, script_hash = _assets()
    header = data.header()
    run = header["run"]
    card = data.scorecard()
    checks = data.checks()
    total = data.finding_count()
    starts = data.case_starts()

    groups, by_severity, listed, capped = _case_groups(data, starts, max_findings)
    cases = [case for group in groups for case in group["cases"]]
    flagged_cases = data.result.con.execute(
        f"SELECT count(DISTINCT case_id) FROM ({data.result.findings_sql()})"
    ).fetchone()[0]
    shown_cases = len({c["case_id"] for c in cases})
    capped_text = ""
    if capped:
        capped_text = (
            f"This run has {total:,} findings, too many for one page: the case list shows "
            f"{shown_cases:,} of {flagged_cases:,} flagged cases ({listed:,} findings), the ones "
            "due first. report.xlsx and findings.csv list every finding."
        )

    areas = []
    framework = card.get("framework")
    for group in scorecard_groups(card, checks):
        text = ""
        a = group["figure"]
        if group["checks"] and not any(c["scored"] for c in group["checks"]):
            text = f"{card['data']['text']} (these checks describe the export: counted, not scored)"
        elif a and a["relevant"]:
            under = "under this heading" if framework else "of this area"
            text = (
                f"{a['met']} of {a['relevant']} relevant cases ({a['percent']}%) with nothing "
                f"flagged by the checks {under}"
            )
        elif group["figure"] is None and framework:
            why: dict[str, list[str]] = {}
            members = {c["id"] for c in group["checks"]}
            for item in framework["outside"]:
                if item["id"] in members:
                    why.setdefault(item["reason"], []).append(item["id"])
            text = "These checks count under no heading of the framework: " + "; ".join(
                f"{reason} ({', '.join(ids)})" for reason, ids in why.items()
            )
        areas.append(
            {
                "id": group["id"],
                "heading": group["title"],
                "level": group["level"],
                "text": text,
                "checks": group["checks"],
            }
        )

    if framework:
        chart_areas = [
            _chart_row(h["title"], h["met"], h["relevant"], h["percent"])
            for h in card["headings"]
            if h["depth"] <= 1
        ]
    else:
        chart_areas = [
            _chart_row(a["heading"], a["met"], a["relevant"], a["percent"]) for a in card["areas"]
        ]
    teams = [t for t in card["teams"] if t["team"] is not None]
    chart_teams = [_chart_row(t["team"], t["met"], t["relevant"], t["percent"]) for t in teams]
    chart_managers = [
        _chart_row(m["case_manager"], m["met"], m["relevant"], m["percent"])
        for m in card["case_managers"]
        if m["relevant"]
    ]
    listed_areas = {f["area"] for c in cases for f in c["findings"]}
    problems = data.input_problems()
    title = f"Pre-inspection checks: {run['suite']} as of {uk_date(run['as_of'])}"
    if data.filters_text():
        title += f" ({data.filters_text()})"
    return {
        "title": title,
        "tool": header["tool"],
        "run": run,
        "as_of": uk_date(run["as_of"]),
        "started_at": str(run.get("started_at") or "").replace("T", " "),
        "filtered": data.filters_text(),
        "redacted": data.redacted,
        "cases_checked": card["cases"],
        "flagged_cases": flagged_cases,
        "finding_total": total,
        "listed_findings": listed,
        "by_severity": by_severity,
        "severities": list(reversed(SEVERITIES)),
        "areas": areas,
        "not_run": [c for c in checks if not c["counted"]],
        "partial": [c for c in checks if c["status"] == "partial"],
        "degraded": data.degraded(),
        "chart_areas": chart_areas,
        "chart_areas_caption": "Compliance by heading" if framework else "Compliance by area",
        "framework": framework,
        "chart_teams": chart_teams,
        "chart_managers": chart_managers,
        "cases": cases,
        "groups": groups,
        "shown_cases": shown_cases,
        "capped": capped_text,
        "summary": inspection_summary(checks),
        "due_soon": data.due_soon(),
        "due_window": data.due_window(),
        "due_errors": list(getattr(data.result, "due_soon_errors", []) or []),
        "filter_managers": sorted({c["case_manager"] for c in cases}, key=_natural),
        "filter_teams": sorted({c["team"] for c in cases if c["team"]}, key=_natural),
        "filter_areas": [(k, h) for k, h in AREAS.items() if k in listed_areas],
        "example_case": cases[0]["case_id"] if cases else "C1",
        "problems": problems,
        "problems_shown": problems[:MAX_PROBLEMS],
        "history": history_context(data),
        "css": Markup(css),
        "script": Markup(script),
        "script_hash": script_hash,
    }


GROUPS = (
    (
        ACT_NOW,
        "Act now",
        "Work that can still be done or put right: the earliest due first.",
    ),
    (
        RECORD_REASON,
        "Record the reason",
        "History that cannot be made on time or undone now: record the reason on the case, and "
        "make sure the next one is right.",
    ),
)
"""The case list's two groups: key, heading and what the group holds."""


def _case_groups(
    data: ReportData, starts: dict[str, Any], max_findings: int
) -> tuple[list[dict[str, Any]], dict[str, int], int, bool]:
    """The flagged cases in two groups (act now, record the reason), with severity counts.

    Findings come in the order of what to do first (by due date, then severity);
    each case appears in a group at its first finding of that group, so the case
    due first comes first. Past ``max_findings`` findings no new case is started
    (the cases already listed stay whole). Returns the groups, the findings per
    severity (all of them), the findings listed and whether the list was capped.
    """
    by_severity = dict.fromkeys(SEVERITIES, 0)
    cases: dict[str, dict[tuple[str, str], dict[str, Any]]] = {g[0]: {} for g in GROUPS}
    listed = 0
    capped = False
    for f in data.findings(order="action"):
        by_severity[f["severity"]] = by_severity.get(f["severity"], 0) + 1
        group = cases.setdefault(f["action"], {})
        key = (f["action"], f["case_id"])
        case = group.get(key)
        if case is None:
            if listed >= max_findings:
                capped = True
                continue
            case = group[key] = {
                "case_id": f["case_id"],
                "child_id": f["child_id"] or "",
                "case_manager": f["case_manager"] or "",
                "team": f["team"] or "",
                "start": uk_date(starts.get(f["case_id"])),
                "search": f"{f['case_id']} {f['child_id'] or ''}".lower(),
                "action": f["action"],
                "findings": [],
            }
        f["evidence_text"] = evidence_text(f["evidence"])
        f["due"] = uk_date(f.get("due_date"))
        case["findings"].append(f)
        listed += 1
    groups = []
    for key, heading, note in GROUPS:
        items = list(cases.get(key, {}).values())
        for case in items:
            case["worst"] = min(
                (f["severity"] for f in case["findings"]), key=severity_order, default="low"
            )
            case["due"] = next((f["due"] for f in case["findings"] if f["due"]), "")
        groups.append({"key": key, "heading": heading, "note": note, "cases": items})
    return groups, by_severity, listed, capped


def _percent_text(point: dict[str, Any]) -> str:
    if point.get("percent") is None:
        return "no relevant cases"
    return f"{point['percent']}% ({point['met']} of {point['relevant']} relevant cases)"


def trend_chart(points: list[dict[str, Any]]) -> dict[str, Any]:
    """An area's trend as SVG geometry: line segments, dots with tooltips, axis labels.

    ``points`` are history trend points (oldest first, the current run last). Runs
    are spaced evenly; a run with no relevant case leaves a gap in the line.
    """
    points = points[-MAX_TREND_POINTS:]
    box = TREND_BOX
    n = len(points)
    span = box["right"] - box["left"]

    def x(i: int) -> float:
        return round(box["left"] + (span * i / (n - 1) if n > 1 else span / 2), 1)

    def y(pct: int) -> float:
        return round(box["bottom"] - (box["bottom"] - box["top"]) * pct / 100, 1)

    segments: list[str] = []
    current: list[str] = []
    dots = []
    for i, p in enumerate(points):
        last = i == n - 1
        when = "this run" if p.get("run_id") is None else f"run {p['run_id']}"
        title = f"{uk_date(p.get('as_of'))} ({when}): {_percent_text(p)}"
        if p.get("percent") is None:
            if len(current) > 1:
                segments.append(" ".join(current))
            current = []
            dots.append(
                {
                    "x": x(i),
                    "y": box["bottom"],
                    "cls": "none",
                    "title": title,
                    "r": 2.5,
                    "current": last,
                    "gap": True,
                }
            )
            continue
        current.append(f"{x(i)},{y(p['percent'])}")
        dots.append(
            {
                "x": x(i),
                "y": y(p["percent"]),
                "cls": band(p["percent"]),
                "title": title,
                "r": 4.5 if last else 3,
                "current": last,
                "gap": False,
            }
        )
    if len(current) > 1:
        segments.append(" ".join(current))
    now = points[-1] if points else {}
    summary = f"This run: {_percent_text(now)}" if points else "No runs recorded."
    if n > 1:
        before = points[-2]
        summary += f"; last run: {_percent_text(before)}"
        if now.get("percent") is not None and before.get("percent") is not None:
            delta = now["percent"] - before["percent"]
            if delta:
                word = "up" if delta > 0 else "down"
                summary += f": {word} {abs(delta)} point{'' if abs(delta) == 1 else 's'}"
            else:
                summary += ": no change"
    summary += "."
    grid = [{"pct": pct, "y": y(pct), "ref": pct in (60, 80)} for pct in (0, 50, 60, 80, 100)]
    return {
        **box,
        "runs": n,
        "segments": segments,
        "dots": dots,
        "grid": grid,
        "first": uk_date(points[0].get("as_of")) if points else "",
        "last": uk_date(now.get("as_of")) if points else "",
        "summary": summary,
    }


def _history_row(data: ReportData, row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    if data.redactor is not None:
        out = data.redactor.finding(out)
    run = data.runs.get(out.get("check_id"))
    out["title"] = run.check.title if run is not None else str(out.get("check_id"))
    out["first_seen"] = uk_date(out.get("first_seen"))
    out["team"] = out.get("team") or ""
    out["case_manager"] = out.get("case_manager") or ""
    return out


def history_context(data: ReportData) -> dict[str, Any] | None:
    """The *Since last run* section as plain values; None when the run has no history.

    Names are redacted like everywhere else in the page when the run is redacted.
    """
    history = getattr(data.result, "history", None)
    if not history:
        return None
    previous = history.get("previous_run") or {}
    counts = {k: int((history.get("counts") or {}).get(k) or 0) for k, _ in HISTORY_LISTS}
    lists = []
    for key, heading in HISTORY_LISTS:
        rows = [_history_row(data, r) for r in history.get(key) or []]
        if key == "held" and not rows and not counts[key]:
            continue
        lists.append(
            {
                "key": key,
                "heading": heading,
                "count": counts[key],
                "rows": rows,
                "dated": key in ("persisting", "resolved", "held"),
            }
        )
    recorded = previous.get("recorded_at")
    recorded_text = recorded.strftime("%d/%m/%Y %H:%M") if hasattr(recorded, "strftime") else ""
    trends = []
    series = (history.get("trend") or {}).get("areas") or {}
    order = [a for a in AREAS if a in series] + sorted(a for a in series if a not in AREAS)
    for area in order:
        points = series[area]
        if not points:
            continue
        trends.append({"area": area, "heading": AREAS.get(area, area), **trend_chart(points)})
    return {
        "previous_id": previous.get("id"),
        "previous_as_of": uk_date(previous.get("as_of")),
        "previous_recorded": recorded_text,
        "same_export": bool(history.get("same_export")),
        "counts": counts,
        "lists": lists,
        "trends": trends,
        "max_points": MAX_TREND_POINTS,
    }


def render_html(data: ReportData, max_findings: int = MAX_FINDINGS) -> str:
    """The page as text."""
    env = _assets()[0]
    return env.get_template("report.html.j2").render(build_context(data, max_findings))


class HtmlReporter(Reporter):
    """A self-contained HTML page: scorecard, charts, filterable case list, input problems."""

    format = "html"
    filename = "report.html"
    description = "report.html, a self-contained page to read (scorecard, charts, case list)"

    def write(self, result: Any, out_dir: Path, options: dict[str, Any]) -> Path:
        """Render the page and replace ``report.html`` atomically."""
        settings = options.get("settings")
        extra = getattr(settings, "extra", None) or {}
        cap = options.get("html_max_findings") or extra.get("html_max_findings") or MAX_FINDINGS
        cap = int(cap)
        page = render_html(ReportData(result, options), cap)
        target = Path(out_dir) / self.filename
        with atomic_open(target) as out:
            out.write(page)
        return target
