"""sqs_contacts: a worked example of a plugin that extends the data model.

It adds a ``contacts`` table (appointments: date, attended, acceptable
absence, follow-up action) to the canonical contract, and the
``sentence.compliance`` check over it (inspection report paragraph 4.5: the
child complied with supervision; unacceptable absences were followed up).

Register it through the ``sqs_checks`` entry-point group::

    [project.entry-points.sqs_checks]
    sqs_contacts = "sqs_contacts"

or load it in a test with ``run_check(..., plugins=[sqs_contacts])``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.checks import Check
from sqs_checks.hookspecs import hookimpl
from sqs_contacts.compliance import CHECK

if TYPE_CHECKING:  # pragma: no cover
    from sqs_checks.contract import TableContract

__version__ = "0.1.0"


@hookimpl
def sqs_checks_tables() -> list[TableContract]:
    """The ``contacts`` table (its pandera model is imported only when the contract is built)."""
    from sqs_contacts.contract import CONTACTS

    return [CONTACTS]


@hookimpl
def sqs_checks_checks() -> list[Check]:
    """The ``sentence.compliance`` check."""
    return [CHECK]
