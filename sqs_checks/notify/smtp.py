"""Sending the digests over SMTP (host, port, STARTTLS, login from the environment)."""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Iterable
from typing import Any

from sqs_checks.errors import ConfigError, UserError
from sqs_checks.notify.digest import Digest


def send(digests: Iterable[Digest], email: dict[str, Any]) -> int:
    """Send ``digests`` over one SMTP connection; return how many were sent.

    The login is read from the environment variables named by ``user_env`` and
    ``password_env`` (no login when the user variable is unset).
    """
    digests = list(digests)
    if not digests:
        return 0
    host = str(email.get("host") or "localhost")
    port = int(email.get("port") or 25)
    user = os.environ.get(str(email.get("user_env") or "SQS_CHECKS_SMTP_USER"))
    password_env = str(email.get("password_env") or "SQS_CHECKS_SMTP_PASSWORD")
    password = os.environ.get(password_env)
    if user and password is None:
        raise ConfigError(f"The SMTP user is set but {password_env} is not; set both or neither.")
    where = f"{host}:{port}"
    try:
        with smtplib.SMTP(host, port, timeout=30) as server:
            server.ehlo()
            if email.get("starttls"):
                context = ssl.create_default_context(cafile=email.get("ca_file") or None)
                server.starttls(context=context)
                server.ehlo()
            if user:
                server.login(user, password or "")
            for digest in digests:
                server.send_message(digest.message)
    except smtplib.SMTPAuthenticationError:
        raise UserError(
            f"The SMTP server {where} refused the login of {user}; check the credentials in "
            "the environment."
        ) from None
    except (TimeoutError, smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserError(f"Cannot send the email digests through {where} ({reason}).") from None
    return len(digests)
