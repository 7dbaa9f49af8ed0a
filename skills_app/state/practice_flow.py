"""The guided exercise flow: open an exercise by its id, finish it once.

Thin, like the journal's states: every handler resolves the patient from the
session, turns the form into core input with `views.practice.finish_input`,
calls `core.practice` off the event loop and keeps what the page shows. The
answers live in the browser (assets/app.js drafts, the current step among
them) until the server confirms the finish with `saved_key`.
"""

from __future__ import annotations

import json

import reflex as rx

from skills_app.core import exercises, practice
from skills_app.core.auth import Identity
from skills_app.core.models import Role
from skills_app.state.session import SessionState
from skills_app.text import _, ngettext
from skills_app.text.problems import say, say_all
from skills_app.views import practice as views

DRAFT_PREFIX = "practice-"


def _finish(identity: Identity, raw: object) -> practice.PracticeResult:
    return practice.finish_exercise(identity.user_id, identity.time_zone, raw)


def _not_saved(name: str) -> rx.event.EventSpec:
    return rx.call_script(
        f"window.skillsDrafts && window.skillsDrafts.notSaved({json.dumps(name)})")


class PracticeFlowState(SessionState):
    """One exercise, step by step, and what was saved when it was finished."""

    # The exercise shown ("" until the page has loaded, or when the id is unknown).
    exercise_id: str = ""
    # The exercise's title in the page's language ("" until loaded: the page
    # then shows its own "Practice").
    title: str = ""
    when: str = ""
    minutes: int = 0
    # "About 10 minutes. You can stop at any time." in the page's language.
    about: str = ""
    # The closing screen's number: one after the last step.
    last_screen: int = 0
    not_found: bool = False
    message: str = ""
    # Core's messages by form field (a step's answer, a distress rating).
    errors: dict[str, str] = {}
    saved_key: str = ""
    # The finished exercise, as the page shows it in place of the form.
    finished: dict[str, str] = {}

    @rx.var
    def draft_name(self) -> str:
        return DRAFT_PREFIX + self.exercise_id if self.exercise_id else ""

    @rx.event
    async def load_flow(self) -> rx.event.EventSpec | None:
        identity = await self._identity()
        refusal = await self._admit(identity, Role.PATIENT)
        if refusal is not None:
            return refusal
        found = exercises.exercise(self.router.url.query_parameters.get("id", ""))
        again = await self._same_page_again()
        if again and self.finished and found is not None and found.id == self.exercise_id:
            return None  # the connection came back: keep what the finish showed
        self.message, self.errors, self.saved_key, self.finished = "", {}, "", {}
        self.not_found = found is None
        self.exercise_id = found.id if found else ""
        self.title = _(found.title) if found else _("Practice")
        self.when, self.minutes = (_(found.when), found.minutes) if found else ("", 0)
        self.about = ngettext("About {n} minute. You can stop at any time.",
                              "About {n} minutes. You can stop at any time.",
                              found.minutes) if found else ""
        self.last_screen = len(found.steps) + 1 if found else 0
        return None

    @rx.event
    async def finish(self, form_data: dict) -> rx.event.EventSpec | None:
        raw = views.finish_input(form_data)
        # The draft the form keeps (its own exercise's), to be told it was not saved.
        sent = exercises.exercise(raw.get("exercise_id")) if raw is not None else None
        name = DRAFT_PREFIX + sent.id if sent else self.draft_name
        if raw is None:
            if await self._identity(Role.PATIENT) is None:
                return await self._send_to_sign_in()
            self.message = say(practice.BAD_FORM)
            return _not_saved(name)
        identity, result = await self._as_user(Role.PATIENT, _finish, raw)
        if identity is None:
            return await self._send_to_sign_in()
        if not result.ok:
            self.message = say(views.first_error(result.errors) or practice.BAD_FORM)
            self.errors = say_all(views.field_errors(result.errors))
            return _not_saved(name)
        self.message, self.errors = "", {}
        self.saved_key = result.finished.idempotency_key
        self.finished = views.finished_view(result.finished)
        return None
