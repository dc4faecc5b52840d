"""Fixtures for the nightly-operation tests: workspaces, history databases, the plugin.

PostgreSQL: the tests use ``SQS_TEST_POSTGRES_URL`` (default: the server that
``.ci/install.d/postgres.sh`` starts). Each test gets its own schema, dropped
afterwards. When the server cannot be reached the PostgreSQL variants are
skipped *loudly*: a pytest warning and a line on the terminal.
"""

from __future__ import annotations

import sys
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

DEFAULT_PG = "postgresql+psycopg://sqs_test:sqs_test@127.0.0.1:5432/sqs_test"

_PG_STATE: dict[str, Any] = {}


def _pg_available(url: str) -> str | None:
    """None when the server answers, else the reason (cached per session)."""
    if url in _PG_STATE:
        return _PG_STATE[url]
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
        reason = None
    except Exception as exc:  # noqa: BLE001 - any failure means "cannot reach it"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    _PG_STATE[url] = reason
    return reason


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A PostgreSQL URL whose search path is a fresh schema (dropped after the test)."""
    import os

    import sqlalchemy as sa

    base = os.environ.get("SQS_TEST_POSTGRES_URL", DEFAULT_PG)
    reason = _pg_available(base)
    if reason is not None:
        message = (
            f"POSTGRESQL TESTS SKIPPED: cannot reach {sa.make_url(base).render_as_string()} "
            f"({reason}). Run .ci/install.d/postgres.sh or set SQS_TEST_POSTGRES_URL."
        )
        warnings.warn(message, stacklevel=1)
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"\n!!! {message}", red=True, bold=True)
        else:  # pragma: no cover
            print(f"\n!!! {message}", file=sys.stderr)
        pytest.skip(message)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def history_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A history database URL: a SQLite file, then a PostgreSQL schema."""
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
