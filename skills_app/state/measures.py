"""PHQ-9 and GAD-7: the check-ups page, one questionnaire, and Today's card.

Thin, like the exercise flow: every handler resolves the patient from the
session, turns the form into core input with `views.measures`, calls
`core.measures` off the event loop and keeps only what the screen shows (the
answers themselves never come back: the page shows the score, the band and,
after PHQ-9 item 9 above 0, the safety plan and crisis lines). The answers
live in the browser (assets/app.js drafts, the current question among them)
until the server confirms the result with `saved_key`.
"""

from __future__ import annotations

import json

import reflex as rx

from skills_app.core import measures
from skills_app.core.auth import Identity
from skills_app.core.models import Role
from skills_app.state.session import SessionState
from skills_app.text import _
from skills_app.text.problems import say
from skills_app.views import measures as views

DRAFT_PREFIX = "measure-"


def _save(identity: Identity, raw: object) -> measures.MeasureOutcome:
    return measures.save_result(identity.user_id, identity.time_zone, raw)


def _screen(identity: Identity) -> views.MeasuresScreen | None:
    # Resolved with any role so the page guard can send others home; only a
    # patient's results are read.
    if identity.role != Role.PATIENT:
        return None
    return views.measures_screen(identity.user_id, identity.time_zone)


def _due(identity: Identity) -> list[dict[str, str]]:
    return views.due_cards(measures.schedule(identity.user_id, identity.time_zone))


def _not_saved(name: str) -> rx.event.EventSpec:
    return rx.call_script(
        f"window.skillsDrafts && window.skillsDrafts.notSaved({json.dumps(name)})")


class MeasuresState(SessionState):
    """The check-ups page: what is due, and each questionnaire's history."""

    due: list[dict[str, str]] = []
    # The charts, drawn on the server (views/charts.py).
    phq9_picture: str = ""
    gad7_picture: str = ""
    phq9_rows: list[dict[str, str]] = []
    gad7_rows: list[dict[str, str]] = []
    loaded: bool = False

    @rx.event
    async def load_measures(self) -> rx.event.EventSpec | None:
        identity, screen = await self._as_user(None, _screen)
        refusal = await self._admit(identity, Role.PATIENT)
        if refusal is not None or screen is None:
            return refusal
        self.due = screen.due
        self.phq9_picture, self.gad7_picture = screen.pictures["phq9"], screen.pictures["gad7"]
        self.phq9_rows, self.gad7_rows = screen.rows["phq9"], screen.rows["gad7"]
        self.loaded = True
        return None


class MeasureTakeState(SessionState):
    """One questionnaire, a question per screen, and its result once saved."""

    # The questionnaire shown ("" until the page has loaded, or for an unknown id).
    questionnaire_id: str = ""
    # The heading: "" shows the page's own word for a check-up (in its language).
    title: str = ""
    not_found: bool = False
    message: str = ""
    saved_key: str = ""
    # The saved result, as the page shows it in place of the form.
    result: dict[str, str] = {}

    @rx.var
    def draft_name(self) -> str:
        return DRAFT_PREFIX + self.questionnaire_id if self.questionnaire_id else ""

    @rx.event
    async def load_take(self) -> rx.event.EventSpec | None:
        identity = await self._identity()
        refusal = await self._admit(identity, Role.PATIENT)
        if refusal is not None:
            return refusal
        found = measures.questionnaire(self.router.url.query_parameters.get("id", ""))
        again = await self._same_page_again()
        if again and self.result and found is not None and found.id == self.questionnaire_id:
            return None  # the connection came back: keep the result it showed
        self.message, self.saved_key, self.result = "", "", {}
        self.not_found = found is None
        self.questionnaire_id = found.id if found else ""
        self.title = _(found.about) if found else ""
        return None

    @rx.event
    async def finish(self, form_data: dict) -> rx.event.EventSpec | None:
        raw = views.submission_input(form_data)
        # The draft the form keeps (its own questionnaire's), to be told it was not saved.
        sent = measures.questionnaire(raw.get("questionnaire")) if raw is not None else None
        name = DRAFT_PREFIX + sent.id if sent else self.draft_name
        if raw is None:
            if await self._identity(Role.PATIENT) is None:
                return await self._send_to_sign_in()
            self.message = say(measures.BAD_FORM)
            return _not_saved(name)
        identity, outcome = await self._as_user(Role.PATIENT, _save, raw)
        if identity is None:
            return await self._send_to_sign_in()
        if not outcome.ok:
            self.message = say(views.first_error(outcome.errors) or measures.BAD_FORM)
            return _not_saved(name)
        self.message = ""
        self.saved_key = outcome.result.idempotency_key
        self.result = views.result_view(outcome.result)
        return None


class TodayMeasuresState(SessionState):
    """Today's card: the questionnaires due now (none: no card)."""

    due: list[dict[str, str]] = []

    @rx.event
    async def load_due(self) -> None:
        identity, due = await self._as_user(Role.PATIENT, _due)
        if identity is None:
            return
        self.due = due
