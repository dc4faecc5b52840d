"""sqs_hmip: the HM Inspectorate of Probation check catalog (SPEC §5).

One module per check, found from its id in one guess:
``reoffending.initial_assessment`` lives in ``sqs_hmip/reoffending/initial_assessment.py``.
Checks that share one parametrised implementation take it from
``sqs_hmip/families/``. Each module exposes ``CHECK`` (or ``CHECKS``).

Registered through the ``sqs_checks`` entry-point group, exactly as a
third-party plugin would be.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from sqs_checks.checks import Check
from sqs_checks.hookspecs import hookimpl

__version__ = "0.1.0"

AREA_PACKAGES = ("reoffending", "public", "child", "sentence", "oversight", "data")

CATALOG_ORDER = [
    "reoffending.initial_assessment",
    "reoffending.copied_assessment",
    "reoffending.assessment_review",
    "reoffending.court_report",
    "reoffending.intervention_plan",
    "reoffending.custody_plan",
    "reoffending.plan_review",
    "public.rosh_assessment",
    "public.rosh_offences_overlooked",
    "public.rosh_review",
    "public.risk_management_plan",
    "public.rmp_review",
    "public.release_plan",
    "public.victims",
    "public.mappa",
    "public.court_report_rosh",
    "child.vulnerability_assessment",
    "child.vulnerability_review",
    "child.vulnerability_management_plan",
    "child.vmp_review",
    "sentence.diversity",
    "sentence.involvement",
    "oversight.sign_off",
    "oversight.ineffective_sign_off",
    "data.record_excluded",
    "data.value_dropped",
]
"""The catalog in the order of SPEC §5 (and of the inspection report)."""


def all_checks() -> list[Check]:
    """Every check of the catalog, in catalog order."""
    found: list[Check] = []
    for area in AREA_PACKAGES:
        package = importlib.import_module(f"{__name__}.{area}")
        for info in sorted(
            pkgutil.iter_modules([str(Path(package.__file__).parent)]), key=lambda i: i.name
        ):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            found.extend(getattr(module, "CHECKS", []))
            if hasattr(module, "CHECK"):
                found.append(module.CHECK)
    from sqs_hmip.seeds import seed_text
    from sqs_hmip.shortfalls import shortfall

    for check in found:  # the report's own words, for `sqs-checks explain`
        check.source = check.source or seed_text(check.seed)
        check.shortfall = check.shortfall or shortfall(check.id)
    rank = {cid: i for i, cid in enumerate(CATALOG_ORDER)}
    return sorted(found, key=lambda c: (rank.get(c.id, len(rank)), c.id))


@hookimpl
def sqs_checks_checks() -> list[Check]:
    """The inspection catalog."""
    return all_checks()
