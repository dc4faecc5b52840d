"""Score a proposed mapping profile against the true one: right, wrong and open.

* **tables**: each local table (file or sheet) is right when the proposal
  puts it where the truth does (or leaves it unused when the truth does).
* **columns**: each local header the truth maps to a canonical column (a
  header that already is the canonical name is not counted) is *right* when
  the proposal maps it there, *open* when the proposal leaves it, and
  *wrong* when the proposal maps it anywhere else. A header the truth
  ignores (an extra column) is wrong when the proposal maps it.
* **codes**: each distinct local value of a code, yes/no or number column
  that the parser would not read by itself, scored the same way; a value
  the truth leaves unmapped (a bad value the run must report) is wrong when
  the proposal maps it.

Run ``python tests/mapping/map_scoring.py`` to print the table kept in docs/mapping.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqs_checks.contract import Contract
from sqs_checks.mapping import MappingProfile, norm
from sqs_checks.mapping_help.codes import is_canonical
from sqs_checks.parsing import FALSE_WORDS, NULL_TOKENS, TRUE_WORDS
from sqs_checks.readers.base import RawExport


@dataclass
class Tally:
    """Right, wrong and open counts of one kind of decision, with the misses named.

    ``ignored`` counts items the truth leaves unmapped and the proposal too;
    ``wrong_extra`` the wrong ones among them (an ignored item mapped).
    """

    right: int = 0
    wrong: int = 0
    open: int = 0
    ignored: int = 0
    wrong_extra: int = 0
    wrong_items: list[str] = field(default_factory=list)
    open_items: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Items the truth maps (the denominator of :attr:`share`)."""
        return self.right + self.open + self.wrong - self.wrong_extra

    @property
    def share(self) -> float:
        """Share of the truth's mappings the proposal got right."""
        return self.right / self.total if self.total else 1.0

    def add(self, truth: object, proposed: object, label: str) -> None:
        """Count one decision."""
        if truth is None and proposed is None:
            self.ignored += 1
        elif proposed is None:
            self.open += 1
            self.open_items.append(f"{label} (truth {truth})")
        elif proposed == truth:
            self.right += 1
        else:
            self.wrong += 1
            self.wrong_extra += truth is None
            self.wrong_items.append(f"{label}: proposed {proposed}, truth {truth}")

    def cell(self) -> str:
        """``right/wrong/open (share)``."""
        return f"{self.right}/{self.wrong}/{self.open} ({self.share:.0%})"


def _owner(raw: RawExport, profile: MappingProfile, contract: Contract) -> dict[str, str]:
    """local table name -> the canonical table the profile reads from it."""
    out: dict[str, str] = {}
    for spec in contract:
        found = raw.find(profile.table(spec.name).source or spec.name)
        if found is not None:
            out[found.name] = spec.name
    return out


def _column(profile: MappingProfile, table: str | None, header: str, contract: Contract):
    if table is None:
        return None
    key = norm(header)
    mapped = profile.table(table).columns.get(key)
    if mapped:
        return mapped
    return key if key in contract.columns(table) else None


def _code(profile: MappingProfile, table: str, column: str, value: str, kind: str):
    code = profile.table(table).values.get(column, {}).get(norm(value))
    if code is None:
        return None
    code = str(code).strip().lower()
    if kind == "bool":
        return "true" if code in TRUE_WORDS else ("false" if code in FALSE_WORDS else code)
    return code


def score(
    raw: RawExport, proposed: MappingProfile, truth: MappingProfile, contract: Contract
) -> dict[str, Tally]:
    """Tallies for ``tables``, ``columns`` and ``codes`` of ``proposed`` against ``truth``."""
    tallies = {"tables": Tally(), "columns": Tally(), "codes": Tally()}
    true_owner = _owner(raw, truth, contract)
    proposed_owner = _owner(raw, proposed, contract)
    for local, table in raw.tables.items():
        t_true, t_prop = true_owner.get(local), proposed_owner.get(local)
        tallies["tables"].add(t_true, t_prop, f"table {local!r}")
        if t_true is None:
            continue
        columns = contract.columns(t_true)
        for key in (c for c in table.frame.columns if c != "__row__"):
            header = key.split("\0")[0]
            c_true = _column(truth, t_true, header, contract)
            if c_true is not None and norm(header) == c_true:
                continue  # already the canonical name: nothing to decide
            c_prop = _column(proposed, t_prop, header, contract)
            same_table = t_prop == t_true
            tallies["columns"].add(
                None if c_true is None else (t_true, c_true),
                None if c_prop is None else (t_prop, c_prop),
                f"{t_true}: header {header!r}",
            )
            if c_true is None or columns[c_true].kind not in ("enum", "bool", "int"):
                continue
            spec = columns[c_true]
            values = table.frame.get_column(key).cast(str).drop_nulls().str.strip_chars().unique()
            for value in sorted(values.to_list()):
                if not value or value.lower() in NULL_TOKENS or is_canonical(value, spec):
                    continue
                mapped_here = same_table and c_prop == c_true
                tallies["codes"].add(
                    _code(truth, t_true, c_true, value, spec.kind),
                    _code(proposed, t_true, c_true, value, spec.kind) if mapped_here else None,
                    f"{t_true}.{c_true} value {value!r}",
                )
    return tallies


def score_line(name: str, tallies: dict[str, Tally]) -> str:
    """One row of the score table."""
    t, c, v = tallies["tables"], tallies["columns"], tallies["codes"]
    return f"| {name} | {t.cell()} | {c.cell()} | {v.cell()} |"


def main() -> None:  # pragma: no cover - prints the table for the docs
    """Build every vocabulary export, run ``map`` on it and print the score table."""
    import sys
    import tempfile

    sys.path.insert(0, str(Path(__file__).parent))
    from vocabulary_exports import AS_OF, HERE, build_vocabulary_export, vocabulary_names

    from sqs_checks.contract import build_contract
    from sqs_checks.loading import choose_reader
    from sqs_checks.mapping import load_profile, profile_from_dict
    from sqs_checks.mapping_help import propose_profile
    from sqs_checks.plugins import get_plugin_manager
    from sqs_checks.synth import generate_export

    pm = get_plugin_manager(())
    contract = build_contract(pm)
    readers = pm.collect("sqs_checks_readers")
    names = [t.name for t in contract]
    with tempfile.TemporaryDirectory() as tmp:
        canonical = Path(tmp) / "canonical"
        generate_export(canonical, as_of=AS_OF, cases=160, seed=3)
        print("| vocabulary | tables r/w/o | columns r/w/o | codes r/w/o |")
        print("|---|---|---|---|")
        for name in vocabulary_names():
            export = build_vocabulary_export(name, canonical, Path(tmp) / name, contract)
            raw = choose_reader(str(export), readers).read(str(export))
            proposal = propose_profile(raw, contract)
            proposed = profile_from_dict(proposal.profile(name), name, names)
            truth = load_profile(HERE / name / "truth.yml", names)
            print(score_line(name, score(raw, proposed, truth, contract)))


if __name__ == "__main__":  # pragma: no cover
    main()
