"""The guided exercise flow: one step per screen, then how it went, then the saved view.

Every exercise is laid out here once, from its content file, as one form
(form[data-flow]) holding all its screens: distress before, each step (its
cautions above it, the acronym spelled out on the first), and the closing
screen. assets/app.js shows one screen at a time and keeps the answers and the
current screen in the device draft, so a reload, a lost connection or an
expired session resumes at the same step. The page shows the exercise the
state names (from `?id=`), and a kind line for an id it does not know.
"""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.forms import draft_fields
from skills_app.components.journal import NO_DEFAULTS, checkbox, clearable_choice
from skills_app.components.layout import patient_shell
from skills_app.core import exercises, practice
from skills_app.core.exercises import SCALE_MAX, TEXT_MAX, Exercise, Step
from skills_app.pages import localized
from skills_app.state.practice_flow import PracticeFlowState
from skills_app.text import N_, _
from skills_app.views import practice as views

S = PracticeFlowState
DISTRESS_ENDS = N_("0 = calm, 10 = the worst")
CLOSING_LINE = N_("Thank you for taking this time for yourself. "
                  "Every bit of practice counts, however it went.")
# What Next says when a step that needs an answer has none (kind, never a scold).
NEEDS_ANSWER = {
    "short_text": N_("Please write a few words to go on. A short answer is fine."),
    "long_text": N_("Please write a few words to go on. A short answer is fine."),
    "choice": N_("Please pick one to go on."),
    "multi_choice": N_("Please pick at least one to go on."),
    "scale": N_("Please pick a number to go on."),
}


def _scale(name: str, label: str, question: str, *, ends: str = "",
           labelled_by: str | None = None) -> rx.Component:
    """0-10 tiles, each named `label` and its number ("Distress now 7")."""
    options = [(str(n), str(n), _("{label} {number}", label=label, number=n))
               for n in range(SCALE_MAX + 1)]
    return clearable_choice(name, question, options, NO_DEFAULTS, S.errors, wide=True,
                            hint=ends or _(DISTRESS_ENDS), labelled_by=labelled_by)


def _mid_sentence(words: str) -> str:
    """ "No urge at all" as it reads after "0 = " (a name or "I" keeps its capital)."""
    if words[:1].isupper() and words[1:2].islower():
        return words[0].lower() + words[1:]
    return words


def _text(step: Step, step_number: int, name: str, prompt_id: str) -> rx.Component:
    limit = TEXT_MAX[step.input]
    props = {"id": name, "name": name, "class_name": "field-input", "max_length": limit,
             "aria_labelledby": prompt_id,
             "aria_describedby": " ".join((f"{name}-client-error", f"step-{step_number}-error")),
             "custom_attrs": {"data-max-chars": str(limit), "data-label": _("answer")}}
    field = (rx.el.textarea(rows=5, **props) if step.input == "long_text"
             else rx.el.input(type="text", auto_complete="off", **props))
    return rx.fragment(field, rx.el.p(id=f"{name}-client-error", class_name="field-error",
                                      aria_live="polite"))


def _boxes(step: Step, prompt_id: str) -> rx.Component:
    return rx.el.div(
        # The box's name says which option (by place); its label is the option
        # in the reader's language. What is saved is the English option.
        *[checkbox(views.answer_name(step, n), _(option), NO_DEFAULTS)
          for n, option in enumerate(step.options)],
        class_name="check-grid flow-options",
        role="group",
        aria_labelledby=prompt_id,
    )


def _answer(step: Step, number: int, prompt_id: str) -> rx.Component:
    name = views.answer_name(step)
    if step.input in TEXT_MAX:
        return _text(step, number, name, prompt_id)
    if step.input == "choice":
        # The value sent and saved is the English option; the tile shows it translated.
        return clearable_choice(name, _("answer"),
                                [(o, _(o), _(o)) for o in step.options],
                                NO_DEFAULTS, S.errors, labelled_by=prompt_id)
    if step.input == "scale":
        low, high = (_mid_sentence(_(end)) for end in step.ends or ("", ""))
        return _scale(name, _("Answer"), _("Answer"),
                      ends=_("0 = {low}, {high_number} = {high}", low=low,
                             high_number=SCALE_MAX, high=high),
                      labelled_by=prompt_id)
    return _boxes(step, prompt_id)


