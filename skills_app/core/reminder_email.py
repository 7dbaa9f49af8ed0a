"""Reminders by email: the "email" channel of `core/notify.py`.

Off unless the server is given an SMTP host. Settings (environment variables):

- `SKILLS_SMTP_HOST` (unset: no email at all), `SKILLS_SMTP_PORT` (587),
- `SKILLS_SMTP_USER` / `SKILLS_SMTP_PASSWORD` (no login when the user is unset),
- `SKILLS_SMTP_FROM` (the sender address; default `reminders@<host>`),
- `SKILLS_SMTP_STARTTLS` ("1", the default: upgrade the connection; "0" only for a
  relay on the same machine), `SKILLS_SMTP_TIMEOUT` (seconds, default 10),
- `SKILLS_PUBLIC_URL`: where the links point (default: the first allowed origin).

The email says nothing about what the reminder is for: the subject and first
line are the patient's chosen neutral wording, then a link to the app, then how
to stop these emails. Every message carries `List-Unsubscribe` (an https link
with a secret token) and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
(RFC 8058), so a mail app's "Unsubscribe" turns email reminders off in one POST
without signing in.

The token is an HMAC of the patient's id and address under a secret this
deployment makes on first use (`deployment_key` "email_links"), so every email
a patient got carries the same working link; only its SHA-256 is stored
(`reminder_preference.email_token_hash`). Using it turns email off and forgets
the hash: the link works once. A changed address makes another token.

`send` blocks (the scheduler runs it in a worker thread) but never longer than
the timeout; a connection that fails or times out, or a temporary SMTP answer,
is RETRY; an address the server refuses for good is NOWHERE.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import update
from sqlmodel import select

from skills_app import text
from skills_app.core import db, deployment_keys, notify, reminders
from skills_app.core.clock import utcnow
from skills_app.core.models import ReminderPreference, User
from skills_app.core.reminder_settings import link_token_hash, token_hash
from skills_app.core.settings import public_url
from skills_app.text import N_, _

logger = logging.getLogger("skills_app.reminders")

CHANNEL = "email"
SECRET_NAME = "email_links"
DEFAULT_PORT = 587
DEFAULT_TIMEOUT = 10.0
UNSUBSCRIBE_PATH = "/reminders/email-off/"

OPEN_APP = N_("Open the app: {link}")
STOP_EMAILS = N_("To stop these emails: {link}")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str
    password: str
    sender: str
    starttls: bool
    timeout: float


def smtp_settings() -> SmtpSettings | None:
    """The server's SMTP settings, or None when email is off (no `SKILLS_SMTP_HOST`)."""
    host = os.environ.get("SKILLS_SMTP_HOST", "").strip()
    if not host:
        return None
    port = os.environ.get("SKILLS_SMTP_PORT", "").strip()
    timeout = os.environ.get("SKILLS_SMTP_TIMEOUT", "").strip()
    return SmtpSettings(
        host=host,
        port=int(port) if port else DEFAULT_PORT,
        user=os.environ.get("SKILLS_SMTP_USER", "").strip(),
        password=os.environ.get("SKILLS_SMTP_PASSWORD", ""),
        sender=os.environ.get("SKILLS_SMTP_FROM", "").strip() or f"reminders@{host}",
        starttls=os.environ.get("SKILLS_SMTP_STARTTLS", "1").strip() != "0",
        timeout=float(timeout) if timeout else DEFAULT_TIMEOUT,
    )


def configured() -> bool:
    return smtp_settings() is not None


def _link_secret() -> bytes:
    """This deployment's secret for email links, made once (core/deployment_keys.py)."""
    return deployment_keys.get_or_make(SECRET_NAME, lambda: secrets.token_urlsafe(32)).encode()


def unsubscribe_token(user_id: int, address: str) -> str:
    digest = hmac.new(_link_secret(), f"reminder-email:{user_id}:{address}".encode(),
                      hashlib.sha256).hexdigest()
    return digest[:43]


def unsubscribe_url(token: str) -> str:
    return f"{public_url()}{UNSUBSCRIBE_PATH}{token}"


def message_for(notice: notify.Notice, sender: str, address: str, token: str) -> EmailMessage:
    """The content-free email for `notice`, in the patient's language."""
    stop = unsubscribe_url(token)
    with text.language(notice.language):
        body = "\n\n".join([notice.title, notice.body,
                            _(OPEN_APP, link=f"{public_url()}{notice.url}"),
                            _(STOP_EMAILS, link=stop)]) + "\n"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = address
    message["Subject"] = notice.title
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.add_header("List-Unsubscribe", f"<{stop}>")
    message.add_header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def _recipient(user_id: int) -> tuple[str, str] | None:
    """The patient's address and link token when they chose email (the token's hash is
    stored then), else None."""
    with db.read() as session:
        found = session.exec(select(User.email, ReminderPreference.by_email).join(
            ReminderPreference, ReminderPreference.user_id == User.id).where(
            User.id == user_id)).first()
    if found is None or not found[1] or not found[0]:
        return None
    address = found[0]
    token = unsubscribe_token(user_id, address)
    with db.transaction() as session:
        session.execute(update(ReminderPreference).where(
            ReminderPreference.user_id == user_id, ReminderPreference.by_email).values(
            email_token_hash=token_hash(token)))
    return address, token


def send(notice: notify.Notice) -> notify.SendResult:
    """Email `notice` to the patient, when email is on here and they chose it."""
    settings = smtp_settings()
    if settings is None:
        return notify.SendResult.NOWHERE
    recipient = _recipient(notice.user_id)
    if recipient is None:
        return notify.SendResult.NOWHERE
    address, token = recipient
    message = message_for(notice, settings.sender, address, token)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.user:
                smtp.login(settings.user, settings.password)
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused:
        logger.warning("reminder email refused by the mail server (delivery %s)",
                       notice.delivery_id)
        return notify.SendResult.NOWHERE
    except (OSError, smtplib.SMTPException) as error:
        # The type only: an SMTP answer can quote the address.
        logger.warning("reminder email not sent, will retry: %s", type(error).__name__)
        return notify.SendResult.RETRY
    return notify.SendResult.SENT


def turn_off_by_token(token: object) -> bool:
    """Turn email reminders off for the link's owner; False when the link is unknown or
    was used already."""
    hashed = link_token_hash(token)
    if hashed is None:
        return False
    with db.transaction() as session:
        owner = session.exec(select(ReminderPreference).where(
            ReminderPreference.email_token_hash == hashed)).first()
        if owner is None:
            return False
        owner.by_email, owner.email_token_hash, owner.updated_at = False, None, utcnow()
        session.add(owner)
        reminders.forget_cursors(session, owner.user_id)
    return True


def email_link_owner(token: object) -> int | None:
    """Whose email link this is (None: unknown or used)."""
    hashed = link_token_hash(token)
    if hashed is None:
        return None
    with db.read() as session:
        return session.exec(select(ReminderPreference.user_id).where(
            ReminderPreference.email_token_hash == hashed)).first()


notify.register(CHANNEL, send)
