"""The layout holds: the import contracts of ``pyproject.toml`` are kept.

The framework (``sqs_checks``, ``sqs_checks.synth`` and ``sqs_checks.testing``
included) imports none of the first-party plugins (``sqs_hmip``,
``sqs_nightly``, ``sqs_contacts``), directly or through another module; the
local SQL checks do not import the plugin manager that loads them. The
contracts are import-linter's (``[tool.importlinter]``); ``lint-imports``
checks the same from the command line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"

FIRST_PARTY_PLUGINS = {"sqs_hmip", "sqs_nightly", "sqs_contacts"}


def test_the_framework_contract_names_every_first_party_plugin():
    """A new first-party plugin in the wheel is also forbidden to the framework."""
    import tomllib

    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    shipped = {
        Path(p).name for p in config["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    }
    assert shipped - {"sqs_checks"} == FIRST_PARTY_PLUGINS
    contract = next(
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c["source_modules"] == ["sqs_checks"]
    )
    assert set(contract["forbidden_modules"]) == FIRST_PARTY_PLUGINS


def test_import_contracts_are_kept(capsys: pytest.CaptureFixture[str]):
    from importlinter.cli import lint_imports

    exit_code = lint_imports(config_filename=str(PYPROJECT), no_cache=True)
    report = capsys.readouterr().out
    assert exit_code == 0, report
    assert "0 broken" in report
