"""The safety plan and relapse-prevention plan screens, and the phone's offline copy.

Thin: each handler resolves the patient from the session and calls
`core.plans` off the event loop in the same trip. The page's form keeps a
device draft (assets/app.js) until the server confirms the save with
`saved_key`. The safety plan's offline copy (`SafetyPlanCopyState.copy`) goes
to the page as JSON and `assets/safety.js` keeps it in localStorage under the
patient's draft owner.

A patient with no safety plan gets its guided start (`start_step` 1-3, one
form per step, each a device draft of its own): each step is saved as it is
sent, and the next one shown. Which step shows is only this screen's: a page
loaded again in the same tab (a reconnect, a reload) stays on it; a new visit
shows the plan, with a way to go on where the start stopped (`next_step`).
"""

from __future__ import annotations

import json
from typing import ClassVar

import reflex as rx

from skills_app import text
from skills_app.core import plans
from skills_app.core.auth import Identity
from skills_app.core.models import Role
from skills_app.core.plans import PlanKind
from skills_app.state.session import SessionState, off_loop
from skills_app.text import N_, _
from skills_app.text.problems import say, say_all
from skills_app.views import plans as views

SAVED = N_("Saved.")
SAVED_SAFETY = N_("Saved. A copy is kept on this phone, so you can read it offline.")
SAVED_START = N_("Saved. You have a safety plan now, and a copy is on this phone.")
READ_TODAY = N_("Thanks. You read your plan today.")
HELP_PATH = "/help/"


def _get_plan(identity: Identity, kind: PlanKind) -> plans.Plan:
    return plans.get_plan(identity.user_id, kind)


def _save_plan(identity: Identity, kind: PlanKind, form: object) -> plans.PlanSaveResult:
    return plans.save_plan(identity.user_id, kind, form)


def _record_review(identity: Identity, kind: PlanKind, form: object) -> object:
    form = form if isinstance(form, dict) else {}
    return plans.record_review(identity.user_id, kind, form.get("idempotency_key"),
                               form.get("written_at"))


def _save_start_step(identity: Identity, form: object) -> plans.PlanSaveResult:
    return plans.save_start_step(identity.user_id, form)


def _saved_safety_plan(identity: Identity) -> plans.Plan | None:
    plan = plans.get_plan(identity.user_id, PlanKind.SAFETY)
    return plan if plan.id else None


def help_page_language(page_language: str, patient: Identity | None,
                       accept_language: object) -> str:
    """The language the help page should be read in.

    A signed-in patient: their account's. Anyone else (not signed in, or the
    therapist side, English only for now), on the source language's page
    (/help/): the browser's first language the app speaks; on another
    language's page (/es/help/), that one: they chose it.
    """
    if patient is not None:
        return patient.language
    if page_language == text.SOURCE.code:
        return text.from_accept_language(accept_language)
    return page_language


class SafetyPlanCopyState(SessionState):
    """The safety plan as the phone keeps it: "" not known yet, "none", or JSON."""

    copy: str = ""

    def _keep_copy(self, plan: plans.Plan | None) -> None:
        shown = views.device_copy(plan)
        if shown != self.copy:
            self.copy = shown

    @rx.event
    async def load_device_copy(self) -> None:
        """Refresh the phone's copy (Today). Anyone else: nothing."""
        identity, plan = await self._as_user(Role.PATIENT, _saved_safety_plan)
        if identity is None:
            return
        self._keep_copy(plan)

    @rx.event
    async def load_help_page(self) -> rx.event.EventSpec | None:
        """The help page: the page in the reader's language (see
        `help_page_language`), and a patient's copy of their safety plan."""
        patient, plan = await self._as_user(Role.PATIENT, _saved_safety_plan)
        page_language = text.language_of_path(self.router.url.path or HELP_PATH)
        wanted = help_page_language(page_language, patient,
                                    self.router.headers.accept_language)
        if wanted != page_language:
            # location.replace keeps the #section the link asked for (#overdose-safety).
            there = json.dumps(text.href(HELP_PATH, wanted))
            return rx.call_script(f"window.location.replace({there} + window.location.hash)")
        if patient is not None:
            self._keep_copy(plan)
        return None


