"""What a reporter is: an output format for ``--format``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from sqs_checks.result import RunResult


class Reporter:
    """An output format. Subclass and return instances from ``sqs_checks_reporters``.

    Attributes:
        format: the name given to ``--format`` ("json", "html", ...).
        filename: the file it writes in the output folder ("" for none).
        description: one line for ``sqs-checks plugins``.
    """

    format: str = ""
    filename: str = ""
    description: str = ""

    def write(self, result: RunResult, out_dir: Path, options: dict[str, Any]) -> Path | None:
        """Write the report into ``out_dir`` atomically; return the path written."""
        raise NotImplementedError
