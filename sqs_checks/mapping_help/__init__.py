"""Help with mapping profiles: propose one from an export, and say what still does not fit.

* :func:`propose_profile` (``sqs-checks map``) matches an export's tables,
  headers, codes and date forms to the canonical model, from the names, the
  values and the youth justice vocabulary in ``vocabulary.yml``; it maps only
  what it is sure of and leaves the rest open, with candidates, in comments.
* :func:`validate_export` (``sqs-checks validate``) loads an export with a
  profile and reports what still does not fit, one grammatical line per kind
  of problem.
* :func:`header_hints` says when an unmatched header looks like a column the
  export lacks ("`completion_date` looks like `completed_date`").
"""

from sqs_checks.mapping_help.hints import header_hints, near_miss, table_hints
from sqs_checks.mapping_help.proposal import Proposal, TableProposal
from sqs_checks.mapping_help.propose import propose_profile
from sqs_checks.mapping_help.validate import Validation, validate_export

__all__ = [
    "Proposal",
    "TableProposal",
    "Validation",
    "header_hints",
    "near_miss",
    "propose_profile",
    "table_hints",
    "validate_export",
]
