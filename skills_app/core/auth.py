"""Accounts, passwords, sign-in throttling and server-side sessions.

Everything about who someone is lives here, so the HTTP auth routes and every
Reflex handler share one set of rules:

- passwords: argon2id (m=19456, t=2, p=1), 15-256 code points, any Unicode,
  judged by zxcvbn and never containing the user's email or name;
- throttling: 10 consecutive failures for an email lock it for 15 minutes,
  plus a cap per network address; unknown emails behave exactly like known ones;
- sessions: a random token per sign-in, stored only as its SHA-256, with idle
  and absolute limits per role, checked on every event.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from passlib.context import CryptContext
from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from zxcvbn import zxcvbn

from skills_app.core import db
from skills_app.core.clock import utcnow
from skills_app.core.models import (
    AddressAttempt,
    AttemptKind,
    AuthSession,
    LoginThrottle,
    Role,
    User,
)
from skills_app.core.schemas import (
    PASSWORD_MAX,
    ChangePasswordForm,
    FieldErrors,
    SignInForm,
    SignUpForm,
    parse_form,
)
from skills_app.core.settings import signups_per_address_hour

password_context = CryptContext(
    schemes=["argon2"],
    argon2__type="ID",
    argon2__memory_cost=19456,
    argon2__rounds=2,
    argon2__parallelism=1,
)

MIN_STRENGTH_SCORE = 3
LOCK_AFTER_FAILURES = 10
LOCK_DURATION = timedelta(minutes=15)
ADDRESS_FAILURE_CAP = 100
ADDRESS_WINDOW = timedelta(minutes=15)
SIGN_UP_WINDOW = timedelta(hours=1)
ATTEMPTS_KEPT = timedelta(days=1)


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta
    absolute: timedelta


SESSION_POLICIES = {
    Role.THERAPIST: SessionPolicy(idle=timedelta(minutes=15), absolute=timedelta(hours=12)),
    Role.PATIENT: SessionPolicy(idle=timedelta(days=7), absolute=timedelta(days=30)),
}
# Refreshing last_seen on every event would make every click a write.
LAST_SEEN_RESOLUTION = timedelta(seconds=30)

BAD_CREDENTIALS = "That email and password don't match. Please check them and try again."
LOCKED = ("Too many tries. To keep your account safe, signing in is paused for 15 minutes. "
          "If you need help now, use the Get help now button.")
ADDRESS_LOCKED = ("Too many sign-in tries from this network. Please wait 15 minutes and try again.")
SIGN_UPS_CAPPED = ("Many accounts were made from this network in the last hour, so new ones are "
                   "paused for a while. Please try again in an hour, or ask your program's staff "
                   "for help.")
EMAIL_TAKEN = "This email already has an account. Try signing in instead."


def hash_password(password: str) -> str:
    """Hash a password as the forms deliver it (already NFKC, see `schemas.normalise_password`)."""
    return password_context.hash(password)


_DUMMY_HASH = hash_password("an unused passphrase that only evens out timing")


def _comparable(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Why a new password is not good enough, in plain words; empty when it is fine.

    `password` is the normalised form the schema returns (length and characters
    already checked), which is also what gets hashed. The email and name are
    compared NFKC-normalised and casefolded, so "ＤＡＮＡ" counts as "dana".
    """
    lowered = _comparable(password)
    personal = [_comparable(part) for part in (email, email.split("@")[0], name)]
    personal = [part for part in personal if len(part) >= 3]
    if any(part in lowered for part in personal):
        return ["Please don't use your email or name in your password."]
    result = zxcvbn(password, user_inputs=personal, max_length=PASSWORD_MAX)
    if result["score"] >= MIN_STRENGTH_SCORE:
        return []
    problems = ["This password is too common or too easy to guess."]
    warning = result["feedback"].get("warning")
    if warning:
        problems.append(warning.rstrip(".") + ".")
    problems.append("Try a short sentence or four or more unrelated words.")
    return problems


@dataclass(frozen=True)
class Identity:
    """Who is making a request, as resolved from the server-side session."""

    user_id: int
    session_id: int
    role: Role
    display_name: str
    time_zone: str


@dataclass(frozen=True)
class AuthResult:
    """The outcome of sign-up, sign-in or a password change."""

    token: str | None = None
    identity: Identity | None = None
    errors: FieldErrors | None = None

    @property
    def ok(self) -> bool:
        return self.token is not None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _identity(user: User, session: AuthSession) -> Identity:
    return Identity(user_id=user.id, session_id=session.id, role=Role(user.role),
                    display_name=user.display_name, time_zone=user.time_zone)


def _start_session(session: db.Session, user: User) -> tuple[str, Identity]:
    token = secrets.token_urlsafe(32)
    row = AuthSession(token_hash=hash_token(token), user_id=user.id)
    session.add(row)
    session.flush()
    return token, _identity(user, row)


