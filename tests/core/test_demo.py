"""The demo command: a program, an admin, a therapist and three patients with eight weeks
of data, made through core; the dashboard flags the right patients; a second run and a
database with real accounts are refused; a failure part way leaves nothing behind."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect
from sqlmodel import select

from skills_app import admin, demo
from skills_app.core import auth, db, programs, review, sharing
from skills_app.core.dates import local_today
from skills_app.core.models import JournalEntry, Program, ProgramRole, User
from skills_app.core.plans import PlanKind, has_plan
from skills_app.core.review import FlagKind, Tier
from tests.conftest import make_account


def _user(email: str) -> User:
    with db.read() as session:
        return session.exec(select(User).where(User.email == email)).one()


def _entry_days(user_id: int) -> list:
    with db.read() as session:
        return sorted(session.exec(select(JournalEntry.local_date).where(
            JournalEntry.user_id == user_id)).all())


def _row_counts() -> dict[str, int]:
    counts = {}
    with db.read() as session:
        for table in inspect(session.get_bind()).get_table_names():
            if table != "alembic_version":
                counts[table] = session.execute(
                    select(func.count()).select_from(db.SQLModel.metadata.tables[table])
                ).scalar_one() if table in db.SQLModel.metadata.tables else 0
    return counts


def test_the_demo_seed_makes_both_sides_and_flags_the_right_patients(database: str) -> None:
    started = time.perf_counter()
    result = demo.seed_demo()
    assert time.perf_counter() - started < 20
    with db.read() as session:
        program = session.exec(select(Program)).one()
    assert program.name == demo.PROGRAM_NAME and result.program_id == program.id

    admin_user, therapist = _user(demo.ADMIN[1]), _user(demo.THERAPIST[1])
    assert programs.membership_of(admin_user.id).role == ProgramRole.ADMIN
    assert programs.membership_of(therapist.id).role == ProgramRole.THERAPIST
    steady, urges, stopped = (_user(p[1]) for p in (demo.STEADY, demo.HIGH_URGES, demo.STOPPED))
    assert {steady.role, urges.role, stopped.role} == {"patient"}
    for person in (admin_user, therapist, steady):
        signed_in = auth.sign_in({"email": person.email, "password": demo.DEMO_PASSWORD},
                                 address="10.9.9.9")
        assert signed_in.ok, signed_in.errors

    today = local_today(demo.TIME_ZONE)
    eight_weeks_ago = today - timedelta(days=demo.DAYS)
    for patient in (steady, urges):
        days = _entry_days(patient.id)
        assert days[0] == eight_weeks_ago and days[-1] == today - timedelta(days=1)
        weeks = {(day - eight_weeks_ago).days // 7 for day in days}
        assert weeks == set(range(8))
    stopped_days = _entry_days(stopped.id)
    assert stopped_days[0] == eight_weeks_ago
    assert stopped_days[-1] == today - timedelta(days=demo.STOPPED_DAYS_AGO)
    assert has_plan(steady.id, PlanKind.SAFETY)

    load = sharing.caseload(therapist.id)
    assert [name for _, name, _, _ in load] == [
        "Casey Morgan", "Drew Patel", "Jordan Lee", "Riley Chen", "Sam Rivera"]
    shares = {name: categories for _, name, _, categories in load}
    assert all("safety" in shares[name] for name in
               ("Casey Morgan", "Drew Patel", "Jordan Lee", "Sam Rivera"))
    assert shares["Riley Chen"] == {"mood"}
    assert "substance_use" in shares["Jordan Lee"]
    rows = [review.caseload_row(pid, name, cats, local_today(zone))
            for pid, name, zone, cats in load]
    by_name = {row.name: row for row in rows}
    # Risk first: the tiers, then the rest by name.
    assert [row.name for row in review.sort_caseload(rows, "flags")] == [
        "Drew Patel", "Jordan Lee", "Casey Morgan", "Riley Chen", "Sam Rivera"]
    assert by_name["Drew Patel"].tier == Tier.SAFETY_ACT
    jordan = {flag.tier for flag in by_name["Jordan Lee"].flags}
    assert {Tier.SAFETY_URGE, Tier.USE_ACT, Tier.USE_PATTERN} <= jordan
    assert [flag.kind for flag in by_name["Casey Morgan"].flags] == [FlagKind.NO_CHECK_IN]
    assert by_name["Casey Morgan"].flags[0].value == demo.STOPPED_DAYS_AGO
    assert by_name["Casey Morgan"].not_shared == ("substance_use",)
    # Riley acted on self-harm yesterday and answered PHQ-9 item 9 with 2, shared with
    # a therapist who sees mood only: "Safety: not shared", never "No flags".
    riley = by_name["Riley Chen"]
    assert riley.flags == () and riley.not_shared == ("safety", "substance_use")
    hidden = review.caseload_row(riley.patient_id, riley.name,
                                 sharing.shared_parts(["safety", "mood"],
                                                      sharing.CONSENT_VERSION), today)
    assert hidden.tier == Tier.SAFETY_ACT
    assert {flag.kind for flag in hidden.flags} >= {FlagKind.URGE, FlagKind.PHQ9_ITEM9}
    sam = by_name["Sam Rivera"]
    assert sam.flags == () and sam.not_shared == () and sam.mood_direction is not None
    assert has_plan(_user(demo.ITEM9[1]).id, PlanKind.SAFETY)


def test_a_second_run_is_refused_and_changes_nothing(database: str,
                                                     capsys: pytest.CaptureFixture) -> None:
    assert admin.main(["seed-demo"]) == 0
    out = capsys.readouterr().out
    assert demo.DEMO_PASSWORD in out and demo.THERAPIST[1] in out
    before = _row_counts()
    assert admin.main(["seed-demo"]) == 1
    assert "already" in capsys.readouterr().err
    assert _row_counts() == before
    with pytest.raises(demo.DemoRefused):
        demo.seed_demo(force=True)


def test_real_accounts_need_force(database: str, capsys: pytest.CaptureFixture) -> None:
    real = make_account("alice", "patient")
    with db.transaction() as session:  # a real person's address, not a demo one
        user = session.get(User, real.identity.user_id)
        user.email = "alice@clinic.test"
        session.add(user)
    before = _row_counts()
    assert admin.main(["seed-demo"]) == 1
    assert "--force" in capsys.readouterr().err
    assert _row_counts() == before
    assert admin.main(["seed-demo", "--force"]) == 0
    assert _user(demo.STEADY[1]).id


def test_a_failure_part_way_leaves_nothing(database: str) -> None:
    before = _row_counts()

    def fail() -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        demo.seed_demo(before_patients=fail)
    after = _row_counts()
    # Only the sign-up rate limit's count for the command's address stays (no person in it).
    changed = {table for table in after if after[table] != before[table]}
    assert changed == {"address_attempt"}


def test_localhost_sign_ups_never_pause_the_demo(database: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Behind a proxy (or beside the browser tests) every sign-up comes from 127.0.0.1;
    the server command counts its accounts apart, so a full quota there does not stop
    it half-way."""
    quota = len(demo.DEMO_EMAILS) + 1
    monkeypatch.setenv("SKILLS_SIGNUPS_PER_ADDRESS_HOUR", str(quota))

    def from_localhost(n: int) -> bool:
        return auth.sign_up({"display_name": f"P{n}", "email": f"p{n}@example.org",
                             "password": "correct horse battery staple", "role": "patient",
                             "time_zone": "UTC"}, address="127.0.0.1").ok

    assert all(from_localhost(n) for n in range(quota))
    assert not from_localhost(quota)  # localhost is paused now
    demo.seed_demo()
    assert _user(demo.THERAPIST[1]).role == "therapist"
