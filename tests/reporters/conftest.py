"""Fixtures of the reporter tests: the demo export, its golden run, the hostile export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from report_helpers import AS_OF, demo_result, hostile_tables

from sqs_checks.testing import make_export


@pytest.fixture(scope="session")
def demo_export(tmp_path_factory) -> Path:
    """The demo export: 40 cases, seed 7, as of 18/03/2013."""
    from sqs_checks.synth import generate_export

    folder = tmp_path_factory.mktemp("demo")
    generate_export(folder, as_of=AS_OF, cases=40, seed=7)
    return folder


@pytest.fixture(scope="module")
def demo_run(demo_export) -> Any:
    """The stabilised, unfiltered run of the golden checks over the demo export."""
    return demo_result(demo_export)


@pytest.fixture
def hostile_export(tmp_path) -> Path:
    """The hostile export written as CSV files."""
    return make_export(tmp_path / "hostile", hostile_tables())
