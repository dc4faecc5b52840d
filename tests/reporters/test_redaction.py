"""--redact: stable pseudonyms for child ids and staff names, in every output."""

from __future__ import annotations

import json
import re
import zipfile

import openpyxl
from report_helpers import (
    FORMULA_MANAGER,
    HOSTILE_MANAGER,
    HOSTILE_SIGNER,
    hostile_result,
    write_all,
)

from sqs_checks.redaction import Redactor


def test_pseudonyms_are_stable_and_normalised():
    """Same input, same numbering; names compared trimmed and case-insensitively."""
    a = Redactor(["K2", "K1"], ["Sam Lee", " sam lee", "Pat"])
    b = Redactor(["K1", "K2"], ["Pat", "Sam Lee"])
    assert a.children == b.children
    assert a.staff("SAM LEE ") == a.staff("Sam Lee") == b.staff("Sam Lee")
    assert a.staff("Pat") != a.staff("Sam Lee")
    assert set(a.children.values()) == {"Child 0001", "Child 0002"}
    assert set(a.staff_names.values()) == {"Staff 001", "Staff 002"}
    assert a.staff("Nobody") == "Staff (unlisted)"
    assert a.child("K9") == "Child (unlisted)"


def test_text_replaces_whole_names_only():
    """A name inside a longer word is left; the longest name wins."""
    r = Redactor(["K1"], ["Sam", "Sam Lee", "Samantha"])
    text = r.text("Signed by Sam Lee; authored by Sam; Samantha saw K1 and K12.")
    assert "Sam" not in text
    assert text.count("Staff") == 3
    assert "K12" in text and "K1 " not in text
    assert r.text("Samuel") == "Samuel"


def test_every_output_is_redacted_consistently(hostile_export, tmp_path):
    """No raw child id or staff name in any file; one pseudonym per person throughout."""
    result = hostile_result(hostile_export, redact=True)
    paths = write_all(result, tmp_path)
    raw = ["K-100", "K-200", "K-300", "K-400", "Sam Lee", "Bea ", "HYPERLINK", "SUM(1+1)"]
    texts = {fmt: p.read_text(encoding="utf-8") for fmt, p in paths.items() if fmt != "xlsx"}
    with zipfile.ZipFile(paths["xlsx"]) as z:
        texts["xlsx"] = "".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")
        )
    for fmt, text in texts.items():
        for value in raw:
            assert value not in text, (fmt, value)
    data = json.loads(texts["json"])
    by_case = {f["case_id"]: f for f in data["findings"]}
    pseudonym = by_case["C2"]["case_manager"]
    assert re.fullmatch(r"Staff \d{3}", pseudonym)
    assert by_case["C3"]["case_manager"] == pseudonym
    assert re.fullmatch(r"Child \d{4}", by_case["C2"]["child_id"])
    assert pseudonym in openpyxl.load_workbook(paths["xlsx"]).sheetnames
    assert f'data-cm="{pseudonym}"' in texts["html"]
    assert f"{pseudonym}" in texts["csv"] and f"C2 ({pseudonym})" in texts["junit"]
    assert data["run"]["redacted"] is True
    assert "Redacted:" in texts["html"]


def test_redacted_signer_names_inside_messages(hostile_export, tmp_path):
    """Messages quote signers; the quoted name is replaced by the signer's pseudonym."""
    plain = hostile_result(hostile_export)
    redacted = hostile_result(hostile_export, redact=True)
    write_all(redacted, tmp_path, ("json",))
    data = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    messages = [f["message"] for f in data["findings"] if f["check_id"] == "oversight.sign_off"]
    assert messages
    originals = [f["message"] for f in plain.findings() if f["check_id"] == "oversight.sign_off"]
    assert any(HOSTILE_SIGNER in m or "Sam Lee" in m for m in originals)
    assert not any(HOSTILE_SIGNER in m or "Sam Lee" in m for m in messages)
    assert any(re.search(r"Staff \d{3}", m) for m in messages)
    assert FORMULA_MANAGER not in json.dumps(data)
    assert HOSTILE_MANAGER not in json.dumps(data)
