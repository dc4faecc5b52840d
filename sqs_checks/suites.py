"""Suites: which cases are judged, by which checks, with which parameters.

A suite is a YAML file (SPEC §6)::

    name: sqs-2013
    description: The inspection sample of the 2013 Short Quality Screening.
    extend: open-cases              # optional: start from another suite
    scope:
      kind: inspection_sample       # open | inspection_sample | all
      disposals: [referral_order, community, custody]
      months: 6                     # start_date from add_months(as_of, -months)
      min_days: 28                  # ... to as_of - min_days (both inclusive)
    checks: ["*"]                   # ids or globs (reoffending.*), in catalog order
    exclude: []                     # ids or globs to leave out
    parameters:                     # per check: {parameter: value}
      reoffending.initial_assessment: {due: 15}
    severity:                       # per check: low | medium | high
      public.mappa: medium
    expectations:                   # Great Expectations, per table (see docs/suites.md)
      cases:
        - expect_column_values_to_not_be_null: {column: case_manager, mostly: 0.99}
    disposals:                      # per check: the disposal types it judges
      reoffending.assessment_review: [referral_order, community, custody]
    instances:                      # a catalog check run again under its own id
      ooc.reoffending.initial_assessment:
        check: reoffending.initial_assessment
        disposals: [out_of_court]
        parameters: {due: 10}
    framework:                      # the scorecard's headings (see docs/frameworks.md)
      name: ...
      headings: [{id: A, title: Assessment}]
      checks: {reoffending.initial_assessment: [A]}

Suites are found by name in the shipped ``suites/`` folder, in folders that
plugins add (``sqs_checks_suite_dirs``) and in extra folders given by the
caller, or by path to a ``.yml`` file.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqs_checks.checks import SEVERITIES, Check
from sqs_checks.errors import ConfigError
from sqs_checks.framework import Framework, parse_framework, reject_unknown_keys

SCOPE_KINDS = ("open", "inspection_sample", "all")
SUITE_KEYS = (
    "name",
    "description",
    "extend",
    "scope",
    "checks",
    "exclude",
    "parameters",
    "severity",
    "expectations",
    "disposals",
    "instances",
    "framework",
    "plugins",
)
SCOPE_KEYS = ("kind", "disposals", "months", "min_days")
INSTANCE_KEYS = ("check", "title", "disposals", "parameters", "severity")


def builtin_suites_dir() -> Path:
    """The folder of the suites shipped with sqs-checks."""
    here = Path(__file__).resolve().parent
    packaged = here / "_suites"
    return packaged if packaged.is_dir() else here.parent / "suites"


@dataclass
class Scope:
    """Which cases a suite judges (SPEC §4)."""

    kind: str = "open"
    disposals: list[str] = field(default_factory=lambda: ["referral_order", "community", "custody"])
    months: int = 6
    min_days: int = 28

    def describe(self) -> str:
        """One line for people."""
        if self.kind == "open":
            return "cases open on the as-of date"
        if self.kind == "all":
            return "every case started by the as-of date"
        return (
            f"{', '.join(self.disposals)} cases that started between {self.months} months and "
            f"{self.min_days} days before the as-of date"
        )


@dataclass
class Instance:
    """A catalog check a suite runs a second time, under its own id.

    Its parameters, severity and disposals live in the suite's maps under the
    instance's id, like those of any other check.
    """

    id: str
    check: str
    title: str = ""

    def build(self, base: Check, disposals: list[str] | None) -> Check:
        """The check this instance runs: ``base`` under the instance's id and title."""
        return base.with_changes(
            id=self.id,
            title=self.title or base.title,
            instance_of=base.id,
            disposals=None if disposals is None else tuple(disposals),
        )


