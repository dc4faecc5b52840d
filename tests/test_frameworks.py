"""Frameworks: suites that declare their own headings, instances and per-check disposals.

The shipped ``hmip-youth`` suite maps the catalog to HM Inspectorate of
Probation's youth justice standards; ``sqs-2013`` uses the 2013 report's
areas as headings. A tiny export shows how a case counts under a heading:
restricted to the heading's disposals, reason by reason, and through a check
instance with its own deadline.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sqs_checks.checks import AREAS
from sqs_checks.errors import ConfigError
from sqs_checks.pipeline import catalog
from sqs_checks.plugins import get_plugin_manager
from sqs_checks.suites import load_suite
from sqs_checks.testing import make_export, run_export

COURT = ["referral_order", "community", "custody"]


@pytest.fixture(scope="module")
def checks():
    """The catalog as hmip-youth sees it: it switches on the optional sqs_contacts."""
    return catalog(get_plugin_manager((), ("sqs_contacts",)))


@pytest.fixture(scope="module")
def hmip(checks):
    suite = load_suite("hmip-youth")
    suite.validate(checks)
    return suite


def _headings_of(suite, checks) -> dict[str, list[str]]:
    return {c.id: suite.framework.heading_ids(c) for c in suite.select(checks)}


def test_hmip_youth_counts_every_catalog_check_or_says_why_not(hmip, checks):
    selected = hmip.select(checks)
    assert {c.id for c in checks} <= {c.id for c in selected}
    for check in selected:
        headings = hmip.framework.heading_ids(check)
        reason = hmip.framework.outside_reason(check)
        assert bool(headings) != bool(reason), check.id
        if check.area == "data":
            assert headings == [] and "never scored" in reason


def test_hmip_youth_every_heading_has_a_check(hmip, checks):
    counted = {h for c in hmip.select(checks) for h in hmip.framework.contributions(c)}
    for heading, _depth in hmip.framework.ordered():
        assert counted & set(hmip.framework.subtree(heading.id)), heading.id


def test_hmip_youth_headings_are_in_the_standards_order(hmip):
    ordered = [h.id for h, _ in hmip.framework.ordered()]
    assert [h for h in ordered if "." not in h] == ["1", "2", "3", "4"]
    standards = [h for h in ordered if h.count(".") == 1 and h[0].isdigit() and h[2].isdigit()]
    assert standards == ["1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "4.1"]
    by_id = hmip.framework.by_id
    assert by_id["2.1.rosh"].title == "Assessment: keeping other people safe"
    assert hmip.framework.disposals_of("2.4.safety") == tuple(COURT)
    assert hmip.framework.disposals_of("3.1.rosh") == ("out_of_court",)
    assert hmip.framework.disposals_of("4.1") == ("custody",)
    assert hmip.framework.disposals_of("1.2.oversight") is None


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        (
            "2.1.rosh",
            {
                "public.rosh_assessment",
                "public.rosh_offences_overlooked",
                "public.court_report_rosh",
            },
        ),
        ("2.2.rosh", {"public.risk_management_plan", "public.victims", "public.mappa"}),
        ("2.4.desistance", {"reoffending.assessment_review", "reoffending.plan_review"}),
        ("2.4.safety", {"child.vulnerability_review", "child.vmp_review"}),
        ("2.4.rosh", {"public.rosh_review", "public.rmp_review"}),
        ("2.1.engagement", {"sentence.involvement", "sentence.diversity"}),
        ("3.1.engagement", {"sentence.involvement", "sentence.diversity"}),
        ("4.1", {"public.release_plan", "reoffending.custody_plan"}),
        (
            "1.2.oversight",
            {"oversight.sign_off", "oversight.ineffective_sign_off", "reoffending.court_report"},
        ),
        ("3.1.desistance", {"ooc.reoffending.initial_assessment"}),
        ("3.1.rosh", {"ooc.public.rosh_assessment", "public.rosh_offences_overlooked"}),
    ],
)
def test_hmip_youth_questions_take_their_checks(hmip, checks, heading, expected):
    under = {cid for cid, ids in _headings_of(hmip, checks).items() if heading in ids}
    assert under == expected


def test_hmip_youth_out_of_court_work_has_its_own_timing(hmip, checks):
    selected = {c.id: c for c in hmip.select(checks)}
    for base in (
        "reoffending.initial_assessment",
        "public.rosh_assessment",
        "child.vulnerability_assessment",
    ):
        instance = selected[f"ooc.{base}"]
        assert instance.instance_of == base and tuple(instance.disposals) == ("out_of_court",)
        assert instance.resolve_params(hmip.parameters[instance.id])["due"] == 10
        assert tuple(selected[base].disposals) == tuple(COURT)
    # reviews are judged for court disposals only: domain three has no reviewing standard
    assert tuple(selected["public.rosh_review"].disposals) == tuple(COURT)
    # the sign-off checks read the instances' findings too, so run after them
    assert "ooc.public.rosh_assessment" in selected["oversight.ineffective_sign_off"].depends_on


def test_sqs_2013_headings_are_the_areas(checks):
    suite = load_suite("sqs-2013")
    suite.validate(checks)
    assert [h.id for h in suite.framework.headings] == [a for a in AREAS if a != "data"]
    assert [h.title for h in suite.framework.headings] == [
        t for a, t in AREAS.items() if a != "data"
    ]
    for check in suite.select(checks):
        expected = [] if check.area == "data" else [check.area]
        assert suite.framework.heading_ids(check) == expected
    local = checks[0].with_changes(id="local.my_rule", area="public")
    assert suite.framework.heading_ids(local) == ["public"]


def test_open_cases_has_no_framework_and_reports_areas(tmp_path):
    assert load_suite("open-cases").framework is None
    export = make_export(tmp_path / "e", {"cases": [{"case_id": "C1", "start_date": "2013-01-07"}]})
    result = run_export(export, as_of="2013-03-18", checks=["public.mappa", "data.record_excluded"])
    entries = {c["id"]: c["headings"] for c in result.header()["checks"]}
    assert entries == {"public.mappa": ["public"], "data.record_excluded": []}
    assert "headings" not in result.scorecard() and "framework" not in result.scorecard()


VALID = """\
name: mini
extend: open-cases
framework:
  name: Mini
  headings:
    - {id: A, title: Assessment}
    - {id: A.rosh, title: "Assessment: others' safety", parent: A}
  checks:
    public.rosh_assessment: [A.rosh]
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("    public.mappa: [B]\n", "framework.checks.public.mappa names heading 'B'"),
        ("    nope.check: [A]\n", "names check 'nope.check' under checks, which no plugin"),
        ("    public.mappa: {not_a_reason: [A]}\n", "names reason 'not_a_reason'"),
        ("    data.record_excluded: [A]\n", "data check 'data.record_excluded' is mapped"),
        (
            "  outside: {public.rosh_assessment: kept out}\n",
            "both counted under a heading and listed",
        ),
        ("    public.mappa: 3\n", "must be a list of heading ids or map reasons to them"),
    ],
)
def test_invalid_mappings_are_one_sentence_errors(tmp_path, checks, change, message):
    path = tmp_path / "bad.yml"
    path.write_text(VALID + change)
    with pytest.raises(ConfigError) as info:
        load_suite(str(path)).validate(checks)
    assert message in str(info.value) and str(path) in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("headings", "message"),
    [
        ("    - {id: A, title: X}\n", "declares heading 'A' twice"),
        ("    - {id: C, title: X, parent: Z}\n", "heading 'C' has parent 'Z'"),
        (
            "    - {id: C, title: X, parent: D}\n    - {id: D, title: Y, parent: C}\n",
            "parents go round in a circle (C -> D -> C)",
        ),
        ("    - {id: C, title: X}\n", "heading 'C' has no check under it"),
        ("    - {id: 2.1, title: X}\n", "must be text (quote it: '2.1')"),
        ("    - {id: C, title: X, disposals: [caution]}\n", "heading 'C' has disposal 'caution'"),
        ("    - {id: C, title: X, areas: [data]}\n", "takes the checks of area 'data'"),
        ("    - {id: C, title: X, colour: red}\n", "unknown key 'colour'"),
    ],
)
def test_invalid_headings_are_one_sentence_errors(tmp_path, checks, headings, message):
    text = VALID.replace("  checks:\n", headings + "  checks:\n")
    path = tmp_path / "bad.yml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_suite(str(path)).validate(checks)
    assert message in str(info.value) and str(path) in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("instances:\n  x.y: {check: nope}\n", "instance 'x.y' runs check 'nope', which no"),
        (
            "instances:\n  public.mappa: {check: public.mappa}\n",
            "instance 'public.mappa' has the id of a catalog check",
        ),
        ("instances:\n  x.y: {check: public.mappa, due: 3}\n", "unknown key instances.x.y.due"),
        (
            "instances:\n  x.y: {check: public.mappa, parameters: {due: 3}}\n",
            "x.y has no parameter 'due'",
        ),
        ("disposals:\n  public.nope: [custody]\n", "disposals of unknown check 'public.nope'"),
        ("disposals:\n  public.mappa: [caution]\n", "disposals.public.mappa has 'caution'"),
        ("disposals: [custody]\n", "disposals must map check ids to lists of disposal types"),
        ("framework: {headings: []}\n", "framework of the suite"),
        ("framework: {title: X}\n", "unknown key framework.title"),
    ],
)
def test_invalid_instances_and_disposals_are_one_sentence_errors(tmp_path, checks, text, message):
    path = tmp_path / "bad.yml"
    path.write_text("extend: open-cases\n" + text)
    with pytest.raises(ConfigError) as info:
        load_suite(str(path)).validate(checks)
    assert message in str(info.value)


