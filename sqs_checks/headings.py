"""The scorecard by heading, and the groups every report shows its scorecard in.

A suite without a framework is scored under the catalog's areas (the headings
of the 2013 report); one with a framework (see :mod:`sqs_checks.framework`)
under its own headings. :func:`heading_scorecard` counts, per heading, the
distinct cases relevant to its checks and those flagged, in DuckDB;
:func:`scorecard_groups` turns either kind of scorecard into one list of
groups (a heading, its figure, its checks) that the terminal, the HTML page
and the workbook lay out alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqs_checks.checks import AREAS, Check
from sqs_checks.framework import DATA_AREA, OUTSIDE_TITLE, SCORED_STATUSES, Framework

if TYPE_CHECKING:  # pragma: no cover
    from sqs_checks.result import CheckRun

_SEP = "\x1f"


def check_headings(framework: Framework | None, check: Check) -> list[str]:
    """The ids of the headings ``check`` counts under (``findings.json`` ``headings``).

    Without a framework a check counts under its area; a ``data`` check counts
    under none (it describes the export and is never scored).
    """
    if framework is None:
        return [] if check.area == DATA_AREA else [check.area]
    return framework.heading_ids(check)


def _percent(met: int, relevant: int) -> int | None:
    return round(100 * met / relevant) if relevant else None


def _phrase(title: str, met: int, relevant: int) -> str:
    from sqs_checks.result import phrase

    return phrase(title, met, relevant)


ROW_COLUMNS = ("k", "check_id", "reason", "exclude", "disposal")
"""A counting row: key, check id, reason that counts (None: any), reasons that do not
(joined by a unit separator; None: none), and the disposal type of the cases counted."""


def _count(con: Any, rows: list[tuple[str | None, ...]], view: str) -> dict:
    """(relevant, flagged) per key, for rows of :data:`ROW_COLUMNS`."""
    if not rows:
        return {}
    import pyarrow as pa

    columns = list(zip(*rows, strict=True))
    table = pa.table(
        {
            name: pa.array(values, type=pa.string())
            for name, values in zip(ROW_COLUMNS, columns, strict=True)
        }
    )
    con.register("_heading_map", table)
    try:
        # every row names one disposal, so cases join the map on equal keys only
        cases = (
            "JOIN src_cases s ON s.case_id = x.case_id JOIN _heading_map m "
            "ON m.check_id = x.check_id AND m.disposal = s.disposal_type"
        )
        shown = f"x.case_id IN (SELECT case_id FROM {view})"
        result = con.execute(
            f"WITH rel AS (SELECT DISTINCT m.k, x.case_id FROM check_cases x {cases} "
            f"WHERE {shown}), "
            f"fl AS (SELECT DISTINCT m.k, x.case_id FROM findings x {cases} "
            f"WHERE {shown} AND (m.reason IS NULL OR x.reason = m.reason) "
            "AND (m.exclude IS NULL OR "
            f"NOT list_contains(string_split(m.exclude, '{_SEP}'), x.reason))) "
            "SELECT rel.k, count(*), count(fl.case_id) FROM rel "
            "LEFT JOIN fl ON fl.k = rel.k AND fl.case_id = rel.case_id GROUP BY 1"
        ).fetchall()
    finally:
        con.unregister("_heading_map")
    return {key: (relevant, flagged) for key, relevant, flagged in result}


def _figures(title: str, counts: tuple[int, int] | None) -> dict[str, Any]:
    relevant, flagged = counts or (0, 0)
    met = relevant - flagged
    return {
        "relevant": relevant,
        "flagged": flagged,
        "met": met,
        "percent": _percent(met, relevant),
        "text": _phrase(title, met, relevant),
    }


def heading_scorecard(
    con: Any, framework: Framework, runs: list[CheckRun], view: str
) -> list[dict[str, Any]]:
    """Per heading, in the standards' order: its figure and the figures of its own checks.

    ``view`` names the table of the case ids shown (the scope, or the filtered
    cases). A check counts under a heading for the cases of the heading's
    disposals only, and - when mapped reason by reason - only for its findings
    of those reasons. Checks that did not run count nowhere.
    """
    from sqs_checks.contract import DISPOSAL_TYPES

    scored = [r for r in runs if r.status in SCORED_STATUSES and r.check.area != DATA_AREA]
    mapped = {r.check.id: framework.contributions(r.check) for r in runs}
    ordered = framework.ordered()
    disposals = {h.id: framework.disposals_of(h.id) for h, _depth in ordered}

    def rows_for(key: str, heading_id: str, check_id: str) -> list[tuple]:
        reasons = mapped[check_id][heading_id]
        exclude = _SEP.join(sorted(reasons.excluding)) or None
        return [
            (key, check_id, reason, exclude, disposal)
            for reason in (sorted(reasons.only) if reasons.only is not None else [None])
            for disposal in (disposals[heading_id] or DISPOSAL_TYPES)
        ]

    rows: list[tuple] = []
    for heading, _depth in ordered:
        for inner in framework.subtree(heading.id):
            for run in scored:
                if inner in mapped[run.check.id]:
                    rows += rows_for(heading.id, inner, run.check.id)
                    if inner == heading.id:
                        key = f"{heading.id}{_SEP}{run.check.id}"
                        rows += rows_for(key, inner, run.check.id)
    counts = _count(con, rows, view)
    out = []
    for heading, depth in ordered:
        checks = []
        for run in runs:
            if heading.id not in mapped[run.check.id]:
                continue
            reasons = mapped[run.check.id][heading.id]
            entry = {
                "id": run.check.id,
                "title": run.check.title,
                "reasons": sorted(reasons.only) if reasons.only is not None else None,
                "except_reasons": sorted(reasons.excluding) or None,
                "counts_for": reasons.describe(),
                "status": run.status,
            }
            entry.update(_figures(run.check.title, counts.get(f"{heading.id}{_SEP}{run.check.id}")))
            checks.append(entry)
        item = {
            "id": heading.id,
            "title": heading.title,
            "parent": heading.parent,
            "depth": depth,
            "disposals": list(disposals[heading.id]) if disposals[heading.id] else None,
        }
        item.update(_figures(heading.title, counts.get(heading.id)))
        item["checks"] = checks
        out.append(item)
    return out


def framework_summary(framework: Framework, runs: list[CheckRun]) -> dict[str, Any]:
    """The framework's name and source, and the checks of the run outside it (with why)."""
    outside = []
    for run in runs:
        if framework.contributions(run.check):
            continue
        reason = framework.outside_reason(run.check)
        outside.append({"id": run.check.id, "reason": reason or "not mapped by the suite"})
    return {"name": framework.name, "source": framework.source, "outside": outside}