@dataclass
class Suite:
    """A resolved suite (after ``extend``)."""

    name: str
    path: str
    description: str = ""
    scope: Scope = field(default_factory=Scope)
    checks: list[str] = field(default_factory=lambda: ["*"])
    exclude: list[str] = field(default_factory=list)
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    expectations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    disposals: dict[str, list[str]] = field(default_factory=dict)
    instances: dict[str, Instance] = field(default_factory=dict)
    framework: Framework | None = None
    plugins: list[str] = field(default_factory=list)

    def instance_bases(self) -> dict[str, str]:
        """Instance id -> the id of the catalog check it runs again."""
        return {i.id: i.check for i in self.instances.values()}

    def restricted(self, check: Check) -> Check:
        """``check`` with the disposals this suite gives it (unchanged when it gives none)."""
        if check.id not in self.disposals:
            return check
        return check.with_changes(disposals=tuple(self.disposals[check.id]))

    def _excluded(self, check_id: str) -> bool:
        return any(fnmatch.fnmatchcase(check_id, pat) for pat in self.exclude)

    def select(self, catalog: list[Check]) -> list[Check]:
        """The checks this suite runs, in catalog order, each instance after its catalog check.

        Checks the suite restricts to some disposals carry them (``Check.disposals``);
        a check that reads the findings of a catalog check also reads those of
        its instances (they run first).
        """
        chosen: list[Check] = []
        for check in catalog:
            if any(fnmatch.fnmatchcase(check.id, pat) for pat in self.checks) and not (
                self._excluded(check.id)
            ):
                chosen.append(self.restricted(check))
            for instance in self.instances.values():
                if instance.check == check.id and not self._excluded(instance.id):
                    chosen.append(instance.build(check, self.disposals.get(instance.id)))
        ids = {c.id for c in chosen}
        extra = {
            base: [i for i, b in self.instance_bases().items() if b == base and i in ids]
            for base in set(self.instance_bases().values())
        }
        out = []
        for check in chosen:
            deps = [*check.depends_on]
            deps += [i for d in check.depends_on for i in extra.get(d, []) if i not in deps]
            if len(deps) != len(check.depends_on):
                check = check.with_changes(depends_on=tuple(deps))
            out.append(check)
        return out

    def _with_instances(self, catalog: list[Check]) -> list[Check]:
        """The catalog and every instance the suite declares (for validation)."""
        by_id = {c.id: c for c in catalog}
        out = list(catalog)
        for instance in self.instances.values():
            if instance.id in by_id:
                raise ConfigError(
                    f"In the suite {self.path}, instance {instance.id!r} has the id of a "
                    "catalog check; give it an id of its own."
                )
            if instance.check not in by_id:
                raise ConfigError(
                    f"In the suite {self.path}, instance {instance.id!r} runs check "
                    f"{instance.check!r}, which no plugin provides "
                    "(see `sqs-checks checks` for the ids)."
                )
            out.append(instance.build(by_id[instance.check], self.disposals.get(instance.id)))
        return out

    def restrict_to(self, check_ids: Iterable[str], catalog: list[Check]) -> None:
        """Run only ``check_ids`` and the checks they depend on (nothing excluded).

        An id no plugin provides is kept, so that :meth:`validate` names it.
        """
        by_id = {c.id: c for c in catalog}
        wanted = set(check_ids)
        stack = list(wanted)
        while stack:
            check = by_id.get(stack.pop())
            for dep in check.depends_on if check is not None else ():
                if dep not in wanted:
                    wanted.add(dep)
                    stack.append(dep)
        self.checks = sorted(wanted)
        self.exclude = []

    def override_parameters(self, parameters: Mapping[str, Mapping[str, Any]]) -> None:
        """Set parameters per check id over the suite's own (validated by :meth:`validate`)."""
        for check_id, values in parameters.items():
            self.parameters.setdefault(check_id, {}).update(values)

    def validate(self, catalog: list[Check]) -> None:
        """Check ids, parameters, severities, disposals and the framework against the catalog."""
        catalog = self._with_instances(catalog)
        by_id = {c.id: c for c in catalog}
        for check_id in self.disposals:
            if check_id not in by_id:
                raise ConfigError(
                    f"The suite {self.path} sets the disposals of unknown check {check_id!r} "
                    "(see `sqs-checks checks` for the ids)."
                )
        if self.framework is not None:
            self.framework.validate(catalog, self.path)
        for pattern in [*self.checks, *self.exclude]:
            if not any(fnmatch.fnmatchcase(i, pattern) for i in by_id):
                raise ConfigError(
                    f"The suite {self.path} names check {pattern!r}, which no plugin provides "
                    "(see `sqs-checks checks` for the ids)."
                )
        for check_id, values in self.parameters.items():
            if check_id not in by_id:
                raise ConfigError(
                    f"The suite {self.path} sets parameters of unknown check {check_id!r} "
                    "(see `sqs-checks checks` for the ids)."
                )
            if not isinstance(values, dict):
                raise ConfigError(
                    f"In the suite {self.path}, parameters.{check_id} must map "
                    "parameter names to values."
                )
            try:
                by_id[check_id].resolve_params(values)
            except ValueError as exc:
                raise ConfigError(
                    f"In the suite {self.path}, parameters.{check_id}: {exc}."
                ) from None
        for check_id, level in self.severity.items():
            if check_id not in by_id:
                raise ConfigError(
                    f"The suite {self.path} sets the severity of unknown check {check_id!r}."
                )
            if level not in SEVERITIES:
                raise ConfigError(
                    f"In the suite {self.path}, severity.{check_id} is {level!r} "
                    f"(allowed: {', '.join(SEVERITIES)})."
                )


