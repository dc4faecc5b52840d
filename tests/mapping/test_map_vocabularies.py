"""``sqs-checks map`` on exports in local vocabularies it has not seen: right or silent.

Each vocabulary under ``vocabularies/`` dresses the demo export the way one
service writes it (see ``vocabulary_exports.py``). For each:

* ``map`` (the command, writing a file) must propose the true column for at
  least 90% of the local headers and the true code for at least 90% of the
  local codes, and map nothing wrongly; the scores are printed
  (``pytest -s``) and kept in docs/mapping.md;
* the run with the true profile must give exactly the demo export's
  findings and input problems, so the true profile is really true.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from map_scoring import score, score_line
from vocabulary_exports import AS_OF, HERE, build_vocabulary_export, vocabulary_names

from sqs_checks.cli import cli
from sqs_checks.contract import build_contract
from sqs_checks.loading import choose_reader
from sqs_checks.mapping import load_profile
from sqs_checks.plugins import get_plugin_manager
from sqs_checks.synth import generate_export
from sqs_checks.testing import run_export

CASES = 160
SEED = 3
HELD_OUT = "tracker_heldout"
"""The vocabulary written after map's vocabulary was settled and scored as is (the acceptance)."""


def _key(item: dict) -> tuple:
    return (
        item["check_id"],
        item["case_id"],
        item["reason"],
        item["record_table"],
        str(item["record_id"]),
    )


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """The canonical demo export and every vocabulary's export of it."""
    root = tmp_path_factory.mktemp("vocabularies")
    canonical = root / "canonical"
    generate_export(canonical, as_of=AS_OF, cases=CASES, seed=SEED)
    contract = build_contract(get_plugin_manager(()))
    built = {
        name: build_vocabulary_export(name, canonical, root / name, contract)
        for name in vocabulary_names()
    }
    return canonical, built


@pytest.fixture(scope="module")
def canonical_result(exports):
    """Findings and input problems of the demo export as generated."""
    result = run_export(exports[0], as_of=AS_OF)
    findings = {_key(f) for f in result.findings()}
    problems = {(p["table"], p["row"], p["column"]) for p in result.input_problems()}
    return findings, problems


def test_there_are_at_least_four_vocabularies_in_different_styles():
    names = vocabulary_names()
    assert len(names) >= 4 and HELD_OUT in names
    formats = {(HERE / n / "dress.yml").read_text().split("format: ")[1].split()[0] for n in names}
    assert formats == {"csv", "xlsx"}


@pytest.mark.parametrize("name", vocabulary_names())
def test_map_is_right_or_silent(name, exports, tmp_path):
    export = exports[1][name]
    proposed_file = tmp_path / "proposed.yml"
    done = CliRunner().invoke(cli, ["map", str(export), "-o", str(proposed_file)])
    assert done.exit_code == 0, done.output
    pm = get_plugin_manager(())
    contract = build_contract(pm)
    tables = [t.name for t in contract]
    raw = choose_reader(str(export), pm.collect("sqs_checks_readers")).read(str(export))
    tallies = score(
        raw,
        load_profile(proposed_file, tables),
        load_profile(HERE / name / "truth.yml", tables),
        contract,
    )
    print("\n| vocabulary | tables r/w/o | columns r/w/o | codes r/w/o |")
    print(score_line(name, tallies))
    for kind, tally in tallies.items():
        assert tally.wrong == 0, f"{name}: wrong {kind}: {tally.wrong_items}"
    assert tallies["tables"].open == 0, tallies["tables"].open_items
    assert tallies["columns"].share >= 0.9, tallies["columns"].open_items
    assert tallies["codes"].share >= 0.9, tallies["codes"].open_items


@pytest.mark.parametrize("name", vocabulary_names())
def test_the_true_profile_gives_the_canonical_findings(name, exports, canonical_result):
    result = run_export(exports[1][name], as_of=AS_OF, mapping=str(HERE / name / "truth.yml"))
    findings = {_key(f) for f in result.findings()}
    problems = {(p["table"], p["row"], p["column"]) for p in result.input_problems()}
    expected_findings, expected_problems = canonical_result
    assert expected_findings, "the demo export has findings to compare"
    assert findings == expected_findings, (
        sorted(findings - expected_findings)[:5],
        sorted(expected_findings - findings)[:5],
    )
    assert problems == expected_problems
