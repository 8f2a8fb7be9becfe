"""Outgoing mail: files in the outbox by default, a real SMTP conversation when configured."""

from __future__ import annotations

import email

from tests.conftest import free_port
from wish.mail import Mailer


def test_without_smtp_mail_is_written_to_the_outbox(tmp_path):
    mailer = Mailer("WISH <no-reply@wish.test>", tmp_path / "outbox")
    assert mailer.send("vol@example.org", "Your link", "Here: https://wish.test/edit?key=abc")
    [path] = (tmp_path / "outbox").glob("*.eml")
    msg = email.message_from_bytes(path.read_bytes())
    assert (msg["To"], msg["Subject"]) == ("vol@example.org", "Your link")
    assert "key=abc" in msg.get_payload(decode=True).decode()
    assert path.stat().st_mode & 0o077 == 0  # private links: readable by the owner only


def test_with_smtp_mail_goes_to_the_server(tmp_path, smtp_server):
    controller, received = smtp_server
    port = controller.port
    mailer = Mailer("WISH <no-reply@wish.test>", tmp_path / "outbox", host="127.0.0.1", port=port, starttls=False)
    assert mailer.send("vol@example.org", "Your link", "Here: https://wish.test/edit?key=abc")
    [msg] = received
    assert msg["To"] == "vol@example.org" and "key=abc" in msg.get_payload(decode=True).decode()
    assert not (tmp_path / "outbox").exists()


def test_an_unreachable_smtp_server_is_reported_not_raised(tmp_path):
    mailer = Mailer("WISH <no-reply@wish.test>", tmp_path / "outbox", host="127.0.0.1", port=free_port(), timeout=2)
    assert mailer.send("vol@example.org", "Your link", "body") is False
