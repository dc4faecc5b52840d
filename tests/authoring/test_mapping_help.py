"""sqs-checks map proposes a profile; validate says what still does not fit."""

from __future__ import annotations

import yaml
from click.testing import CliRunner

from sqs_checks.cli import cli


def _local_export(folder):
    folder.mkdir()
    (folder / "Case List.csv").write_text(
        "Case Ref,Young Person ID,Worker,Order Type,Order Start,Notes\n"
        "C1,Y1,Sam Jones,YRO,07/01/2013,x\n"
        "C2,Y2,Sam Jones,Referral Order,08/01/2013,y\n"
        "C3,Y3,Kim Lee,DTO,09/01/2013,z\n"
        "C4,Y4,Kim Lee,Banana,10/01/2013,z\n"
    )
    (folder / "assessments.csv").write_text(
        "assessment_id,case_id,kind,stage,completed_date,author,Risk Level\n"
        "A1,C1,reoffending,initial,2013-01-20,Sam Jones,H\n"
    )
    return folder


def test_map_proposes_then_validate_reports(tmp_path):
    export = _local_export(tmp_path / "export")
    profile = tmp_path / "profile.yml"
    runner = CliRunner()
    mapped = runner.invoke(cli, ["map", str(export), "-o", str(profile)])
    assert mapped.exit_code == 0, mapped.output
    data = yaml.safe_load(profile.read_text())
    cases = data["tables"]["cases"]
    assert cases["source"] == "Case List"
    assert cases["columns"] == {
        "Case Ref": "case_id",
        "Young Person ID": "child_id",
        "Worker": "case_manager",
        "Order Type": "disposal_type",
        "Order Start": "start_date",
    }
    assert cases["values"]["disposal_type"] == {"YRO": "community", "DTO": "custody"}
    assert data["tables"]["assessments"]["columns"] == {"Risk Level": "level"}
    assert data["tables"]["assessments"]["values"]["level"] == {"H": "high"}
    text = profile.read_text()
    assert "# not matched (ignored): header 'Notes'" in text
    assert "# not matched: disposal_type value 'Banana'" in text

    checked = runner.invoke(cli, ["validate", str(export), "--mapping", str(profile)])
    assert checked.exit_code == 1
    assert (
        "cases.disposal_type: 1 row has a disposal_type that is not a known code" in checked.output
        and "'Banana'" in checked.output
    )
    assert "header 'Notes' matches no column" in checked.output

    (export / "Case List.csv").write_text(
        (export / "Case List.csv").read_text().replace("Banana", "YRO")
    )
    fits = runner.invoke(cli, ["validate", str(export), "--mapping", str(profile)])
    assert fits.exit_code == 0, fits.output
    assert "Everything fits." in fits.output


def test_validate_without_a_profile_names_the_missing_table(tmp_path):
    export = _local_export(tmp_path / "export")
    result = CliRunner().invoke(cli, ["validate", str(export)])
    assert result.exit_code == 1
    assert result.output.startswith("Does not load: ") and "has no cases table" in result.output
