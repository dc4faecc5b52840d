"""The address book: who gets which digest.

From a CSV file (columns ``name``, ``email``, optional ``role`` and ``team``)
or, when none is configured, from the export's ``staff`` table with an
``email`` column. Names match the export's case-manager names trimmed and
case-insensitively. Roles ``practice_manager`` and ``operational_manager`` are
managers; a manager with a team gets that team's digest, one without gets the
whole service's.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqs_checks.codes import MANAGER_ROLES
from sqs_checks.codes import STAFF_ROLES as ROLES
from sqs_checks.errors import ConfigError


@dataclass(frozen=True)
class Person:
    """One entry of the address book."""

    name: str
    email: str
    role: str = "case_manager"
    team: str | None = None

    @property
    def is_manager(self) -> bool:
        """Whether this person receives the manager digest."""
        return self.role in MANAGER_ROLES


def norm(name: str | None) -> str:
    """A name as compared: trimmed and lower-cased."""
    return (name or "").strip().lower()


def _valid_email(text: str) -> bool:
    local, _, domain = text.partition("@")
    return bool(local) and bool(domain) and " " not in text and "\n" not in text


def read_csv(path: str | Path) -> list[Person]:
    """Read an address-book CSV; errors name the file, the line and the fix."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = {norm(h): h for h in reader.fieldnames or []}
            missing = [c for c in ("name", "email") if c not in header]
            if missing:
                raise ConfigError(
                    f"The address book {path} has no {missing[0]} column; its header must have "
                    "name and email (and may have role and team)."
                )
            people = []
            for line, row in enumerate(reader, start=2):
                values = {k: (row.get(h) or "").strip() for k, h in header.items()}
                if not values["name"] and not values["email"]:
                    continue
                role = norm(values.get("role")).replace(" ", "_") or "case_manager"
                if role not in ROLES:
                    raise ConfigError(
                        f"The address book {path}, line {line}: role {values.get('role')!r} is not "
                        f"allowed (allowed: {', '.join(ROLES)})."
                    )
                if not _valid_email(values["email"]):
                    raise ConfigError(
                        f"The address book {path}, line {line}: {values['email']!r} is not an "
                        "email address."
                    )
                people.append(
                    Person(values["name"], values["email"], role, values.get("team") or None)
                )
            return people
    except OSError as exc:
        raise ConfigError(f"Cannot read the address book {path} ({exc.strerror}).") from None


def from_staff_table(result: Any) -> list[Person]:
    """People from the export's ``staff`` table (needs an ``email`` column)."""
    columns = result.loaded.columns.get("staff")
    if not columns:
        raise ConfigError(
            "No address book: set email.address_book to a CSV (name, email, role, team), "
            "or add an email column to the export's staff table."
        )
    if "email" not in columns:
        raise ConfigError(
            "The export's staff table has no email column; add one, or set email.address_book "
            "to a CSV with name, email, role and team."
        )
    team = "CAST(team AS VARCHAR)" if "team" in columns else "NULL"
    rows = result.con.execute(
        f"SELECT name, email, role, {team} FROM src_staff WHERE email IS NOT NULL ORDER BY name"
    ).fetchall()
    return [Person(n.strip(), e.strip(), r, t) for n, e, r, t in rows if _valid_email(e.strip())]


def address_book(
    result: Any, email_settings: dict[str, Any], root: str | Path | None
) -> list[Person]:
    """The configured address book (CSV relative to the workspace, or the staff table)."""
    source = email_settings.get("address_book") or ""
    if source:
        path = Path(source)
        if not path.is_absolute() and root:
            path = Path(root) / path
        return read_csv(path)
    return from_staff_table(result)