def test_extend_merges_the_framework(tmp_path, checks):
    local = tmp_path / "local.yml"
    local.write_text(
        "extend: hmip-youth\n"
        "framework:\n"
        "  name: Our practice standards\n"
        "  headings:\n"
        "    - {id: '2.1', title: 2.1 Assessing the child, parent: '2'}\n"
        "    - {id: L, title: Local priorities}\n"
        "  checks:\n"
        "    public.victims: [L]\n"
    )
    suite = load_suite(str(local))
    suite.validate(checks)
    framework = suite.framework
    assert framework.name == "Our practice standards"
    assert framework.by_id["2.1"].title == "2.1 Assessing the child"
    assert [h.id for h, _ in framework.ordered()][-1] == "L"
    victims = next(c for c in checks if c.id == "public.victims")
    assert framework.heading_ids(victims) == ["L"]  # the local mapping replaces the shipped one
    assert set(suite.instances) == set(load_suite("hmip-youth").instances)
    reset = tmp_path / "areas.yml"
    reset.write_text("extend: hmip-youth\nframework: null\n")
    assert load_suite(str(reset)).framework is None


MINI = """\
name: mini
scope: {kind: open, disposals: [referral_order, community, custody, out_of_court]}
checks: [reoffending.initial_assessment, public.rosh_assessment, oversight.ineffective_sign_off]
instances:
  ooc.reoffending.initial_assessment:
    check: reoffending.initial_assessment
    disposals: [out_of_court]
    parameters: {due: 10}
  ooc.public.rosh_assessment:
    check: public.rosh_assessment
    disposals: [out_of_court]
    parameters: {due: 10}
disposals:
  reoffending.initial_assessment: [referral_order, community, custody]
  public.rosh_assessment: [referral_order, community, custody]
framework:
  name: Mini
  headings:
    - {id: court, title: Court work, disposals: [referral_order, community, custody]}
    - {id: court.assess, title: Court assessment, parent: court}
    - {id: court.level, title: Court risk level recorded, parent: court}
    - {id: ooc, title: Out-of-court work, disposals: [out_of_court]}
    - {id: ooc.assess, title: Out-of-court assessment, parent: ooc}
  checks:
    reoffending.initial_assessment: [court.assess]
    public.rosh_assessment:
      level_unclear: [court.level]
      "*": [court.assess]
    ooc.*: [ooc.assess]
"""