def find_suite(name: str, dirs: list[Path] | None = None) -> Path:
    """The file of suite ``name`` (a name or a path to a ``.yml`` file)."""
    candidate = Path(name)
    if candidate.suffix in (".yml", ".yaml"):
        if candidate.is_file():
            return candidate
        raise ConfigError(f"The suite file {name} does not exist; check the path given to --suite.")
    search = [*(dirs or []), builtin_suites_dir()]
    for folder in search:
        for ext in (".yml", ".yaml"):
            path = Path(folder) / f"{name}{ext}"
            if path.is_file():
                return path
    known = sorted({p.stem for f in search if Path(f).is_dir() for p in Path(f).glob("*.y*ml")})
    raise ConfigError(f"There is no suite called {name!r} (suites: {', '.join(known) or 'none'}).")


def list_suites(dirs: list[Path] | None = None) -> list[Suite]:
    """Every suite found, loaded."""
    seen: dict[str, Suite] = {}
    for folder in [*(dirs or []), builtin_suites_dir()]:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.y*ml")):
            if path.stem not in seen:
                seen[path.stem] = load_suite(str(path), dirs)
    return list(seen.values())


def _read_yaml(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"The suite {path} is not valid YAML{where}; fix it there.") from None
    if not isinstance(data, dict):
        raise ConfigError(f"The suite {path} must be a YAML mapping of settings.")
    for key in data:
        if key not in SUITE_KEYS:
            raise ConfigError(
                f"The suite {path} has an unknown key {key!r} (allowed: {', '.join(SUITE_KEYS)})."
            )
    return data


def _as_list(value: Any, path: Path, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"In the suite {path}, {key} must be a list of check ids or patterns.")
    return list(value)


def load_suite(name: str, dirs: list[Path] | None = None, _seen: tuple[str, ...] = ()) -> Suite:
    """Load a suite by name or path, resolving ``extend``."""
    path = find_suite(name, dirs)
    key = str(path.resolve())
    if key in _seen:
        raise ConfigError(f"The suite {path} extends itself through {' -> '.join(_seen)}.")
    data = _read_yaml(path)
    if data.get("extend"):
        suite = load_suite(str(data["extend"]), dirs, (*_seen, key))
        suite.parameters = {k: dict(v) for k, v in suite.parameters.items()}
        suite.expectations = {k: list(v) for k, v in suite.expectations.items()}
        suite.disposals = {k: list(v) for k, v in suite.disposals.items()}
        suite.instances = dict(suite.instances)
    else:
        suite = Suite(name=path.stem, path=str(path))
    suite.name = str(data.get("name") or path.stem)
    suite.path = str(path)
    suite.description = str(data.get("description") or suite.description)
    if "plugins" in data:
        names = data["plugins"] or []
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ConfigError(
                f"In the suite {path}, plugins must be a list of plugin names, "
                "for example [sqs_contacts]."
            )
        suite.plugins = list(dict.fromkeys([*suite.plugins, *names]))
    if "scope" in data:
        scope = data["scope"]
        if isinstance(scope, str):
            scope = {"kind": scope}
        if not isinstance(scope, dict):
            raise ConfigError(f"In the suite {path}, scope must be a mapping with a kind.")
        reject_unknown_keys(scope, SCOPE_KEYS, str(path), "scope.")
        kind = scope.get("kind", "open")
        if kind not in SCOPE_KINDS:
            raise ConfigError(
                f"In the suite {path}, scope.kind is {kind!r} (allowed: {', '.join(SCOPE_KINDS)})."
            )
        base = suite.scope
        for k in ("months", "min_days"):
            if k in scope and (
                not isinstance(scope[k], int) or isinstance(scope[k], bool) or scope[k] < 0
            ):
                raise ConfigError(
                    f"In the suite {path}, scope.{k} must be a whole number of 0 or more."
                )
        suite.scope = Scope(
            kind=kind,
            disposals=list(scope.get("disposals", base.disposals)),
            months=int(scope.get("months", base.months)),
            min_days=int(scope.get("min_days", base.min_days)),
        )
        from sqs_checks.contract import DISPOSAL_TYPES

        bad = [d for d in suite.scope.disposals if d not in DISPOSAL_TYPES]
        if bad:
            raise ConfigError(
                f"In the suite {path}, scope.disposals has {bad[0]!r} "
                f"(allowed: {', '.join(DISPOSAL_TYPES)})."
            )
    if "checks" in data:
        suite.checks = _as_list(data["checks"], path, "checks")
    if "exclude" in data:
        suite.exclude = _as_list(data["exclude"], path, "exclude")
    for section in ("parameters", "severity", "expectations"):
        value = data.get(section)
        if value is None:
            continue
        if not isinstance(value, dict):
            raise ConfigError(f"In the suite {path}, {section} must be a mapping.")
    for check_id, values in (data.get("parameters") or {}).items():
        suite.parameters.setdefault(check_id, {}).update(values or {})
    suite.severity.update(data.get("severity") or {})
    for table, items in (data.get("expectations") or {}).items():
        if not isinstance(items, list):
            raise ConfigError(
                f"In the suite {path}, expectations.{table} must be a list of expectations."
            )
        suite.expectations.setdefault(table, []).extend(items)
    _load_instances(suite, data.get("instances"), path)
    _load_disposals(suite, data.get("disposals"), path)
    if "framework" in data:
        from sqs_checks.contract import DISPOSAL_TYPES

        if data["framework"] is None:
            suite.framework = None  # back to the areas of the catalog
        else:
            own = parse_framework(data["framework"], str(path))
            suite.framework = own if suite.framework is None else suite.framework.merged_with(own)
            suite.framework.check_structure(str(path), DISPOSAL_TYPES)
    return suite


