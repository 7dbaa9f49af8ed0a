"""The safety plan (/safety-plan/) and relapse-prevention plan (/relapse-plan/).

Each page shows the plan as read first (big tap-to-call and tap-to-text
links, printable on one page), then its edit form, folded once a plan exists.
Both are laid out from the plan's `PlanSpec` (core/plans.py) when the app is
compiled; only the patient's words come from the state.

The safety plan's page opens on its guided start when the patient has none
(every "Open my safety plan" link leads here): one question per screen, a big
Save, 988 in view, and every step a form of its own that keeps a device draft
until the server has saved it. The whole plan's form stays folded below.
"""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.forms import draft_fields
from skills_app.components.layout import held_slot, patient_shell
from skills_app.components.risk import crisis_link, nobody_watches
from skills_app.content.crisis import CALL_988, IN_THE_US, PROMPT_ACTIONS, TEXT_988
from skills_app.core import exercises
from skills_app.core.plans import (
    AFTER_A_SLIP,
    CONTACT_NAME_MAX,
    CONTACTS_MAX,
    LINES_MAX_CHARS,
    PHONE_MAX,
    RELAPSE_PLAN,
    SAFETY_PLAN,
    SAFETY_START,
    START_INTRO,
    PlanSection,
    PlanSpec,
    SectionKind,
    StartStep,
    contact_field,
    start_fields,
)
from skills_app.pages import localized
from skills_app.state.plans import RelapsePlanState, SafetyPlanCopyState, SafetyPlanState
from skills_app.state.session import SessionState
from skills_app.text import N_, _

AFTER_SLIP_SECTION = "after_slip"
STATES = {SAFETY_PLAN.kind: SafetyPlanState, RELAPSE_PLAN.kind: RelapsePlanState}
SOURCE_NOTE = N_("The steps follow the Safety Planning Intervention (Stanley & Brown, 2012), "
                 "in our own words.")


# --- the plan as read -------------------------------------------------------------

def _contact(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.span(row["name"], class_name="contact-name"),
        rx.cond(row["phone"] != "", rx.el.span(row["phone"], class_name="contact-phone")),
        rx.cond(row["phone"] != "", rx.el.span(
            rx.cond(row["tel"] != "",
                    rx.el.a(_("Call"), href=row["tel"], class_name="crisis-action",
                            aria_label=localized.sentence(_("Call {name}"),
                                                          name=row["name"].to(str)))),
            rx.cond(row["sms"] != "",
                    rx.el.a(_("Text"), href=row["sms"], class_name="crisis-action secondary",
                            aria_label=localized.sentence(_("Text {name}"),
                                                          name=row["name"].to(str)))),
            class_name="contact-actions")),
        class_name="contact",
    )


def _read_section(state: type, section: PlanSection) -> rx.Component:
    if section.kind == SectionKind.LINES:
        items = state.lines[section.key].to(list[str])
        body = rx.el.ul(rx.foreach(items, lambda line: rx.el.li(line)), class_name="plan-lines")
    else:
        items = state.contacts[section.key].to(list[dict[str, str]])
        body = rx.el.ul(rx.foreach(items, _contact), class_name="plan-contacts")
    return rx.cond(
        items.length() > 0,
        rx.el.section(
            ty.heading(_section_heading(section), as_="h3", size="4"),
            body,
            _exercise_links(section),
            class_name="plan-read-section",
            custom_attrs={"data-plan-section": section.key},
        ),
    )


def _section_heading(section: PlanSection) -> str:
    """A section's name as read: "My triggers: people" for a section of a group."""
    if not section.group:
        return _(section.title)
    return _("{group}: {section}", group=_(section.group), section=_(section.title).lower())


def _exercise_title(exercise_id: str) -> str:
    found = exercises.exercise(exercise_id)
    return _(found.title) if found is not None else exercise_id


