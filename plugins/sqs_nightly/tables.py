"""The ``staff.email`` column this plugin adds to the canonical contract."""

from __future__ import annotations

from typing import Optional

import pandera.polars as pa

from sqs_checks.contract import TableContract


class StaffEmail(pa.DataFrameModel):
    """Staff email addresses (optional column of ``staff``), used by the digests."""

    class Config:
        """Extra columns are allowed; values are parsed by sqs-checks, not coerced."""

        strict = False
        coerce = False

    email: Optional[str] = pa.Field(nullable=True)  # noqa: UP045 - pandera reads Optional


STAFF_EMAIL = TableContract("staff", StaffEmail, id_column=None, case_link=None)
"""Adds ``email`` to ``staff`` as an optional column."""
