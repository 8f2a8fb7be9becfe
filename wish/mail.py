"""Outgoing e-mail: through SMTP when configured, else as .eml files in instance/outbox/. No Flask."""

from __future__ import annotations

import logging
import secrets
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mailer:
    sender: str
    outbox: Path
    host: str = ""
    port: int = 587
    user: str = ""
    password: str = ""
    starttls: bool = True
    timeout: float = 10.0

    def message(self, to: str, subject: str, body: str) -> EmailMessage:
        msg = EmailMessage()
        # Header values on one line, whatever a stored name holds (imports keep text as given).
        msg["From"], msg["To"], msg["Subject"] = self.sender, " ".join(to.split()), " ".join(subject.split())
        msg["Message-ID"] = make_msgid(domain="wish.local")
        msg.set_content(body)
        return msg

    def send(self, to: str, subject: str, body: str) -> bool:
        """Send one plain-text mail; False (logged, without the address) when the server refuses."""
        msg = self.message(to, subject, body)
        if not self.host:
            self.outbox.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            path = self.outbox / f"{stamp}-{secrets.token_hex(4)}.eml"
            path.write_bytes(bytes(msg))
            path.chmod(0o600)  # holds private edit links
            return True
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("mail not sent: %s", type(exc).__name__)
            return False
        return True
