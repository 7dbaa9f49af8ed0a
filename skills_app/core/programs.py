"""Programs (IOP clinics), their admins and therapists, and invitations.

- A program and its first admin come from the server only
  (`python -m skills_app.admin create-program`), which prints a one-time
  setup link: an admin invitation.
- Admins invite therapists with single-use links that expire; only the
  SHA-256 of a link's token is stored. A therapist account can be made only
  by redeeming such a link (`core.auth.sign_up`); public sign-up makes
  patients.
- Admins deactivate therapists of their own program. A therapist account
  with no active membership is refused on every event that reads patient
  data (`active_membership`, which `core.sharing` calls on every read).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import select

from skills_app.core import db
from skills_app.core.clock import utcnow
from skills_app.core.models import (
    Program,
    ProgramMember,
    ProgramRole,
    Role,
    TherapistInvitation,
    User,
)
from skills_app.core.problems import Problem, ProblemError
from skills_app.core.schemas import clean_text
from skills_app.text import N_

INVITATION_LIFETIME = timedelta(days=7)
SETUP_LINK_LIFETIME = timedelta(hours=24)
PROGRAM_NAME_MAX = 120
INVITATION_NOTE_MAX = 120
TOKEN_MAX = 200

# What can go wrong, as facts (their sentences: skills_app/text/words/therapist.py).
INVITATION_REFUSED = Problem("invitation_refused")
NEEDS_INVITATION = Problem("needs_invitation")
NOT_ADMIN = Problem("not_admin")
NOT_FOUND = Problem("therapist_not_found")
NOT_YOURSELF = Problem("cannot_deactivate_self")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Membership:
    program_id: int
    program_name: str
    role: ProgramRole


@dataclass(frozen=True)
class InvitationInfo:
    program_id: int
    program_name: str
    role: ProgramRole


@dataclass(frozen=True)
class MemberRow:
    user_id: int
    name: str
    email: str
    role: ProgramRole
    active: bool


@dataclass(frozen=True)
class PendingInvitation:
    id: int
    note: str
    role: ProgramRole
    expires_at: datetime


def active_membership(session: db.Session, user_id: int) -> Membership | None:
    """The program a therapist account actively belongs to (None: refuse everything)."""
    row = session.exec(
        select(ProgramMember.program_id, Program.name, ProgramMember.role)
        .join(Program, Program.id == ProgramMember.program_id)
        .where(ProgramMember.user_id == user_id, ProgramMember.active.is_(True))
        .order_by(ProgramMember.id)
    ).first()
    return Membership(row[0], row[1], ProgramRole(row[2])) if row else None


def membership_of(user_id: int) -> Membership | None:
    with db.read() as session:
        return active_membership(session, user_id)


def create_program(name: str) -> tuple[int, str]:
    """Make a program and its one-time admin setup link; returns (program id, token)."""
    clean = clean_text(name, label=N_("program name"), max_length=PROGRAM_NAME_MAX)
    with db.transaction() as session:
        program = Program(name=clean)
        session.add(program)
        session.flush()
        token = _new_invitation(session, program.id, ProgramRole.ADMIN, None, "first admin",
                                SETUP_LINK_LIFETIME)
        return program.id, token


def create_invitation(program_id: int, role: ProgramRole, note: str = "") -> str | None:
    """A sign-up link token for a program, made from the server (the admin command);
    None when there is no such program."""
    with db.transaction() as session:
        if session.get(Program, program_id) is None:
            return None
        lifetime = SETUP_LINK_LIFETIME if role == ProgramRole.ADMIN else INVITATION_LIFETIME
        return _new_invitation(session, program_id, role, None, note[:INVITATION_NOTE_MAX],
                               lifetime)


@dataclass(frozen=True)
class MemberAdded:
    """Who `add_member` made an active member, of which program, as what."""

    name: str
    program_name: str
    role: ProgramRole


def add_member(program_id: int, email: str, role: ProgramRole) -> MemberAdded:
    """Put an existing therapist account into a program (the server command for accounts
    made before programs existed). ProblemError when there is no such program or
    therapist account."""
    with db.transaction() as session:
        program = session.get(Program, program_id)
        user = session.exec(select(User).where(User.email == email.strip().lower())).first()
        if program is None:
            raise ProblemError("no_program", program_id=program_id)
        if user is None or user.role != Role.THERAPIST.value:
            raise ProblemError("no_therapist_account")
        member = session.exec(select(ProgramMember).where(
            ProgramMember.program_id == program_id, ProgramMember.user_id == user.id)).first()
        if member is None:
            member = ProgramMember(program_id=program_id, user_id=user.id, role=role.value)
        member.role, member.active, member.deactivated_at = role.value, True, None
        session.add(member)
        return MemberAdded(user.display_name, program.name, role)


def _new_invitation(session: db.Session, program_id: int, role: ProgramRole,
                    invited_by: int | None, note: str, lifetime: timedelta) -> str:
    token = secrets.token_urlsafe(24)
    session.add(TherapistInvitation(
        program_id=program_id, token_hash=_hash(token), role=role.value, note=note,
        invited_by_user_id=invited_by, expires_at=utcnow() + lifetime))
    return token


def _admin_membership(session: db.Session, user_id: int) -> Membership | None:
    membership = active_membership(session, user_id)
    return membership if membership and membership.role == ProgramRole.ADMIN else None


def invite_therapist(admin_user_id: int, note: object) -> tuple[str | None, Problem | None]:
    """A new invitation link token from an admin; (None, problem) when refused."""
    try:
        clean = clean_text(note, label="note", max_length=INVITATION_NOTE_MAX, required=False)
    except ProblemError as error:
        return None, error.problem
    with db.transaction() as session:
        admin = _admin_membership(session, admin_user_id)
        if admin is None:
            return None, NOT_ADMIN
        token = _new_invitation(session, admin.program_id, ProgramRole.THERAPIST,
                                admin_user_id, clean, INVITATION_LIFETIME)
    return token, None


def set_therapist_active(admin_user_id: int, therapist_user_id: object,
                         active: object) -> Problem | None:
    """Deactivate (or reactivate) a therapist of the admin's own program; None when done."""
    if (not isinstance(therapist_user_id, int) or isinstance(therapist_user_id, bool)
            or not 0 < therapist_user_id < 2**53 or not isinstance(active, bool)):
        return NOT_FOUND
    if therapist_user_id == admin_user_id:
        return NOT_YOURSELF
    with db.transaction() as session:
        admin = _admin_membership(session, admin_user_id)
        if admin is None:
            return NOT_ADMIN
        changed = session.execute(
            update(ProgramMember)
            .where(ProgramMember.program_id == admin.program_id,
                   ProgramMember.user_id == therapist_user_id)
            .values(active=active, deactivated_at=None if active else utcnow())
        ).rowcount
    return None if changed else NOT_FOUND


