"""The history store: runs and their findings in SQLite or PostgreSQL (SQLAlchemy).

The schema is created and upgraded by the store itself (Alembic, with the
migration scripts shipped in :mod:`sqs_checks.history.migrations`), so an
upgrade of sqs-checks never loses history; a database written by a newer
version is refused rather than damaged.

A run is recorded in **one transaction** (run row, per-check and per-area
counts, findings in batches), so a run killed at any point leaves either the
whole run or none of it. Findings are compared with the previous run of the
same *scope* (suite plus filters) inside DuckDB, where the run's findings
already are, and sent to the database in batches (``COPY`` on PostgreSQL,
``executemany`` elsewhere), never one round trip per finding.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from sqs_checks.errors import ConfigError, UserError
from sqs_checks.history import models

BATCH = 20_000
"""Findings sent to the database per round trip."""

VERSION_TABLE = "history_version"
"""Alembic's version table in the history database."""

PASSWORD_ENV = "SQS_CHECKS_HISTORY_PASSWORD"
"""Environment variable holding the database password when the URL has none."""

MIGRATIONS = Path(__file__).parent / "migrations"


def scope_key(suite: str, filters: dict[str, str] | None) -> str:
    """What makes runs comparable: the suite and the case-manager/team filters."""
    if not filters:
        return suite
    return suite + " " + json.dumps(dict(sorted(filters.items())), ensure_ascii=False)


