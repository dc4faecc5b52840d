"""docs/checks.md is generated from the catalog and must match it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _generator():
    path = DOCS / "generate_checks_md.py"
    spec = importlib.util.spec_from_file_location("generate_checks_md", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_checks_page_is_up_to_date():
    expected = _generator().render()
    current = (DOCS / "checks.md").read_text(encoding="utf-8")
    assert current == expected, (
        "docs/checks.md is out of date with the catalog; run: python docs/generate_checks_md.py"
    )


def test_checks_page_lists_every_check_with_its_rules():
    from sqs_hmip import all_checks

    text = (DOCS / "checks.md").read_text(encoding="utf-8")
    for check in all_checks():
        assert f"### {check.id}\n" in text
        assert check.title in text
        for code in check.reasons:
            assert f"`{code}`" in text
        for param in check.params:
            assert f"| `{param.name}` |" in text


def test_checks_page_says_what_a_mechanical_check_cannot_judge():
    text = (DOCS / "checks.md").read_text(encoding="utf-8")
    assert "A mechanical check cannot judge quality as an inspector does" in text
    assert '"26 of 46"' in text and "this tool counts what the records show" in text