def _exercise_links(section: PlanSection) -> rx.Component:
    if not section.exercises:
        return rx.fragment()
    links = [rx.el.a(_exercise_title(exercise.id),
                     href=text.href(f"/practice/do/?id={exercise.id}"), class_name="inline-link")
             for exercise in section.exercises]
    separated: list[rx.Component | str] = []
    for n, link in enumerate(links):
        separated += [link, ", "] if n < len(links) - 1 else [link]
    return rx.el.p(
        _("Try an exercise:"), " ",
        *separated,
        class_name="exercise-links no-print",
    )


def _after_a_slip_card() -> rx.Component:
    return rx.el.section(
        ty.heading(_("If I slip"), as_="h3", size="4"),
        rx.el.ul(*[rx.el.li(_(line)) for line in AFTER_A_SLIP], class_name="slip-list"),
        class_name="plan-read-section",
        id="after-a-slip",
    )


def _plan_read(spec: PlanSpec, state: type) -> rx.Component:
    return rx.cond(
        state.has_plan,
        rx.el.article(
            ty.heading(_(spec.title), as_="h2", size="6", class_name="personal-plan-title"),
            rx.el.p(state.updated, class_name="muted"),
            *[_read_section(state, section) for section in spec.sections],
            _after_a_slip_card() if spec.kind == RELAPSE_PLAN.kind else rx.fragment(),
            nobody_watches() if spec.kind == SAFETY_PLAN.kind else rx.fragment(),
            rx.el.div(
                rx.el.button(_("Print"), type="button", class_name="secondary-button",
                             custom_attrs={"data-print": "true"}),
                class_name="button-row no-print",
            ),
            _read_today(spec, state),
            class_name="card plan-read stack",
            id="plan-read",
        ),
    )


def _read_today(spec: PlanSpec, state: type) -> rx.Component:
    """"I read my plan today": what a "read your plan" homework counts. A form with a
    device draft, so a tap made offline is kept and sent when the phone is back."""
    draft = f"{spec.kind.value}-review"
    return rx.el.form(
        draft_fields(
            rx.el.p(_("Reading your plan now and then keeps it fresh for when you need it."),
                    class_name="muted small"),
            rx.el.button(_("I read my plan today"), type="submit",
                         class_name="secondary-button", id="plan-read-today"),
            rx.el.p(state.review_message, class_name="saved", role="status"),
            rx.el.p(class_name="draft-status", aria_live="polite",
                    custom_attrs={"data-draft-status": draft}),
            owner=SessionState.draft_owner,
        ),
        on_submit=state.mark_read,
        reset_on_submit=False,
        custom_attrs={"data-draft": draft, "data-saved-key": state.review_key},
        class_name="plan-read-today no-print",
    )


# --- the edit form ------------------------------------------------------------------

def _error(state: type, key: str) -> rx.Component:
    return rx.el.p(state.errors[key].to(str), id=f"{key}-error", class_name="field-error",
                   aria_live="polite")


def _lines_field(state: type, section: PlanSection) -> rx.Component:
    return rx.el.div(
        rx.el.label(_(section.title), html_for=section.key, class_name="field-label"),
        rx.el.p(_("{prompt} One per line.", prompt=_(section.prompt)), id=f"{section.key}-hint",
                class_name="field-hint"),
        # What to do after a slip is said before the patient's own steps.
        rx.el.ul(*[rx.el.li(_(line)) for line in AFTER_A_SLIP],
                 class_name="slip-list field-hint")
        if section.key == AFTER_SLIP_SECTION else rx.fragment(),
        rx.el.textarea(id=section.key, name=section.key, rows=3,
                       default_value=state.values[section.key].to(str),
                       class_name="field-input plan-textarea",
                       aria_describedby=f"{section.key}-hint {section.key}-error "
                                        f"{section.key}-client-error",
                       custom_attrs={"data-max-chars": str(LINES_MAX_CHARS),
                                     "data-label": _(section.phrase)}),
        rx.el.p(id=f"{section.key}-client-error", class_name="field-error",
                aria_live="polite"),
        _error(state, section.key),
        _exercise_links(section),
        class_name="field",
    )


