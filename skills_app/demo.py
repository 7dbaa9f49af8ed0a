"""Demo data: one program, an admin, a therapist and three patients with eight weeks
of varied data, made only through the core functions the app's own screens use.

Run by hand, never on start (see `python -m skills_app.admin seed-demo`):

Each patient shows one part of the therapist's risk-first list:

- Sam Rivera: steady and improving, shares everything but journal notes, so the
  list can say "No flags" (safety and substance use are both shared).
- Jordan Lee: a self-harm urge of 4 three days ago (tier 2), drinking on some
  days (tier 3) and urges to use of 4-5 every day of the last week (tier 4);
  shares safety and substance-use information.
- Casey Morgan: stopped checking in five days ago (tier 5); shares safety but not
  substance use, so the row says "Substance use: not shared by this patient".
- Riley Chen: shares mood only. Acted on a self-harm urge yesterday and answered
  PHQ-9 item 9 with "More than half the days" two days ago, none of which the
  therapist may see: the row says "Safety: not shared by this patient", never
  "No flags".
- Drew Patel: answered PHQ-9 item 9 with "Several days" three days ago (tier 1);
  shares safety, mood, check-ups and the safety plan.

Every row goes through `auth.sign_up`, `programs`, `journal.save_entry`,
`practice.finish_exercise`, `mindfulness.log_session`, `measures.save_result`,
`plans.save_plan` and `sharing.sign_with_code`, with the frozen clock moved day
by day, so each is validated like a real save. If anything fails part way, what
was made is deleted again.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

from sqlalchemy import delete
from sqlmodel import select

from skills_app.core import (
    auth,
    db,
    exercises,
    journal,
    measures,
    mindfulness,
    personal_data,
    plans,
    practice,
    programs,
    sharing,
)
from skills_app.core.clock import frozen_clock, utcnow
from skills_app.core.dates import local_today, zone
from skills_app.core.models import Program, User
from skills_app.text import N_, _, ngettext

DEMO_PASSWORD = "marigold canoes whisper softly"
DEMO_DOMAIN = "example.org"
PROGRAM_NAME = "Demo Riverside IOP"
# A server command is not a network sign-up: its accounts count in a bucket of their
# own, so a busy localhost (a proxy, the browser tests) never pauses the demo.
ADDRESS = "server:seed-demo"
TIME_ZONE = "America/Chicago"
DAYS = 56
STOPPED_DAYS_AGO = 5

ADMIN = ("Alex Admin", "demo.admin@example.org")
THERAPIST = ("Taylor Therapist", "demo.therapist@example.org")
STEADY = ("Sam Rivera", "demo.sam@example.org")
HIGH_URGES = ("Jordan Lee", "demo.jordan@example.org")
STOPPED = ("Casey Morgan", "demo.casey@example.org")
MOOD_ONLY = ("Riley Chen", "demo.riley@example.org")
ITEM9 = ("Drew Patel", "demo.drew@example.org")
PATIENTS = ((STEADY, "steady"), (HIGH_URGES, "urges"), (STOPPED, "stopped"),
            (MOOD_ONLY, "hidden"), (ITEM9, "item9"))
DEMO_EMAILS = tuple(person[1] for person in (ADMIN, THERAPIST, STEADY, HIGH_URGES, STOPPED,
                                             MOOD_ONLY, ITEM9))

# Every grant names safety (or leaves it out) explicitly: nothing is shared by default.
SHARES = {
    STEADY[1]: ["safety", "mood", "substance_use", "exercises", "mindfulness", "measures",
                "safety_plan"],
    HIGH_URGES[1]: ["safety", "mood", "substance_use", "exercises", "measures"],
    STOPPED[1]: ["safety", "mood", "exercises"],
    MOOD_ONLY[1]: ["mood"],
    ITEM9[1]: ["safety", "mood", "measures", "safety_plan"],
}
# What happened on a given day (days ago) on top of a style's everyday card.
CARD_EVENTS: dict[tuple[str, int], dict[str, object]] = {
    ("urges", 3): {"urge_self_harm": 4, "acted_self_harm": False},
    ("hidden", 1): {"urge_self_harm": 5, "acted_self_harm": True},
}
# An extra PHQ-9 (days ago, item 9's answer) beside the fortnightly ones.
ITEM9_ANSWERS = {"hidden": (2, 2), "item9": (3, 1)}
SKILLS = ("mindfulness.wise_mind", "distress_tolerance.stop", "distress_tolerance.tipp",
          "distress_tolerance.self_soothe", "distress_tolerance.urge_surfing")
NOTES = ("Went to group. Felt heard.", "Hard day at work but I used my skills.",
         "Slept badly. Walked in the evening.", "Called my sister, which helped.",
         "Cravings in the afternoon. Went to a meeting.", "Quiet day. Made dinner.")

# What the server command says (the demo's people, notes and plan above are data:
# what a patient would have typed, kept as typed).
ALREADY = N_("The demo accounts are already in this database, so nothing was added. "
             "Sign in with them (the demo password is printed when they are made).")
REAL_ACCOUNTS = N_("This database has accounts that are not example.org demo accounts. "
                   "Run with --force to add the demo data anyway.")


class DemoRefused(Exception):
    """Seeding would not be safe here; nothing was written. Its message is a catalogue
    message (ALREADY, REAL_ACCOUNTS): say it with `_()`."""


@dataclass
class DemoResult:
    program_id: int
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (role, name, email)
    entries: dict[str, int] = field(default_factory=dict)


def _key(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def check_can_seed(force: bool = False) -> None:
    """Raise DemoRefused when the demo accounts exist, or real accounts do (unless forced)."""
    with db.read() as session:
        emails = list(session.exec(select(User.email)).all())
    if any(email in DEMO_EMAILS for email in emails):
        raise DemoRefused(ALREADY)
    if not force and any(not email.endswith("@" + DEMO_DOMAIN) for email in emails):
        raise DemoRefused(REAL_ACCOUNTS)


def _sign_up(name: str, email: str, role: str, invitation: str | None = None) -> auth.Identity:
    raw = {"display_name": name, "email": email, "password": DEMO_PASSWORD, "role": role,
           "time_zone": TIME_ZONE}
    if invitation is not None:
        raw["invitation"] = invitation
    result = auth.sign_up(raw, address=ADDRESS)
    if not result.ok or result.identity is None:
        raise RuntimeError(f"sign-up of {email} failed: {result.errors}")
    return result.identity


def _connect(patient: auth.Identity, therapist_id: int, program_id: int,
             categories: list[str]) -> None:
    code, _ = sharing.new_connect_code(therapist_id)
    if code is None:
        raise RuntimeError("the demo therapist could not make a connect code")
    draft = sharing.draft_consent(patient.user_id, therapist_id, program_id, tuple(categories))
    if draft is None:
        raise RuntimeError("no consent text for the demo patient")
    signed = sharing.sign_with_code(patient.user_id, sharing.show_code(code), categories,
                                    patient.display_name, draft.sha256)
    if not signed.ok:
        raise RuntimeError(f"consent failed: {signed.errors}")


def _card(rng: random.Random, style: str, progress: float, occurred_at: datetime,
          ago: int) -> dict[str, object]:
    """One diary card as the browser sends it; `progress` runs 0 -> 1 over the eight weeks."""
    last_week = ago <= 7
    if style == "steady":
        mood = round(4 + 4 * progress + rng.choice((-1, 0, 0, 1)))
        substance = rng.choice((0, 0, 0, 1))
        self_harm = 0
        used = False
    elif style == "urges":
        mood = rng.randint(2, 5)
        substance = rng.randint(4, 5) if last_week else rng.randint(1, 5)
        self_harm = rng.choice((0, 1, 2, 4)) if last_week else rng.choice((0, 0, 1, 2))
        used = substance >= 4 and rng.random() < (0.5 if last_week else 0.2)
    else:
        mood = rng.randint(4, 6)
        substance = rng.choice((0, 1, 1, 2))
        self_harm = 0
        used = False
    return {
        "idempotency_key": _key(rng), "kind": "diary",
        "occurred_at": occurred_at.isoformat(),
        "mood": max(0, min(10, mood)), "note": rng.choice(NOTES),
        "emotion_joy": rng.randint(0, 5), "emotion_sadness": rng.randint(0, 4),
        "emotion_anger": rng.randint(0, 3), "emotion_fear": rng.randint(0, 3),
        "emotion_shame": rng.randint(0, 2), "emotion_guilt": rng.randint(0, 2),
        "urge_suicide": 0, "acted_suicide": False,
        "urge_self_harm": self_harm, "acted_self_harm": False,
        "urge_substance_use": substance, "acted_substance_use": used,
        "urge_quit_therapy": rng.choice((0, 0, 1)), "acted_quit_therapy": False,
        "craving": min(10, substance * 2), "substance_what": "Alcohol" if used else "",
        "substance_amount": f"{rng.randint(2, 5)} drinks" if used else "",
        "medications_taken": rng.random() < 0.9, "sleep_hours": rng.randint(10, 18) / 2,
        "skills": rng.sample(SKILLS, rng.randint(0, 3)),
        "triggers": [],
    } | CARD_EVENTS.get((style, ago), {})


def _answer(step: exercises.Step, rng: random.Random) -> object:
    if step.input == "choice":
        return rng.choice(step.options)
    if step.input in ("multi_choice", "checklist"):
        return rng.sample(step.options, rng.randint(1, min(3, len(step.options))))
    if step.input == "scale":
        return rng.randint(0, 10)
    return "I noticed it, named it and gave it a few minutes before I did anything."


def _finished(rng: random.Random, exercise: exercises.Exercise,
              started: datetime) -> dict[str, object]:
    """A finished exercise as the phone sends it, every step answered."""
    return {
        "idempotency_key": _key(rng), "exercise_id": exercise.id,
        "answers": {step.key: _answer(step, rng) for step in exercise.steps if step.asks},
        "distress_before": rng.randint(4, 8), "distress_after": rng.randint(1, 5),
        "helped": rng.choice(("yes", "some")),
        "started_at": started.isoformat(),
        "finished_at": (started + timedelta(minutes=exercise.minutes)).isoformat(),
    }


def _check(result: object, what: str) -> None:
    if not getattr(result, "ok", False):
        raise RuntimeError(f"{what} failed: {getattr(result, 'errors', result)}")


def _seed_patient(identity: auth.Identity, style: str, rng: random.Random,
                  today: object) -> int:
    """Eight weeks of cards, practice, mindfulness and fortnightly measures; returns cards."""
    tz = zone(TIME_ZONE)
    pool = exercises.all_exercises()
    practices = [key for key in ("timer", "breathe.box", "guided.body-scan")
                 if mindfulness.practice(key)] or [next(iter(mindfulness.PRACTICES))]
    last_day = STOPPED_DAYS_AGO if style == "stopped" else 1
    cards = 0
    first = datetime.combine(today - timedelta(days=DAYS), clock_time(8, 0), tzinfo=tz)
    with frozen_clock(first.astimezone(UTC)) as clock:
        for ago in range(DAYS, last_day - 1, -1):
            day = today - timedelta(days=ago)
            progress = (DAYS - ago) / DAYS
            occurred = datetime.combine(day, clock_time(20, rng.randint(0, 40)), tzinfo=tz)
            clock.advance(seconds=(occurred + timedelta(minutes=3) - clock.now).total_seconds())
            if style == "steady" or ago in (DAYS, last_day) or ago <= 7 or rng.random() < 0.85:
                _check(journal.save_entry(identity.user_id, TIME_ZONE, _card(
                    rng, style, progress, occurred, ago)), f"card on {day}")
                cards += 1
            if rng.random() < (0.7 if style == "steady" else 0.35):
                began = datetime.combine(day, clock_time(18, rng.randint(0, 30)), tzinfo=tz)
                _check(practice.finish_exercise(identity.user_id, TIME_ZONE,
                                                _finished(rng, rng.choice(pool), began)),
                       f"exercise on {day}")
            if style == "steady" and rng.random() < 0.5:
                minutes = rng.choice((3, 5, 10))
                ended = datetime.combine(day, clock_time(19, rng.randint(0, 50)), tzinfo=tz)
                _check(mindfulness.log_session(identity.user_id, TIME_ZONE, {
                    "idempotency_key": _key(rng), "practice": rng.choice(practices),
                    "started_at": (ended - timedelta(minutes=minutes)).isoformat(),
                    "ended_at": ended.isoformat(), "seconds": minutes * 60,
                    "ended_early": False}), f"mindfulness on {day}")
            item9_day, item9 = ITEM9_ANSWERS.get(style, (-1, 0))
            if ago % 14 == 0 or ago == item9_day:
                level = (3 - round(2 * progress) if style == "steady"
                         else 2 if style == "urges" else 1)
                for questionnaire, count in (("phq9", 9), ("gad7", 7)):
                    answers = [str(max(0, min(3, level + rng.choice((-1, 0, 0)))))
                               for _ in range(count)]
                    if questionnaire == "phq9":
                        answers[-1] = str(item9 if ago == item9_day else 0)
                    _check(measures.save_result(identity.user_id, TIME_ZONE, {
                        "questionnaire": questionnaire, "idempotency_key": _key(rng),
                        "answers": answers, "difficulty": "",
                        "completed_at": occurred.isoformat()}), f"{questionnaire} on {day}")
    return cards


SAFETY_PLAN = {
    "plan_id": "", "version": "",
    "warning_signs": "Skipping meals\nStaying in bed\nNot answering texts",
    "on_my_own": "Cold water on my face\nA walk around the block\nMusic",
    "distractions": "The library\nCoffee with my neighbour",
    "people_to_ask_name_1": "My sister Ana", "people_to_ask_phone_1": "555-010-2000",
    "safer_surroundings": "Keep medicines with my sister",
    "reasons_to_live": "My dog\nSeeing my niece grow up",
}


def _undo(identities: list[auth.Identity], program_id: int | None) -> None:
    for identity in identities:
        auth.delete_account(identity, {"password": DEMO_PASSWORD}, address=ADDRESS,
                            erase=personal_data.erase)
    if program_id is not None:
        with db.transaction() as session:
            session.execute(delete(Program).where(Program.id == program_id))


def seed_demo(force: bool = False, *, before_patients: Callable[[], None] | None = None
              ) -> DemoResult:
    """Make the demo program and people; DemoRefused (nothing written) when unsafe.

    `before_patients` is a hook for tests (to check that a failure undoes everything).
    """
    check_can_seed(force)
    rng = random.Random(2026)
    made: list[auth.Identity] = []
    program_id: int | None = None
    try:
        program_id, admin_token = programs.create_program(PROGRAM_NAME)
        result = DemoResult(program_id)
        admin = _sign_up(*ADMIN, "therapist", admin_token)
        made.append(admin)
        result.accounts.append(("admin", *ADMIN))
        invite, problem = programs.invite_therapist(admin.user_id, "Demo therapist")
        if invite is None:
            raise RuntimeError(problem)
        therapist = _sign_up(*THERAPIST, "therapist", invite)
        made.append(therapist)
        result.accounts.append(("therapist", *THERAPIST))
        if before_patients is not None:
            before_patients()
        today = local_today(TIME_ZONE)
        patients: dict[str, auth.Identity] = {}
        for (name, email), style in PATIENTS:
            with frozen_clock(utcnow() - timedelta(days=DAYS + 1)):
                patient = _sign_up(name, email, "patient")
                made.append(patient)
                patients[email] = patient
                _connect(patient, therapist.user_id, program_id, SHARES[email])
            result.accounts.append(("patient", name, email))
            result.entries[email] = _seed_patient(patient, style, rng, today)
        for name, email in (STEADY, ITEM9):
            _check(plans.save_plan(patients[email].user_id, plans.PlanKind.SAFETY,
                                   SAFETY_PLAN), f"safety plan of {name}")
        return result
    except BaseException:
        _undo(made, program_id)
        raise


def describe(result: DemoResult, base_url: str) -> str:
    lines = [_("Demo data made: program {id} ({name}).", id=result.program_id,
               name=PROGRAM_NAME), ""]
    for role, name, email in result.accounts:
        extra = (", " + ngettext("{n} diary card over 8 weeks", "{n} diary cards over 8 weeks",
                                 result.entries[email])
                 if email in result.entries else "")
        lines.append(f"  {role:<9} {name:<17} {email}{extra}")
    lines += ["", _("Every demo account has the password: \"{password}\"",
                    password=DEMO_PASSWORD),
              _("Sign in at {address} as a patient (Jordan has high urges, Casey stopped "
                "checking in, Riley shares mood only)",
                address=f"{base_url.rstrip('/')}/signin"),
              _("or as {email} to see their risk-first patient list.", email=THERAPIST[1])]
    return "\n".join(lines)