def _nav(back: bool, *, last: bool = False) -> rx.Component:
    return rx.el.div(
        rx.el.button(_("Back"), type="button", class_name="secondary-button",
                     custom_attrs={"data-flow-back": "true"}) if back else rx.fragment(),
        rx.el.button(_("Finish"), type="submit", class_name="primary-button",
                     id="finish-exercise") if last else
        rx.el.button(_("Next"), type="button", class_name="primary-button",
                     custom_attrs={"data-flow-next": "true"}),
        class_name="button-row flow-nav",
    )


def _screen(number: int | rx.Var, *children: rx.Component, nav: rx.Component,
            required: str = "") -> rx.Component:
    """One screen of the flow; a step that needs an answer says so (kindly) above
    its buttons when Next is tapped without one."""
    attrs = {"data-screen": str(number) if isinstance(number, int) else number.to_string()}
    if required:
        attrs["data-required"] = required
    return rx.el.section(
        *children,
        rx.el.p(class_name="field-error flow-error", role="alert",
                id=f"step-{number}-error" if isinstance(number, int) else "step-last-error"),
        nav,
        class_name="flow-screen stack",
        custom_attrs=attrs,
    )


def _before() -> rx.Component:
    return _screen(
        0,
        ty.heading(_("Before you start"), as_="h2", size="5", id="screen-0-title",
                   tab_index=-1, class_name="flow-title"),
        rx.el.p(S.when, class_name="muted"),
        rx.el.p(S.about, class_name="muted"),
        _scale("distress_before", _("Distress now"),
               _("How strong is your distress right now? (optional)")),
        nav=_nav(back=False),
    )


def _step(exercise: Exercise, number: int, step: Step) -> rx.Component:
    prompt_id = f"step-{number}-prompt"
    total = len(exercise.steps)
    cautions = [_(c.text) for c in exercise.cautions if c.before_step == number]
    needs_answer = step.asks and not step.optional and step.input != "checklist"
    return _screen(
        number,
        rx.el.p(_("Step {number} of {total}", number=number, total=total),
                class_name="flow-count", id=f"step-{number}-title", tab_index=-1),
        *[rx.el.div(rx.el.strong(_("Please read first.")), " ", caution,
                    class_name="flow-caution", role="note") for caution in cautions],
        *([rx.el.p(line, class_name="flow-acronym") for line in views.acronym_lines(exercise)]
          if number == 1 else []),
        rx.el.p(_(step.prompt), id=prompt_id, class_name="flow-prompt"),
        rx.el.p(_("You can skip this one."), class_name="muted") if step.asks and step.optional
        else rx.fragment(),
        _answer(step, number, prompt_id) if step.asks else rx.fragment(),
        nav=_nav(back=True),
        required=_(NEEDS_ANSWER[step.input]) if needs_answer and step.input in NEEDS_ANSWER
        else "",
    )


def _after() -> rx.Component:
    return _screen(
        S.last_screen,
        ty.heading(_("How did it go?"), as_="h2", size="5", id="screen-last-title",
                   tab_index=-1, class_name="flow-title"),
        _scale("distress_after", _("Distress after"),
               _("How strong is your distress now? (optional)")),
        clearable_choice("helped", _("Did this help? (optional)"),
                         [(value, _(words), _(words))
                          for value, words in practice.HELPED.items()],
                         NO_DEFAULTS, S.errors),
        rx.el.p(_(CLOSING_LINE), class_name="flow-closing"),
        rx.el.p(S.message, class_name="form-status", role="alert"),
        nav=rx.fragment(_nav(back=True, last=True),
                        rx.el.p(class_name="draft-status", aria_live="polite",
                                custom_attrs={"data-draft-status": "practice"})),
    )


