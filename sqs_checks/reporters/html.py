"""``report.html``: one self-contained page people read, that opens offline.

Everything is inlined (stylesheet, script, charts drawn as SVG); a
Content-Security-Policy forbids the page any request at all and allows only
its own script (by hash), so even a value that slipped past escaping could not
run or fetch anything. Every value is escaped by Jinja's autoescape.

The case list shows at most ``html_max_findings`` findings (default 20,000);
beyond that it stops at a whole case and says so, and points at the workbook
and the CSV, which list everything.
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
from sqs_checks.reporters.base import Reporter
from sqs_checks.reporters.common import ReportData, evidence_text, severity_order, uk_date

MAX_FINDINGS = 20_000
"""Default cap on the findings the HTML case list shows."""

MAX_PROBLEMS = 5_000
"""Input problems listed in the page at most (the other outputs list all)."""


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

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sqs_checks.reporters", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )
    env.globals["band"] = band
    folder = resources.files("sqs_checks.reporters") / "templates"
    css = (folder / "report.css").read_text(encoding="utf-8").strip()
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

    cases: list[dict[str, Any]] = []
    by_severity = dict.fromkeys(SEVERITIES, 0)
    listed = 0
    capped = False
    current: dict[str, Any] | None = None
    for f in data.findings(order="case"):
        by_severity[f["severity"]] = by_severity.get(f["severity"], 0) + 1
        if current is None or current["case_id"] != f["case_id"]:
            if listed >= max_findings:
                capped = True  # stop at a whole case; keep counting severities
            if capped:
                continue
            current = {
                "case_id": f["case_id"],
                "child_id": f["child_id"] or "",
                "case_manager": f["case_manager"] or "",
                "team": f["team"] or "",
                "start": uk_date(starts.get(f["case_id"])),
                "search": f"{f['case_id']} {f['child_id'] or ''}".lower(),
                "findings": [],
            }
            cases.append(current)
        elif capped:
            continue
        current["findings"].append({**f, "evidence_text": evidence_text(f["evidence"])})
        listed += 1
    flagged_cases = data.result.con.execute(
        f"SELECT count(DISTINCT case_id) FROM ({data.result.findings_sql()})"
    ).fetchone()[0]
    capped_text = ""
    if capped:
        capped_text = (
            f"This run has {total:,} findings, too many for one page: the case list shows the "
            f"first {len(cases):,} of {flagged_cases:,} flagged cases ({listed:,} findings), in "
            "case order. report.xlsx and findings.csv list every finding."
        )
    for case in cases:
        case["findings"].sort(key=lambda f: severity_order(f["severity"]))
        case["worst"] = case["findings"][0]["severity"]
    cases.sort(key=lambda c: _natural(str(c["case_id"])))

    areas = []
    area_cards = {a["area"]: a for a in card["areas"]}
    for key, heading in AREAS.items():
        in_area = [c for c in checks if c["area"] == key]
        if not in_area:
            continue
        text = ""
        if key in area_cards and area_cards[key]["relevant"]:
            a = area_cards[key]
            text = (
                f"{a['met']} of {a['relevant']} relevant cases ({a['percent']}%) with nothing "
                "flagged by the checks of this area"
            )
        areas.append({"area": key, "heading": heading, "text": text, "checks": in_area})

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
        "not_run": [c for c in checks if c["status"] != "ran"],
        "chart_areas": chart_areas,
        "chart_teams": chart_teams,
        "chart_managers": chart_managers,
        "cases": cases,
        "capped": capped_text,
        "filter_managers": sorted({c["case_manager"] for c in cases}, key=_natural),
        "filter_teams": sorted({c["team"] for c in cases if c["team"]}, key=_natural),
        "filter_areas": [(k, h) for k, h in AREAS.items() if k in listed_areas],
        "example_case": cases[0]["case_id"] if cases else "C1",
        "problems": problems,
        "problems_shown": problems[:MAX_PROBLEMS],
        "css": Markup(css),
        "script": Markup(script),
        "script_hash": script_hash,
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
