"""The therapist assigns homework and ends it, on a patient's detail page
(/patients/view/?id=N).

Thin: `core.homework` decides everything (who may assign to whom: an active
program membership and an active grant from the patient; who may end: the
assigning therapist or an admin of that program; what a form may say) and
writes the audit rows. The patient id comes from the page's address and the
assignment id from the screen: both are only ever questions to the core.
After a change the detail is read again through `sharing.therapist_reads`
(`PatientDetailState`), so the list shows what was stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import reflex as rx

from skills_app.core import homework, sharing
from skills_app.core.auth import Identity
from skills_app.core.models import Role
from skills_app.state.session import SessionState
from skills_app.state.therapist import PatientDetailState
from skills_app.text import _
from skills_app.text.problems import say, say_all

# The form's own names -> what `homework.assign` reads.
EXERCISE_PREFIX = "exercise."
WEEKDAY_PREFIX = "weekday."
QUERY_MAX = 60
# The field holding `target` for each kind that has one.
TARGET_FIELDS = {"mindfulness": "practice", "checkup": "checkup", "plan_review": "plan"}


def assign_form(raw: object) -> dict[str, object]:
    """What `homework.assign` reads, from the form as the browser sent it (anything):
    the ticked exercises and weekdays gathered into lists, and the target and the
    last day taken from the fields of the chosen kind and repeat (the others stay
    in the page, hidden, and are not sent on)."""
    form: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
    names = [key for key in form if isinstance(key, str)]

    def ticked(prefix: str) -> list[str]:
        return [key.removeprefix(prefix) for key in names
                if key.startswith(prefix) and form[key] not in ("", None, False)]

    kind, repeat = form.get("kind"), form.get("repeat")
    return {
        "idempotency_key": form.get("idempotency_key"),
        "kind": kind,
        "exercises": ticked(EXERCISE_PREFIX),
        "target": form.get(TARGET_FIELDS.get(kind, ""), "") if isinstance(kind, str) else "",
        "minutes": form.get("minutes"),
        "repeat": repeat,
        "weekdays": ticked(WEEKDAY_PREFIX),
        "times_per_week": form.get("times_per_week"),
        "start_day": form.get("start_day"),
        "end_day": form.get("due_day" if repeat == "once" else "end_day"),
        "note": form.get("note"),
    }


def field_of(problem_field: str, repeat: object) -> str:
    """The form field a problem of `homework.assign` belongs next to: "Due by" holds
    the last day of a once-only assignment."""
    if problem_field == "end_day" and repeat == "once":
        return "due_day"
    return problem_field


def _assign(identity: Identity, raw_patient_id: object, form: dict[str, object]
            ) -> tuple[list[int], dict[str, Any]]:
    return homework.assign(identity.user_id, raw_patient_id, form)


def _end(identity: Identity, raw_assignment_id: object) -> Any:
    return homework.end_assignment(identity.user_id, raw_assignment_id)


class HomeworkAssignState(SessionState):
    """The assign form (open or not, its errors) and the "End this?" question."""

    form_open: bool = False
    # Remounts the form with its defaults after an assignment is saved.
    form_key: int = 0
    # One per filled form: a double tap or a resend after reconnecting makes one set.
    idempotency_key: str = ""
    exercise_query: str = ""
    errors: dict[str, str] = {}
    message: str = ""
    confirm_end_id: int = 0
    confirm_end_what: str = ""

    def _fresh_form(self) -> None:
        self.form_key += 1
        self.idempotency_key = str(uuid.uuid4())
        self.exercise_query, self.errors = "", {}

    @rx.event
    def start_page(self) -> None:
        """A patient's detail opened: nothing of the form or message of another patient."""
        self.reset()

    @rx.event
    def open_form(self) -> None:
        self._fresh_form()
        self.form_open, self.message = True, ""

    @rx.event
    def close_form(self) -> None:
        self.form_open, self.errors = False, {}

    @rx.event
    def find_exercise(self, query: str) -> None:
        self.exercise_query = query.strip().casefold()[:QUERY_MAX] if isinstance(
            query, str) else ""

    async def _show_again(self) -> None:
        detail = await self.get_state(PatientDetailState)
        await detail._load(detail.screen.get("week", "") if detail.screen else "")

    @rx.event
    async def assign(self, form_data: dict) -> rx.event.EventSpec | None:
        raw_id = self.router.url.query_parameters.get("id", "")
        session = await self.get_state(SessionState)
        session._refused_patient = sharing.patient_id_or_zero(raw_id)
        identity, result = await self._as_user(Role.THERAPIST, _assign, raw_id,
                                               assign_form(form_data))
        session._refused_patient = 0
        if identity is None:
            return await self._send_to_sign_in()
        ids, problems = result
        if problems:
            repeat = form_data.get("repeat") if isinstance(form_data, dict) else None
            self.errors = {field_of(name, repeat): sentence
                           for name, sentence in say_all(problems).items()}
            self.message = ""
            return None
        self.message = _("Assigned. Your patient sees it on Today.") if len(ids) < 2 else _(
            "Assigned {n} exercises. Your patient sees them on Today.", n=len(ids))
        self.form_open = False
        self._fresh_form()
        await self._show_again()
        return None

    @rx.event
    async def ask_end(self, assignment_id: int) -> None:
        detail = await self.get_state(PatientDetailState)
        rows = (detail.screen.get("homework") or {}).get("rows", []) if detail.screen else []
        shown = next((row for row in rows if isinstance(assignment_id, int)
                      and not isinstance(assignment_id, bool) and row["id"] == assignment_id
                      and row["active"]), None)
        self.confirm_end_id = shown["id"] if shown else 0
        self.confirm_end_what = shown["what"] if shown else ""

    @rx.event
    def cancel_end(self) -> None:
        self.confirm_end_id, self.confirm_end_what = 0, ""

    @rx.event
    async def end(self) -> rx.event.EventSpec | None:
        assignment_id, what = self.confirm_end_id, self.confirm_end_what
        self.confirm_end_id, self.confirm_end_what = 0, ""
        raw_id = self.router.url.query_parameters.get("id", "")
        session = await self.get_state(SessionState)
        session._refused_patient = sharing.patient_id_or_zero(raw_id)
        identity, problem = await self._as_user(Role.THERAPIST, _end, assignment_id)
        session._refused_patient = 0
        if identity is None:
            return await self._send_to_sign_in()
        self.message = say(problem) if problem else _("Ended: {what}. The weeks before still "
                                                      "count.", what=what)
        await self._show_again()
        return None
