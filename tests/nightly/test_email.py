"""Email digests, received by a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from nightly_helpers import add_shim, cli, write_config

from sqs_checks.testing import make_export
from sqs_checks.workspace import init_workspace

START = "2013-01-07"
STAFF = [
    {"name": "Alex Smith", "role": "case_manager", "team": "North", "email": "alex@example.org"},
    {"name": "Sam Jones", "role": "case_manager", "team": "North", "email": "sam@example.org"},
    {"name": "Pat Lee", "role": "practice_manager", "team": "North", "email": "pat@example.org"},
    {"name": "Kim Ray", "role": "operational_manager", "team": "", "email": "kim@example.org"},
]


class Sink:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd API
        self.received.append(
            {
                "to": list(envelope.rcpt_tos),
                "message": email.message_from_bytes(
                    envelope.original_content, policy=email.policy.default
                ),
                "login": getattr(session.auth_data, "login", None),
                "tls": session.ssl is not None,
            }
        )
        return "250 OK"

    def by_address(self) -> dict[str, EmailMessage]:
        """The received messages by recipient."""
        return {r["to"][0]: r["message"] for r in self.received}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"digests",
        b"s3cret",
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1 (AUTH allowed without TLS, login optional)."""
    sink = Sink()
    controller = Controller(
        sink,
        hostname="127.0.0.1",
        port=_free_port(),
        authenticator=_authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield sink, controller.port
    finally:
        controller.stop()


def _export(folder: Path, night: int, staff: list[dict] | None = None) -> None:
    cases = [
        {"case_id": "C1", "start_date": START, "case_manager": "Alex Smith", "team": "North"},
        {"case_id": "C2", "start_date": START, "case_manager": "Sam Jones", "team": "North"},
    ]
    if night >= 2:
        cases.append(
            {"case_id": "C3", "start_date": START, "case_manager": "Sam Jones", "team": "North"}
        )
    make_export(
        folder,
        {
            "cases": cases,
            "assessments": [
                {
                    "case_id": "C2",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": "2013-01-21",
                }
            ],
            "staff": staff if staff is not None else STAFF,
        },
    )


def _workspace(tmp_path: Path, port: int, **email_settings: Any) -> Path:
    root = tmp_path / "ws"
    init_workspace(root)
    add_shim(root / "plugins")
    # the digests are about the planted defect only: one check, so partly-judged checks on
    # this small export do not add flags of their own
    (root / "suites" / "initial-only.yml").write_text(
        "extend: open-cases\nchecks: [reoffending.initial_assessment]\n", encoding="utf-8"
    )
    write_config(
        root,
        export={"path": "exports/latest"},
        run={"formats": ["json"], "suite": "initial-only"},
        history={"url": "sqlite:///history.sqlite"},
        email={
            "enabled": True,
            "host": "127.0.0.1",
            "port": port,
            "sender": "sqs-checks@yjs.example",
            **email_settings,
        },
    )
    return root


def _parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_digests_after_the_second_night(tmp_path: Path, smtp) -> None:
    """Case managers get their own new and persisting flags; managers their team's changes."""
    sink, port = smtp
    ws = _workspace(tmp_path, port)
    _export(ws / "exports" / "latest", night=1)
    assert cli(["run", "--as-of", "2013-03-18", "-q"], cwd=ws).exit_code == 0
    assert sorted(sink.by_address()) == ["alex@example.org", "kim@example.org", "pat@example.org"]
    sink.received.clear()

    _export(ws / "exports" / "latest", night=2)
    result = cli(["run", "--as-of", "2013-03-19", "-q"], cwd=ws)
    assert result.exit_code == 0 and "Warning" not in result.output, result.output
    got = sink.by_address()
    assert sorted(got) == [
        "alex@example.org",
        "kim@example.org",
        "pat@example.org",
        "sam@example.org",
    ]

    alex = got["alex@example.org"]
    assert alex["From"] == "sqs-checks@yjs.example"
    assert alex["Subject"] == "[sqs-checks] Your flags as of 19/03/2013: 0 new, 1 persisting"
    text, html = _parts(alex)
    assert "Case C1" in text and "open since 18/03/2013, 1 night]" in text
    assert "C3" not in text and "<td>C1</td>" in html and "18/03/2013 (1 night)" in html

    sam_text, _ = _parts(got["sam@example.org"])
    assert got["sam@example.org"]["Subject"].endswith("1 new, 0 persisting")
    assert "Case C3" in sam_text and "Case C1" not in sam_text

    pat = got["pat@example.org"]
    assert pat["Subject"] == "[sqs-checks] Team North as of 19/03/2013: 1 new, 0 resolved"
    pat_text, pat_html = _parts(pat)
    assert "1 new flag(s), 0 resolved, 1 persisting" in pat_text
    title = "Initial assessment of the likelihood of reoffending completed on time"
    assert f"{title}: 1 of 3" in pat_text
    assert "<h2>Scorecard</h2>" in pat_html and "Case C3" in pat_text
    assert got["kim@example.org"]["Subject"].startswith("[sqs-checks] The whole service")

    for message in got.values():
        assert message.is_multipart() and message.get_content_type() == "multipart/alternative"
        text, html = _parts(message)
        assert "K-C" not in text + html  # no child identifiers unless configured


def test_child_ids_only_when_configured(tmp_path: Path, smtp) -> None:
    """``show_child_ids = true`` adds the child's id beside the case."""
    sink, port = smtp
    ws = _workspace(tmp_path, port, show_child_ids=True, managers=False)
    _export(ws / "exports" / "latest", night=1)
    assert cli(["run", "--as-of", "2013-03-18", "-q"], cwd=ws).exit_code == 0
    text, html = _parts(sink.by_address()["alex@example.org"])
    assert "(child K-C1)" in text and "<td>K-C1</td>" in html


def test_login_from_the_environment_and_csv_address_book(tmp_path: Path, smtp, monkeypatch) -> None:
    """Credentials come from the environment; the address book from a CSV; HTML is escaped."""
    sink, port = smtp
    monkeypatch.setenv("SQS_CHECKS_SMTP_USER", "digests")
    monkeypatch.setenv("SQS_CHECKS_SMTP_PASSWORD", "s3cret")
    ws = _workspace(tmp_path, port, address_book="people.csv", managers=False)
    (ws / "people.csv").write_text(
        "Name,Email,Role,Team\nJo <b>Bloggs</b>,jo@example.org,case_manager,North\n",
        encoding="utf-8",
    )
    make_export(
        ws / "exports" / "latest",
        {
            "cases": [{"case_id": "C1", "start_date": START, "case_manager": "jo <b>bloggs</b> "}],
            "assessments": [],
        },
    )
    result = cli(["run", "--as-of", "2013-03-18", "-q"], cwd=ws)
    assert result.exit_code == 0 and "Warning" not in result.output, result.output
    [received] = sink.received
    assert received["login"] == b"digests"
    _, html = _parts(received["message"])
    assert "Dear Jo &lt;b&gt;Bloggs&lt;/b&gt;" in html and "<b>Bloggs" not in html


def test_wrong_login_is_a_warning_not_a_failure(tmp_path: Path, smtp, monkeypatch) -> None:
    """A refused login is one warning line; the run still exits 0 and history is kept."""
    sink, port = smtp
    monkeypatch.setenv("SQS_CHECKS_SMTP_USER", "digests")
    monkeypatch.setenv("SQS_CHECKS_SMTP_PASSWORD", "wrong")
    ws = _workspace(tmp_path, port)
    _export(ws / "exports" / "latest", night=1)
    result = cli(["run", "--as-of", "2013-03-18", "-q"], cwd=ws)
    assert result.exit_code == 0
    assert "refused the login of digests" in result.output and "Traceback" not in result.output
    assert sink.received == []
    assert (ws / "history.sqlite").exists()


def test_starttls(tmp_path: Path, monkeypatch) -> None:
    """STARTTLS with a private authority (ca_file), then login."""
    import ssl

    cryptography = pytest.importorskip("cryptography")
    del cryptography
    cert, key = _self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    sink = Sink()
    controller = Controller(
        sink,
        hostname="127.0.0.1",
        port=_free_port(),
        tls_context=context,
        require_starttls=True,
        authenticator=_authenticator,
    )
    controller.start()
    try:
        monkeypatch.setenv("SQS_CHECKS_SMTP_USER", "digests")
        monkeypatch.setenv("SQS_CHECKS_SMTP_PASSWORD", "s3cret")
        ws = _workspace(tmp_path, controller.port, starttls=True, ca_file=str(cert), managers=False)
        _export(ws / "exports" / "latest", night=1)
        result = cli(["run", "--as-of", "2013-03-18", "-q"], cwd=ws)
    finally:
        controller.stop()
    assert result.exit_code == 0 and "Warning" not in result.output, result.output
    [received] = sink.received
    assert received["tls"] and received["login"] == b"digests"


def _self_signed(folder: Path) -> tuple[Path, Path]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
