"""The caseload with homework and groups against the caseload without them, in one run.

Two therapists in one program, each with 30 patients who share every category
and have a year of diary cards and finished exercises (the seeding of
`dashboard.py`). The first therapist's patients have nothing else: that is
the caseload as it was before homework, the program's schedule and
attendance. The second's have 12 weeks of both:

- homework: a daily diary card, a mindfulness practice 3 times a week, and a
  new exercise each week on two weekdays (12 of them, the older ones ended),
  with a "not for me this week" now and then;
- groups: a track meeting Monday, Wednesday and Thursday for the 12 weeks,
  with a holiday, and every patient marked at every meeting (mostly present,
  some late, excused or absent).

With the clock frozen, it times `state.therapist._caseload` for both
therapists, alternating call by call so a noisy machine slows both alike, and
prints the ratio of the medians and p95s. Target: with homework and groups
at most 1.5 x the caseload without them.

    .venv/bin/python benchmarks/caseload_homework.py                 # SQLite and PostgreSQL
    .venv/bin/python benchmarks/caseload_homework.py --sqlite-only --iterations 30
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time
import uuid
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

from sqlalchemy import insert  # noqa: E402

from benchmarks import dashboard, harness  # noqa: E402
from benchmarks.dashboard import LAST_DAY, NOW, _year_of_rows  # noqa: E402
from benchmarks.harness import Measurement, StatementCounter, say  # noqa: E402
from skills_app.core import auth, db, programs  # noqa: E402
from skills_app.core.clock import frozen_clock  # noqa: E402
from skills_app.core.models import (  # noqa: E402
    Assignment,
    AssignmentSkip,
    Attendance,
    ExerciseSession,
    JournalEntry,
    MindfulnessSession,
    Program,
    ProgramRole,
    Track,
    TrackException,
    TrackMember,
)
from skills_app.state.therapist import _caseload  # noqa: E402

PATIENTS = 30
WEEKS = 12
DEFAULT_ITERATIONS = 40
TARGET_RATIO = 1.5
EXERCISES = ("dear-man", "urge-surfing", "check-the-facts", "opposite-action")
_SIGNED_UP: list[str] = []
STATUSES = ("present",) * 7 + ("late", "excused", "absent")


def _account(name: str, email: str, role: str, invitation: str | None = None
             ) -> auth.Identity:
    # One address each: sign-ups per address and hour are capped.
    address = f"10.0.{len(_SIGNED_UP) // 250}.{len(_SIGNED_UP) % 250}"
    _SIGNED_UP.append(email)
    return dashboard._account(name, email, role, invitation, address)


def _caseload_of(program_id: int, label: str, rng: random.Random
                 ) -> tuple[auth.Identity, list[int]]:
    therapist = _account(f"Dr. {label}", f"bench.{label}@example.org", "therapist",
                         programs.create_invitation(program_id, ProgramRole.THERAPIST))
    patient_ids = []
    for number in range(PATIENTS):
        patient = _account(f"Patient {label} {number:02d}",
                           f"bench.{label}.p{number}@example.org", "patient")
        dashboard.share_everything(therapist, patient)
        entries, practised = _year_of_rows(patient.user_id, rng)
        with db.transaction() as session:
            session.execute(insert(JournalEntry), entries)
            session.execute(insert(ExerciseSession), practised)
        patient_ids.append(patient.user_id)
    return therapist, patient_ids


def _key(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128)))


def _homework_and_groups(program_id: int, therapist: auth.Identity, patient_ids: list[int],
                         rng: random.Random) -> int:
    """12 weeks of assignments, completions and attendance; returns the rows added."""
    first_monday = LAST_DAY - timedelta(days=LAST_DAY.weekday()) - timedelta(weeks=WEEKS - 1)
    last_day = first_monday + timedelta(weeks=WEEKS, days=-1)
    holiday = first_monday + timedelta(weeks=5)  # a Monday
    seeded_at = NOW - timedelta(days=1)
    with db.transaction() as session:
        session.get(Program, program_id).time_zone = "America/Chicago"
        track = Track(program_id=program_id, name="Morning IOP", weekdays=[0, 2, 3],
                      start_minute=9 * 60, end_minute=12 * 60, first_day=first_monday,
                      last_day=last_day)
        session.add(track)
        session.flush()
        session.add(TrackException(track_id=track.id, day=holiday, note="Holiday"))
        meetings = [first_monday + timedelta(days=offset) for offset in range(WEEKS * 7)
                    if (first_monday + timedelta(days=offset)).weekday() in (0, 2, 3)
                    and first_monday + timedelta(days=offset) != holiday]
        assignments, skips, marks, members, sits = [], [], [], [], []
        for patient_id in patient_ids:
            members.append({"track_id": track.id, "patient_id": patient_id,
                            "first_day": first_monday, "added_by": therapist.user_id,
                            "created_at": seeded_at})
            marks += [{"track_id": track.id, "patient_id": patient_id, "day": day,
                       "status": rng.choice(STATUSES), "marked_by": therapist.user_id,
                       "marked_by_name": therapist.display_name, "marked_at": seeded_at}
                      for day in meetings]
            common = {"patient_id": patient_id, "program_id": program_id,
                      "assigned_by": therapist.user_id,
                      "assigned_by_name": therapist.display_name, "note": "",
                      "created_at": seeded_at, "updated_at": seeded_at}
            assignments.append({**common, "idempotency_key": _key(rng), "kind": "diary_card",
                                "repeat": "daily", "weekdays": [], "start_day": first_monday})
            assignments.append({**common, "idempotency_key": _key(rng), "kind": "mindfulness",
                                "target": "", "minutes": 10, "repeat": "per_week",
                                "weekdays": [], "times_per_week": 3,
                                "start_day": first_monday})
            for week in range(WEEKS):
                monday = first_monday + timedelta(weeks=week)
                assignments.append({
                    **common, "idempotency_key": _key(rng),
                    "kind": "exercise", "target": EXERCISES[week % len(EXERCISES)],
                    "repeat": "weekdays", "weekdays": [0, 2], "start_day": monday,
                    "end_day": monday + timedelta(days=6)})
                for offset in range(7):
                    day = monday + timedelta(days=offset)
                    if day <= LAST_DAY and rng.random() < 0.4:
                        start = NOW.replace(year=day.year, month=day.month, day=day.day,
                                            hour=18)
                        sits.append({"user_id": patient_id, "idempotency_key": _key(rng),
                                     "practice": "timer", "started_at": start,
                                     "ended_at": start + timedelta(minutes=10),
                                     "seconds": 600, "ended_early": False,
                                     "local_date": day, "created_at": seeded_at})
        session.execute(insert(TrackMember), members)
        session.execute(insert(Attendance), marks)
        session.execute(insert(MindfulnessSession), sits)
        ids = session.execute(insert(Assignment).returning(Assignment.id, Assignment.patient_id,
                                                           Assignment.start_day),
                              assignments).all()
        for assignment_id, patient_id, start_day in ids:
            if rng.random() < 0.1:
                skips.append({"assignment_id": assignment_id, "patient_id": patient_id,
                              "week_start": start_day - timedelta(days=start_day.weekday()),
                              "reason": "Busy week", "created_at": seeded_at})
        if skips:
            session.execute(insert(AssignmentSkip), skips)
        rows = len(members) + len(marks) + len(sits) + len(ids) + len(skips)
    return rows


def _timed(call: object, samples: list[float]) -> None:
    started = time.perf_counter()
    call()  # type: ignore[operator]
    samples.append((time.perf_counter() - started) * 1000)


def run_backend(name: str, url: str, iterations: int) -> list[Measurement]:
    rng = random.Random(2026)
    with harness.database(url) as engine:
        started = time.perf_counter()
        with frozen_clock(NOW - timedelta(days=1)):
            program_id, _ = programs.create_program("Bench IOP")
            plain, _ = _caseload_of(program_id, "plain", rng)
            busy, busy_ids = _caseload_of(program_id, "busy", rng)
            added = _homework_and_groups(program_id, busy, busy_ids, rng)
        say(name, f"seeded 2 x {PATIENTS} patients with a year of diary cards; {added} "
                  f"homework, completion and attendance rows for the second 30 in "
                  f"{time.perf_counter() - started:.1f} s")
        counter = StatementCounter(engine)
        with frozen_clock(NOW):
            for therapist in (plain, busy):
                rows, _ = _caseload(therapist)
                if len(rows) != PATIENTS:
                    raise RuntimeError("the seeded data does not look as expected")
            base: list[float] = []
            for _ in range(2 * iterations):
                _timed(lambda: harness.select_one(0), base)
            gc.collect()
            gc.freeze()
            for _ in range(harness.WARMUP):
                _caseload(plain)
                _caseload(busy)
            before, after = [], []
            statements = {"plain": 0, "busy": 0}
            for _ in range(iterations):
                count = counter.count
                _timed(lambda: _caseload(plain), before)
                statements["plain"] += counter.count - count
                count = counter.count
                _timed(lambda: _caseload(busy), after)
                statements["busy"] += counter.count - count
        measured = [
            Measurement(name, "baseline SELECT 1", tuple(base), 1, None),
            Measurement(name, f"caseload, no homework or groups ({PATIENTS})", tuple(before),
                        statements["plain"] / iterations, None),
            Measurement(name, f"caseload, {WEEKS} weeks of homework and groups ({PATIENTS})",
                        tuple(after), statements["busy"] / iterations, None),
        ]
        median = statistics.median(after) / statistics.median(before)
        p95 = measured[2].p95 / measured[1].p95
        verdict = "within" if median <= TARGET_RATIO else "OVER"
        say(name, f"with / without homework and groups: median {median:.2f}x, p95 {p95:.2f}x "
                  f"({verdict} the {TARGET_RATIO}x target)")
        return measured


def main(argv: Sequence[str] | None = None) -> int:
    return harness.main(__doc__, argv, DEFAULT_ITERATIONS, run_backend)


if __name__ == "__main__":
    sys.exit(main())
