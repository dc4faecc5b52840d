"""reoffending.copied_assessment - each assessment is updated, not copied from the previous one.

Seed 1.1 and 1.2: "In six cases, the assessment was largely a copy of a
previous assessment, without being properly updated"; reviews "were copies of
previous assessments without proper updates".

The *predecessor* of an assessment is the previous completed assessment of the
same kind for the same child, across all the child's cases (ordered by
``completed_date`` then ``assessment_id``) - so a new case's assessment is
compared with the one done on the child's earlier order.

Relevant when the case has a completed assessment of a kind in ``kinds`` that
has a predecessor. Fails ``copied`` (record = the later assessment) when both
narratives have at least ``min_words`` words and their similarity is at least
``threshold``.

Similarity is the Jaccard index of the two sets of word 3-grams (runs of three
consecutive words): shared 3-grams divided by all distinct 3-grams of either.
Before splitting, the narrative is lower-cased and every character that is not
a letter or a digit (of any alphabet) becomes a space; a *word* is what is left
between spaces. ``min_words`` counts these words, repeats included, so
"Risk: HIGH (see AssetPlus)." has four. A narrative of fewer than three words
has no 3-grams and is never judged a copy.

Each assessment is compared only with its predecessor (a window ``LAG`` over
the child's assessments of that kind), so the work grows with the number of
assessments, not with its square. Each word is hashed once and a 3-gram is the
hash of its words' hashes: 3-grams are compared as 64-bit hashes (a false match
would need a hash collision).
"""

from __future__ import annotations

from sqs_checks.checks import CheckContext, CheckOutput, Param, SqlCheck, bind_params

KINDS = ("reoffending", "rosh", "vulnerability")

KIND_LABELS = (
    "CASE {col} WHEN 'reoffending' THEN 'likelihood of reoffending' "
    "WHEN 'rosh' THEN 'risk of serious harm' ELSE 'vulnerability' END"
)

SEPARATORS = ".,;:!?'\"()-/\n\r\t"
"""The characters a narrative most often separates its words with besides spaces."""


def _blanked(text: str) -> str:
    """SQL of ``text`` with every one of :data:`SEPARATORS` replaced by a space."""
    for char in SEPARATORS:
        literal = f"chr({ord(char)})" if char in "\n\r\t'" else f"'{char}'"
        text = f"replace({text}, {literal}, ' ')"
    return text


BLANKED = _blanked("lower(coalesce(narrative, ''))")
"""The narrative lower-cased with its common separators made spaces (column ``blanked``)."""

WORDS = r"""CASE WHEN NOT regexp_matches(blanked, '[^\p{L}\p{N} ]')
     THEN list_filter(string_split(blanked, ' '), lambda x: x <> '')
     ELSE regexp_extract_all(lower(coalesce(narrative, '')), '[\p{L}\p{N}]+') END"""
"""The narrative's words: runs of letters and digits after lower-casing.

The same as replacing every other character by a space and splitting on spaces.
When the common separators are the only characters that are not letters,
digits or spaces (plain prose), that is what it does: a split, about twice as
fast as the regular expression that handles every other narrative.
"""

PAIRS = """
CREATE OR REPLACE TEMP TABLE _t_copy_pairs AS
SELECT * FROM (
    SELECT a.assessment_id, a.case_id, c.child_id, a.kind, a.completed_date,
           lag(a.assessment_id) OVER w AS prev_id,
           lag(a.case_id) OVER w AS prev_case_id,
           lag(a.completed_date) OVER w AS prev_completed
    FROM assessments a JOIN cases c ON c.case_id = a.case_id
    WHERE list_contains($kinds, a.kind)
    WINDOW w AS (PARTITION BY c.child_id, a.kind ORDER BY a.completed_date, a.assessment_id))
WHERE prev_id IS NOT NULL AND case_id IN (SELECT case_id FROM scope_cases)
"""
"""Each in-scope assessment with its predecessor (ids and dates only: cheap to sort)."""

GRAMS = f"""
CREATE OR REPLACE TEMP TABLE _t_copy_grams AS
SELECT assessment_id, len(w) AS n_words,
       CASE WHEN len(w) < $min_words OR len(w) < 3 THEN NULL
            -- distinct 3-grams: keep each first occurrence (quick on short lists)
            WHEN len(s) <= 200 THEN list_filter(s, lambda x, i: list_position(s, x) = i)
            ELSE list_distinct(s) END AS grams
FROM (
    SELECT assessment_id, w,
           CASE WHEN len(w) >= $min_words AND len(w) >= 3 THEN
               list_transform(range(1, len(w) - 1),
                              lambda i: hash(h[i], h[i + 1], h[i + 2])) END AS s
    FROM (SELECT assessment_id, w, list_transform(w, lambda x: hash(x)) AS h FROM (
          SELECT assessment_id, {WORDS} AS w FROM (
          SELECT assessment_id, narrative, {BLANKED} AS blanked FROM assessments
          WHERE assessment_id IN (SELECT assessment_id FROM _t_copy_batch
                                  UNION ALL SELECT prev_id FROM _t_copy_batch)
            -- n words need at least 2n - 1 characters, so at least as many bytes: skip the
            -- short ones unread (a byte count costs nothing; a few kept ones are short)
            AND strlen(narrative) >= 2 * greatest($min_words, 3) - 1))))
"""
"""Word count and the distinct 3-gram hashes of every assessment in a pair."""

