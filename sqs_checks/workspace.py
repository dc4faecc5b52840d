"""Workspaces: a folder with ``sqs-checks.toml`` that a nightly run uses.

``sqs-checks init DIR`` writes a documented ``sqs-checks.toml`` (generated
from :data:`SCHEMA`, so the file and the validation never disagree), empty
``plugins/`` and ``suites/`` folders and a mapping-profile template. Given a
confirmed profile (``--mapping FILE``, or a ``mapping.yml`` already in the
folder), it keeps it as ``mapping.yml`` and sets ``[export] mapping``.
``sqs-checks run`` with no export inside a workspace (or with ``--config``)
reads it; command-line options win over the file.

Every key is validated: an unknown key or a bad value is a
:class:`~sqs_checks.errors.ConfigError` naming the key, the file and the
allowed values. Relative paths in the file are relative to the file's folder.
SMTP credentials are never read from the file, only from the environment.

:class:`WorkspaceLock` keeps two runs on one workspace from overlapping.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqs_checks.errors import ConfigError, UserError

CONFIG_NAME = "sqs-checks.toml"
"""The settings file a workspace holds."""

LOCK_NAME = ".sqs-checks.lock"
"""The lock file a run holds in its workspace."""

SECRET_KEYS = {"password", "user", "username", "login", "smtp_password", "smtp_user"}
"""Keys refused in ``[email]``: credentials come from the environment only."""


@dataclass(frozen=True)
class Key:
    """One setting: where it lives, its type, default and documentation."""

    section: str
    name: str
    default: Any
    help: str
    choices: tuple[str, ...] = ()

    @property
    def dotted(self) -> str:
        """``section.name`` as error messages show it."""
        return f"{self.section}.{self.name}"


SECTIONS: dict[str, str] = {
    "export": "Where the nightly export is and how to read it.",
    "run": "What to check and where the reports go.",
    "history": "The history store: every run's counts and findings (never narratives).",
    "email": (
        "Email digests after each run (off until enabled). The SMTP login is read from the\n"
        "environment variables named below, never from this file."
    ),
}
"""The sections of ``sqs-checks.toml`` and what each is for."""

SCHEMA: list[Key] = [
    Key(
        "export", "path", "", "Folder of CSV or Parquet files, an .xlsx workbook or a database URL."
    ),
    Key("export", "reader", "auto", "How to read it.", ("auto", "csv", "xlsx", "parquet", "sql")),
    Key(
        "export", "mapping", "", "Mapping profile (YAML) when local names differ; see mapping.yml."
    ),
    Key("run", "suite", "open-cases", "Suite name (or a .yml file, looked for in suites/ too)."),
    Key("run", "formats", ["json", "html"], "Report formats: json, html, xlsx, csv, junit."),
    Key("run", "output", "reports", "Folder that receives the reports (replaced atomically)."),
    Key(
        "run",
        "fail_on",
        "off",
        "Exit code 1 when a finding has this severity or higher\n"
        "(degraded: only when the run is degraded).",
        ("off", "low", "medium", "high", "degraded"),
    ),
    Key(
        "run",
        "fail_on_degraded",
        False,
        "Exit code 1 when the run is degraded: no case in scope, or a check skipped,\n"
        "judged in part or failed (an export that lost a column, say).",
    ),
    Key(
        "run",
        "region",
        "england-and-wales",
        "Bank holidays of this UK region.",
        ("england-and-wales", "scotland", "northern-ireland"),
    ),
    Key("run", "plugins_dir", "plugins", "Local plugins (*.py, packages, *.sql checks)."),
    Key(
        "run",
        "plugins",
        [],
        'Optional plugins to switch on by name, e.g. ["sqs_contacts"] (a contacts table\n'
        "and the sentence.compliance check).",
    ),
    Key("run", "suites_dir", "suites", "Local suites (*.yml)."),
    Key("run", "redact", False, "Replace child ids and staff names with pseudonyms in reports."),
    Key(
        "run",
        "report_mode",
        "0640",
        "Permissions of the report files, in octal: 0640 lets the owner's group read them\n"
        "(reports often go to a shared folder); 0600 keeps them to the owner.",
    ),
    Key(
        "run",
        "due_within",
        10,
        "Working days ahead the reports and digests list what falls due (0: due today only).",
    ),
    Key("history", "enabled", True, "Record every run in the history store."),
    Key(
        "history",
        "url",
        "sqlite:///history.sqlite",
        "SQLAlchemy URL: a SQLite file (relative to this folder) or\n"
        "postgresql+psycopg://user@host/db (password from SQS_CHECKS_HISTORY_PASSWORD).",
    ),
    Key("email", "enabled", False, "Send digests after each run."),
    Key("email", "host", "localhost", "SMTP server."),
    Key("email", "port", 25, "SMTP port (587 for STARTTLS submission)."),
    Key("email", "starttls", False, "Upgrade the connection with STARTTLS before logging in."),
    Key(
        "email",
        "ca_file",
        "",
        "PEM file of the authority that signed the server's certificate\n"
        "(empty: the system's authorities).",
    ),
    Key(
        "email",
        "user_env",
        "SQS_CHECKS_SMTP_USER",
        "Environment variable holding the SMTP user (unset: no login).",
    ),
    Key(
        "email",
        "password_env",
        "SQS_CHECKS_SMTP_PASSWORD",
        "Environment variable holding the SMTP password.",
    ),
    Key("email", "sender", "sqs-checks@localhost", "From address."),
    Key("email", "subject_prefix", "[sqs-checks]", "Start of every subject line."),
    Key(
        "email",
        "address_book",
        "",
        "CSV with columns name, email, role, team (role: case_manager, practice_manager,\n"
        "operational_manager). Empty: the export's staff table with an email column.",
    ),
    Key(
        "email", "case_managers", True, "Send each case manager their own new and persisting flags."
    ),
    Key("email", "managers", True, "Send each manager their team's scorecard and what changed."),
    Key(
        "email",
        "show_child_ids",
        False,
        "Show the child's id beside the case id (no child identifiers otherwise).",
    ),
    Key("email", "max_listed", 200, "Most findings listed in one email (the rest are counted)."),
]
"""Every key ``sqs-checks.toml`` accepts, in file order."""

_BY_SECTION: dict[str, dict[str, Key]] = {}
for _key in SCHEMA:
    _BY_SECTION.setdefault(_key.section, {})[_key.name] = _key


# --- the template -------------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def template(values: dict[str, Any] | None = None) -> str:
    """The documented ``sqs-checks.toml`` that ``init`` writes.

    Every key is written at its default, or at ``values[section.name]`` when given.
    """
    values = values or {}
    lines = [
        "# sqs-checks workspace settings. `sqs-checks run` in this folder (or with",
        "# --config this-file) uses them; command-line options win. Relative paths are",
        "# relative to this file. Unknown keys are errors. See docs/operations.md.",
    ]
    for section, about in SECTIONS.items():
        lines.append("")
        lines += [f"# {line}" for line in about.splitlines()]
        lines.append(f"[{section}]")
        for key in _BY_SECTION[section].values():
            lines += [f"# {line}" for line in key.help.splitlines()]
            if key.choices:
                lines.append(f"# Allowed: {', '.join(key.choices)}.")
            lines.append(f"{key.name} = {_toml_value(values.get(key.dotted, key.default))}")
    return "\n".join(lines) + "\n"


MAPPING_TEMPLATE = """\
# Mapping profile template: rename local columns and recode local values into
# the canonical export model. Uncomment and edit, then set [export] mapping =
# "mapping.yml" in sqs-checks.toml. Anything not mentioned is matched by its
# canonical name (case-insensitively).
name: local-cms
# date_format: "%d.%m.%Y"        # optional, for every date column
tables:
  cases:
    # source: Case List          # the file stem / sheet / table holding it
    columns: {}
    #   Case Ref: case_id
    #   Worker: case_manager
    values: {}
    #   disposal_type: {YRO: community, DTO: custody}
