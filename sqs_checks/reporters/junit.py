"""``junit.xml``: one test case per check, for schedulers and CI dashboards.

A check that ran and flagged cases is a *failure* whose text lists the flagged
cases (one line per finding: case, case manager, reason, message); a check
that ran clean *passes*; a skipped check is *skipped* with its reason; a check
whose plugin raised is an *error*; a check judged in part says so. Input
problems are reported in the suite's ``system-out``; a degraded run (SPEC §7)
says why in the ``degraded`` property. The document is built with
:mod:`xml.etree.ElementTree`, which escapes every value; characters XML cannot
hold are dropped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqs_checks.atomic import atomic_open
from sqs_checks.reporters.base import Reporter
from sqs_checks.reporters.common import ReportData, clean_text, filters_text

MAX_LINES_PER_CHECK = 5_000
"""Findings listed in one failure's text at most (the count is always complete)."""


def _line(f: dict[str, Any]) -> str:
    who = f.get("case_manager") or "no case manager"
    return f"{f['case_id']} ({who}): {f['reason']} - {f['message']}"


def build_junit(data: ReportData) -> ET.Element:
    """The ``<testsuites>`` element of a run."""
    run = data.run
    checks = data.checks()
    lines: dict[str, list[str]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for f in data.findings():
        counts[f["check_id"]] += 1
        if len(lines[f["check_id"]]) < MAX_LINES_PER_CHECK:
            lines[f["check_id"]].append(_line(f))
    failures = sum(1 for c in checks if c["counted"] and c["flagged"])
    skipped = sum(1 for c in checks if c["status"] == "skipped")
    errors = sum(1 for c in checks if c["status"] == "error")
    total_time = f"{sum(c['seconds'] for c in checks):.3f}"
    counters = {
        "tests": str(len(checks)),
        "failures": str(failures),
        "errors": str(errors),
        "skipped": str(skipped),
        "time": total_time,
    }
    root = ET.Element("testsuites", {"name": "sqs-checks", **counters})
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": f"{run['suite']} as of {run['as_of']}",
            **counters,
            "timestamp": str(run.get("started_at") or ""),
        },
    )
    props = ET.SubElement(suite, "properties")
    values = {
        "as_of": run["as_of"],
        "suite": run["suite"],
        "export": run["export"],
        "export_sha256": run["export_sha256"],
        "tool_version": data.header()["tool"]["version"],
        "cases_in_scope": run["cases_in_scope"],
        "filtered": filters_text(run.get("filters")) or "no",
        "redacted": "yes" if data.redacted else "no",
        "degraded": " ".join(data.degraded()) or "no",
    }
    for name, value in values.items():
        ET.SubElement(props, "property", {"name": name, "value": clean_text(value)})
    for c in checks:
        attrs = {"classname": f"sqs_checks.{c['area']}", "name": c["id"]}
        case = ET.SubElement(suite, "testcase", {**attrs, "time": f"{c['seconds']:.3f}"})
        if c["status"] == "skipped":
            ET.SubElement(case, "skipped", {"message": clean_text(c["reason"])})
        elif c["status"] == "error":
            ET.SubElement(case, "error", {"message": clean_text(c["reason"]), "type": "error"})
        elif c["flagged"]:
            n = counts[c["id"]]
            message = (
                f"{c['flagged']} of {c['relevant']} relevant cases flagged "
                f"({n} finding{'s' if n != 1 else ''}): {c['title']}"
            )
            if c["status"] == "partial":
                message += f" (judged in part: {c['reason']})"
            text = lines[c["id"]]
            if n > len(text):
                text = [*text, f"... and {n - len(text)} more findings (see findings.csv)."]
            failure = ET.SubElement(case, "failure", {"message": message, "type": c["severity"]})
            failure.text = clean_text("\n".join(text))
        if c["counted"]:
            out = ET.SubElement(case, "system-out")
            text = c["text"]
            if c["status"] == "partial":
                text += f". Judged in part: {c['reason']}"
            out.text = clean_text(text)
    problems = data.input_problems()
    out = ET.SubElement(suite, "system-out")
    text = [f"{len(problems)} input problem{'s' if len(problems) != 1 else ''}"]
    for p in problems:
        value = "blank" if p["value"] is None else p["value"]
        text.append(f"{p['table']} row {p['row']} {p['column']}: {p['problem']} ({value})")
    out.text = clean_text("\n".join(text))
    return root


class JunitReporter(Reporter):
    """One JUnit test case per check; failures list the flagged cases."""

    format = "junit"
    filename = "junit.xml"
    description = "junit.xml, one test case per check (for schedulers and CI)"

    def write(self, result: Any, out_dir: Path, options: dict[str, Any]) -> Path:
        """Build the XML and replace ``junit.xml`` atomically."""
        root = build_junit(ReportData(result, options))
        ET.indent(root, space="  ")
        target = Path(out_dir) / self.filename
        with atomic_open(target) as out:
            out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
            out.write(ET.tostring(root, encoding="unicode"))
            out.write("\n")
        return target
