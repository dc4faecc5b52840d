"""Digest emails: each case manager's own flags, each manager's team scorecard and changes.

Every message has a plain-text and an HTML part (escaped by Jinja2). Cases are
named by their case id; the child's id is shown only when
``email.show_child_ids`` is true, and nothing else about the child ever is.
With a history store the flags are split into new and persisting (with the
first-seen date and nights open) and managers see what was resolved; without
one, every flag is listed as open.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import jinja2

from sqs_checks.notify.addresses import Person, norm
from sqs_checks.reporters.common import days_text, due_window


@dataclass
class Digest:
    """One email to send."""

    to: Person
    kind: str  # case_manager | manager
    message: EmailMessage


def _uk(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


_ENV = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_ENV.filters["uk"] = _uk
_TEXT_ENV = jinja2.Environment(autoescape=False, trim_blocks=True, lstrip_blocks=True)
_TEXT_ENV.filters["uk"] = _uk

_FLAG_TEXT = (
    "{% for f in rows %}"
    "- Case {{ f.case_id }}{% if show_child %} (child {{ f.child_id }}){% endif %}: {{ f.title }}"
    " - {{ f.message }}{% if f.first_seen and f.status == 'persisting' %}"
    " [open since {{ f.first_seen|uk }}, {{ f.nights_open }} night"
    "{{ '' if f.nights_open == 1 else 's' }}]"
    "{% endif %}\n"
    "{% endfor %}{% if more %}... and {{ more }} more (see the report)\n{% endif %}"
)
_FLAG_HTML = (
    "<table border='1' cellpadding='4' cellspacing='0'><tr><th>Case</th>"
    "{% if show_child %}<th>Child</th>{% endif %}<th>Check</th><th>What to do</th>"
    "{% if with_since %}<th>Open since</th>{% endif %}</tr>"
    "{% for f in rows %}<tr><td>{{ f.case_id }}</td>{% if show_child %}<td>{{ f.child_id }}</td>"
    "{% endif %}<td>{{ f.title }}</td><td>{{ f.message }}</td>{% if with_since %}<td>"
    "{% if f.status == 'persisting' %}{{ f.first_seen|uk }} ({{ f.nights_open }} night"
    "{{ '' if f.nights_open == 1 else 's' }})"
    "{% endif %}</td>{% endif %}</tr>{% endfor %}</table>"
    "{% if more %}<p>... and {{ more }} more (see the report).</p>{% endif %}"
)

_DUE_TEXT = (
    "{% if due_window %}\nDue soon ({{ due_window }}), so that they never become flags:\n"
    "{% for d in due %}- Case {{ d.case_id }}: {{ d.what }} due by {{ d.due_date|uk }} "
    "({{ d.days }})\n{% endfor %}{% if due_more %}... and {{ due_more }} more (see the report)\n"
    "{% endif %}{% if not due %}(nothing)\n{% endif %}{% endif %}"
)
_DUE_HTML = (
    "{% if due_window %}<h2>Due soon</h2><p>Deadlines in {{ due_window }} not yet met, so that "
    "they never become flags.</p>{% if due %}<table border='1' cellpadding='4' cellspacing='0'>"
    "<tr><th>Due by</th><th>Case</th><th>What is due</th></tr>{% for d in due %}<tr><td>"
    "{{ d.due_date|uk }} ({{ d.days }})</td><td>{{ d.case_id }}</td><td>{{ d.what }}</td></tr>"
    "{% endfor %}</table>{% if due_more %}<p>... and {{ due_more }} more (see the report).</p>"
    "{% endif %}{% else %}<p>Nothing.</p>{% endif %}{% endif %}"
)

CASE_MANAGER_TEXT = _TEXT_ENV.from_string(
    "Dear {{ person.name }},\n\n"
    "sqs-checks ran on {{ as_of|uk }} ({{ suite }}). Your cases have {{ total }} open flag(s)"
    "{% if history %}: {{ new_total }} new, {{ persisting_total }} persisting{% endif %}.\n\n"
    "{% if history %}New since the last run:\n{% with rows=new, more=new_more %}"
    + _FLAG_TEXT
    + "{% endwith %}{% if not new %}(none)\n{% endif %}\nStill open:\n"
    "{% with rows=persisting, more=persisting_more %}" + _FLAG_TEXT + "{% endwith %}"
    "{% if not persisting %}(none)\n{% endif %}"
    "{% else %}Open flags:\n{% with rows=new, more=new_more %}" + _FLAG_TEXT + "{% endwith %}"
    "{% if not new %}(none)\n{% endif %}{% endif %}" + _DUE_TEXT + "\nThese are what the records "
    "show; a mechanical check cannot judge quality as an inspector does.\n"
)
CASE_MANAGER_HTML = _ENV.from_string(
    "<html><body><p>Dear {{ person.name }},</p>"
    "<p>sqs-checks ran on {{ as_of|uk }} ({{ suite }}). Your cases have {{ total }} open flag(s)"
    "{% if history %}: {{ new_total }} new, {{ persisting_total }} persisting{% endif %}.</p>"
    "{% if history %}<h2>New since the last run</h2>{% set rows = new %}{% set more = new_more %}"
    "{% set with_since = false %}" + _FLAG_HTML + "{% if not new %}<p>None.</p>{% endif %}"
    "<h2>Still open</h2>{% set rows = persisting %}{% set more = persisting_more %}"
    "{% set with_since = true %}" + _FLAG_HTML + "{% if not persisting %}<p>None.</p>{% endif %}"
    "{% else %}<h2>Open flags</h2>{% set rows = new %}{% set more = new_more %}"
    "{% set with_since = false %}"
    + _FLAG_HTML
    + "{% endif %}"
    + _DUE_HTML
    + "<p><small>These are what the records show; a mechanical check cannot judge quality as an "
    "inspector does.</small></p></body></html>"
)

MANAGER_TEXT = _TEXT_ENV.from_string(
    "Dear {{ person.name }},\n\n"
    "sqs-checks ran on {{ as_of|uk }} ({{ suite }}) for {{ label }}: {{ cases }} case(s), "
    "{{ flagged }} flagged.\n"
    "{% if history %}Since the last run: {{ counts.new }} new flag(s), {{ counts.resolved }} "
    "resolved, {{ counts.persisting }} persisting.\n{% endif %}\n"
    "Scorecard:\n{% for c in scorecard %}- {{ c.text }}\n{% endfor %}"
    "{% if history %}\nNew flags:\n{% with rows=new, more=new_more %}"
    + _FLAG_TEXT
    + "{% endwith %}{% if not new %}(none)\n{% endif %}"
    "\nResolved:\n{% for f in resolved %}- Case {{ f.case_id }}: {{ f.title }} ({{ f.reason }})"
    "\n{% endfor %}{% if resolved_more %}... and {{ resolved_more }} more\n{% endif %}"
    "{% if not resolved %}(none)\n{% endif %}{% endif %}" + _DUE_TEXT
)
MANAGER_HTML = _ENV.from_string(
    "<html><body><p>Dear {{ person.name }},</p>"
    "<p>sqs-checks ran on {{ as_of|uk }} ({{ suite }}) for {{ label }}: {{ cases }} case(s), "
    "{{ flagged }} flagged.</p>"
    "{% if history %}<p>Since the last run: <b>{{ counts.new }} new</b> flag(s), "
    "{{ counts.resolved }} resolved, {{ counts.persisting }} persisting.</p>{% endif %}"
    "<h2>Scorecard</h2><table border='1' cellpadding='4' cellspacing='0'>"
    "<tr><th>Check</th><th>Met</th><th>Relevant</th><th>%</th></tr>"
    "{% for c in scorecard %}<tr><td>{{ c.title }}</td><td>{{ c.met }}</td><td>{{ c.relevant }}"
    "</td><td>{{ c.percent if c.percent is not none else '' }}</td></tr>{% endfor %}</table>"
    "{% if history %}<h2>New flags</h2>{% set rows = new %}{% set more = new_more %}"
    "{% set with_since = false %}" + _FLAG_HTML + "{% if not new %}<p>None.</p>{% endif %}"
    "<h2>Resolved</h2><ul>{% for f in resolved %}<li>Case {{ f.case_id }}: {{ f.title }} "
    "({{ f.reason }})</li>{% endfor %}</ul>{% if resolved_more %}<p>... and {{ resolved_more }} "
    "more</p>{% endif %}{% if not resolved %}<p>None.</p>{% endif %}{% endif %}"
    + _DUE_HTML
    + "</body></html>"
)


def _has_table(con: Any, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = $n", {"n": name}
        ).fetchone()[0]
    )


def _current_rows(result: Any, history: bool) -> list[dict[str, Any]]:
    """The shown findings, with status and first-seen date when history exists."""
    base = (
        f"SELECT f.check_id, f.case_id, CAST(f.child_id AS VARCHAR) AS child_id, "
        "CAST(f.case_manager AS VARCHAR) AS case_manager, f.team, f.reason, "
        "coalesce(f.record_table, '') AS record_table, "
        "coalesce(CAST(f.record_id AS VARCHAR), '') AS record_id, f.message "
        f"FROM ({result.findings_sql()}) f"
    )
    if history:
        sql = (
            f"SELECT b.*, h.status, h.first_seen FROM ({base}) b LEFT JOIN history_current h "
            "USING (check_id, case_id, reason, record_table, record_id)"
        )
    else:
        sql = f"SELECT b.*, 'open' AS status, NULL AS first_seen FROM ({base}) b"
    cursor = result.con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _resolved_rows(result: Any) -> list[dict[str, Any]]:
    cursor = result.con.execute(
        "SELECT p.check_id, p.case_id, p.reason, p.case_manager, p.team FROM history_previous p "
        "WHERE p.status <> 'held' AND NOT EXISTS (SELECT 1 FROM history_current c WHERE "
        "c.check_id = p.check_id AND c.case_id = p.case_id AND c.reason = p.reason AND "
        "c.record_table = p.record_table AND c.record_id = p.record_id) ORDER BY 1, 2, 3"
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _message(subject: str, sender: str, person: Person, text: str, html: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = f"{person.name} <{person.email}>"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def build_digests(result: Any, people: list[Person], email: dict[str, Any]) -> list[Digest]:
    """The digests of a finished run for the people of the address book."""
    history = _has_table(result.con, "history_current")
    titles = {r.check.id: r.check.title for r in result.checks}
    rows = _current_rows(result, history)
    as_of = result.as_of
    for row in rows:
        row["title"] = titles.get(row["check_id"], row["check_id"])
        first = row.get("first_seen")
        row["nights_open"] = (as_of - first).days if first else None
    resolved = _resolved_rows(result) if history else []
    for row in resolved:
        row["title"] = titles.get(row["check_id"], row["check_id"])
    limit = int(email.get("max_listed") or 200)
    due_rows = _due_rows(result)
    prefix = (email.get("subject_prefix") or "").strip()
    sender = email.get("sender") or "sqs-checks@localhost"
    show_child = bool(email.get("show_child_ids"))
    common = {
        "as_of": as_of,
        "suite": result.suite.name,
        "history": history,
        "show_child": show_child,
        "due_window": due_window(result),
    }
    digests: list[Digest] = []

    def listed(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
        return items[:limit], max(len(items) - limit, 0)

    if email.get("case_managers", True):
        for person in people:
            mine = [r for r in rows if norm(r["case_manager"]) == norm(person.name)]
            my_due = [d for d in due_rows if norm(d["case_manager"]) == norm(person.name)]
            if not mine and not my_due:
                continue
            if history:
                new = [r for r in mine if r["status"] in ("new", "held")]
                persisting = sorted(
                    (r for r in mine if r["status"] == "persisting"),
                    key=lambda r: (r["first_seen"], r["case_id"]),
                )
            else:
                new, persisting = mine, []
            new_list, new_more = listed(new)
            per_list, per_more = listed(persisting)
            due_list, due_more = listed(my_due)
            context = dict(
                common,
                due=due_list,
                due_more=due_more,
                person=person,
                total=len(mine),
                new=new_list,
                new_more=new_more,
                new_total=len(new),
                persisting=per_list,
                persisting_more=per_more,
                persisting_total=len(persisting),
            )
            text = CASE_MANAGER_TEXT.render(**context)
            html = CASE_MANAGER_HTML.render(**context)
            summary = (
                f"{len(new)} new, {len(persisting)} persisting" if history else f"{len(mine)} open"
            )
            if my_due:
                summary += f"; {len(my_due)} due soon"
            subject = f"{prefix} Your flags as of {_uk(as_of)}: {summary}".strip()
            digests.append(
                Digest(person, "case_manager", _message(subject, sender, person, text, html))
            )
    if email.get("managers", True):
        card = result.scorecard()
        for person in (p for p in people if p.is_manager):
            if person.team:
                team_rows = [r for r in rows if norm(r["team"]) == norm(person.team)]
                team_resolved = [r for r in resolved if norm(r["team"]) == norm(person.team)]
                team_due = [d for d in due_rows if norm(d["team"]) == norm(person.team)]
                entry = next(
                    (t for t in card["teams"] if norm(t["team"]) == norm(person.team)), None
                )
                checks = {c["id"]: c for c in (entry or {}).get("checks", [])}
                scorecard = [
                    dict(
                        c,
                        met=checks[c["id"]]["met"],
                        relevant=checks[c["id"]]["relevant"],
                        percent=checks[c["id"]]["percent"],
                        text=_phrase(
                            c["title"], checks[c["id"]]["met"], checks[c["id"]]["relevant"]
                        ),
                    )
                    for c in card["checks"]
                    if c["id"] in checks
                ]
                cases, flagged = (entry["cases"], entry["flagged"]) if entry else (0, 0)
                label = f"team {person.team}"
            else:
                team_rows, team_resolved, team_due = rows, resolved, due_rows
                scorecard = card["checks"]
                cases = card["cases"]
                flagged = len({r["case_id"] for r in rows})
                label = "the whole service"
            new = [r for r in team_rows if r["status"] == "new"]
            counts = {
                "new": len(new),
                "persisting": sum(1 for r in team_rows if r["status"] == "persisting"),
                "resolved": len(team_resolved),
            }
            new_list, new_more = listed(new)
            res_list, res_more = listed(team_resolved)
            due_list, due_more = listed(team_due)
            context = dict(
                common,
                due=due_list,
                due_more=due_more,
                person=person,
                label=label,
                cases=cases,
                flagged=flagged,
                counts=counts,
                scorecard=scorecard,
                new=new_list,
                new_more=new_more,
                resolved=res_list,
                resolved_more=res_more,
            )
            text = MANAGER_TEXT.render(**context)
            html = MANAGER_HTML.render(**context)
            summary = (
                f"{counts['new']} new, {counts['resolved']} resolved"
                if history
                else f"{flagged} flagged case(s)"
            )
            subject = (
                f"{prefix} {label[0].upper() + label[1:]} as of {_uk(as_of)}: {summary}".strip()
            )
            digests.append(Digest(person, "manager", _message(subject, sender, person, text, html)))
    return digests


def _due_rows(result: Any) -> list[dict[str, Any]]:
    """The run's due-soon items (never flags), each with its working days in words."""
    getter = getattr(result, "due_soon", None)
    rows = getter() if callable(getter) else []
    for row in rows:
        row["days"] = days_text(row["working_days"])
    return rows


def _phrase(title: str, met: int, relevant: int) -> str:
    from sqs_checks.result import phrase

    return phrase(title, met, relevant)
