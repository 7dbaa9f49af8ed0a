"""Accounts, passwords, sign-in throttling and server-side sessions.

Everything about who someone is lives here, so the HTTP auth routes and every
Reflex handler share one set of rules:

- passwords: argon2id (m=19456, t=2, p=1), 15-256 code points after NFKC, any
  Unicode, judged by zxcvbn and never containing the user's email or name;
- throttling: wrong passwords (at sign-in, password change or account
  deletion) are counted per (email, network address): after 5, that pair waits
  30 s, then twice as long after each further failure, up to 15 minutes. A
  stranger hammering an email slows only themselves; the owner on their own
  phone (another address) signs in as usual. Per address, failed sign-ins
  across all emails are capped (100 in 15 minutes), and sign-ups too. Per
  email, 100 consecutive failures from all addresses together (NIST SP
  800-63B 5.2.2) stop password checks for it until a server admin runs
  `unlock-sign-in`; a successful sign-in clears the count. Unknown emails
  behave exactly like known ones;
- sessions: a random token per sign-in, stored only as its SHA-256, with idle
  and absolute limits per role, checked on every event.

argon2 is slow on purpose, so it never runs inside a database transaction:
each operation reads (`db.read()`), hashes or verifies with no transaction
open, then writes in one short `db.transaction()`. These functions block:
the web routes call them from a worker thread, never on the event loop.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import secrets
import threading
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from passlib.context import CryptContext
from sqlalchemy import bindparam, case, delete, func, literal, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from zxcvbn import zxcvbn

from skills_app.core import db, programs
from skills_app.core.clock import utcnow
from skills_app.core.models import (
    AddressAttempt,
    AttemptKind,
    AuthSession,
    LoginThrottle,
    Role,
    SignInDelay,
    User,
    UTCDateTime,
)
from skills_app.core.problems import Problem
from skills_app.core.schemas import (
    PASSWORD_MAX,
    ChangePasswordForm,
    DeleteAccountForm,
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
# Per (email, address): free tries, then a wait that doubles per failure.
PAIR_FREE_FAILURES = 5
PAIR_FIRST_DELAY = timedelta(seconds=30)
PAIR_MAX_DELAY = timedelta(minutes=15)
PAIR_MEMORY = timedelta(days=1)
# Per email, from every address together (NIST SP 800-63B 5.2.2: at most 100).
ACCOUNT_LOCK_FAILURES = 100
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

# What went wrong, as facts (sentences in skills_app/text/words/account.py).
BAD_CREDENTIALS = Problem("bad_credentials")
ACCOUNT_LOCKED = Problem("account_locked")
SIGN_UPS_CAPPED = Problem("sign_ups_capped")
EMAIL_TAKEN = Problem("email_taken")
NOT_CURRENT = Problem("not_current_password")
SIGN_IN_AGAIN = Problem("sign_in_again")
WRONG_PASSWORD = Problem("wrong_password_nothing_deleted")
PASSWORD_PERSONAL = Problem("password_personal")
# zxcvbn's feedback is English: each warning it gives becomes a code of our own.
_STRENGTH_WARNINGS = {
    "Straight rows of keys are easy to guess.": "keyboard_row",
    "Short keyboard patterns are easy to guess.": "keyboard_pattern",
    'Repeats like "aaa" are easy to guess.': "repeated_character",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".':
        "repeated_group",
    'Sequences like "abc" or "6543" are easy to guess.': "sequence",
    "Recent years are easy to guess.": "recent_year",
    "Dates are often easy to guess.": "date",
    "This is a top-10 common password.": "top10",
    "This is a top-100 common password.": "top100",
    "This is a very common password.": "very_common",
    "This is similar to a commonly used password.": "like_common",
    "A word by itself is easy to guess.": "single_word",
    "Names and surnames by themselves are easy to guess.": "name_alone",
    "Common names and surnames are easy to guess.": "common_names",
}

# argon2-cffi releases the GIL, so each hash or verification in flight keeps a
# whole core busy for tens of milliseconds. The web worker's event loop (every
# websocket event of every signed-in person) needs a core too. So password work
# runs in a small pool of its own (all cores but one, per process), whose
# threads run at the lowest CPU priority: in a storm of sign-ins, a patient's
# save still gets the processor first, and sign-ins wait instead.
ARGON2_SLOTS = max(1, (os.cpu_count() or 1) - 1)
ARGON2_NICENESS = 19


def _lower_priority() -> None:
    # On Linux every thread has its own niceness; elsewhere the pool size alone applies.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), ARGON2_NICENESS)


def _new_argon2_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=ARGON2_SLOTS, thread_name_prefix="argon2",
                              initializer=_lower_priority)


_argon2_pool = _new_argon2_pool()


def _after_fork() -> None:
    # A forked web worker inherits the pool but not its threads: work sent to it
    # would wait forever.
    global _argon2_pool
    _argon2_pool = _new_argon2_pool()


os.register_at_fork(after_in_child=_after_fork)


def hash_password(password: str) -> str:
    """Hash a password as the forms deliver it (already NFKC, see `schemas.normalise_password`)."""
    return _argon2_pool.submit(password_context.hash, password).result()


def _verify_password(password: str, password_hash: str) -> tuple[bool, str | None]:
    """Whether `password` matches; and a new hash when the stored one has old parameters."""
    return _argon2_pool.submit(password_context.verify_and_update, password,
                               password_hash).result()


_DUMMY_HASH = hash_password("an unused passphrase that only evens out timing")


def _comparable(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def password_problem(password: str, *, email: str = "", name: str = "") -> Problem | None:
    """Why a new password is not good enough (a `Problem`); None when it is fine.

    `password` is the normalised form the schema returns (length and characters
    already checked), which is also what gets hashed. The email and name are
    compared NFKC-normalised and casefolded, so "ＤＡＮＡ" counts as "dana".
    """
    lowered = _comparable(password)
    personal = [_comparable(part) for part in (email, email.split("@")[0], name)]
    personal = [part for part in personal if len(part) >= 3]
    if any(part in lowered for part in personal):
        return PASSWORD_PERSONAL
    result = zxcvbn(password, user_inputs=personal, max_length=PASSWORD_MAX)
    if result["score"] >= MIN_STRENGTH_SCORE:
        return None
    kind = _STRENGTH_WARNINGS.get(result["feedback"].get("warning") or "")
    return Problem(f"password_weak_{kind}" if kind else "password_weak")


@dataclass(frozen=True)
class Identity:
    """Who is making a request, as resolved from the server-side session."""

    user_id: int
    session_id: int
    role: Role
    display_name: str
    time_zone: str
    language: str = "en"


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
                    display_name=user.display_name, time_zone=user.time_zone,
                    language=user.language)


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
    # Therapist accounts only from a program's invitation; anyone else is a patient.
    invitation = raw.get("invitation") if form.role == Role.THERAPIST else None
    if form.role == Role.THERAPIST and programs.check_invitation(invitation) is None:
        return AuthResult(errors={"form": programs.INVITATION_REFUSED if invitation
                                  else programs.NEEDS_INVITATION})
    now = utcnow()
    with db.read() as session:
        capped = _address_attempts(session, AttemptKind.SIGN_UP, address,
                                   now - SIGN_UP_WINDOW) >= signups_per_address_hour()
        taken = session.exec(select(User.id).where(User.email == form.email)).first() is not None
    if capped:
        return AuthResult(errors={"form": SIGN_UPS_CAPPED})
    problem = password_problem(form.password, email=form.email, name=form.display_name)
    if problem:
        return AuthResult(errors={"password": problem})
    if taken:
        return _email_taken(address, now)
    password_hash = hash_password(form.password)
    try:
        with db.transaction() as session:
            user = User(email=form.email, display_name=form.display_name, role=form.role.value,
                        password_hash=password_hash, time_zone=form.time_zone,
                        language=form.language)
            session.add(user)
            session.flush()
            if invitation is not None and not programs.redeem_invitation(
                    session, invitation, user.id, now):
                # Used or expired while the password was hashed: no account.
                raise _InvitationGone
            _record_attempt(session, AttemptKind.SIGN_UP, address, now)
            token, identity = _start_session(session, user)
    except IntegrityError:
        # The same email signed up while this password was being hashed.
        return _email_taken(address, now)
    except _InvitationGone:
        return AuthResult(errors={"form": programs.INVITATION_REFUSED})
    return AuthResult(token=token, identity=identity)


class _InvitationGone(Exception):
    """Rolls back a sign-up whose invitation was taken meanwhile."""


def _email_taken(address: str, now: datetime) -> AuthResult:
    with db.transaction() as session:
        _record_attempt(session, AttemptKind.SIGN_UP, address, now)
    return AuthResult(errors={"email": EMAIL_TAKEN})


def _address_attempts(session: db.Session, kind: AttemptKind, address: str,
                      since: datetime) -> int:
    """How many attempts of `kind` came from `address` since then.

    A count of rows, one inserted per attempt: concurrent attempts can all pass
    the check at once (by at most the number in flight), but none is lost, so
    the next one after them is refused.
    """
    return session.exec(
        select(func.count()).select_from(AddressAttempt).where(
            AddressAttempt.kind == kind.value, AddressAttempt.address == address,
            AddressAttempt.at > since)
    ).one()


def _record_attempt(session: db.Session, kind: AttemptKind, address: str, now: datetime) -> None:
    session.add(AddressAttempt(kind=kind.value, address=address, at=now))
    session.execute(delete(AddressAttempt).where(AddressAttempt.at < now - ATTEMPTS_KEPT))


def pair_delay(failures: int) -> timedelta:
    """How long an (email, address) pair waits after its `failures`-th failure."""
    if failures < PAIR_FREE_FAILURES:
        return timedelta(0)
    doublings = min(failures - PAIR_FREE_FAILURES, 16)  # 2**16 * 30 s is past the cap
    return min(PAIR_FIRST_DELAY * 2 ** doublings, PAIR_MAX_DELAY)


def wait_problem(code: str, wait: timedelta) -> Problem:
    """`code` with the wait in whole minutes, rounded up (a problem per count,
    so each language words one minute and several its own way)."""
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return Problem(f"{code}_one_minute") if minutes == 1 else Problem(code, minutes=minutes)


def _address_wait(session: db.Session, address: str, now: datetime) -> timedelta:
    """How long until `address` has fewer than ADDRESS_FAILURE_CAP failures in the window."""
    recent = session.exec(
        select(AddressAttempt.at).where(
            AddressAttempt.kind == AttemptKind.SIGN_IN_FAILURE.value,
            AddressAttempt.address == address, AddressAttempt.at > now - ADDRESS_WINDOW)
        .order_by(AddressAttempt.at.desc()).offset(ADDRESS_FAILURE_CAP - 1).limit(1)
    ).first()
    return timedelta(0) if recent is None else recent + ADDRESS_WINDOW - now


def _account_locked(session: db.Session, email: str, *, for_update: bool = False) -> bool:
    query = select(LoginThrottle.failures).where(LoginThrottle.email == email)
    failures = session.exec(query.with_for_update() if for_update else query).first()
    return failures is not None and failures >= ACCOUNT_LOCK_FAILURES


def _pair_wait(session: db.Session, email: str, address: str, now: datetime) -> timedelta:
    row = session.exec(select(SignInDelay.failures, SignInDelay.last_failure_at).where(
        SignInDelay.email == email, SignInDelay.address == address)).first()
    if row is None or now - row[1] > PAIR_MEMORY:
        return timedelta(0)
    return max(timedelta(0), row[1] + pair_delay(row[0]) - now)


def _refusal(session: db.Session, email: str, address: str, now: datetime) -> Problem | None:
    """Why a password for `email` from `address` is not even checked now, or None."""
    address_wait = _address_wait(session, address, now)
    if address_wait > timedelta(0):
        return wait_problem("address_wait", address_wait)
    if _account_locked(session, email):
        return ACCOUNT_LOCKED
    pair_wait = _pair_wait(session, email, address, now)
    if pair_wait > timedelta(0):
        return wait_problem("wait", pair_wait)
    return None


def _record_failure(email: str, address: str, now: datetime) -> Problem | None:
    """Count one wrong password for `email` from `address`; the wait or lock it
    brings (None when the next try may come at once).

    Each count is one INSERT ... ON CONFLICT DO UPDATE ... RETURNING: reading
    the row and then writing it lost concurrent failures (75 at once on
    PostgreSQL left a count at 5). The pair's count, the email's count and
    the address's row are written in one transaction, so they agree.
    """
    pair, throttle = SignInDelay.__table__.c, LoginThrottle.__table__.c
    at = literal(now, UTCDateTime())
    with db.transaction() as session:
        pair_failures = session.execute(
            db.upsert(session, SignInDelay).values(
                email=email, address=address, failures=1, last_failure_at=now
            ).on_conflict_do_update(
                index_elements=[pair.email, pair.address],
                set_={"failures": case((pair.last_failure_at < now - PAIR_MEMORY, 1),
                                       else_=pair.failures + 1),
                      "last_failure_at": at},
            ).returning(pair.failures)).scalar_one()
        account_failures = session.execute(
            db.upsert(session, LoginThrottle).values(email=email, failures=1)
            .on_conflict_do_update(index_elements=[throttle.email],
                                   set_={"failures": throttle.failures + 1})
            .returning(throttle.failures)).scalar_one()
        _record_attempt(session, AttemptKind.SIGN_IN_FAILURE, address, now)
        session.execute(delete(SignInDelay).where(
            SignInDelay.last_failure_at < now - PAIR_MEMORY))
    if account_failures >= ACCOUNT_LOCK_FAILURES:
        return ACCOUNT_LOCKED
    if pair_failures >= PAIR_FREE_FAILURES:
        return wait_problem("wait", pair_delay(pair_failures))
    return None


def unlock_sign_in(email: str) -> bool:
    """Let an email's password be checked again after ACCOUNT_LOCK_FAILURES; True when
    it was locked. A server command (`skills_app.admin unlock-sign-in`), run once
    the program's staff know the person asking is the account's owner."""
    with db.transaction() as session:
        locked = _account_locked(session, email, for_update=True)
        session.execute(delete(LoginThrottle).where(LoginThrottle.email == email))
    return locked


def _unchanged_user(session: db.Session, user: User) -> User | None:
    """`user` as stored now, row-locked for this write; None when its password changed
    (or the account went) after `user` was read: the password just verified is stale."""
    current = session.exec(select(User).where(User.id == user.id).with_for_update()).first()
    return current if current and current.password_hash == user.password_hash else None


def sign_in(raw: object, *, address: str, replacing: str | None = None) -> AuthResult:
    """Check an email and password; start a new session when they match.

    `replacing` is the session token the browser already holds: its cookie is
    about to be overwritten, so that session ends with a successful sign-in
    (whoever it belonged to) instead of living on unreachable until it expires.
    """
    form, errors = parse_form(SignInForm, raw)
    if form is None:
        return AuthResult(errors=errors)
    now = utcnow()
    with db.read() as session:
        refusal = _refusal(session, form.email, address, now)
        user = session.exec(select(User).where(User.email == form.email)).first()
    if refusal:
        return AuthResult(errors={"form": refusal})
    # Always verify once, so unknown emails cost the same time as wrong passwords.
    valid, new_hash = _verify_password(form.password,
                                       user.password_hash if user else _DUMMY_HASH)
    if not (user and valid and form.password):
        return AuthResult(errors={"form": _record_failure(form.email, address, now)
                                  or BAD_CREDENTIALS})
    with db.transaction() as session:
        if _account_locked(session, form.email, for_update=True):
            # Wrong passwords from elsewhere locked it while this one was checked.
            return AuthResult(errors={"form": ACCOUNT_LOCKED})
        current = _unchanged_user(session, user)
        if current is None:
            return AuthResult(errors={"form": BAD_CREDENTIALS})
        # Success: the consecutive count starts again (NIST 800-63B 5.2.2), and this
        # address's own delay ends; a stranger's delay on this email stays.
        session.execute(delete(LoginThrottle).where(LoginThrottle.email == form.email))
        session.execute(delete(SignInDelay).where(SignInDelay.email == form.email,
                                                  SignInDelay.address == address))
        if new_hash:
            current.password_hash = new_hash
            session.add(current)
        if replacing:
            session.execute(delete(AuthSession).where(
                AuthSession.token_hash == hash_token(replacing)))
        token, identity = _start_session(session, current)
    return AuthResult(token=token, identity=identity)


_sessions, _users = AuthSession.__table__.c, User.__table__.c
_SESSION_LOOKUP = (
    select(_sessions.id, _sessions.created_at, _sessions.last_seen_at, _users.id, _users.role,
           _users.display_name, _users.time_zone, _users.language)
    .join_from(AuthSession.__table__, User.__table__, _users.id == _sessions.user_id)
    .where(_sessions.token_hash == bindparam("token_hash"))
)


def resolve_session(token: str | None) -> Identity | None:
    """The identity behind a session token, or None when it is unknown or expired.

    Called on every protected event, so it only reads (never waiting for
    SQLite's write lock). It writes only when needed, each in its own short
    transaction: deleting an expired session, and refreshing last_seen at most
    every LAST_SEEN_RESOLUTION.
    """
    if not token or len(token) > 200:
        return None
    now = utcnow()
    with db.one_statement(writes=False) as connection:
        # A plain query, no ORM objects: this runs on every event of every patient.
        row = connection.execute(_SESSION_LOOKUP, {"token_hash": hash_token(token)}).first()
    if row is None:
        return None
    session_id, created_at, last_seen_at, user_id, role, display_name, time_zone, language = row
    policy = SESSION_POLICIES[Role(role)]
    if now - last_seen_at > policy.idle or now - created_at > policy.absolute:
        with db.transaction() as session:
            session.execute(delete(AuthSession).where(AuthSession.id == session_id))
        return None
    if now - last_seen_at > LAST_SEEN_RESOLUTION:
        with db.transaction() as session:
            refreshed = session.execute(
                update(AuthSession).where(AuthSession.id == session_id)
                .values(last_seen_at=now)).rowcount
        if not refreshed:
            return None  # signed out since the read above
    return Identity(user_id=user_id, session_id=session_id, role=Role(role),
                    display_name=display_name, time_zone=time_zone, language=language)


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


def change_password(identity: Identity, raw: object, *, address: str) -> AuthResult:
    """Change a password and end every other session; the caller gets a fresh token.

    A wrong current password counts toward the same delays and lock as a failed
    sign-in, so an unlocked phone left on a table gives no extra guesses.
    """
    form, errors = parse_form(ChangePasswordForm, raw)
    if form is None:
        return AuthResult(errors=errors)
    now = utcnow()
    with db.read() as session:
        user = session.get(User, identity.user_id)
        refusal = _refusal(session, user.email, address, now) if user else None
    if user is None:
        return AuthResult(errors={"form": SIGN_IN_AGAIN})
    if refusal:
        return AuthResult(errors={"form": refusal})
    valid, _ = _verify_password(form.current_password, user.password_hash)
    if not (valid and form.current_password):
        throttled = _record_failure(user.email, address, now)
        if throttled:
            return AuthResult(errors={"form": throttled})
        return AuthResult(errors={"current_password": NOT_CURRENT})
    problem = password_problem(form.new_password, email=user.email, name=user.display_name)
    if problem:
        return AuthResult(errors={"new_password": problem})
    new_hash = hash_password(form.new_password)
    with db.transaction() as session:
        current = _unchanged_user(session, user)
        if current is None:
            return AuthResult(errors={"current_password": NOT_CURRENT})
        current.password_hash = new_hash
        session.add(current)
        session.execute(delete(AuthSession).where(AuthSession.user_id == current.id))
        token, new_identity = _start_session(session, current)
    return AuthResult(token=token, identity=new_identity)


def delete_account(identity: Identity, raw: object, *, address: str,
                   erase: Callable[[db.Session, int, str], object]) -> FieldErrors:
    """Delete the caller's account once their password is confirmed; {} when done.

    Checked like a password change: a wrong password counts toward the same
    delays and lock as a failed sign-in, and argon2 runs with no transaction open. Then
    one transaction runs `erase(session, user_id, email)` (every row of the
    person, see `core.personal_data`), which also ends every session. A wrong
    password deletes nothing.
    """
    form, errors = parse_form(DeleteAccountForm, raw)
    if form is None:
        return errors
    now = utcnow()
    with db.read() as session:
        user = session.get(User, identity.user_id)
        refusal = _refusal(session, user.email, address, now) if user else None
    if user is None:
        return {"form": SIGN_IN_AGAIN}
    if refusal:
        return {"form": refusal}
    valid, _ = _verify_password(form.password, user.password_hash)
    if not (valid and form.password):
        throttled = _record_failure(user.email, address, now)
        if throttled:
            return {"form": throttled}
        return {"password": WRONG_PASSWORD}
    with db.transaction() as session:
        if _unchanged_user(session, user) is None:
            return {"password": WRONG_PASSWORD}
        erase(session, user.id, user.email)
    return {}