def program_screen(admin_user_id: int) -> tuple[Membership | None, list[MemberRow],
                                                 list[PendingInvitation]]:
    """The admin page's data: the program's people and its unused invitations."""
    now = utcnow()
    with db.read() as session:
        admin = _admin_membership(session, admin_user_id)
        if admin is None:
            return None, [], []
        members = session.exec(
            select(User.id, User.display_name, User.email, ProgramMember.role,
                   ProgramMember.active)
            .join(ProgramMember, ProgramMember.user_id == User.id)
            .where(ProgramMember.program_id == admin.program_id)
            .order_by(User.display_name)
        ).all()
        pending = session.exec(
            select(TherapistInvitation).where(
                TherapistInvitation.program_id == admin.program_id,
                TherapistInvitation.used_at.is_(None), TherapistInvitation.expires_at > now)
            .order_by(TherapistInvitation.created_at)
        ).all()
    return (admin,
            [MemberRow(u, n, e, ProgramRole(r), bool(a)) for u, n, e, r, a in members],
            [PendingInvitation(i.id, i.note, ProgramRole(i.role), i.expires_at)
             for i in pending])


def _usable(invitation: TherapistInvitation | None, now: datetime) -> bool:
    return invitation is not None and invitation.used_at is None and invitation.expires_at > now


def check_invitation(token: object) -> InvitationInfo | None:
    """What an invitation link is for, when it can still be used; None otherwise."""
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX:
        return None
    with db.read() as session:
        row = session.exec(
            select(TherapistInvitation, Program.name)
            .join(Program, Program.id == TherapistInvitation.program_id)
            .where(TherapistInvitation.token_hash == _hash(token))
        ).first()
    if row is None or not _usable(row[0], utcnow()):
        return None
    return InvitationInfo(row[0].program_id, row[1], ProgramRole(row[0].role))


def redeem_invitation(session: db.Session, token: str, user_id: int, now: datetime) -> bool:
    """Use an invitation for a new account, inside the sign-up's transaction.

    One conditional UPDATE: of two sign-ups racing with one link, exactly one
    gets the row; the other's transaction is rolled back by the caller.
    """
    invitation = session.exec(select(TherapistInvitation).where(
        TherapistInvitation.token_hash == _hash(token))).first()
    if not _usable(invitation, now):
        return False
    used = session.execute(
        update(TherapistInvitation)
        .where(TherapistInvitation.id == invitation.id, TherapistInvitation.used_at.is_(None))
        .values(used_at=now, used_by_user_id=user_id)
    ).rowcount
    if not used:
        return False
    session.add(ProgramMember(program_id=invitation.program_id, user_id=user_id,
                              role=invitation.role))
    return True
