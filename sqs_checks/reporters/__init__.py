"""The built-in output formats, registered through the ``sqs_checks_reporters`` hook.

``json`` (findings.json, the output contract), ``html`` (report.html),
``xlsx`` (report.xlsx), ``csv`` (findings.csv) and ``junit`` (junit.xml). The
terminal summary is not a file format: ``sqs-checks run`` prints it unless
``--quiet``.
"""

from __future__ import annotations

from sqs_checks.hookspecs import hookimpl
from sqs_checks.reporters.base import Reporter


@hookimpl
def sqs_checks_reporters() -> list[Reporter]:
    """The built-in reporters (imported here so ``--help`` stays light)."""
    from sqs_checks.reporters.csv_reporter import CsvReporter
    from sqs_checks.reporters.html import HtmlReporter
    from sqs_checks.reporters.json_reporter import JsonReporter
    from sqs_checks.reporters.junit import JunitReporter
    from sqs_checks.reporters.xlsx import XlsxReporter

    return [JsonReporter(), HtmlReporter(), XlsxReporter(), CsvReporter(), JunitReporter()]
