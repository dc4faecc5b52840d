"""Read the canonical tables from a database reached by a SQLAlchemy URL."""

from __future__ import annotations

import hashlib

from sqs_checks.errors import ExportError
from sqs_checks.readers.base import RawExport, RawTable, Reader, cell_text


class SqlReader(Reader):
    """Any database SQLAlchemy reaches (``sqlite:///export.db``, ``postgresql://...``).

    Each table (or view) named like a canonical table is read whole; row
    numbers count from 1 in the database's order.
    """

    name = "sql"
    description = "a database reached by a SQLAlchemy URL (sqlite:///file.db, postgresql://...)"

    def detect(self, source: str) -> bool:
        """A URL with a scheme (``dialect://...``)."""
        return "://" in source

    def read(self, source: str) -> RawExport:
        """Read every table and view of the database as text."""
        import polars as pl
        import sqlalchemy as sa

        safe = _hide_password(source)
        try:
            engine = sa.create_engine(source)
            inspector = sa.inspect(engine)
            names = inspector.get_table_names() + inspector.get_view_names()
        except Exception as exc:  # noqa: BLE001 - any connection failure
            raise ExportError(
                f"Cannot open the database {safe} ({type(exc).__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else ''}); check the URL and that the "
                "database is reachable."
            ) from None
        digest = hashlib.sha256()
        tables: dict[str, RawTable] = {}
        try:
            with engine.connect() as conn:
                for name in sorted(names):
                    result = conn.execute(sa.text(f'SELECT * FROM "{name}"'))
                    headers = list(result.keys())
                    rows = [[cell_text(v) for v in row] for row in result]
                    columns = {}
                    for i, header in enumerate(headers):
                        key = header if header not in columns else f"{header}\0{i}"
                        columns[key] = [r[i] for r in rows]
                    frame = pl.DataFrame(columns, schema={k: pl.Utf8 for k in columns})
                    frame = frame.with_row_index("__row__", offset=1).with_columns(
                        pl.col("__row__").cast(pl.Int64)
                    )
                    digest.update(name.encode())
                    digest.update(repr(rows).encode())
                    tables[name] = RawTable(name=name, source=f"{safe} table {name}", frame=frame)
        finally:
            engine.dispose()
        return RawExport(tables=tables, fingerprint=digest.hexdigest(), description=safe)


def _hide_password(url: str) -> str:
    """The URL with any password replaced by ``***``."""
    try:
        import sqlalchemy as sa

        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return url