def _assessment(case: str, kind: str, completed: str, **extra: str) -> dict[str, str]:
    return {
        "case_id": case,
        "kind": kind,
        "stage": "initial",
        "completed_date": completed,
        "level": extra.pop("level", "low"),
        **extra,
    }


@pytest.fixture(scope="module")
def mini_run(tmp_path_factory) -> dict:
    """Three cases started 18/02/2013: C1 and C3 community, C2 out of court."""
    folder = tmp_path_factory.mktemp("mini")
    suite = folder / "mini.yml"
    suite.write_text(MINI)
    start = "2013-02-18"
    export = make_export(
        folder / "export",
        {
            "cases": [
                {"case_id": "C1", "disposal_type": "community", "start_date": start},
                {"case_id": "C2", "disposal_type": "out_of_court", "start_date": start},
                {"case_id": "C3", "disposal_type": "community", "start_date": start},
            ],
            "assessments": [
                # on time for a court disposal (due 11/03)
                _assessment("C1", "reoffending", "2013-03-05"),
                # no level recorded, never signed off
                _assessment("C1", "rosh", "2013-03-05", level=""),
                # late for an out-of-court disposal (due 04/03), on time for a court one
                _assessment("C2", "reoffending", "2013-03-08"),
                # no level, yet signed off by a manager
                _assessment(
                    "C2",
                    "rosh",
                    "2013-03-01",
                    level="",
                    signed_off_by="Morgan Manager",
                    signed_off_date="2013-03-04",
                ),
            ],
        },
    )
    result = run_export(export, as_of="2013-03-18", suite=str(suite))
    return {"result": result, "header": result.header()}


