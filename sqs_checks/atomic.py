"""Atomic file writes: a crash never leaves a half-written report in place of the last good one.

A report is readable by its owner's group (mode ``0640``) unless told otherwise:
nightly reports go to shared folders, and never to everyone.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

REPORT_MODE = 0o640
"""The permissions of a report file by default: the owner reads and writes, the group reads."""


@contextlib.contextmanager
def atomic_path(target: str | Path, mode: int = REPORT_MODE) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    The file gets the permissions ``mode`` before it takes the target's place.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_open(
    target: str | Path,
    mode: str = "w",
    encoding: str | None = "utf-8",
    permissions: int = REPORT_MODE,
) -> Iterator[IO]:
    """Open a temporary file beside ``target`` that replaces it when closed without error."""
    with atomic_path(target, permissions) as tmp:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with open(tmp, mode, **kwargs) as fh:
            yield fh
