"""Fixtures for the nightly-operation tests: workspaces, history databases, the plugin.

``history_url`` runs each history test on SQLite and on PostgreSQL (``pg_url``
in ``tests/conftest.py``: a fresh schema on the session's server).
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def history_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A history database URL: a SQLite file, then a PostgreSQL schema (marked ``slow``)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def workspace(tmp_path: Path, history_url: str) -> Path:
    """A workspace made by ``init``: export ``exports/latest``, history at ``history_url``."""
    from nightly_helpers import add_shim, write_config

    from sqs_checks.workspace import init_workspace

    root = tmp_path / "ws"
    init_workspace(root)
    add_shim(root / "plugins")
    write_config(
        root,
        export={"path": "exports/latest"},
        run={"formats": ["json"], "output": "reports"},
        history={"url": history_url},
    )
    return root
