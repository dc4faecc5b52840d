"""Email digests after a run: to case managers (their flags) and managers (their team).

:func:`send_digests` is what the ``sqs_nightly`` plugin calls from
``sqs_checks_run_finished``, after the run is recorded in the history store
(so the digests can say what is new, persisting and resolved).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqs_checks.notify.addresses import Person, address_book, read_csv
from sqs_checks.notify.digest import Digest, build_digests
from sqs_checks.notify.smtp import send

__all__ = ["Digest", "Person", "address_book", "build_digests", "read_csv", "send", "send_digests"]


def send_digests(result: Any, settings: Mapping[str, Any]) -> int:
    """Build and send the digests configured in ``settings['email']``; return how many."""
    extra = settings.get("extra") or {}
    email = settings.get("email") or extra.get("email") or {}
    root = settings.get("workspace") or extra.get("workspace")
    people = address_book(result, email, root)
    return send(build_digests(result, people, email), email)
