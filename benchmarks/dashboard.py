"""Server-side time of the therapist's caseload dashboard and one patient's detail.

Seeds a program, one therapist and 30 patients who each share every category
with them (through the real connect code and signed consent), each with a year
(365 days) of diary cards (mood, emotions, urges, craving, sleep, skills, a
note) and about 150 finished exercises. Then, with the clock frozen the next
morning, it times in-process (no HTTP, no Reflex, no browser) exactly what the
handlers run off the event loop:

- dashboard: `state.therapist._caseload` (for each patient: the access check
             `allowed_categories`' rule, the audit row, and the caseload row's
             numbers from `core.progress`)
- detail:    `state.therapist._detail` for one patient (access check, audit row,
             numbers, this week's and last week's diary-card review)
- baseline:  `db.transaction()` + `SELECT 1`, measured in the same run

Targets: dashboard p95 <= 300 ms, detail p95 <= 100 ms. The session lookup
every handler does first is the same for every screen and is not included.

    .venv/bin/python benchmarks/dashboard.py                 # SQLite and PostgreSQL
    .venv/bin/python benchmarks/dashboard.py --sqlite-only --iterations 30
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

from sqlalchemy import insert  # noqa: E402

from benchmarks import harness  # noqa: E402
from benchmarks.harness import Measurement, Operation, say  # noqa: E402
from skills_app.core import auth, db, programs, sharing  # noqa: E402
from skills_app.core.clock import frozen_clock  # noqa: E402
from skills_app.core.models import ExerciseSession, JournalEntry, ProgramRole  # noqa: E402
from skills_app.state.therapist import _caseload, _detail  # noqa: E402

PATIENTS = 30
SEED_DAYS = 365
LAST_DAY = date(2026, 3, 4)
NOW = datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
DEFAULT_ITERATIONS = 50
DASHBOARD_P95_MS = 300.0
DETAIL_P95_MS = 100.0
PASSWORD = "correct horse battery staple"
SKILLS = ["distress_tolerance.tipp", "emotion_regulation.opposite_action",
          "mindfulness.wise_mind", "interpersonal.dear_man"]


def _account(name: str, email: str, role: str, invitation: str | None = None,
             address: str = "127.0.0.1") -> auth.Identity:
    raw = {"display_name": name, "email": email, "password": PASSWORD, "role": role,
           "time_zone": "America/Chicago"}
    if invitation:
        raw["invitation"] = invitation
    result = auth.sign_up(raw, address=address)
    if not result.ok:
        raise RuntimeError(f"sign-up failed: {result.errors}")
    return result.identity


def share_everything(therapist: auth.Identity, patient: auth.Identity) -> None:
    """The patient shares every category with the therapist (connect code and consent)."""
    code, _ = sharing.new_connect_code(therapist.user_id)
    owner, _ = sharing.look_up_code(patient.user_id, code)
    draft = sharing.draft_consent(patient.user_id, owner.therapist_user_id,
                                  owner.program_id, sharing.CATEGORY_KEYS)
    signed = sharing.sign_with_code(patient.user_id, code, list(sharing.CATEGORY_KEYS),
                                    patient.display_name, draft.sha256)
    if not signed.ok:
        raise RuntimeError(f"consent failed: {signed.errors}")


def _year_of_rows(user_id: int, rng: random.Random) -> tuple[list[dict], list[dict]]:
    entries, practised = [], []
    for offset in range(SEED_DAYS):
        day = LAST_DAY - timedelta(days=offset)
        if rng.random() < 0.15:
            continue  # a day without a card
        moment = datetime(day.year, day.month, day.day, 23, tzinfo=UTC)
        entries.append({
            "user_id": user_id, "idempotency_key": str(uuid.UUID(int=rng.getrandbits(128))),
            "kind": "diary", "occurred_at": moment, "time_zone": "America/Chicago",
            "local_date": day, "mood": rng.randint(1, 9), "emotion_sadness": rng.randint(0, 5),
            "emotion_joy": rng.randint(0, 5), "urge_suicide": rng.choice((0, 0, 1, 2, 4)),
            "urge_self_harm": rng.randint(0, 3), "urge_substance_use": rng.randint(0, 5),
            "urge_quit_therapy": rng.randint(0, 2), "craving": rng.randint(0, 10),
            "acted_substance_use": rng.random() < 0.05, "sleep_hours": rng.choice((5, 6.5, 8)),
            "medications_taken": True, "note": "A day with ups and downs.",
            "skills": rng.sample(SKILLS, rng.randint(0, 2)),
            "custom_emotions": [], "custom_urges": [], "risk_flag": False,
            "created_at": moment, "updated_at": moment,
        })
        if rng.random() < 0.4:
            practised.append({
                "user_id": user_id, "idempotency_key": str(uuid.UUID(int=rng.getrandbits(128))),
                "exercise_id": "urge-surfing", "finished_at": moment, "time_zone": "UTC",
                "local_date": day, "answers": {}, "distress_before": 6, "distress_after": 3,
                "created_at": moment})
    return entries, practised


def seed(rng: random.Random) -> tuple[auth.Identity, list[int]]:
    with frozen_clock(NOW - timedelta(days=1)):
        program_id, _ = programs.create_program("Bench IOP")
        therapist = _account("Dr. Bench", "bench.therapist@example.org", "therapist",
                             programs.create_invitation(program_id, ProgramRole.THERAPIST))
        patient_ids = []
        for number in range(PATIENTS):
            patient = _account(f"Patient {number:02d}", f"bench.p{number}@example.org",
                               "patient")
            share_everything(therapist, patient)
            entries, practised = _year_of_rows(patient.user_id, rng)
            with db.transaction() as session:
                session.execute(insert(JournalEntry), entries)
                session.execute(insert(ExerciseSession), practised)
            patient_ids.append(patient.user_id)
    return therapist, patient_ids


def run_backend(name: str, url: str, iterations: int) -> list[Measurement]:
    with harness.database(url) as engine:
        started = time.perf_counter()
        therapist, patient_ids = seed(random.Random(2026))
        say(name, f"seeded {PATIENTS} sharing patients with a year of diary cards each in "
                  f"{time.perf_counter() - started:.1f} s")

        def check() -> None:
            rows, _ = _caseload(therapist)
            screen = _detail(therapist, patient_ids[0], "", "detail")
            if len(rows) != PATIENTS or screen is None or not screen.sections:
                raise RuntimeError("the seeded data does not look as expected")

        return harness.measure_all(name, engine, NOW, check, lambda: (
            harness.baseline(iterations),
            Operation("dashboard (30 patients)", lambda _: _caseload(therapist),
                      iterations, DASHBOARD_P95_MS),
            Operation("patient detail", lambda i: _detail(
                therapist, patient_ids[i % PATIENTS], "", "detail"),
                iterations, DETAIL_P95_MS),
        ))


def main(argv: Sequence[str] | None = None) -> int:
    return harness.main(__doc__, argv, DEFAULT_ITERATIONS, run_backend)


if __name__ == "__main__":
    sys.exit(main())
