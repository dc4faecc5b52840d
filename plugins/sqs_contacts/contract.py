"""The ``contacts`` table: one row per appointment with the child.

| column | type | | notes |
|---|---|---|---|
| contact_id | str | R | unique |
| case_id | str | R | -> cases |
| contact_date | date | R | the appointment's date (it has taken place) |
| attended | bool | O | null = attendance not recorded |
| acceptable_absence | bool | O | the absence was agreed or had an acceptable reason |
| follow_up_action | enum | O | what was done about an absence (codes below) |
| follow_up_date | date | O | when it was done |

Follow-up codes: ``warning_letter``, ``home_visit``, ``phone_call``,
``compliance_panel``, ``breach_action``, ``other``.

Rows go through the same parsing and quarantine as the canonical tables: a
bad ``contact_date`` quarantines the row and raises ``data.record_excluded``
on its case; an unknown follow-up code (an optional column) is dropped, the
row is checked without it, and ``data.value_dropped`` is raised on its case.
"""

# ruff: noqa: UP045 - pandera reads Optional[...] as "optional column"
from __future__ import annotations

from typing import Optional

import pandera.polars as pa
import polars as pl

from sqs_checks.contract import TableContract

FOLLOW_UP_ACTIONS = [
    "warning_letter",
    "home_visit",
    "phone_call",
    "compliance_panel",
    "breach_action",
    "other",
]
"""Codes of ``contacts.follow_up_action``."""


class Contacts(pa.DataFrameModel):
    """Appointments with the child and what was done about missed ones."""

    contact_id: str = pa.Field(unique=True)
    case_id: str
    contact_date: pl.Date
    attended: Optional[pl.Boolean] = pa.Field(nullable=True)
    acceptable_absence: Optional[pl.Boolean] = pa.Field(nullable=True)
    follow_up_action: Optional[str] = pa.Field(nullable=True, isin=FOLLOW_UP_ACTIONS)
    follow_up_date: Optional[pl.Date] = pa.Field(nullable=True)

    class Config:
        """Extra columns are ignored; values are parsed before validation."""

        strict = False
        coerce = False


CONTACTS = TableContract(
    "contacts",
    Contacts,
    id_column="contact_id",
    references={"case_id": ("cases", "case_id")},
    case_link="case_id",
)
"""The contract entry for ``contacts``."""
