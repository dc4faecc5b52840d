"""Local-vocabulary exports for scoring ``sqs-checks map``, built from the demo export.

Each vocabulary folder under ``vocabularies/`` holds:

* ``truth.yml``: the true mapping profile (a real profile: the run with it
  must give exactly the demo export's findings);
* ``dress.yml``: how the service writes its export: CSV files or one XLSX
  workbook, how dates and codes are written, extra columns and tables the
  profile ignores, and the local form of the demo's planted bad values.

:func:`build_vocabulary_export` applies the true profile backwards to the
demo export: canonical file, header and code names become local ones, dates
take the profile's format. Rows keep their order and line, so row numbers
(and so input problems and ``data.*`` findings) are unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from sqs_checks.contract import Contract
from sqs_checks.parsing import FALSE_WORDS, TRUE_WORDS

HERE = Path(__file__).resolve().parent / "vocabularies"
AS_OF = dt.date(2013, 3, 18)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def vocabulary_names() -> list[str]:
    """The vocabularies, in folder order."""
    return sorted(p.name for p in HERE.iterdir() if (p / "truth.yml").is_file())


def load_truth(name: str) -> dict[str, Any]:
    """The true profile of vocabulary ``name``, as written (local spellings kept)."""
    return yaml.safe_load((HERE / name / "truth.yml").read_text(encoding="utf-8"))


def load_dress(name: str) -> dict[str, Any]:
    """How vocabulary ``name`` writes its export."""
    return yaml.safe_load((HERE / name / "dress.yml").read_text(encoding="utf-8")) or {}


def _split_date(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of an ISO or UK date, valid or not ("31/02/2013" too)."""
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        return int(iso[1]), int(iso[2]), int(iso[3])
    uk = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if uk:
        return int(uk[3]), int(uk[2]), int(uk[1])
    return None


def render_date(text: str, fmt: str | None, style: str) -> Any:
    """A canonical date written the vocabulary's way (impossible dates keep their digits)."""
    parts = _split_date(text.strip())
    if parts is None:
        return text
    y, m, d = parts
    if fmt is None:
        if style == "native":
            try:
                return dt.date(y, m, d)
            except ValueError:
                return f"{d:02d}/{m:02d}/{y}"
        if style == "uk":
            return f"{d}/{m}/{y}"
        return text
    out = fmt.replace("%d", f"{d:02d}").replace("%m", f"{m:02d}")
    out = out.replace("%Y", str(y)).replace("%y", f"{y % 100:02d}")
    if "%b" in out:
        if not 1 <= m <= 12:
            return text
        out = out.replace("%b", MONTHS[m - 1])
    return out


def _styled(code: str, style: str) -> str:
    words = code.replace("_", " ")
    return {"title": words.title(), "upper": words.upper(), "lower": code}.get(style, code)


def _inverse(values: dict[str, Any]) -> dict[str, list[str]]:
    """canonical code -> the local codes the profile maps to it (in the file's order)."""
    out: dict[str, list[str]] = {}
    for local, code in (values or {}).items():
        out.setdefault(str(code).lower(), []).append(str(local))
    return out


def _column_writer(kind: str, codes: dict[str, list[str]], bad: dict[str, str], dress: dict):
    """A function (raw value, row index) -> the value as the vocabulary writes it."""

    def write(value: str, index: int) -> Any:
        text = value.strip()
        if not text:
            return value
        if text in bad:
            return bad[text]
        key = text.lower()
        if kind == "bool":
            key = "yes" if key in TRUE_WORDS else ("no" if key in FALSE_WORDS else key)
        locals_ = codes.get(key)
        if locals_:
            return locals_[index % len(locals_)]
        if kind == "enum":
            return _styled(text, dress.get("codes", "keep"))
        return value

    return write


def build_vocabulary_export(name: str, canonical: Path, out: Path, contract: Contract) -> Path:
    """Write vocabulary ``name``'s copy of the canonical export in ``canonical``; return it."""
    truth, dress = load_truth(name), load_dress(name)
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {}
    for spec in contract:
        path = canonical / f"{spec.name}.csv"
        if not path.exists():
            continue
        local = (truth.get("tables") or {}).get(spec.name) or {}
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
        rename = {str(v): str(k) for k, v in (local.get("columns") or {}).items()}
        formats = local.get("date_format") or {}
        if isinstance(formats, str):
            formats = {"*": formats}
        columns = contract.columns(spec.name)
        writers = []
        for col in header:
            if col not in columns:  # an unnamed column (a trailing comma): copied as it is
                writers.append(lambda v, i: v)
                continue
            column = columns[col]
            bad = {
                str(k): v
                for k, v in (dress.get("bad_values") or {}).get(f"{spec.name}.{col}", {}).items()
            }
            if column.kind == "date":
                fmt = formats.get(col) or formats.get("*") or truth.get("date_format")
                style = dress.get("dates", "keep")
                writers.append(lambda v, i, f=fmt, s=style, b=bad: b.get(v, render_date(v, f, s)))
            else:
                codes = _inverse((local.get("values") or {}).get(col))
                writers.append(_column_writer(column.kind, codes, bad, dress))
        new_header = [rename.get(c, c) for c in header]
        new_body = [
            [w(v, i) for w, v in zip(writers, row, strict=True)]
            if any(v.strip() for v in row)
            else list(row)  # a blank or all-empty line stays one, where it was
            for i, row in enumerate(body)
        ]
        for extra in (dress.get("extra_columns") or {}).get(spec.name, []):
            at = extra.get("at", len(new_header))
            new_header.insert(at, extra["header"])
            for i, row in enumerate(new_body):
                blank = not any(v.strip() for v in row)  # not a row: it stays empty
                row.insert(
                    at, "" if blank else _extra_value(extra["values"], i, local, truth, dress)
                )
        tables[local.get("source") or spec.name] = (new_header, new_body)
    for table_name, spec in (dress.get("extra_tables") or {}).items():
        tables[table_name] = (spec["header"], [list(r) for r in spec["rows"]])
    return _write(tables, out, dress)


def _extra_value(values: Any, index: int, local: dict, truth: dict, dress: dict) -> Any:
    """A value of an extra column: cycled from a list, or a made-up date ("@date")."""
    if values == "@date":
        day = dt.date(2012, 1, 1) + dt.timedelta(days=(index * 37) % 420)
        fmt = local.get("date_format") if isinstance(local.get("date_format"), str) else None
        return render_date(
            day.isoformat(), fmt or truth.get("date_format"), dress.get("dates", "keep")
        )
    return values[index % len(values)]


def _write(tables: dict[str, tuple[list[str], list[list[Any]]]], out: Path, dress: dict) -> Path:
    if dress.get("format", "csv") == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        book.remove(book.active)
        for name, (header, body) in tables.items():
            sheet = book.create_sheet(name)
            sheet.append(header)
            for row in body:
                sheet.append([None if v == "" else v for v in row])
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{dress.get('file', 'export')}.xlsx"
        book.save(path)
        return path
    out.mkdir(parents=True, exist_ok=True)
    for name, (header, body) in tables.items():
        with (out / f"{name}.csv").open(
            "w", encoding=dress.get("encoding", "utf-8"), newline=""
        ) as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(body)
    return out