def _contact_row(state: type, section: PlanSection, n: int) -> rx.Component:
    name, phone = contact_field(section, "name", n), contact_field(section, "phone", n)
    return rx.el.div(
        rx.el.div(
            rx.el.label(_("Name {n}", n=n), html_for=name, class_name="field-label small"),
            rx.el.input(id=name, name=name, max_length=CONTACT_NAME_MAX, auto_complete="off",
                        default_value=state.values[name].to(str), class_name="field-input",
                        aria_describedby=f"{section.key}-error"),
            class_name="field",
        ),
        rx.el.div(
            rx.el.label(_("Phone {n}", n=n), html_for=phone, class_name="field-label small"),
            rx.el.input(id=phone, name=phone, type="tel", max_length=PHONE_MAX,
                        auto_complete="off", input_mode="tel",
                        default_value=state.values[phone].to(str), class_name="field-input",
                        aria_describedby=f"{section.key}-error"),
            class_name="field",
        ),
        class_name="contact-row",
    )


def _contacts_field(state: type, section: PlanSection) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(_(section.title), class_name="field-label"),
        rx.el.p(_(section.prompt), class_name="field-hint"),
        *[_contact_row(state, section, n) for n in range(1, CONTACTS_MAX + 1)],
        _error(state, section.key),
        class_name="plan-contacts-field stack-tight",
    )


def _form_sections(spec: PlanSpec, state: type) -> list[rx.Component]:
    """The fields in plan order; sections of one group share a fieldset named by it."""
    parts: list[rx.Component] = []
    grouped: list[rx.Component] = []
    for n, section in enumerate(spec.sections):
        field = (_lines_field(state, section) if section.kind == SectionKind.LINES
                 else _contacts_field(state, section))
        if not section.group:
            parts.append(field)
            continue
        grouped.append(field)
        following = spec.sections[n + 1] if n + 1 < len(spec.sections) else None
        if following is None or following.group != section.group:
            parts.append(rx.el.fieldset(rx.el.legend(_(section.group), class_name="plan-group"),
                                        *grouped, class_name="plan-group-fields stack"))
            grouped = []
    return parts


def _plan_form(spec: PlanSpec, state: type) -> rx.Component:
    draft = f"{spec.kind.value}-plan"
    return rx.el.details(
        rx.el.summary(rx.cond(state.has_plan, _("Edit my plan"),
                              _("Write my whole plan instead") if spec.kind == SAFETY_PLAN.kind
                              else _("Write my plan")),
                      class_name="plan-edit-summary"),
        rx.el.form(
            rx.el.div(state.errors["form"].to(str), class_name="form-status", role="alert"),
            draft_fields(
                rx.el.input(type="hidden", name="plan_id", value=state.values["plan_id"].to(str),
                            read_only=True),
                rx.el.input(type="hidden", name="version", value=state.values["version"].to(str),
                            read_only=True),
                *_form_sections(spec, state),
                rx.el.div(
                    rx.el.button(_("Save my plan"), type="submit", class_name="primary-button",
                                 id="save-plan"),
                    rx.el.p(class_name="draft-status", aria_live="polite",
                            custom_attrs={"data-draft-status": draft}),
                    class_name="save-bar",
                ),
                owner=SessionState.draft_owner,
            ),
            key=state.form_key.to_string(),
            id="plan-form",
            on_submit=state.save_plan,
            custom_attrs={"data-draft": draft, "data-saved-key": state.saved_key},
            class_name="stack",
        ),
        # A new safety plan starts with its guided start; the whole form waits, folded.
        open=state.loaded & ~state.has_plan & (spec.kind != SAFETY_PLAN.kind),
        id="plan-edit",
        class_name="card plan-edit no-print",
    )


# --- the safety plan's guided start ---------------------------------------------------