"""
"""The mapping profile ``init`` writes beside the settings."""


MAPPING_NAME = "mapping.yml"
"""The workspace's mapping profile."""


def init_workspace(
    folder: str | Path,
    force: bool = False,
    mapping: str | Path | None = None,
    export: str | None = None,
) -> list[Path]:
    """Create a workspace in ``folder``; return the paths written.

    An existing ``sqs-checks.toml`` is kept unless ``force`` is true. A
    confirmed profile ``mapping`` is copied to ``mapping.yml`` (an existing,
    different ``mapping.yml`` is kept unless ``force``); a ``mapping.yml``
    already in the folder that is not the template is picked up as it is.
    Either way ``[export] mapping`` names it. ``export`` sets ``[export] path``.
    """
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    config = root / CONFIG_NAME
    if config.exists() and not force:
        raise ConfigError(
            f"{config} already exists; edit it, or pass --force to replace it with the template."
        )
    profile = root / MAPPING_NAME
    values: dict[str, Any] = {}
    if mapping is not None:
        _copy_profile(Path(mapping), profile, force)
        written.append(profile)
    if profile.exists() and profile.read_text(encoding="utf-8") != MAPPING_TEMPLATE:
        values["export.mapping"] = MAPPING_NAME
    if export:
        values["export.path"] = export if _URL.match(export) else str(Path(export).resolve())
    config.write_text(template(values), encoding="utf-8")
    written.insert(0, config)
    for sub in ("plugins", "suites", "exports"):
        (root / sub).mkdir(exist_ok=True)
        written.append(root / sub)
    if not profile.exists():
        profile.write_text(MAPPING_TEMPLATE, encoding="utf-8")
        written.append(profile)
    return written


