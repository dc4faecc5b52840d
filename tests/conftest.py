"""Shared fixtures: a small demo-like export written with the testing helpers."""

from __future__ import annotations

import pytest

from sqs_checks.plugins import reset_cache


@pytest.fixture(autouse=True)
def _fresh_plugins():
    """Each test gets plugin managers built anew (plugins dirs differ between tests)."""
    reset_cache()
    yield
    reset_cache()
