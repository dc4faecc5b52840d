"""Where a run's time and memory go: each phase with its seconds and peak memory.

``sqs-checks run --timings`` prints the phases (read, parse, load, each check,
scorecard, each report) and ``findings.json`` records them under
``run.timings``. Memory is the process's resident set size, sampled a few
times a second by a background thread while a phase runs, so a phase's peak is
the highest RSS seen during it (DuckDB's memory is in the process too).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes() -> int:
    """The process's resident set size now (0 where /proc is not available)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return 0


@dataclass
class Phase:
    """One measured phase: its name, wall seconds and peak resident memory."""

    name: str
    seconds: float
    peak_bytes: int

    def to_dict(self) -> dict[str, Any]:
        """As ``findings.json`` records it."""
        return {
            "phase": self.name,
            "seconds": round(self.seconds, 4),
            "peak_mb": round(self.peak_bytes / 2**20, 1),
        }


@dataclass
class Timings:
    """The phases of one run, in the order they ran."""

    phases: list[Phase] = field(default_factory=list)
    interval: float = 0.05
    _peak: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextlib.contextmanager
    def phase(self, name: str, *, accumulate: bool = False) -> Iterator[None]:
        """Measure the block as one phase called ``name``.

        With ``accumulate``, a phase of that name already measured takes the
        block's seconds too and keeps the higher peak: a phase done a table at a
        time (read, parse, load) is one phase.
        """
        with self._lock:
            self._peak = rss_bytes()
        stop = threading.Event()
        sampler = threading.Thread(target=self._sample, args=(stop,), daemon=True)
        sampler.start()
        started = time.perf_counter()
        try:
            yield
        finally:
            seconds = time.perf_counter() - started
            stop.set()
            sampler.join()
            with self._lock:
                peak = max(self._peak, rss_bytes())
            self._record(Phase(name, seconds, peak), accumulate)

    def _record(self, phase: Phase, accumulate: bool) -> None:
        """Add ``phase``; with ``accumulate``, into the phase of its name when there is one."""
        if accumulate:
            for known in self.phases:
                if known.name == phase.name:
                    known.seconds += phase.seconds
                    known.peak_bytes = max(known.peak_bytes, phase.peak_bytes)
                    return
        self.phases.append(phase)

    def add(self, name: str, seconds: float, peak_bytes: int) -> None:
        """Record a phase measured elsewhere (its work spread over other phases' gaps)."""
        self.phases.append(Phase(name, seconds, max(peak_bytes, 0)))

    def _sample(self, stop: threading.Event) -> None:
        while not stop.wait(self.interval):
            value = rss_bytes()
            with self._lock:
                self._peak = max(self._peak, value)

    @property
    def total(self) -> float:
        """Seconds of every phase together."""
        return sum(p.seconds for p in self.phases)

    def to_list(self) -> list[dict[str, Any]]:
        """The phases as ``run.timings`` lists them."""
        return [p.to_dict() for p in self.phases]

    def lines(self) -> list[str]:
        """A table for the terminal: phase, seconds, share of the run, peak memory."""
        total = self.total or 1.0
        width = max((len(p.name) for p in self.phases), default=5)
        out = [f"{'phase':<{width}}  {'seconds':>8}  {'share':>6}  {'peak MB':>8}"]
        for p in self.phases:
            out.append(
                f"{p.name:<{width}}  {p.seconds:>8.3f}  {100 * p.seconds / total:>5.1f}%  "
                f"{p.peak_bytes / 2**20:>8.0f}"
            )
        out.append(f"{'total':<{width}}  {self.total:>8.3f}")
        return out


def measured(
    timings: Timings | None, name: str, *, accumulate: bool = False
) -> contextlib.AbstractContextManager[None]:
    """``timings.phase(name)``, or a context that does nothing when there is no ``timings``."""
    if timings is None:
        return contextlib.nullcontext()
    return timings.phase(name, accumulate=accumulate)
