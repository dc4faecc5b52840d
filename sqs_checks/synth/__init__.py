"""Synthetic case-management exports with planted, known defects.

:func:`generate_export` writes a realistic export in the canonical model of SPEC §2
(one file per table, CSV or Parquet) and a ``ground_truth.json`` listing every
finding that a correct implementation of the check catalog (SPEC §5, default
parameters, ``open-cases`` suite) raises on it, the input problems it contains,
the cases in scope and each check's status. An export can leave tables and
optional columns out (``drop``) or list no staff (``empty_staff``); the ground
truth then says which checks run in part or are skipped.

How the ground truth stays exact:

* every case is first built compliant with every check (on-time assessments of the
  three kinds, reviews less than three months apart and after every trigger event,
  plans with contingency, timely sign-off by a manager who is not the author,
  quality-assured court reports based on fresh assessments, and so on);
* defects are then *planted* in chosen cases (a third to two fifths of the cases in scope:
  open, with a court disposal), several of every reason code of every check,
  among them sign-offs and quality assurance recorded as "N/A";
* input problems are added (CSV only): rows a reader must quarantine, and bad
  values in optional columns of records that stay checked, whose value a reader
  drops; the CSV files also carry blank lines, rows of empty fields and trailing
  separators, which are no problems at all;
* the ground truth is finally derived from the generated records by an evaluator of
  the SPEC rules written apart from the generator (:mod:`sqs_checks.synth.truth`),
  so that the knock-on findings of a plant (for example the
  ``oversight.ineffective_sign_off`` finding of a copied assessment that was signed
  off) are listed too. Every plant is checked to have produced its finding.

Everything is deterministic for a given seed (one :class:`random.Random`) and a given
real today (``today``, default ``date.today()``): no date in a column that records
something that happened is ever later than it. An ``as_of`` later than today is
replaced by today (and the ground truth says so).

Layout (the package imports nothing from the rest of ``sqs_checks``):

======================  ===============================================================
``export``              :func:`generate_export`: build, evaluate, write
``generator``           the generator's state: settings, random stream, ids, plant hooks
``population``          the base population: staff, children, cases, dates and flags
``build``               each case's records, compliant except where a plant says
``factory``             single compliant records: authors, timely sign-off, narratives
``schedule``            review dates of a compliant case
``narratives``          assessment narratives and light edits (copies)
``planting``            which cases carry which plants
``plants/``             planted defects, one module per family (see below)
``bad_rows``            input problems: rows a reader must quarantine
``dropped_values``      input problems: bad values a reader drops, the row checked
``partial``             exports without some tables or columns: what a reader gets
``rows``                records as table rows, bad rows mixed in, their line numbers
``writers``             CSV (several date and boolean spellings) and Parquet files
``truth/``              the independent evaluator of the rules: the ground truth
``records``             the record types shared by all of the above
``schema``              canonical tables, columns and column types
``catalog``             the catalog's parameters and reason codes
``calendar``            working days and months on date ordinals
``similarity``          the narrative similarity of SPEC §5
``names``               names of teams and staff
======================  ===============================================================

A new planted defect is one new module in ``plants/`` with a ``PLANTS`` tuple of
:class:`~sqs_checks.synth.plants.Plant` (check, reason, slot, eligibility, hooks into
the build); it is found without being listed anywhere. The evaluator in ``truth/``
must then know the rule of the check it plants for.
"""

from __future__ import annotations

from sqs_checks.synth.catalog import REASONS
from sqs_checks.synth.export import generate_export
from sqs_checks.synth.schema import DATE_COLUMNS, FORWARD_LOOKING_DATE_COLUMNS, TABLES
from sqs_checks.synth.similarity import narrative_similarity

__all__ = [
    "DATE_COLUMNS",
    "FORWARD_LOOKING_DATE_COLUMNS",
    "REASONS",
    "TABLES",
    "generate_export",
    "narrative_similarity",
]
