"""The plugin manager: entry points, ``--plugins-dir`` and failures.

Discovery order (documented in ``docs/plugins.md``):

1. entry points of the ``sqs_checks`` group - the first-party readers,
   reporters and check catalog, and any installed third-party plugin;
2. the optional plugins switched on by name (``--plugins``, a suite's or a
   workspace's ``plugins``): entry points of the ``sqs_checks.optional`` group,
   or importable modules;
3. each ``--plugins-dir`` folder: every ``*.py`` file and every package (a
   folder with ``__init__.py``) in it, plus local SQL checks (``*.sql``).

Nothing is ever loaded from the current directory unless it is named with
``--plugins-dir``. A plugin that fails to import is recorded in
:attr:`PluginManager.failures`, named in a warning and skipped.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from sqs_checks import hookspecs
from sqs_checks.errors import ConfigError, PluginFailure

__all__ = ["PluginFailure", "PluginInfo", "PluginManager", "get_plugin_manager", "reset_cache"]

ENTRY_POINT_GROUP = "sqs_checks"

OPTIONAL_GROUP = "sqs_checks.optional"
"""Entry points of plugins that are installed but switched on only by name (``--plugins``,
a suite's or a workspace's ``plugins``), such as the worked example ``sqs_contacts``."""


@dataclass
class PluginInfo:
    """One loaded plugin, as ``sqs-checks plugins`` lists it."""

    name: str
    version: str
    source: str
    hooks: list[str] = field(default_factory=list)


class PluginManager(pluggy.PluginManager):
    """pluggy's manager with sqs-checks' discovery and bookkeeping."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}
        self.failures: list[PluginFailure] = []

    def _record(self, plugin: object, name: str, version: str, source: str) -> None:
        self.register(plugin, name=name)
        hooks = sorted(h.name for h in self.get_hookcallers(plugin) or [])
        self.infos[name] = PluginInfo(name=name, version=version, source=source, hooks=hooks)

    def add_plugin(self, plugin: object, source: str = "test") -> None:
        """Register a plugin module or object as if installed (once; a second call does nothing)."""
        if self.is_registered(plugin):
            return
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        if self.has_plugin(name):
            name = f"{name}:{id(plugin)}"
        self._record(plugin, name, str(getattr(plugin, "__version__", source)), source)

    def load_entry_points(self, blocked: set[str] | None = None) -> None:
        """Register every plugin of the ``sqs_checks`` entry-point group."""
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if blocked and ep.name in blocked:
                continue
            if self.has_plugin(ep.name):
                continue
            dist = getattr(ep, "dist", None)
            version = dist.version if dist is not None else "?"
            source = f"entry point {ep.value}" + (f" ({dist.name})" if dist is not None else "")
            try:
                plugin = ep.load()
            except Exception as exc:  # noqa: BLE001 - any import failure is reported
                self.failures.append(PluginFailure(ep.name, source, _one_line(exc)))
                continue
            self._record(plugin, ep.name, version, source)

    def load_optional(self, names: list[str] | tuple[str, ...]) -> None:
        """Switch on plugins by name: an optional entry point, else an importable module.

        Raises a one-sentence ConfigError naming the optional plugins installed when
        a name is neither.
        """
        optional = {ep.name: ep for ep in entry_points(group=OPTIONAL_GROUP)}
        for name in names:
            if self.has_plugin(name):
                continue
            ep = optional.get(name)
            try:
                if ep is not None:
                    plugin: Any = ep.load()
                    dist = getattr(ep, "dist", None)
                    version = dist.version if dist is not None else "?"
                    source = f"optional entry point {ep.value}"
                else:
                    plugin = importlib.import_module(name)
                    version = str(getattr(plugin, "__version__", "?"))
                    source = f"module {name}"
            except ImportError:
                from sqs_checks.errors import ConfigError

                known = ", ".join(sorted(optional)) or "none"
                raise ConfigError(
                    f"There is no plugin called {name!r} to switch on (optional plugins "
                    f"installed: {known}); check the name in --plugins or the suite's plugins."
                ) from None
            self._record(plugin, name, version, source)

    def load_plugins_dir(self, directory: str | Path) -> None:
        """Register the local plugins in ``directory`` (``*.py`` files and packages)."""
        folder = Path(directory).resolve()
        if not folder.is_dir():
            raise ConfigError(
                f"The plugins folder {directory} does not exist; "
                "create it or pass an existing folder to --plugins-dir."
            )
        candidates: list[Path] = sorted(folder.glob("*.py")) + sorted(
            p for p in folder.iterdir() if p.is_dir() and (p / "__init__.py").exists()
        )
        for path in candidates:
            name = f"local:{path.stem}"
            if path.name.startswith("_") or self.has_plugin(name):
                continue
            try:
                module = _import_path(path)
            except Exception as exc:  # noqa: BLE001 - any failure is reported, not fatal
                self.failures.append(PluginFailure(path.stem, str(path), _one_line(exc)))
                continue
            version = str(getattr(module, "__version__", "local"))
            self._record(module, name, version, str(path))
        sql_files = sorted(folder.glob("*.sql"))
        if sql_files:
            self._load_sql_checks(folder, sql_files)

    def _load_sql_checks(self, folder: Path, files: list[Path]) -> None:
        """Register the ``*.sql`` local checks of ``folder`` as one plugin."""
        from sqs_checks.sql_checks import SqlChecksPlugin  # imported when a folder has SQL checks

        plugin = SqlChecksPlugin(folder, files)
        for failure in plugin.failures:
            self.failures.append(failure)
        self._record(plugin, f"local-sql:{folder}", "local", str(folder))

    # --- collected results -----------------------------------------------------------

    def collect(self, hook: str, **kwargs: Any) -> list[Any]:
        """Call a list-returning hook and flatten the plugins' answers."""
        items: list[Any] = []
        for answer in getattr(self.hook, hook)(**kwargs):
            if answer:
                items.extend(answer)
        return items


def _one_line(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _import_path(path: Path) -> ModuleType:
    """Import a ``.py`` file or a package folder under a private module name."""
    mod_name = f"sqs_checks_local_{path.stem}"
    target = path / "__init__.py" if path.is_dir() else path
    spec = importlib.util.spec_from_file_location(
        mod_name,
        target,
        submodule_search_locations=[str(path)] if path.is_dir() else None,
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(mod_name, None)
        raise
    return module


_CACHE: dict[tuple[str, ...], PluginManager] = {}


def get_plugin_manager(
    plugins_dirs: tuple[str | Path, ...] | list[str | Path] = (),
    optional: Iterable[str] = (),
    objects: Iterable[object] = (),
) -> PluginManager:
    """Return the plugin manager for these ``--plugins-dir`` folders.

    ``optional`` names optional plugins to switch on (``--plugins``, a suite's
    ``plugins``); ``objects`` are plugin modules or objects registered as if
    installed through an entry point (tests use them). Without objects the
    manager is cached per set of folders and names.
    """
    names = tuple(dict.fromkeys(optional))
    objects = list(objects)
    key = (*(str(Path(d).resolve()) for d in plugins_dirs), "|", *names)
    if not objects and key in _CACHE:
        return _CACHE[key]
    pm = PluginManager()
    pm.load_entry_points()
    pm.load_optional(names)
    for directory in plugins_dirs:
        pm.load_plugins_dir(directory)
    for plugin in objects:
        pm.add_plugin(plugin)
    if not objects:
        _CACHE[key] = pm
    return pm


def reset_cache() -> None:
    """Forget cached plugin managers (tests use this)."""
    _CACHE.clear()