class _PlanScreen(rx.State, mixin=True):
    """One plan's screen: the plan as read, and its edit form (a mixin: each plan
    has a state of its own)."""

    _kind: ClassVar[PlanKind]
    loaded: bool = False
    has_plan: bool = False
    values: dict[str, str] = {}
    lines: dict[str, list[str]] = {}
    contacts: dict[str, list[dict[str, str]]] = {}
    updated: str = ""
    errors: dict[str, str] = {}
    saved_message: str = ""
    saved_key: str = ""
    form_key: int = 0
    # "I read my plan today": what it said, and the key the server stored.
    review_message: str = ""
    review_key: str = ""

    async def _show(self, identity: Identity, plan: plans.Plan) -> None:
        self.has_plan = bool(plan.id)
        self.values = views.form_values(plan)
        self.lines, self.contacts = views.shown_lines(plan), views.shown_contacts(plan)
        self.updated = views.updated_line(plan, identity.time_zone)
        self.form_key += 1
        self.loaded = True
        if self._kind == PlanKind.SAFETY:
            copy_state = await self.get_state(SafetyPlanCopyState)
            copy_state.copy = views.device_copy(plan)

    async def _after_load(self, plan: plans.Plan, again: bool) -> None:
        """What a plan's screen does once its plan is read (the safety plan: its start)."""

    @rx.event
    async def load_plan(self) -> rx.event.EventSpec | None:
        identity = await self._identity()
        refusal = await self._admit(identity, Role.PATIENT)
        if refusal is not None:
            return refusal
        plan = await off_loop(_get_plan, identity, self._kind)
        self.errors, self.saved_message, self.saved_key = {}, "", ""
        self.review_message = ""
        await self._show(identity, plan)
        await self._after_load(plan, await self._same_page_again())
        return None

    @rx.event
    async def save_plan(self, form_data: dict) -> rx.event.EventSpec | None:
        identity, result = await self._as_user(Role.PATIENT, _save_plan, self._kind, form_data)
        if identity is None:
            return await self._send_to_sign_in()
        draft = f"{self._kind.value}-plan"
        if not result.ok:
            self.errors = say_all(result.errors or {"form": plans.BAD_FORM})
            self.saved_message = ""
            return rx.call_script(
                f"window.skillsDrafts && window.skillsDrafts.notSaved({json.dumps(draft)})")
        self.errors = {}
        key = form_data.get("idempotency_key") if isinstance(form_data, dict) else ""
        self.saved_key = key if isinstance(key, str) and len(key) <= 64 else ""
        await self._show(identity, result.plan)
        self.saved_message = _(SAVED_SAFETY if self._kind == PlanKind.SAFETY else SAVED)
        return rx.call_script("window.skillsSafety && window.skillsSafety.planSaved()")

    @rx.event
    async def mark_read(self, form_data: dict) -> rx.event.EventSpec | None:
        """"I read my plan today": a plan review on the patient's day (a tap kept on
        the phone offline is sent again when it is back)."""
        identity, problem = await self._as_user(Role.PATIENT, _record_review, self._kind,
                                                form_data)
        if identity is None:
            return await self._send_to_sign_in()
        if problem is not None:
            self.review_message = say(problem)
            draft = json.dumps(f"{self._kind.value}-review")
            return rx.call_script(
                f"window.skillsDrafts && window.skillsDrafts.notSaved({draft})")
        key = form_data.get("idempotency_key") if isinstance(form_data, dict) else ""
        self.review_key = key if isinstance(key, str) and len(key) <= 64 else ""
        self.review_message = _(READ_TODAY)
        return None


class SafetyPlanState(_PlanScreen, SessionState):
    _kind: ClassVar[PlanKind] = PlanKind.SAFETY
    # The guided start's step on screen (0: the plan as read), and where it would go on.
    start_step: int = 0
    next_step: int = 0
    start_errors: dict[str, str] = {}

    async def _show(self, identity: Identity, plan: plans.Plan) -> None:
        await super()._show(identity, plan)
        self.next_step = views.next_step_number(plan)

    async def _after_load(self, plan: plans.Plan, again: bool) -> None:
        self.start_errors = {}
        if not plan.id:
            self.start_step = 1
        elif not again:
            self.start_step = 0

    @rx.event
    async def save_start_step(self, form_data: dict) -> rx.event.EventSpec | None:
        """One step of the guided start: saved into the plan, then the next step."""
        identity, result = await self._as_user(Role.PATIENT, _save_start_step, form_data)
        if identity is None:
            return await self._send_to_sign_in()
        step = plans.start_step(form_data.get("step") if isinstance(form_data, dict) else None)
        draft = f"safety-start-{step.number if step else 0}"
        if not result.ok:
            self.start_errors = say_all(result.errors or {"form": plans.BAD_FORM})
            self.saved_message = ""
            return rx.call_script(
                f"window.skillsDrafts && window.skillsDrafts.notSaved({json.dumps(draft)})")
        self.start_errors = {}
        key = form_data.get("idempotency_key")
        self.saved_key = key if isinstance(key, str) and len(key) <= 64 else ""
        await self._show(identity, result.plan)
        last = step.number == plans.SAFETY_START[-1].number
        self.start_step = 0 if last else step.number + 1
        self.saved_message = _(SAVED_SAFETY if last else SAVED_START)
        if last:
            return rx.call_script("window.skillsSafety && window.skillsSafety.planSaved()")
        return _focus_step(self.start_step)

    @rx.event
    def go_on_with_start(self) -> rx.event.EventSpec | None:
        """Back into the guided start, at the first step the plan has nothing for."""
        if not self.has_plan or not self.next_step:
            return None
        self.start_step, self.saved_message, self.start_errors = self.next_step, "", {}
        return _focus_step(self.start_step)

    @rx.event
    def stop_start(self) -> rx.event.EventSpec | None:
        """Stop after a saved step: the plan as read (what was saved stays saved)."""
        if not self.has_plan:
            return None
        self.start_step = 0
        return rx.call_script("window.skillsSafety && window.skillsSafety.planSaved()")


def _focus_step(number: int) -> rx.event.EventSpec:
    """Move the screen and a screen reader to the step just shown."""
    # The step is shown by the update this script follows: wait until it is on screen.
    return rx.call_script(
        "(function focusStep(tries) { var title = document.getElementById("
        f"'start-step-{number}-title'); "
        "if (title && title.offsetParent) { window.scrollTo(0, 0); "
        "title.focus({preventScroll: true}); } "
        "else if (tries > 0) { requestAnimationFrame(function () { focusStep(tries - 1); }); }"
        " })(30)")


class RelapsePlanState(_PlanScreen, SessionState):
    _kind: ClassVar[PlanKind] = PlanKind.RELAPSE