def sign_up(raw: object, *, address: str) -> AuthResult:
    """Create an account and start its first session.

    Each network address may create `settings.signups_per_address_hour()`
    accounts an hour; answers that an email is taken count too, so sign-up is
    no faster way than sign-in to learn which emails have accounts.
    """
    form, errors = parse_form(SignUpForm, raw)
    if form is None:
        return AuthResult(errors=errors)
    now = utcnow()
    with db.read() as session:
        capped = _address_attempts(session, AttemptKind.SIGN_UP, address,
                                   now - SIGN_UP_WINDOW) >= signups_per_address_hour()
    if capped:
        return AuthResult(errors={"form": SIGN_UPS_CAPPED})
    problems = password_problems(form.password, email=form.email, name=form.display_name)
    if problems:
        return AuthResult(errors={"password": " ".join(problems)})
    password_hash = hash_password(form.password)
    try:
        with db.transaction() as session:
            _record_attempt(session, AttemptKind.SIGN_UP, address, now)
            if session.exec(select(User.id).where(User.email == form.email)).first():
                return AuthResult(errors={"email": EMAIL_TAKEN})
            user = User(email=form.email, display_name=form.display_name, role=form.role.value,
                        password_hash=password_hash, time_zone=form.time_zone)
            session.add(user)
            session.flush()
            token, identity = _start_session(session, user)
    except IntegrityError:
        return AuthResult(errors={"email": EMAIL_TAKEN})
    return AuthResult(token=token, identity=identity)


def _address_attempts(session: db.Session, kind: AttemptKind, address: str,
                      since: datetime) -> int:
    return session.exec(
        select(func.count()).select_from(AddressAttempt).where(
            AddressAttempt.kind == kind.value, AddressAttempt.address == address,
            AddressAttempt.at > since)
    ).one()


def _record_attempt(session: db.Session, kind: AttemptKind, address: str, now: datetime) -> None:
    session.add(AddressAttempt(kind=kind.value, address=address, at=now))
    session.execute(delete(AddressAttempt).where(AddressAttempt.at < now - ATTEMPTS_KEPT))


def _address_locked(session: db.Session, address: str, now: datetime) -> bool:
    return _address_attempts(session, AttemptKind.SIGN_IN_FAILURE, address,
                             now - ADDRESS_WINDOW) >= ADDRESS_FAILURE_CAP


def _record_failure(session: db.Session, email: str, address: str, now: datetime) -> bool:
    """Count one failure; True when this failure locks the email."""
    throttle = session.get(LoginThrottle, email) or LoginThrottle(email=email, failures=0)
    throttle.failures += 1
    locked = throttle.failures >= LOCK_AFTER_FAILURES
    if locked:
        throttle.failures = 0
        throttle.locked_until = now + LOCK_DURATION
    session.add(throttle)
    _record_attempt(session, AttemptKind.SIGN_IN_FAILURE, address, now)
    return locked


def sign_in(raw: object, *, address: str) -> AuthResult:
    """Check an email and password; start a new session when they match."""
    form, errors = parse_form(SignInForm, raw)
    if form is None:
        return AuthResult(errors=errors)
    now = utcnow()
    with db.transaction() as session:
        if _address_locked(session, address, now):
            password_context.verify("x", _DUMMY_HASH)
            return AuthResult(errors={"form": ADDRESS_LOCKED})
        throttle = session.get(LoginThrottle, form.email)
        user = session.exec(select(User).where(User.email == form.email)).first()
        # Always verify once, so unknown emails cost the same time as wrong passwords.
        valid, new_hash = password_context.verify_and_update(
            form.password, user.password_hash if user else _DUMMY_HASH)
        if throttle and throttle.locked_until and throttle.locked_until > now:
            return AuthResult(errors={"form": LOCKED})
        if not (user and valid and form.password):
            locked = _record_failure(session, form.email, address, now)
            return AuthResult(errors={"form": LOCKED if locked else BAD_CREDENTIALS})
        if throttle:
            session.delete(throttle)
        if new_hash:
            user.password_hash = new_hash
            session.add(user)
        token, identity = _start_session(session, user)
    return AuthResult(token=token, identity=identity)


def resolve_session(token: str | None) -> Identity | None:
    """The identity behind a session token, or None when it is unknown or expired.

    Called on every protected event. Expired sessions are deleted on the spot.
    """
    if not token or len(token) > 200:
        return None
    now = utcnow()
    with db.transaction() as session:
        row = session.exec(
            select(AuthSession, User).join(User, User.id == AuthSession.user_id)
            .where(AuthSession.token_hash == hash_token(token))
        ).first()
        if row is None:
            return None
        auth_session, user = row
        policy = SESSION_POLICIES[Role(user.role)]
        if (now - auth_session.last_seen_at > policy.idle
                or now - auth_session.created_at > policy.absolute):
            session.delete(auth_session)
            return None
        if now - auth_session.last_seen_at > LAST_SEEN_RESOLUTION:
            auth_session.last_seen_at = now
            session.add(auth_session)
        return _identity(user, auth_session)


def sign_out(token: str | None) -> None:
    if not token:
        return
    with db.transaction() as session:
        session.execute(delete(AuthSession).where(AuthSession.token_hash == hash_token(token)))


def sign_out_everywhere(user_id: int) -> int:
    """End every session of a user; returns how many ended."""
    with db.transaction() as session:
        result = session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))
        return result.rowcount


def change_password(identity: Identity, raw: object) -> AuthResult:
    """Change a password and end every other session; the caller gets a fresh token."""
    form, errors = parse_form(ChangePasswordForm, raw)
    if form is None:
        return AuthResult(errors=errors)
    with db.transaction() as session:
        user = session.get(User, identity.user_id)
        if user is None:
            return AuthResult(errors={"form": "Please sign in again."})
        if not password_context.verify(form.current_password, user.password_hash):
            return AuthResult(errors={"current_password": "That is not your current password."})
        problems = password_problems(form.new_password, email=user.email, name=user.display_name)
        if problems:
            return AuthResult(errors={"new_password": " ".join(problems)})
        user.password_hash = hash_password(form.new_password)
        session.add(user)
        session.execute(delete(AuthSession).where(AuthSession.user_id == user.id))
        token, new_identity = _start_session(session, user)
    return AuthResult(token=token, identity=new_identity)