def _group_check(check: dict[str, Any], figures: dict[str, Any] | None = None) -> dict[str, Any]:
    """A check as a group shows it: its own fields, with the heading's figures when given."""
    out = {**check, "counts_for": ""}
    if figures is not None:
        for key in ("relevant", "flagged", "met", "percent", "text", "counts_for"):
            out[key] = figures[key]
    return out


def scorecard_groups(card: dict[str, Any], checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The scorecard as the reports lay it out: a list of groups, in order.

    Each group has ``id`` (the heading id; None for an area or the outside
    group), ``title``, ``level`` (nesting depth), ``figure`` (its
    relevant/flagged/met/percent/text, or None when it has none) and
    ``checks`` (each check as :meth:`ReportData.checks` gives it, with the
    heading's own figures for it and ``counts_for``, the reasons it counts
    for under the heading in words, "" for every reason).

    Without headings in ``card`` the groups are the areas with checks, in the
    catalog's order; with headings, the headings in the standards' order,
    then the checks that count under none ("Outside the framework") and last
    the data checks ("Data quality", as without headings).
    """
    if not card.get("headings"):
        areas = {a["area"]: a for a in card.get("areas", [])}
        return [
            {
                "id": None,
                "title": title,
                "level": 0,
                "figure": areas.get(area),
                "checks": [_group_check(c) for c in checks if c["area"] == area],
            }
            for area, title in AREAS.items()
            if any(c["area"] == area for c in checks)
        ]
    by_id = {c["id"]: c for c in checks}
    groups = []
    counted: set[str] = set()
    for heading in card["headings"]:
        members = [_group_check(by_id[c["id"]], c) for c in heading["checks"] if c["id"] in by_id]
        counted.update(c["id"] for c in members)
        groups.append(
            {
                "id": heading["id"],
                "title": heading["title"],
                "level": heading["depth"],
                "figure": heading,
                "checks": members,
            }
        )
    rest = [_group_check(c) for c in checks if c["id"] not in counted]
    for title, members in (
        (OUTSIDE_TITLE, [c for c in rest if c["area"] != DATA_AREA]),
        (AREAS[DATA_AREA], [c for c in rest if c["area"] == DATA_AREA]),
    ):
        if members:
            groups.append(
                {"id": None, "title": title, "level": 0, "figure": None, "checks": members}
            )
    return groups
