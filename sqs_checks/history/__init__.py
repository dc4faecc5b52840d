"""Run history: every run's counts and findings, what is new, persisting or resolved.

* :class:`HistoryStore` - the database (SQLite by default, PostgreSQL by URL),
  created and migrated by sqs-checks itself;
* :func:`record_result` - store a finished run in one transaction;
* :func:`since_last_run` - what changed since the previous run, for the HTML
  report (``result.history``) and the email digests.
"""

from __future__ import annotations

from sqs_checks.history.recorder import history_url, record_result, since_last_run
from sqs_checks.history.store import Diff, HistoryStore, scope_key

__all__ = ["Diff", "HistoryStore", "history_url", "record_result", "scope_key", "since_last_run"]