@dataclass
class Diff:
    """What changed between two runs of one scope."""

    before: dict[str, Any] | None
    after: dict[str, Any]
    new: list[dict[str, Any]] = field(default_factory=list)
    persisting: list[dict[str, Any]] = field(default_factory=list)
    resolved: list[dict[str, Any]] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many findings are new, persisting, resolved and held."""
        return {k: len(getattr(self, k)) for k in ("new", "persisting", "resolved", "held")}


class HistoryStore:
    """A history database reached by a SQLAlchemy URL (``sqlite:///file`` by default)."""

    def __init__(self, url: str, *, upgrade: bool = True) -> None:
        self.url = _with_password(url)
        self.display_url = self.url.render_as_string(hide_password=True)
        if self.url.get_backend_name() == "sqlite" and self.url.database not in (
            None,
            "",
            ":memory:",
        ):
            Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine = sa.create_engine(self.url, **_engine_options(self.url))
        except (ImportError, sa.exc.ArgumentError) as exc:
            raise ConfigError(
                f"Cannot use the history database {self.display_url} ({exc}); check history.url."
            ) from None
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        if upgrade:
            self.upgrade()

    # --- schema -------------------------------------------------------------------------

    def _alembic(self, connection: sa.Connection):
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        config.attributes["version_table"] = VERSION_TABLE
        return config

    def revision(self) -> str | None:
        """The database's schema revision (None when it has no history yet)."""
        from alembic.runtime.migration import MigrationContext

        with self._connect() as conn:
            context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
            return context.get_current_revision()

    def upgrade(self, target: str = "head") -> None:
        """Create or upgrade the schema to ``target`` (default the newest), in one transaction."""
        from alembic import command
        from alembic.script import ScriptDirectory

        with self._connect() as conn:
            config = self._alembic(conn)
            known = {s.revision for s in ScriptDirectory.from_config(config).walk_revisions()}
            from alembic.runtime.migration import MigrationContext

            current = MigrationContext.configure(
                conn, opts={"version_table": VERSION_TABLE}
            ).get_current_revision()
            if current is not None and current not in known:
                raise UserError(
                    f"The history database {self.display_url} was written by a newer sqs-checks "
                    f"(schema revision {current}); upgrade sqs-checks to read it."
                )
            command.upgrade(config, target)
            conn.commit()

    def _connect(self) -> sa.Connection:
        try:
            return self.engine.connect()
        except sa.exc.OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise UserError(
                f"Cannot open the history database {self.display_url} ({reason}); "
                "check history.url and that the server is running."
            ) from None

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # --- reading ------------------------------------------------------------------------

    def runs(self, limit: int | None = None, scope: str | None = None) -> list[dict[str, Any]]:
        """Recorded runs, newest first."""
        query = sa.select(models.runs).order_by(models.runs.c.id.desc())
        if scope is not None:
            query = query.where(models.runs.c.scope == scope)
        if limit:
            query = query.limit(limit)
        with self._connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def run(self, run_id: int) -> dict[str, Any]:
        """One run by id; an unknown id is a user error."""
        with self._connect() as conn:
            row = conn.execute(sa.select(models.runs).where(models.runs.c.id == run_id)).first()
        if row is None:
            raise UserError(
                f"There is no run {run_id} in the history; `sqs-checks history` lists them."
            )
        return dict(row._mapping)

    def previous_run(self, scope: str, before: int | None = None) -> dict[str, Any] | None:
        """The latest run of ``scope`` (before run id ``before`` when given)."""
        query = sa.select(models.runs).where(models.runs.c.scope == scope)
        if before is not None:
            query = query.where(models.runs.c.id < before)
        query = query.order_by(models.runs.c.id.desc()).limit(1)
        with self._connect() as conn:
            row = conn.execute(query).first()
        return dict(row._mapping) if row else None

    def findings(self, run_id: int) -> list[dict[str, Any]]:
        """A run's stored findings (small runs; see :meth:`iter_findings` for large ones)."""
        return [
            dict(zip(models.FINDING_COLUMNS, r, strict=True))
            for b in self.iter_findings(run_id)
            for r in b
        ]

    def iter_findings(self, run_id: int, batch: int = BATCH) -> Iterator[list[tuple]]:
        """A run's stored findings in batches of tuples (columns as :data:`FINDING_COLUMNS`)."""
        query = sa.select(*[models.findings.c[c] for c in models.FINDING_COLUMNS]).where(
            models.findings.c.run_id == run_id
        )
        with self._connect() as conn:
            result = conn.execution_options(yield_per=batch).execute(query)
            for part in result.partitions(batch):
                yield [tuple(r) for r in part]

    def check_series(self, scope: str | None = None) -> list[dict[str, Any]]:
        """Per run and check: as-of date, relevant and flagged (oldest first)."""
        r, c = models.runs, models.checks
        query = (
            sa.select(
                r.c.id.label("run_id"),
                r.c.as_of,
                c.c.check_id,
                c.c.area,
                c.c.status,
                c.c.relevant,
                c.c.flagged,
            )
            .join(c, c.c.run_id == r.c.id)
            .order_by(r.c.id, c.c.check_id)
        )
        if scope is not None:
            query = query.where(r.c.scope == scope)
        with self._connect() as conn:
            return [dict(x._mapping) for x in conn.execute(query)]

    def area_series(self, scope: str | None = None) -> list[dict[str, Any]]:
        """Per run and area: as-of date, relevant and flagged (oldest first)."""
        r, a = models.runs, models.areas
        query = (
            sa.select(r.c.id.label("run_id"), r.c.as_of, a.c.area, a.c.relevant, a.c.flagged)
            .join(a, a.c.run_id == r.c.id)
            .order_by(r.c.id, a.c.area)
        )
        if scope is not None:
            query = query.where(r.c.scope == scope)
        with self._connect() as conn:
            return [dict(x._mapping) for x in conn.execute(query)]

    def diff(self, run_a: int | None = None, run_b: int | None = None) -> Diff:
        """What changed from ``run_a`` to ``run_b`` (default: the latest run and the one before
        it in the same scope)."""
        if run_b is None:
            latest = self.runs(limit=1)
            if not latest:
                raise UserError(
                    "The history is empty; run `sqs-checks run` in the workspace first."
                )
            after = latest[0]
        else:
            after = self.run(run_b)
        if run_a is None:
            before = self.previous_run(after["scope"], before=after["id"])
        else:
            before = self.run(run_a)
        after_rows = {_key(r): r for r in self.findings(after["id"])}
        before_rows = (
            {_key(r): r for r in self.findings(before["id"]) if r["status"] != "held"}
            if before
            else {}
        )
        out = Diff(before=before, after=after)
        for key, row in after_rows.items():
            if key in before_rows:
                row = dict(row, status="persisting")
                row["nights_open"] = _nights(row.get("first_seen"), after["as_of"])
                out.persisting.append(row)
            elif row["status"] == "held":
                out.held.append(row)
            else:
                out.new.append(dict(row, status="new"))
        out.resolved = [
            dict(r, status="resolved") for k, r in before_rows.items() if k not in after_rows
        ]
        return out

    # --- writing ------------------------------------------------------------------------

    def record(
        self,
        run: dict[str, Any],
        checks: list[dict[str, Any]],
        areas: list[dict[str, Any]],
        findings: Iterable[list[tuple]],
    ) -> int:
        """Store one run in one transaction; return its id.

        ``findings`` yields batches of tuples in :data:`models.FINDING_COLUMNS` order
        without the leading ``run_id`` (it is added here); ``first_run_id`` None means
        "this run".
        """
        with self._connect() as conn, conn.begin():
            run_id = conn.execute(sa.insert(models.runs).values(**run)).inserted_primary_key[0]
            if checks:
                conn.execute(sa.insert(models.checks), [dict(c, run_id=run_id) for c in checks])
            if areas:
                conn.execute(sa.insert(models.areas), [dict(a, run_id=run_id) for a in areas])
            copy = self.engine.dialect.name == "postgresql" and self.engine.driver == "psycopg"
            first = models.FINDING_COLUMNS.index("first_run_id") - 1
            for batch in findings:
                rows = [
                    (run_id, *r[:first], run_id if r[first] is None else r[first], *r[first + 1 :])
                    for r in batch
                ]
                if not rows:
                    continue
                if copy:
                    _copy_rows(conn, rows)
                elif self.engine.dialect.name == "sqlite":
                    marks = ", ".join("?" for _ in models.FINDING_COLUMNS)
                    conn.exec_driver_sql(
                        f"INSERT INTO history_findings ({', '.join(models.FINDING_COLUMNS)}) "
                        f"VALUES ({marks})",
                        [tuple(_sqlite_value(v) for v in r) for r in rows],
                    )
                else:
                    conn.execute(
                        sa.insert(models.findings),
                        [dict(zip(models.FINDING_COLUMNS, r, strict=True)) for r in rows],
                    )
        return int(run_id)


def _copy_rows(conn: sa.Connection, rows: list[tuple]) -> None:
    """PostgreSQL: send rows with COPY inside the current transaction."""
    raw = conn.connection.driver_connection
    columns = ", ".join(f'"{c}"' for c in models.FINDING_COLUMNS)
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY history_findings ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _sqlite_value(value: Any) -> Any:
    """Dates as SQLAlchemy stores them in SQLite (ISO text)."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _key(row: dict[str, Any]) -> tuple:
    return tuple(row[k] for k in models.KEY)


def _nights(first_seen: dt.date | None, as_of: dt.date) -> int | None:
    """Nights a finding has been open: days from its first as-of date to this one."""
    if first_seen is None:
        return None
    return (as_of - first_seen).days


def _with_password(url: str) -> sa.URL:
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise ConfigError(
            f"history.url {url!r} is not a database URL; use sqlite:///history.sqlite or "
            "postgresql+psycopg://user@host/database."
        ) from None
    if parsed.password is None and parsed.username and os.environ.get(PASSWORD_ENV):
        parsed = parsed.set(password=os.environ[PASSWORD_ENV])
    return parsed


def _engine_options(url: sa.URL) -> dict[str, Any]:
    if url.get_backend_name() == "sqlite":
        return {"connect_args": {"timeout": 60}}
    if url.get_backend_name() == "postgresql":
        return {"pool_pre_ping": True, "connect_args": {"connect_timeout": 10}}
    return {}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 60000")
    cursor.close()
