"""Programs, invitations and therapist accounts: only an invitation makes a therapist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from skills_app import admin, text
from skills_app.core import auth, db, programs
from skills_app.core.clock import frozen_clock
from skills_app.core.models import ProgramMember, ProgramRole, TherapistInvitation, User
from skills_app.core.problems import Problem, ProblemError
from skills_app.text.problems import say
from tests.conftest import PASSWORDS, Account, make_account, make_program


def therapist_form(name: str = "dave", **extra: object) -> dict:
    return {"display_name": name.title(), "email": f"{name}@example.org",
            "password": PASSWORDS[name], "role": "therapist", "time_zone": "UTC", **extra}


def user_count() -> int:
    with db.read() as session:
        return len(session.exec(select(User.id)).all())


@pytest.mark.parametrize("invitation", [None, "", "forged-token-that-was-never-made",
                                        "x" * 10_000, 12345, ["a"], {"t": 1}])
def test_therapist_sign_up_without_a_valid_invitation_makes_no_account(
        database: str, invitation: object) -> None:
    make_program()
    before = user_count()
    raw = therapist_form() if invitation is None else therapist_form(invitation=invitation)
    result = auth.sign_up(raw, address="10.0.0.9")
    assert not result.ok
    assert result.errors["form"] in (programs.INVITATION_REFUSED, programs.NEEDS_INVITATION)
    assert "invitation" in say(result.errors["form"])
    assert user_count() == before


def test_a_used_invitation_is_refused(database: str) -> None:
    program_id = make_program()
    token = programs.create_invitation(program_id, ProgramRole.THERAPIST)
    assert auth.sign_up(therapist_form("dave", invitation=token), address="10.0.0.9").ok
    before = user_count()
    second = auth.sign_up(therapist_form("erin", invitation=token), address="10.0.0.9")
    assert second.errors == {"form": programs.INVITATION_REFUSED}
    assert user_count() == before


def test_an_expired_invitation_is_refused(database: str) -> None:
    program_id = make_program()
    with frozen_clock() as clock:
        token = programs.create_invitation(program_id, ProgramRole.THERAPIST)
        clock.advance(days=7, seconds=1)
        before = user_count()
        result = auth.sign_up(therapist_form(invitation=token), address="10.0.0.9")
    assert result.errors == {"form": programs.INVITATION_REFUSED}
    assert user_count() == before


def test_an_invitation_makes_an_active_member_and_is_stored_hashed(database: str) -> None:
    program_id = make_program("Harbor IOP")
    token = programs.create_invitation(program_id, ProgramRole.THERAPIST)
    info = programs.check_invitation(token)
    assert (info.program_name, info.role) == ("Harbor IOP", ProgramRole.THERAPIST)
    result = auth.sign_up(therapist_form(invitation=token), address="10.0.0.9")
    assert result.ok and result.identity.role == "therapist"
    membership = programs.membership_of(result.identity.user_id)
    assert (membership.program_id, membership.role) == (program_id, ProgramRole.THERAPIST)
    with db.read() as session:
        stored = session.exec(select(TherapistInvitation).where(
            TherapistInvitation.role == "therapist")).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert stored.used_by_user_id == result.identity.user_id


def test_public_sign_up_makes_patients_and_ignores_an_invitation(database: str) -> None:
    program_id = make_program()
    token = programs.create_invitation(program_id, ProgramRole.THERAPIST)
    raw = therapist_form(invitation=token) | {"role": "patient"}
    result = auth.sign_up(raw, address="10.0.0.9")
    assert result.ok and result.identity.role == "patient"
    assert programs.membership_of(result.identity.user_id) is None
    assert programs.check_invitation(token) is not None  # still unused


def test_admins_invite_and_deactivate_only_in_their_own_program(database: str) -> None:
    program_id = make_program()
    lee = make_account("carol", "therapist", program_id=program_id, program_role="admin")
    dave = make_account("dave", "therapist", program_id=program_id)
    other = make_account("erin", "therapist")  # another program
    token, problem = programs.invite_therapist(lee.identity.user_id, "for Sam")
    assert token and problem is None
    assert programs.invite_therapist(lee.identity.user_id, "x" * 200) == (
        None, Problem("too_long", label="note", high=120, count=200))
    assert programs.invite_therapist(dave.identity.user_id, "x") == (None, programs.NOT_ADMIN)
    assert programs.set_therapist_active(lee.identity.user_id, other.identity.user_id,
                                         False) == programs.NOT_FOUND
    assert programs.membership_of(other.identity.user_id) is not None
    assert programs.set_therapist_active(dave.identity.user_id, lee.identity.user_id,
                                         False) == programs.NOT_ADMIN
    assert programs.set_therapist_active(lee.identity.user_id, lee.identity.user_id,
                                         False) == Problem("cannot_deactivate_self")
    assert programs.set_therapist_active(lee.identity.user_id, dave.identity.user_id,
                                         False) is None
    assert programs.membership_of(dave.identity.user_id) is None
    _, members, pending = programs.program_screen(lee.identity.user_id)
    assert {(m.name, m.active) for m in members} == {("Carol", True), ("Dave", False)}
    assert "for Sam" in [p.note for p in pending]


@pytest.mark.parametrize("forged", ["1", 1.0, True, None, [1], -5])
def test_forged_therapist_ids_deactivate_nobody(database: str, forged: object) -> None:
    program_id = make_program()
    lee = make_account("carol", "therapist", program_id=program_id, program_role="admin")
    make_account("dave", "therapist", program_id=program_id)
    assert programs.set_therapist_active(lee.identity.user_id, forged, False) == \
        programs.NOT_FOUND
    with db.read() as session:
        assert all(m.active for m in session.exec(select(ProgramMember)))


def test_the_server_command_makes_a_program_and_a_one_time_setup_link(
        database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "migrate", lambda *a, **k: None)
    assert admin.main(["create-program", "--name", "Riverside IOP", "--admin-email",
                       "lee@example.org", "--base-url", "https://skills.example.org"]) == 0
    out = capsys.readouterr().out
    link = next(word for word in out.split() if word.startswith("https://"))
    token = link.split("invite=")[1]
    info = programs.check_invitation(token)
    assert (info.program_name, info.role) == ("Riverside IOP", ProgramRole.ADMIN)
    result = auth.sign_up(therapist_form(invitation=token), address="10.0.0.9")
    assert programs.membership_of(result.identity.user_id).role == ProgramRole.ADMIN
    assert programs.check_invitation(token) is None  # one time only


def test_setup_links_expire_after_a_day(database: str) -> None:
    with frozen_clock() as clock:
        _, token = programs.create_program("Riverside IOP")
        clock.advance(hours=24, seconds=1)
        assert programs.check_invitation(token) is None


def test_add_member_adopts_an_existing_therapist_account(database: str,
                                                         carol: Account) -> None:
    program_id = make_program("Second")
    added = programs.add_member(program_id, carol.email, ProgramRole.ADMIN)
    assert added == programs.MemberAdded("Carol", "Second", ProgramRole.ADMIN)
    with pytest.raises(ProblemError) as refused:
        programs.add_member(program_id, "nobody@example.org", ProgramRole.THERAPIST)
    assert refused.value.problem == Problem("no_therapist_account")
    with pytest.raises(ProblemError) as refused:
        programs.add_member(999, carol.email, ProgramRole.THERAPIST)
    assert refused.value.problem == Problem("no_program", program_id=999)


def test_the_add_member_command_says_what_it_did(
        database: str, carol: Account, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "migrate", lambda *a, **k: None)
    program_id = make_program("Second")
    assert admin.main(["add-member", "--program-id", str(program_id), "--email",
                       carol.email, "--role", "admin"]) == 0
    assert capsys.readouterr().out == "Carol is now an active admin of Second.\n"
    assert admin.main(["add-member", "--program-id", str(program_id), "--email",
                       "nobody@example.org"]) == 2
    assert capsys.readouterr().err == "No therapist account has that email.\n"
    assert admin.main(["create-program", "--name", " ", "--admin-email", "x@example.org"]) == 2
    assert capsys.readouterr().err == "Please enter your program name.\n"


def test_a_blank_program_name_is_refused(database: str) -> None:
    with pytest.raises(ValueError):
        programs.create_program("   ")
    assert programs.create_invitation(999, ProgramRole.THERAPIST) is None
    assert timedelta(days=7) == programs.INVITATION_LIFETIME


def test_a_refused_sign_up_is_a_fact_worded_in_the_readers_language() -> None:
    """The two refusals a sign-up page can show anyone are Problem codes: the public
    pages speak Spanish too, so their sentences do."""
    assert say(programs.NEEDS_INVITATION).startswith("Therapist accounts are made from")
    # What to do now, with no choice the form no longer has ("A patient").
    assert "open that link" in say(programs.NEEDS_INVITATION)
    assert "\"A patient\"" not in say(programs.NEEDS_INVITATION)
    with text.language("es"):
        assert say(programs.NEEDS_INVITATION).startswith("Las cuentas de terapeuta")
        assert "abre ese enlace" in say(programs.NEEDS_INVITATION)
        assert say(programs.INVITATION_REFUSED).startswith("Este enlace de invitación")
        assert "nombre del programa" in say(
            Problem("too_long", label="program name", high=120, count=130))