def test_instances_judge_out_of_court_cases_with_their_own_deadline(mini_run):
    reasons = {(f["check_id"], f["case_id"], f["reason"]) for f in mini_run["result"].findings()}
    assert ("ooc.reoffending.initial_assessment", "C2", "late") in reasons
    assert ("reoffending.initial_assessment", "C3", "missing") in reasons
    # the court check does not judge the out-of-court case, the instance no court case
    assert not {r for r in reasons if r[1] == "C2" and not r[0].startswith(("ooc.", "oversight"))}
    assert not {r for r in reasons if r[0].startswith("ooc.") and r[1] != "C2"}
    [late] = [
        f
        for f in mini_run["result"].findings()
        if f["check_id"] == "ooc.reoffending.initial_assessment"
    ]
    assert "04/03/2013" in late["message"]


def test_sign_off_of_deficient_work_reads_the_instances(mini_run):
    [finding] = [
        f
        for f in mini_run["result"].findings()
        if f["check_id"] == "oversight.ineffective_sign_off"
    ]
    assert finding["case_id"] == "C2" and finding["reason"] == "signed_off_deficient"
    assert finding["evidence"]["check"] == "ooc.public.rosh_assessment"


def test_headings_count_cases_by_disposal_and_reason(mini_run):
    card = {h["id"]: h for h in mini_run["header"]["scorecard"]["headings"]}
    figures = {k: (h["relevant"], h["flagged"]) for k, h in card.items()}
    assert figures == {
        "court": (2, 2),  # C1 (no rosh level) and C3 (nothing done)
        "court.assess": (2, 1),  # C3 only: C1's missing level counts under court.level
        "court.level": (2, 1),  # C1
        "ooc": (1, 1),
        "ooc.assess": (1, 1),
    }
    assert card["court.assess"]["text"] == "Court assessment: 1 of 2 relevant cases (50%)"
    rosh = next(c for c in card["court.assess"]["checks"] if c["id"] == "public.rosh_assessment")
    assert (rosh["relevant"], rosh["flagged"]) == (2, 1)
    assert rosh["except_reasons"] == ["level_unclear"] and rosh["reasons"] is None
    level = next(c for c in card["court.level"]["checks"] if c["id"] == "public.rosh_assessment")
    assert level["reasons"] == ["level_unclear"] and level["counts_for"] == "level_unclear"
    assert [h["depth"] for h in card.values()] == [0, 1, 1, 0, 1]


def test_findings_json_names_each_checks_headings(mini_run):
    entries = {c["id"]: c["headings"] for c in mini_run["header"]["checks"]}
    assert entries == {
        "reoffending.initial_assessment": ["court.assess"],
        "ooc.reoffending.initial_assessment": ["ooc.assess"],
        "public.rosh_assessment": ["court.assess", "court.level"],
        "ooc.public.rosh_assessment": ["ooc.assess"],
        "oversight.ineffective_sign_off": [],
    }
    framework = mini_run["header"]["scorecard"]["framework"]
    assert framework["name"] == "Mini"
    assert framework["outside"] == [
        {"id": "oversight.ineffective_sign_off", "reason": "not mapped by the suite"}
    ]


