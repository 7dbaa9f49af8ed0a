"""Helpers for tests of sharing and the therapist's views: connect and sign like a
patient would, and seed journal entries with a unique marker in every category."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from skills_app.core import db, exercises, measures, plans, practice, sharing
from skills_app.core.clock import utcnow
from skills_app.core.models import JournalEntry
from tests.conftest import Account

# A marker per category, written where only that category would show it.
MARKERS = {
    "mood": "Mlonelyhearts",  # a patient-named emotion
    "substance_use": "Ufentanylmark",  # what was used, and a patient-named urge
    "exercises": "Xanswermark",  # an exercise answer
    "notes": "Nnotemarker",  # a journal note and trigger
    "measures": "Moderately severe",  # the band of the PHQ-9 `checkup` stores
    "safety_plan": "Swarningmark",  # a warning sign in the safety plan
}


def share(patient: Account, therapist: Account, categories: tuple[str, ...],
          signature: str | None = None) -> int:
    code, _ = sharing.new_connect_code(therapist.identity.user_id)
    owner, problem = sharing.look_up_code(patient.identity.user_id, code)
    assert owner, problem
    draft = sharing.draft_consent(patient.identity.user_id, owner.therapist_user_id,
                                  owner.program_id, categories)
    result = sharing.sign_with_code(patient.identity.user_id, code, list(categories),
                                    signature or patient.identity.display_name, draft.sha256)
    assert result.ok, result.errors
    return result.grant_id


def diary_entry(account: Account, day: date, hour: int = 20, **values: object) -> None:
    """One diary card as the journal stores it, with markers in every category."""
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    fields: dict[str, object] = {
        "mood": 4, "emotion_sadness": 3, "sleep_hours": 6.5, "medications_taken": True,
        "custom_emotions": [{"name": MARKERS["mood"], "rating": 2}],
        "urge_suicide": 1, "urge_self_harm": 0, "urge_substance_use": 2, "craving": 3,
        "substance_what": MARKERS["substance_use"], "substance_amount": "1",
        "custom_urges": [{"name": MARKERS["substance_use"], "rating": 1, "acted_on": False}],
        "skills": ["distress_tolerance.tipp"],
        "note": MARKERS["notes"] + " about my week",
    } | values
    with db.transaction() as session:
        session.add(JournalEntry(user_id=account.identity.user_id,
                                 idempotency_key=str(uuid.uuid4()), kind="diary",
                                 occurred_at=moment, time_zone="UTC", local_date=day, **fields))


def _an_answer(step: exercises.Step) -> object:
    """Some answer a patient could give to a step that needs one."""
    if step.input in ("multi_choice", "checklist"):
        return [step.options[0]]
    if step.input == "choice":
        return step.options[0]
    if step.input == "scale":
        return 5
    return "Practised it"


def finished_exercise(account: Account, exercise_id: str = "self-soothe",
                      time_zone: str = "UTC") -> None:
    """A finished exercise (distress 6 -> 3, helped: yes), with the exercises marker
    in its answers when it is self-soothe."""
    answers = {"sight": MARKERS["exercises"]} if exercise_id == "self-soothe" else {
        step.key: _an_answer(step) for step in exercises.exercise(exercise_id).steps
        if step.asks and not step.optional}
    result = practice.finish_exercise(account.identity.user_id, time_zone, {
        "idempotency_key": str(uuid.uuid4()), "exercise_id": exercise_id,
        "answers": answers, "distress_before": 6, "distress_after": 3, "helped": "yes"})
    assert result.ok, result.errors


def checkup(account: Account, item9: int = 1, at: datetime | None = None,
            questionnaire: str = "phq9") -> measures.ResultView:
    """A finished PHQ-9 (total 15 or 16, "moderately severe", item 9 as given) or GAD-7."""
    answers = [2, 2, 2, 2, 2, 2, 2, 0, item9] if questionnaire == "phq9" else [1] * 7
    moment = at or utcnow()
    # In the patient's own zone, as the app stores it: a UTC day would be "tomorrow"
    # for a Chicago patient between 00:00 and 06:00 UTC.
    zone = getattr(account.identity, "time_zone", "UTC")
    outcome = measures.save_result(account.identity.user_id, zone, {
        "questionnaire": questionnaire, "idempotency_key": str(uuid.uuid4()),
        "answers": answers, "completed_at": moment.isoformat()})
    assert outcome.ok, outcome.errors
    return outcome.result


def safety_plan(account: Account) -> None:
    result = plans.save_plan(account.identity.user_id, "safety", {
        "plan_id": "", "version": "", "warning_signs": MARKERS["safety_plan"] + " at night",
        "people_to_ask_name_1": "Sam", "people_to_ask_phone_1": "555-0100"})
    assert result.ok, result.errors