def _start_answer_fields(step: StartStep) -> list[rx.Component]:
    """The step's answer fields. They carry no id: Reflex would send each input's id
    as one more field, and a step takes only its own fields."""
    state = SafetyPlanState
    described = " ".join((f"start-{step.number}-hint", f"start-{step.section}-error"))
    hint = rx.el.p(_(step.hint), id=f"start-{step.number}-hint", class_name="field-hint")
    if len(start_fields(step)) == 1:
        [name] = start_fields(step)
        return [hint, rx.el.textarea(
            name=name, rows=3, default_value=state.values[name].to(str),
            class_name="field-input plan-textarea",
            aria_labelledby=f"start-step-{step.number}-title",
            aria_describedby=f"{described} start-{name}-client-error",
            custom_attrs={"data-max-chars": str(LINES_MAX_CHARS),
                          "data-label": _(SAFETY_PLAN.section(name).phrase),
                          "data-error-slot": f"start-{name}-client-error"}),
            rx.el.p(id=f"start-{name}-client-error", class_name="field-error",
                    aria_live="polite")]
    name, phone = start_fields(step)
    return [hint, rx.el.div(
        rx.el.label(
            rx.el.span(_("Name"), class_name="field-label"),
            rx.el.input(name=name, max_length=CONTACT_NAME_MAX, auto_complete="off",
                        default_value=state.values[name].to(str), class_name="field-input",
                        aria_describedby=described),
            class_name="field"),
        rx.el.label(
            rx.el.span(_("Phone number"), class_name="field-label"),
            rx.el.input(name=phone, type="tel", max_length=PHONE_MAX, auto_complete="off",
                        input_mode="tel", default_value=state.values[phone].to(str),
                        class_name="field-input", aria_describedby=described),
            class_name="field"),
        class_name="stack-tight")]


def _start_step(step: StartStep) -> rx.Component:
    state = SafetyPlanState
    n, last = step.number, step.number == len(SAFETY_START)
    return rx.el.section(
        rx.el.p(_("Step {n} of {total}", n=n, total=len(SAFETY_START)),
                class_name="start-progress"),
        rx.el.form(
            rx.el.div(state.start_errors["form"].to(str), class_name="form-status",
                      role="alert"),
            draft_fields(
                rx.el.input(type="hidden", name="step", value=str(n), read_only=True),
                rx.el.input(type="hidden", name="plan_id",
                            value=state.values["plan_id"].to(str), read_only=True),
                rx.el.input(type="hidden", name="version",
                            value=state.values["version"].to(str), read_only=True),
                rx.el.div(
                    rx.el.h2(_(step.question), id=f"start-step-{n}-title", tab_index=-1,
                             class_name="start-question"),
                    *_start_answer_fields(step),
                    class_name="field"),
                rx.el.p(state.start_errors[step.section].to(str),
                        id=f"start-{step.section}-error", class_name="field-error",
                        aria_live="polite"),
                rx.el.div(
                    rx.el.button(_("Save my plan") if last else _("Save and go on"),
                                 type="submit",
                                 class_name="primary-button start-save"),
                    rx.el.p(class_name="draft-status", aria_live="polite",
                            custom_attrs={"data-draft-status": f"safety-start-{n}"}),
                    class_name="start-save-bar",
                ),
                owner=SessionState.draft_owner,
            ),
            key=state.form_key.to_string(),
            id=f"start-form-{n}",
            on_submit=state.save_start_step,
            custom_attrs={"data-draft": f"safety-start-{n}", "data-saved-key": state.saved_key},
            class_name="stack",
        ),
        rx.el.button(_("Stop here — my plan is saved"), type="button",
                     class_name="secondary-button start-stop",
                     on_click=state.stop_start) if n > 1 else rx.fragment(),
        hidden=state.start_step != n,
        id=f"start-step-{n}",
        class_name="card start-step stack",
        aria_labelledby=f"start-step-{n}-title",
    )


def lifeline_now() -> rx.Component:
    """Call or text 988 (elsewhere: the crisis lines), as buttons right where they are needed."""
    actions = (CALL_988, TEXT_988) if IN_THE_US else PROMPT_ACTIONS
    return rx.el.div(*[crisis_link(action) for action in actions], class_name="crisis-actions")


