"""First plan by a deadline: intervention, custody and release plans, and victims' safety.

One implementation for every check of the form "the case needs a record of
this kind by a deadline" (SPEC §5, *Several records of one kind*):

* the case passes a filter (non-custody, custody with a release date, an
  identified victim ...);
* its deadline is computed from one of its dates (``wd_add(start_date, due)``
  or ``wd_sub(release_date, lead)``);
* the records that answer it are plans of some kinds and, for victims,
  referrals of some kinds.

Relevant when the case passes the filter and (the deadline is before as_of or
the case has one of those records). Fails ``missing`` (or the check's own code,
such as ``victim_not_addressed``) when none exists - record = the case - and
``late`` when the first one (by date, then id) is dated after the deadline -
record = that plan or referral.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqs_checks.checks import Param, SqlCheck
from sqs_hmip.families.messages import case_sql, message_sql, quote, sql_list
from sqs_hmip.sql import IN_SCOPE


@dataclass(frozen=True)
class Source:
    """Records that answer a first-plan check: plans or referrals of some kinds."""

    table: str
    """``plans`` or ``referrals``."""
    kinds: tuple[str, ...]
    """The kinds that count."""
    labels: Mapping[str, str]
    """How a message names a record of each kind ("victim safety plan")."""
    verb: str = "created"
    """What happened on the record's date ("created", "made")."""


TABLES = {
    "plans": ("plan_id", "created_date"),
    "referrals": ("referral_id", "referral_date"),
}
"""Id and date column of each table a :class:`Source` may name."""


def _records_sql(sources: Sequence[Source]) -> str:
    """SQL for every record of the sources: case, table, id, date, label and verb."""
    parts = []
    for source in sources:
        id_col, date_col = TABLES[source.table]
        parts.append(
            f"SELECT case_id, {quote(source.table)} AS record_table, {id_col} AS record_id, "
            f"{date_col} AS done, {case_sql('kind', dict(source.labels), source.table)} AS label, "
            f"{quote(source.verb)} AS verb FROM {source.table} "
            f"WHERE kind IN {sql_list(source.kinds)}"
        )
    return " UNION ALL ".join(parts)


def due_label(sources: Sequence[Source]) -> str:
    """What falls due, in words: "Intervention plan", "Victim safety plan or victim liaison ..."."""
    labels = [source.labels.get(kind, kind) for source in sources for kind in source.kinds]
    text = " or ".join(dict.fromkeys(labels))
    return text[0].upper() + text[1:]


def first_plan_check(
    *,
    id: str,
    title: str,
    area: str,
    seed: str,
    doc: str,
    case_filter: str,
    deadline: str,
    anchor: str,
    sources: Sequence[Source],
    params: Sequence[Param],
    needs: Mapping[str, Sequence[str]],
    missing_reason: str,
    missing_message: str,
    late_message: str,
    relevance: str,
    reasons: Mapping[str, str],
    severity: str = "high",
) -> SqlCheck:
    """A check that in-scope cases matching ``case_filter`` have a record by ``deadline``.

    ``case_filter`` and ``deadline`` are SQL over the case (alias ``c``);
    ``anchor`` is the case's date column the deadline counts from. Message
    templates may use ``{anchor}`` and ``{deadline}``, and ``late_message``
    also ``{label}`` (the record, capitalised), ``{verb}`` and ``{done}``.
    """
    setup = f"""
    CREATE OR REPLACE TEMP TABLE _t_fp AS
    WITH c AS (SELECT c.case_id, c.{anchor} AS anchor, {deadline} AS deadline
               FROM ({IN_SCOPE}) c WHERE {case_filter}),
         d AS ({_records_sql(sources)}),
         f AS (SELECT *, row_number() OVER (
                   PARTITION BY case_id ORDER BY done, record_table, record_id) AS seq
               FROM d)
    SELECT c.*, f.record_table, f.record_id, f.done, f.label, f.verb
    FROM c LEFT JOIN f ON f.case_id = c.case_id AND f.seq = 1
    """
    dates = {"anchor": "uk(anchor)", "deadline": "uk(deadline)"}
    late = message_sql(
        late_message,
        label="upper(label[1]) || label[2:]",
        verb="verb",
        done="uk(done)",
        **dates,
    )
    findings = f"""
    SELECT case_id, {quote(missing_reason)} AS reason, 'cases' AS record_table,
           case_id AS record_id, {message_sql(missing_message, **dates)} AS message,
           json_object('{anchor}', anchor, 'deadline', deadline) AS evidence
    FROM _t_fp WHERE record_id IS NULL AND deadline < $as_of
    UNION ALL
    SELECT case_id, 'late', record_table, record_id, {late},
           json_object('{anchor}', anchor, 'deadline', deadline, 'dated', done)
    FROM _t_fp WHERE record_id IS NOT NULL AND done > deadline
    """
    return SqlCheck(
        id=id,
        title=title,
        area=area,
        seed=seed,
        severity=severity,
        params=tuple(params),
        needs={k: list(v) for k, v in needs.items()},
        doc=doc,
        reasons=dict(reasons),
        relevance=relevance,
        setup_sql=[setup],
        upcoming={missing_reason: due_label(sources)},
        relevant_sql="SELECT case_id FROM _t_fp WHERE deadline < $as_of OR record_id IS NOT NULL",
        findings_sql=findings,
    )