def test_a_filter_restricts_the_headings_too(tmp_path):
    suite = tmp_path / "mini.yml"
    suite.write_text(MINI)
    export = make_export(
        tmp_path / "e",
        {
            "cases": [
                {"case_id": c, "disposal_type": "community", "case_manager": m}
                | {"start_date": "2013-02-18"}
                for c, m in (("C1", "Ann"), ("C3", "Bob"))
            ],
            "assessments": [_assessment("C1", "reoffending", "2013-03-05")],
        },
    )
    result = run_export(export, as_of="2013-03-18", suite=str(suite))
    before = {h["id"]: h["relevant"] for h in result.scorecard()["headings"]}
    result.apply_filters(case_manager="ann")
    after = {h["id"]: h["relevant"] for h in result.scorecard()["headings"]}
    assert before["court"] == 2 and after["court"] == 1


def test_the_2013_areas_give_the_same_figures_as_headings(tmp_path):
    import datetime as dt

    from sqs_checks.synth import generate_export

    generate_export(tmp_path / "demo", as_of=dt.date(2013, 3, 18), cases=60, seed=3)
    result = run_export(tmp_path / "demo", as_of="2013-03-18", suite="sqs-2013")
    card = result.scorecard()
    areas = {a["area"]: (a["relevant"], a["flagged"]) for a in card["areas"]}
    headings = {h["id"]: (h["relevant"], h["flagged"]) for h in card["headings"]}
    assert headings == {k: v for k, v in areas.items() if k != "data"}
    assert sum(v[0] for v in headings.values()) > 0


def test_explain_names_a_checks_headings_in_a_suite():
    from click.testing import CliRunner

    from sqs_checks.cli import cli

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    out = run("explain", "public.mappa", "--suite", "hmip-youth")
    assert "2.2.rosh: Planning: keeping other people safe - counts for level_not_recorded" in out
    assert "2.3.rosh: Implementation and delivery: keeping other people safe" in out
    assert "Judges:    referral_order, community, custody cases only" in out
    out = run("explain", "ooc.public.rosh_assessment", "--suite", "hmip-youth")
    assert "Instance of: public.rosh_assessment" in out and "due = 10" in out
    assert "3.1.rosh: Assessment: keeping other people safe" in out
    assert "outside the framework" in run("explain", "data.record_excluded", "--suite", "sqs-2013")
    out = run("suites")
    assert "hmip-youth:" in out and "headings: HM Inspectorate of Probation" in out


def test_the_national_standards_example_is_a_valid_framework(checks):
    path = Path(__file__).parent.parent / "examples" / "yjb-national-standards.yml"
    suite = load_suite(str(path))
    suite.validate(checks)
    for check in suite.select(checks):
        assert suite.framework.heading_ids(check) or suite.framework.outside_reason(check)
    release = next(c for c in checks if c.id == "public.release_plan")
    assert suite.framework.heading_ids(release) == ["NS5"]


DOC = Path(__file__).parent.parent / "docs" / "frameworks.md"


def test_the_documented_mapping_is_the_suites(hmip, checks):
    rows = [ln for ln in DOC.read_text(encoding="utf-8").splitlines() if ln.startswith("| `")]
    documented = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        if len(cells) != 4:
            continue
        heading = cells[0].strip("`")
        documented[heading] = {
            part.split("`")[1] for part in cells[3].split(", ") if part.startswith("`")
        }
    expected = {h.id: set() for h, _ in hmip.framework.ordered()}
    for check in hmip.select(checks):
        for heading in hmip.framework.contributions(check):
            expected[heading].add(check.id)
    assert documented == expected


def test_the_documented_example_suite_is_valid(tmp_path, checks):
    text = DOC.read_text(encoding="utf-8")
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "ours.yml"
    path.write_text(block)
    suite = load_suite(str(path))
    suite.validate(checks)
    review = next(c for c in checks if c.id == "public.rosh_review")
    assert suite.framework.heading_ids(review) == ["PS1.risk", "PS2"]
