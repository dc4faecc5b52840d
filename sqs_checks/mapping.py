"""Mapping profiles: local table, column and code names into the canonical model.

A profile is YAML::

    name: example-cms
    date_format: "%d.%m.%Y"          # optional, for every date column
    tables:
      cases:                          # canonical table name
        source: Case List             # the file stem / sheet / table holding it
        columns:                      # local header: canonical column
          Case Ref: case_id
          Worker: case_manager
        values:                       # canonical column: {local code: canonical value}
          disposal_type: {YRO: community, DTO: custody}
          mappa_eligible: {Recorded: "yes"}   # yes/no and number columns too
        date_format: {start_date: "%Y%m%d"}   # optional, per column

Local headers and codes are matched case-insensitively, ignoring surrounding
spaces. Anything the profile does not mention is matched by its canonical name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqs_checks.errors import ConfigError


def norm(text: str) -> str:
    """A header or code as compared: trimmed and lower-cased."""
    return str(text).strip().lower()


def recode(expr: Any, codes: dict[str, str]) -> Any:
    """A polars expression with the profile's local ``codes`` (normalised keys) replaced.

    Used for yes/no and number columns ("Recorded" -> yes, "Level 2" -> 2);
    values the profile does not mention are kept as they are.
    """
    import polars as pl

    text = expr.cast(pl.Utf8).str.strip_chars()
    keys = list(codes)
    return text.str.to_lowercase().replace_strict(
        keys, [codes[k] for k in keys], default=text, return_dtype=pl.Utf8
    )


@dataclass
class TableMapping:
    """How one canonical table is found and renamed."""

    source: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # normalised local -> canonical
    values: dict[str, dict[str, str]] = field(
        default_factory=dict
    )  # canonical -> {norm local: value}
    date_format: dict[str, str] = field(default_factory=dict)


@dataclass
class MappingProfile:
    """A loaded mapping profile (empty when none is given)."""

    name: str = "canonical"
    path: str | None = None
    date_format: str | None = None
    tables: dict[str, TableMapping] = field(default_factory=dict)

    def table(self, name: str) -> TableMapping:
        """The mapping for canonical table ``name`` (empty when not mentioned)."""
        return self.tables.get(name, TableMapping())


def load_profile(path: str | Path, known_tables: list[str] | None = None) -> MappingProfile:
    """Load and validate a mapping profile; errors name the file and the key."""
    import yaml

    path = Path(path)
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(
            f"The mapping profile {path} does not exist; check the path given to --mapping."
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(
            f"The mapping profile {path} is not valid YAML{where}; "
            "fix the indentation or quoting there."
        ) from None
    return profile_from_dict(data or {}, str(path), known_tables)


def profile_from_dict(
    data: Any, origin: str = "<profile>", known_tables: list[str] | None = None
) -> MappingProfile:
    """Build a :class:`MappingProfile` from parsed YAML."""
    if not isinstance(data, dict):
        raise ConfigError(f"The mapping profile {origin} must be a mapping with a 'tables' key.")
    allowed_top = {"name", "description", "date_format", "tables"}
    for key in data:
        if key not in allowed_top:
            raise ConfigError(
                f"The mapping profile {origin} has an unknown key {key!r} "
                f"(allowed: {', '.join(sorted(allowed_top))})."
            )
    profile = MappingProfile(
        name=str(data.get("name") or Path(origin).stem),
        path=origin,
        date_format=data.get("date_format"),
    )
    tables = data.get("tables") or {}
    if not isinstance(tables, dict):
        raise ConfigError(
            f"In the mapping profile {origin}, 'tables' must map table names to settings."
        )
    for table, spec in tables.items():
        if known_tables is not None and table not in known_tables:
            raise ConfigError(
                f"The mapping profile {origin} names an unknown table {table!r} "
                f"(allowed: {', '.join(known_tables)})."
            )
        spec = spec or {}
        if not isinstance(spec, dict):
            raise ConfigError(f"In the mapping profile {origin}, tables.{table} must be a mapping.")
        allowed = {"source", "columns", "values", "date_format"}
        for key in spec:
            if key not in allowed:
                raise ConfigError(
                    f"The mapping profile {origin} has an unknown key tables.{table}.{key} "
                    f"(allowed: {', '.join(sorted(allowed))})."
                )
        columns = {norm(k): str(v).strip() for k, v in (spec.get("columns") or {}).items()}
        values = {
            str(col).strip(): {norm(k): str(v).strip() for k, v in (codes or {}).items()}
            for col, codes in (spec.get("values") or {}).items()
        }
        date_format = spec.get("date_format") or {}
        if isinstance(date_format, str):
            date_format = {"*": date_format}
        profile.tables[table] = TableMapping(
            source=spec.get("source"),
            columns=columns,
            values=values,
            date_format=dict(date_format),
        )
    return profile