def _steps(exercise: Exercise) -> rx.Component:
    return rx.fragment(*[_step(exercise, n, step) for n, step in enumerate(exercise.steps, 1)])


def _form() -> rx.Component:
    """One form for the exercise shown: the screens every exercise has around its own steps
    (laid out once per exercise, chosen by its id)."""
    return rx.el.form(
        draft_fields(
            # From the page, never from a draft.
            rx.el.input(type="hidden", name="exercise_id", value=S.exercise_id, read_only=True,
                        custom_attrs={"data-server-value": "true"}),
            # The screen shown, and when the first step was: kept in the draft.
            rx.el.input(type="hidden", name="step", default_value="0"),
            rx.el.input(type="hidden", name="started_at", default_value=""),
            _before(),
            rx.match(S.exercise_id,
                     *[(exercise.id, _steps(exercise)) for exercise in exercises.all_exercises()],
                     rx.fragment()),
            _after(),
            owner=S.draft_owner,
        ),
        # A new form for each exercise: nothing typed for one is shown in another.
        key=S.exercise_id,
        id="practice-form",
        on_submit=S.finish,
        # Hidden, not removed, once finished: it still confirms the draft (data-saved-key).
        hidden=S.finished.length() > 0,
        custom_attrs={"data-draft": S.draft_name, "data-saved-key": S.saved_key,
                      "data-flow": "true", "data-last-screen": S.last_screen.to_string()},
        class_name="card flow stack",
    )


def _finished_panel() -> rx.Component:
    v = S.finished
    return rx.cond(
        v.length() > 0,
        rx.el.section(
            ty.heading(v["heading"], as_="h2", size="5", id="finished-heading"),
            rx.el.p(_("Well done. This counts as practice on today's diary card.")),
            rx.cond(
                v["message"] != "",
                rx.el.div(
                    ty.heading(_("Your message"), as_="h3", size="4"),
                    rx.el.p(v["message"], id="finished-message", class_name="note-text"),
                    rx.el.div(
                        rx.el.button(_("Copy"), type="button", class_name="secondary-button",
                                     custom_attrs={"data-copy": "finished-message"}),
                        rx.el.button(_("Share"), type="button", class_name="secondary-button",
                                     custom_attrs={"data-share": "finished-message"}),
                        class_name="button-row",
                    ),
                    rx.el.p(id="copy-status", role="status", class_name="saved"),
                    class_name="stack",
                ),
            ),
            rx.el.div(
                rx.el.a(_("Back to practice"), href=text.href("/practice/"),
                        class_name="primary-button"),
                rx.el.a(_("Today"), href=text.href("/today/"), class_name="secondary-button"),
                class_name="button-row",
            ),
            class_name="card saved-view stack",
            id="finished-view",
            aria_labelledby="finished-heading",
            tab_index=-1,
            custom_attrs={"data-reveal-on-show": "true"},
        ),
    )


def _not_found() -> rx.Component:
    return rx.el.section(
        ty.heading(_("We couldn't find that exercise"), as_="h2", size="5"),
        rx.el.p(_("It may have moved. You can pick one from the Practice tab.")),
        rx.el.a(_("Go to Practice"), href=text.href("/practice/"), class_name="primary-button"),
        class_name="card stack",
        id="exercise-not-found",
    )


def practice_flow_page() -> rx.Component:
    return patient_shell(
        rx.el.a(_("← Practice"), href=text.href("/practice/"), class_name="back-link"),
        rx.cond(S.not_found, _not_found()),
        _finished_panel(),
        rx.cond(S.exercise_id != "", _form()),
        title=rx.cond(S.title != "", S.title, _("Practice")),
        active="practice",
    )


def register(app: rx.App) -> None:
    localized.add_page(app, practice_flow_page, "/practice/do", title=N_("Practice"),
                       on_load=S.load_flow)