def _copy_profile(source: Path, target: Path, force: bool) -> None:
    """Copy a profile into the workspace, refusing to replace a different one unless ``force``."""
    try:
        text = source.read_text(encoding="utf-8-sig")
    except OSError:
        raise ConfigError(
            f"The mapping profile {source} cannot be read; check the path given to --mapping."
        ) from None
    if target.exists() and target.resolve() != source.resolve():
        current = target.read_text(encoding="utf-8")
        if current not in (text, MAPPING_TEMPLATE) and not force:
            raise ConfigError(
                f"{target} already holds another profile; compare the two, or pass --force "
                f"to replace it with {source}."
            )
    if not target.exists() or target.resolve() != source.resolve():
        target.write_text(text, encoding="utf-8")


def open_items(profile: str | Path) -> int:
    """How many items ``sqs-checks map`` left open in ``profile`` (its ``# open`` comments)."""
    text = Path(profile).read_text(encoding="utf-8")
    return sum(text.count(mark) for mark in ("# open:", "# not matched: ", "# MISSING"))


# --- reading -----------------------------------------------------------------------------


def find_config(
    config_file: str | Path | None = None, cwd: str | Path | None = None
) -> Path | None:
    """The settings file to use: ``config_file``, else ``sqs-checks.toml`` in ``cwd``, else None."""
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(
                f"The workspace settings file {path} does not exist; "
                "create one with `sqs-checks init DIR`."
            )
        return path.resolve()
    candidate = Path(cwd or Path.cwd()) / CONFIG_NAME
    return candidate.resolve() if candidate.is_file() else None


def _bad(key: Key, path: Path, value: Any, wanted: str) -> ConfigError:
    return ConfigError(f"{path}: {key.dotted} = {value!r} is not allowed; {wanted}.")


