"""Which cases carry which planted defects.

``PLANTS`` gathers the plants of every module of :mod:`sqs_checks.synth.plants`.
:func:`assign_plants` spreads them over a third or more of the cases in scope, several
of each (one of each in a very small export), at most four per case, never two in a
slot nor two that conflict. Only cases in scope carry plants.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqs_checks.synth import plants as _plants_package
from sqs_checks.synth.plants import Plant

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator
    from sqs_checks.synth.records import Case

MAX_PER_CASE = 4


def _discover() -> dict[str, Plant]:
    found: dict[str, Plant] = {}
    for info in sorted(pkgutil.iter_modules(_plants_package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{_plants_package.__name__}.{info.name}")
        for plant in module.PLANTS:
            if plant.key in found:
                raise ValueError(f"two plants are called {plant.key!r}")
            found[plant.key] = plant
    return found


#: Every plant by key.
PLANTS: dict[str, Plant] = _discover()


def _compatible(key: str, c: Case) -> bool:
    plant = PLANTS[key]
    if plant.slot in c.slots:
        return False
    for other in c.plants:
        if PLANTS[other].slot in plant.conflicts or plant.slot in PLANTS[other].conflicts:
            return False
    return True


def _fits(gen: Generator, key: str, c: Case) -> bool:
    return len(c.plants) < MAX_PER_CASE and PLANTS[key].eligible(gen, c) and _compatible(key, c)


def assign_plants(gen: Generator) -> None:
    """Choose the defective cases and the defects planted in each."""
    rng = gen.rng
    in_scope = [c for c in gen.cases if gen.in_scope(c)]
    if not in_scope:
        return
    order = in_scope[:]
    rng.shuffle(order)
    n = len(in_scope)
    n_each = 1 if n < 60 else 2 if n < 90 else max(3, round(n * 0.018))
    defective = order[: max(1, round(0.28 * len(order)))]
    rest = order[len(defective) :]
    keys = sorted(PLANTS)
    wanted = [k for k in keys for _ in range(n_each)]
    rng.shuffle(wanted)
    pointers: dict[str, int] = {k: int(rng.random() * len(defective)) for k in keys}
    rest_pointers: dict[str, int] = {k: 0 for k in keys}
    visited: dict[str, int] = {k: 0 for k in keys}
    for key in wanted:
        chosen = None
        while visited[key] < len(defective):
            c = defective[pointers[key] % len(defective)]
            pointers[key] += 1
            visited[key] += 1
            if _fits(gen, key, c):
                chosen = c
                break
        if chosen is None:
            while rest_pointers[key] < len(rest):
                c = rest[rest_pointers[key]]
                rest_pointers[key] += 1
                if _fits(gen, key, c):
                    chosen = c
                    break
        if chosen is None:
            continue
        chosen.plants.append(key)
        chosen.slots.add(PLANTS[key].slot)
        flags = PLANTS[key].hooks.get("flags")
        if flags is not None:
            flags(gen, chosen)


def run_after_build(gen: Generator) -> None:
    """The ``after_build`` hooks of every case's plants, case by case."""
    for c in gen.cases:
        for handler in gen.hooks(c, "after_build"):
            handler(gen, c)


def missed_plants(
    cases: Iterable[Case], findings: Iterable[tuple[str, str, str, str, str]]
) -> list[tuple[str, str, str]]:
    """Plants that did not produce their finding (case, check, reason): should be none."""
    have = {(f[1], f[0], f[2]) for f in findings}
    missing = []
    for c in cases:
        for key in c.plants:
            plant = PLANTS[key]
            if (c.id, plant.check, plant.reason) not in have:
                missing.append((c.id, plant.check, plant.reason))
    return missing