def _disposal_list(value: Any, path: Path, what: str) -> list[str]:
    """A list of disposal types, each one the contract knows."""
    from sqs_checks.contract import DISPOSAL_TYPES

    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"In the suite {path}, {what} must be a list of disposal types.")
    bad = [d for d in value if d not in DISPOSAL_TYPES]
    if bad:
        raise ConfigError(
            f"In the suite {path}, {what} has {bad[0]!r} (allowed: {', '.join(DISPOSAL_TYPES)})."
        )
    return list(value)


def _load_disposals(suite: Suite, value: Any, path: Path) -> None:
    """The suite's ``disposals`` block: per check, the disposal types it judges."""
    if value is None:
        return
    if not isinstance(value, dict):
        raise ConfigError(
            f"In the suite {path}, disposals must map check ids to lists of disposal types "
            "(the cases of the scope a check judges; scope.disposals sets the scope)."
        )
    for check_id, kinds in value.items():
        suite.disposals[str(check_id)] = _disposal_list(kinds, path, f"disposals.{check_id}")


def _load_instances(suite: Suite, value: Any, path: Path) -> None:
    """The suite's ``instances`` block: catalog checks run again under their own ids."""
    if value is None:
        return
    if not isinstance(value, dict):
        raise ConfigError(f"In the suite {path}, instances must map new check ids to settings.")
    for instance_id, settings in value.items():
        instance_id = str(instance_id)
        where = f"instances.{instance_id}"
        if not isinstance(settings, dict) or not isinstance(settings.get("check"), str):
            raise ConfigError(
                f"In the suite {path}, {where} must be a mapping naming the catalog check "
                "it runs again (check: ...)."
            )
        reject_unknown_keys(settings, INSTANCE_KEYS, str(path), f"{where}.")
        suite.instances[instance_id] = Instance(
            id=instance_id, check=settings["check"], title=str(settings.get("title") or "")
        )
        if "disposals" in settings:
            suite.disposals[instance_id] = _disposal_list(
                settings["disposals"], path, f"{where}.disposals"
            )
        parameters = settings.get("parameters")
        if parameters is not None:
            if not isinstance(parameters, dict):
                raise ConfigError(
                    f"In the suite {path}, {where}.parameters must map parameter names to values."
                )
            suite.parameters.setdefault(instance_id, {}).update(parameters)
        if "severity" in settings:
            suite.severity[instance_id] = settings["severity"]