BATCH = """
CREATE OR REPLACE TEMP TABLE _t_copy_batch AS
SELECT * FROM _t_copy_pairs WHERE hash(child_id) % $batches = $batch
"""
"""One batch of pairs: the 3-grams of a national export are built a batch at a time.

A child's pairs all fall in one batch, so each narrative's 3-grams are built once.
"""

COMPARED = """
SELECT *, shared / (n_grams + prev_n_grams - shared)::DOUBLE AS similarity
FROM (
    SELECT p.*, x.n_words, y.n_words AS prev_n_words,
           len(x.grams) AS n_grams, len(y.grams) AS prev_n_grams,
           CASE WHEN len(x.grams) * len(y.grams) <= 10000
                THEN len(list_filter(x.grams, lambda g: list_contains(y.grams, g)))
                ELSE len(list_intersect(x.grams, y.grams)) END AS shared
    FROM _t_copy_batch p
    JOIN _t_copy_grams x ON x.assessment_id = p.assessment_id
    JOIN _t_copy_grams y ON y.assessment_id = p.prev_id
    WHERE x.grams IS NOT NULL AND y.grams IS NOT NULL)
"""
"""The similarity of each pair of the batch whose narratives are both long enough."""

PAIRS_PER_BATCH = 1_500_000
"""Pairs compared at a time: bounds the memory the 3-gram lists take."""


class CopiedAssessmentCheck(SqlCheck):
    """Copy detection, run in batches of pairs so memory stays bounded at national scale."""

    def evaluate(self, ctx: CheckContext) -> CheckOutput:
        """Pair each assessment with its predecessor, then compare the pairs batch by batch."""
        con = ctx.con
        con.execute(PAIRS, bind_params(PAIRS, ctx.params, ctx.as_of))
        [(pairs,)] = con.execute("SELECT count(*) FROM _t_copy_pairs").fetchall()
        batches = max(1, -(-pairs // PAIRS_PER_BATCH))
        first = True
        for batch in range(batches):
            values = {**ctx.params, "batch": batch, "batches": batches}
            con.execute(BATCH, bind_params(BATCH, values, ctx.as_of))
            con.execute(GRAMS, bind_params(GRAMS, values, ctx.as_of))
            verb = "CREATE OR REPLACE TEMP TABLE _t_copy AS" if first else "INSERT INTO _t_copy"
            con.execute(f"{verb} {COMPARED}", bind_params(COMPARED, values, ctx.as_of))
            first = False
        return CheckOutput(relevant=self.relevant_sql, findings=self.findings_sql)


FINDINGS = f"""
SELECT case_id, 'copied' AS reason, 'assessments' AS record_table, assessment_id AS record_id,
       printf('The %s assessment completed on %s is largely a copy of the previous one (%s, '
              || 'completed on %s%s): %d%% of their three-word phrases are the same. '
              || 'Update it with what has changed.',
              {KIND_LABELS.format(col="kind")}, uk(completed_date), prev_id, uk(prev_completed),
              CASE WHEN prev_case_id <> case_id THEN ' on case ' || prev_case_id ELSE '' END,
              CAST(floor(similarity * 100 + 1e-9) AS INTEGER)) AS message,
       json_object('predecessor_id', prev_id, 'predecessor_case_id', prev_case_id,
                   'predecessor_completed', prev_completed, 'similarity', round(similarity, 4),
                   'threshold', $threshold, 'shared_3grams', shared,
                   'words', n_words, 'predecessor_words', prev_n_words) AS evidence
FROM _t_copy WHERE similarity >= $threshold
"""

CHECK = CopiedAssessmentCheck(
    id="reoffending.copied_assessment",
    title="Assessments updated rather than copied from the previous one",
    area="reoffending",
    seed="1.1, 1.2",
    severity="medium",
    params=(
        Param("threshold", 0.8, "float", "similarity (0 to 1) at or above which it is a copy"),
        Param("kinds", list(KINDS), "list[str]", "assessment kinds compared", KINDS),
        Param("min_words", 20, "int", "fewest words both narratives need to be compared"),
    ),
    needs={"assessments": ["kind", "completed_date", "narrative"]},
    doc=__doc__,
    reasons={
        "copied": (
            "the assessment's narrative and its predecessor's both have at least min_words "
            "words and their 3-gram similarity is at least threshold (record: the later one)"
        ),
    },
    relevance=(
        "the case has a completed assessment of a kind in kinds with a predecessor: an earlier "
        "completed assessment of the same kind for the same child, on any of the child's cases"
    ),
    relevant_sql="SELECT case_id FROM _t_copy_pairs",
    findings_sql=FINDINGS,
)
