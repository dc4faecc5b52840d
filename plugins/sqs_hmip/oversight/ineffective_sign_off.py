"""oversight.ineffective_sign_off - managers do not sign off work that is not good enough.

Operational management: "We found other examples where, rather than
providing advice on how to improve, practice managers had signed off
insufficient assessments and plans."

The documents needing sign-off are those of ``oversight.sign_off`` (every
completed initial assessment, every completed assessment with level high or
very high, every risk management, vulnerability management and release plan),
with that check's parameters as the suite sets them. A document is signed off
when ``signed_off_by`` is filled (a sign-off dated after the as-of date has
not happened yet).

Relevant when the case has a signed-off document needing sign-off. Fails
``signed_off_deficient`` (record = the document) when that document is the
record of a finding of:

* ``reoffending.copied_assessment`` (the assessment is largely a copy);
* ``public.rosh_assessment`` or ``child.vulnerability_assessment`` with reason
  ``level_unclear`` (the assessment records no level);
* ``public.risk_management_plan`` or ``child.vulnerability_management_plan``
  with reason ``no_contingency`` (the record is the plan).

The evidence names the other check. This check reads those checks' findings,
so they run first. It uses the sources that were judged (their check ran,
fully or partly, and judged the reason named above); when some were not, it
is ``partial`` and names them, and when none were it is skipped (SPEC §5, v2).
The findings of an instance a suite declares of one of them (the same check run
again under its own id, for example for out-of-court cases) count the same.
"""

from __future__ import annotations

from sqs_checks.checks import CheckContext, CheckOutput, SkipCheck, SqlCheck, bind_params
from sqs_hmip.families.messages import quote
from sqs_hmip.oversight import sign_off

DEFICIENCIES: tuple[tuple[str, str | None, str], ...] = (
    ("reoffending.copied_assessment", None, "it is largely a copy of the previous assessment"),
    ("public.rosh_assessment", "level_unclear", "it records no risk of serious harm level"),
    ("child.vulnerability_assessment", "level_unclear", "it records no vulnerability level"),
    ("public.risk_management_plan", "no_contingency", "it records no contingency arrangements"),
    (
        "child.vulnerability_management_plan",
        "no_contingency",
        "it records no contingency arrangements",
    ),
)
"""(check id, reason or None for any reason, what is wrong in plain English)."""


def _deficiencies_sql(
    sources: list[tuple[int, str, str | None, str]], instances: dict[str, str] | None = None
) -> str:
    """The findings of the usable deficiency checks, with the plain-English description of each.

    ``instances`` maps the ids of instances a suite declares to the catalog
    check each runs again; their findings count like those of that check.
    """
    rows = []
    for rank, check_id, reason, what in sources:
        reason_test = f"reason = {quote(reason)}" if reason else "TRUE"
        ids = [check_id, *sorted(i for i, base in (instances or {}).items() if base == check_id)]
        rows.append(
            f"SELECT {rank} AS rank_, check_id, reason, record_table, record_id, "
            f"{quote(what)} AS what FROM findings "
            f"WHERE check_id IN ({', '.join(quote(i) for i in ids)}) AND {reason_test}"
        )
    return " UNION ALL ".join(rows)


def result_sql(
    sources: list[tuple[int, str, str | None, str]], instances: dict[str, str] | None = None
) -> str:
    """The signed-off documents joined to the findings of the usable deficiency checks."""
    return f"""
CREATE OR REPLACE TEMP TABLE _t_ineffective AS
SELECT d.case_id, d.record_table, d.record_id, d.label, d.completed, d.signed_off_by,
       d.signed_off_date,
       list(f.check_id ORDER BY f.rank_, f.check_id) AS checks,
       list(f.reason ORDER BY f.rank_, f.check_id) AS reasons,
       list(f.what ORDER BY f.rank_, f.check_id) AS whats
FROM _t_signed d
JOIN ({_deficiencies_sql(sources, instances)}) f
  ON f.record_table = d.record_table AND f.record_id = d.record_id
GROUP BY ALL
"""


def usable_sources(
    ctx: CheckContext,
) -> tuple[list[tuple[int, str, str | None, str]], list[str]]:
    """The deficiency sources that were judged, and a sentence for each that was not."""
    usable: list[tuple[int, str, str | None, str]] = []
    not_judged: list[str] = []
    for rank, (check_id, reason, what) in enumerate(DEFICIENCIES):
        state = ctx.dependencies.get(check_id)
        finding = f"{check_id} ({reason})" if reason else check_id
        if state is None:
            not_judged.append(f"sign-offs of {finding} not judged: {check_id} is not in the suite")
        elif not state.usable:
            not_judged.append(f"sign-offs of {finding} not judged: {check_id} was {state.status}")
        elif reason is not None and reason not in state.judged:
            not_judged.append(
                f"sign-offs of {finding} not judged: {check_id} could not judge {reason}"
            )
        else:
            usable.append((rank, check_id, reason, what))
    return usable, not_judged


FINDINGS = """
SELECT case_id, 'signed_off_deficient' AS reason, record_table, record_id,
       printf('%s completed on %s was signed off by %s%s although %s (see %s); a manager '
              || 'should send it back for improvement rather than sign it off.',
              label, uk(completed), signed_off_by,
              CASE WHEN signed_off_date IS NULL THEN '' ELSE ' on ' || uk(signed_off_date) END,
              array_to_string(list_distinct(whats), ' and '), array_to_string(checks, ', '))
         AS message,
       json_object('check', checks[1], 'checks', checks, 'reasons', reasons,
                   'signed_off_by', signed_off_by, 'signed_off_date', signed_off_date)
         AS evidence
FROM _t_ineffective
"""


class IneffectiveSignOffCheck(SqlCheck):
    """Signed-off documents that other checks found deficient."""

    def evaluate(self, ctx: CheckContext) -> CheckOutput:
        """Collect the signed-off documents, join them to the usable deficiency findings."""
        sources, not_judged = usable_sources(ctx)
        if not sources:
            raise SkipCheck("; ".join(not_judged))
        overrides = ctx.suite.get("parameters", {}).get(sign_off.CHECK.id)
        params = sign_off.CHECK.resolve_params(overrides)
        # the documents of a table without sign-off columns are named by oversight.sign_off;
        # this check is partial only for the deficiency checks it could not read (SPEC §5)
        documents, _ = sign_off.documents_sql(ctx)
        # the deadline is sign_off's alone: left out, its working days are never counted
        signed = (
            "CREATE OR REPLACE TEMP TABLE _t_signed AS SELECT * EXCLUDE (deadline) "
            f"FROM ({documents}) WHERE signed_off_by IS NOT NULL"
        )
        ctx.con.execute(signed, bind_params(signed, params, ctx.as_of))
        ctx.con.execute(result_sql(sources, ctx.suite.get("instances")))
        return CheckOutput(
            relevant="SELECT case_id FROM _t_signed",
            findings=FINDINGS,
            not_judged=not_judged,
        )


CHECK = IneffectiveSignOffCheck(
    id="oversight.ineffective_sign_off",
    title="Managers sign off only work that is good enough",
    area="oversight",
    seed="mgmt",
    severity="high",
    needs={},
    depends_on=tuple(check_id for check_id, _reason, _what in DEFICIENCIES),
    doc=__doc__,
    reasons={
        "signed_off_deficient": (
            "a signed-off document is the record of a finding of copied_assessment, of "
            "rosh_assessment or vulnerability_assessment (level_unclear), or of "
            "risk_management_plan or vulnerability_management_plan (no_contingency)"
        ),
    },
    relevance="the case has a signed-off document needing sign-off (as oversight.sign_off)",
)