def _check_value(key: Key, value: Any, path: Path) -> Any:
    if key.choices:
        if not isinstance(value, str) or value.strip().lower() not in key.choices:
            raise _bad(key, path, value, f"allowed values: {', '.join(key.choices)}")
        return value.strip().lower()
    if isinstance(key.default, bool):
        if not isinstance(value, bool):
            raise _bad(key, path, value, "allowed values: true, false")
        return value
    if isinstance(key.default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _bad(key, path, value, "allowed values: a whole number, 0 or more")
        return value
    if isinstance(key.default, list):
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _bad(key, path, value, 'allowed values: a list of names, e.g. ["json", "html"]')
        return [v.strip().lower() for v in value]
    if not isinstance(value, str):
        raise _bad(key, path, value, "allowed values: a text in double quotes")
    return value.strip()


def read_config(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read and validate a settings file; every key present, defaults filled in."""
    import tomllib

    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path} is not valid TOML ({exc}); compare it with `sqs-checks init`."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read the workspace settings {path} ({exc}).") from None
    config: dict[str, dict[str, Any]] = {
        section: {k.name: k.default for k in keys.values()} for section, keys in _BY_SECTION.items()
    }
    for section, body in data.items():
        if section not in _BY_SECTION:
            raise ConfigError(
                f"{path}: unknown section [{section}]; allowed sections: {', '.join(_BY_SECTION)}."
            )
        if not isinstance(body, dict):
            raise ConfigError(f"{path}: {section} must be a [{section}] section, not a value.")
        for name, value in body.items():
            if section == "email" and name.lower() in SECRET_KEYS:
                raise ConfigError(
                    f"{path}: email.{name} is not allowed: SMTP credentials are never read from "
                    "the settings file; set them in the environment variables named by "
                    "email.user_env and email.password_env."
                )
            key = _BY_SECTION[section].get(name)
            if key is None:
                raise ConfigError(
                    f"{path}: unknown key {section}.{name}; allowed keys in [{section}]: "
                    f"{', '.join(_BY_SECTION[section])}."
                )
            config[section][name] = _check_value(key, value, path)
    return config


_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def _resolve(root: Path, value: str) -> str:
    """A path from the file, made absolute against the workspace (URLs untouched)."""
    if not value or _URL.match(value):
        return value
    return str((root / Path(value).expanduser()).resolve())


def _report_mode(value: str, path: Path) -> int:
    """``run.report_mode`` as permission bits: octal, no more than owner rw and group/others r."""
    text = str(value).strip()
    if re.fullmatch(r"0?[0-7]{3}", text):
        mode = int(text, 8)
        if mode & 0o600 == 0o600 and not mode & 0o133:
            return mode
    raise ConfigError(
        f"{path}: run.report_mode = {value!r} is not allowed; allowed values: a mode in octal "
        "that lets the owner read and write and nobody write or execute, such as 0640, 0600 "
        "or 0644."
    )


def resolve_history_url(url: str, root: Path) -> str:
    """A SQLite URL with a relative file is made relative to the workspace folder."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith("sqlite:////"):
        rest = url[len(prefix) :]
        if rest and rest != ":memory:" and not Path(rest).is_absolute():
            return prefix + str((root / rest).resolve())
    return url


def settings_from_workspace(
    config_file: str | Path | None, cli_values: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """RunSettings fields (plus extras) from the workspace, or None outside one.

    Extras (land in ``RunSettings.extra``): ``fail_on``, ``history_url``,
    ``email`` (the ``[email]`` section), ``workspace`` (its folder) and
    ``config_file``. ``cli_values`` are not merged here (the caller does that);
    they only decide whether a workspace found in the current folder applies.
    """
    path = find_config(config_file)
    if path is None:
        return None
    root = path.parent
    config = read_config(path)
    export, run, history = config["export"], config["run"], config["history"]
    settings: dict[str, Any] = {
        "formats": list(run["formats"]) or ["json"],
        "out_dir": Path(_resolve(root, run["output"] or "reports")),
        "suite": run["suite"] or "open-cases",
        "region": run["region"],
        "redact": run["redact"],
        "due_within": run["due_within"],
        "report_mode": _report_mode(run["report_mode"], path),
        "workspace": str(root),
        "config_file": str(path),
        "email": dict(config["email"]),
    }
    if export["path"]:
        settings["export"] = _resolve(root, export["path"])
    elif not (cli_values or {}).get("export"):
        raise ConfigError(
            f"{path}: export.path is empty; set it to the export folder, workbook or database "
            "URL, or name the export on the command line."
        )
    if export["reader"] != "auto":
        settings["reader"] = export["reader"]
    if export["mapping"]:
        settings["mapping"] = _resolve(root, export["mapping"])
    fail_on = [run["fail_on"]] if run["fail_on"] != "off" else []
    if run["fail_on_degraded"] and "degraded" not in fail_on:
        fail_on.append("degraded")
    if fail_on:
        settings["fail_on"] = fail_on
    if run["plugins"]:
        settings["plugins"] = list(run["plugins"])
    if run["plugins_dir"] and (root / run["plugins_dir"]).is_dir():
        settings["plugins_dirs"] = [_resolve(root, run["plugins_dir"])]
    if run["suites_dir"] and (root / run["suites_dir"]).is_dir():
        settings["suite_dirs"] = [_resolve(root, run["suites_dir"])]
        suite_file = root / run["suites_dir"] / run["suite"]
        if run["suite"].endswith((".yml", ".yaml")) and suite_file.is_file():
            settings["suite"] = str(suite_file.resolve())
    if history["enabled"] and history["url"]:
        settings["history_url"] = resolve_history_url(history["url"], root)
    return settings


# --- the lock -----------------------------------------------------------------------------


class WorkspaceLock:
    """An exclusive lock on a workspace, held for the whole run.

    A :class:`filelock.FileLock` on ``.sqs-checks.lock`` (``flock`` on POSIX,
    ``msvcrt.locking`` on Windows): the operating system releases it when the
    process ends, even when killed, so a crash never leaves a stale lock. The
    holder writes who it is into the file (``pid N, started ...``) for the
    message a second run shows. With ``wait`` the second run waits (up to
    ``timeout`` seconds, forever when None); without, it stops with a clear
    message (exit code 2). Any thread may release the lock.
    """

    def __init__(
        self, folder: str | Path, wait: bool = False, timeout: float | None = None
    ) -> None:
        self.path = Path(folder) / LOCK_NAME
        self.wait = wait
        self.timeout = timeout
        self._lock: Any = None

    def acquire(self) -> WorkspaceLock:
        """Take the lock or raise :class:`UserError` (see the class docstring)."""
        from filelock import FileLock, Timeout

        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.path, thread_local=False, on_acquired=_write_holder)
        try:
            lock.acquire(
                timeout=-1 if self.timeout is None else self.timeout,
                poll_interval=0.2,
                blocking=self.wait,
            )
        except Timeout:
            holder = self.holder()
            raise UserError(
                f"Another sqs-checks run is using the workspace {self.path.parent}"
                f"{f' ({holder})' if holder else ''}; wait for it to finish, "
                "or pass --wait to queue behind it."
            ) from None
        self._lock = lock
        return self

    def holder(self) -> str:
        """Who holds the lock, as the holder wrote it (may be empty)."""
        try:
            return self.path.read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def release(self) -> None:
        """Release the lock (a second call does nothing)."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> WorkspaceLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _write_holder(fd: int) -> None:
    """Write ``pid N, started YYYY-MM-DDTHH:MM:SS`` into the lock file just taken."""
    started = dt.datetime.now().isoformat(timespec="seconds")
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"pid {os.getpid()}, started {started}\n".encode())