def _lifeline_card() -> rx.Component:
    """988 in view while the plan does not exist yet (after that, the plan lists it)."""
    words = (_("988 is the first line in your plan. Call or text, free, day or night.")
             if IN_THE_US else _("Your plan starts with the crisis lines near you."))
    return rx.el.section(
        rx.el.p(words),
        lifeline_now(),
        class_name="card start-lifeline stack-tight",
        hidden=SafetyPlanState.has_plan,
        id="start-lifeline",
    )


def _guided_start() -> rx.Component:
    """Every step is in the page (hidden but the one on screen), so each keeps its draft."""
    state = SafetyPlanState
    return rx.el.div(
        rx.el.p(_(START_INTRO), class_name="lead", hidden=state.has_plan),
        _lifeline_card(),
        *[_start_step(step) for step in SAFETY_START],
        hidden=state.start_step == 0,
        id="guided-start",
        class_name="stack no-print",
    )


def _go_on_card() -> rx.Component:
    """A plan begun with the guided start and left part way: the next step, one tap away."""
    state = SafetyPlanState
    return rx.cond(
        state.has_plan & (state.start_step == 0) & (state.next_step > 0),
        rx.el.section(
            rx.el.p(_("Add one more thing to your plan when you are ready."),
                    class_name="start-go-on-text"),
            rx.el.button(
                rx.match(state.next_step,
                         *[(step.number, _("Go on: {question}", question=_(step.question)))
                           for step in SAFETY_START],
                         _("Go on")),
                type="button", class_name="secondary-button start-go-on",
                on_click=state.go_on_with_start),
            class_name="card stack-tight no-print",
            id="start-go-on",
        ),
    )


def plan_page(spec: PlanSpec) -> rx.Component:
    state = STATES[spec.kind]
    safety = spec.kind == SAFETY_PLAN.kind
    extra = (rx.el.p(_(SOURCE_NOTE), class_name="muted small no-print") if safety
             else rx.fragment())
    intro = _(spec.intro)
    return patient_shell(
        rx.el.a(_("← More"), href=text.href("/more/"), class_name="back-link no-print"),
        ty.text(intro, class_name="lead no-print") if not safety else rx.cond(
            state.start_step == 0, ty.text(intro, class_name="lead no-print")),
        rx.el.p(state.saved_message, class_name="saved", role="status", id="plan-saved"),
        _guided_start() if safety else rx.fragment(),
        _go_on_card() if safety else rx.fragment(),
        # The saved plan arrives with the state: its place is held.
        held_slot(_plan_read(spec, state), name=spec.kind.value, loaded=state.loaded,
                  class_name="plan-read-slot"),
        _plan_form(spec, state),
        extra,
        device_copy_marker() if safety else rx.fragment(),
        title=_(spec.title),
        active="more",
    )


def device_copy_marker() -> rx.Component:
    """Hands the safety plan's offline copy to assets/safety.js (kept per patient)."""
    return rx.el.div(hidden=True, id="safety-plan-device-copy",
                     custom_attrs={"data-safety-plan-copy": SafetyPlanCopyState.copy,
                                   "data-owner": SessionState.draft_owner})


def safety_plan_view() -> rx.Component:
    """Where the help page shows the phone's copy of the plan (filled by safety.js)."""
    return rx.el.section(hidden=True, id="safety-plan-copy", class_name="card stack",
                         custom_attrs={"data-safety-plan-copy-view": "true"})


def safety_plan_page() -> rx.Component:
    return plan_page(SAFETY_PLAN)


def relapse_plan_page() -> rx.Component:
    return plan_page(RELAPSE_PLAN)


def register(app: rx.App) -> None:
    localized.add_page(app, safety_plan_page, "/safety-plan",
                       title=N_("My safety plan"), on_load=SafetyPlanState.load_plan)
    localized.add_page(app, relapse_plan_page, "/relapse-plan",
                       title=N_("My relapse-prevention plan"),
                       on_load=RelapsePlanState.load_plan)
