"""The risk prompts and the "nobody sees this right away" line.

Every prompt of `core/risk.py` is drawn here once (`_prompt_parts`), for two
places:

- `risk_prompts()` is static HTML, compiled into the page: every prompt is
  there, hidden, and `assets/safety.js` shows the ones the form's values call
  for, with the table of cases it carries as JSON (`data-risk-cases`). So the
  right prompt shows the moment the patient taps Save, online or not. A page
  that asks risky questions (the diary card, the PHQ-9) puts `risk_prompts()`
  on it and marks its form `data-risk-form`, or calls
  `window.skillsSafety.showRisk({...values})`.
- `todays_prompts(shown)` is Today's: the server says which prompts the day's
  diary cards call for (`core/day_signal.py`), and the same parts show.

Either way the "Nobody sees this right away" line comes first.
"""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.content import crisis
from skills_app.content.crisis import (
    CALL_911,
    CALL_POISON_CONTROL,
    HURT_OR_TOOK_SOMETHING,
    IN_THE_US,
    NOBODY_WATCHES,
    PROMPT_ACTIONS,
    CrisisAction,
)
from skills_app.core import exercises, practice, risk
from skills_app.core.plans import AFTER_A_SLIP, RELAPSE_PLAN, SAFETY_PLAN
from skills_app.text import N_, _
from skills_app.views.practice_tab import do_href, minutes_label

SAFETY_PLAN_LINK_TEXT = N_("Open my safety plan")
RELAPSE_PLAN_LINK_TEXT = N_("Open my relapse-prevention plan")
OVERDOSE_SAFETY_HREF = "/help/#overdose-safety"


def nobody_watches(id_: str | None = None) -> rx.Component:
    """The line that stands on Today, the diary card, the measures, and first in every prompt."""
    return rx.el.p(_(NOBODY_WATCHES), class_name="nobody-watches", id=id_)


def action_label(label: str) -> rx.Component:
    """A button's words (already in the page's language), with a phone number at
    its end kept on one line."""
    head, _space, last = label.rpartition(" ")
    if head and sum(ch.isdigit() for ch in last) >= 7:
        # One inline span: the button is a flex box, which would drop the space.
        return rx.el.span(head + " ", rx.el.span(last, class_name="nowrap"))
    return rx.fragment(label)


def crisis_link(action: CrisisAction, *, quiet: bool = False) -> rx.Component:
    return rx.el.a(action_label(_(action.label)), href=_(action.href),
                   class_name="crisis-action secondary" if quiet else "crisis-action")


def _actions(actions: tuple[CrisisAction, ...] | list[CrisisAction], *,
             quiet: bool = False) -> rx.Component:
    return rx.el.div(*[crisis_link(action, quiet=quiet) for action in actions],
                     class_name="crisis-actions")


def _plan_link(label: str, href: str) -> rx.Component:
    return rx.el.a(_(label), href=text.href(href),
                   class_name="secondary-button plan-link-button")


def _inline_link(label: str, href: str) -> rx.Component:
    return rx.el.a(_(label), href=text.href(href), class_name="inline-link")


def _heading(words: str) -> rx.Component:
    return ty.heading(words, as_="h2", size="5")


def _line(message: str) -> rx.Component:
    return ty.text(_(message))


def _craving_exercises() -> rx.Component:
    """The exercises a craving calls for, in the order Today suggests them."""
    found = [exercises.exercise(exercise_id)
             for exercise_id in practice.SIGNAL_EXERCISES[risk.Prompt.CRAVING]]
    return rx.el.ul(*[rx.el.li(rx.el.a(
        rx.el.span(_(exercise.title), class_name="plan-title"),
        rx.el.span(minutes_label(exercise), class_name="plan-minutes"),
        href=text.href(text.without_language(do_href(exercise))), class_name="situation-link"))
        for exercise in found if exercise is not None], class_name="risk-exercises")


def _prompt_parts(*, on_today: bool = False) -> list[tuple[risk.Prompt, tuple[rx.Component, ...]]]:
    """Each prompt's content, in the table's order (the order the page shows them).

    On Today the craving card points to Today's practice just under it, which
    starts with the same exercises, instead of listing them twice.
    """
    parts = {
        risk.Prompt.ACTED: (
            _heading(_("Get medical help now")),
            rx.el.p(rx.el.strong(_(HURT_OR_TOOK_SOMETHING)), class_name="risk-lead"),
            _actions((CALL_911, CALL_POISON_CONTROL) if IN_THE_US else ()),
            _line(N_("Poison Control helps with an overdose or the wrong medicine, "
                     "free, day and night.")) if IN_THE_US else rx.fragment(),
        ),
        risk.Prompt.CRISIS: (
            _heading(_("You don't have to get through this alone")),
            _line(crisis.CRISIS_LINE),
            _actions(PROMPT_ACTIONS),
            _plan_link(SAFETY_PLAN_LINK_TEXT, SAFETY_PLAN.route),
        ),
        risk.Prompt.ACTED_EARLIER: (
            _heading(_("After a hard day")),
            _line(crisis.EARLIER_LINE),
            _actions(crisis.EARLIER_ACTIONS),
            _plan_link(SAFETY_PLAN_LINK_TEXT, SAFETY_PLAN.route),
        ),
        risk.Prompt.SUBSTANCES_RAISE_RISK: (
            rx.el.p(rx.el.strong(_(crisis.SUBSTANCES_RAISE_RISK)), class_name="risk-lead"),
        ),
        risk.Prompt.SLIP: (
            _heading(_("A slip is not a failure")),
            _line(crisis.SLIP_LINE),
            rx.el.ul(*[rx.el.li(_(line)) for line in AFTER_A_SLIP], class_name="slip-list"),
            rx.el.div(
                _plan_link(RELAPSE_PLAN_LINK_TEXT, RELAPSE_PLAN.route),
                _plan_link(N_("Overdose safety"), OVERDOSE_SAFETY_HREF),
                class_name="button-row",
            ),
            _inline_link(SAFETY_PLAN_LINK_TEXT, SAFETY_PLAN.route),
        ),
        risk.Prompt.CRAVING: (
            _heading(_("Riding out a craving")),
            *((_line(crisis.CRAVING_LINE_ON_TODAY),) if on_today
              else (_line(crisis.CRAVING_LINE), _craving_exercises())),
            _line(crisis.CRAVING_PLAN_LINE),
            _plan_link(RELAPSE_PLAN_LINK_TEXT, RELAPSE_PLAN.route),
            _line(crisis.CRAVING_HELP_LINE),
            _actions(crisis.CRAVING_ACTIONS, quiet=True),
        ),
        risk.Prompt.QUIT_THERAPY: (
            _heading(_("Thinking about quitting therapy?")),
            _line(crisis.QUIT_THERAPY_LINE),
        ),
        risk.Prompt.SAFETY_PLAN_LINK: (
            _line(crisis.SAFETY_PLAN_LINE),
            _inline_link(SAFETY_PLAN_LINK_TEXT, SAFETY_PLAN.route),
        ),
    }
    return [(prompt, parts[prompt]) for prompt in risk.Prompt]


def _part(prompt: risk.Prompt, children: tuple[rx.Component, ...],
          hidden: bool | rx.Var) -> rx.Component:
    return rx.el.div(*children, class_name="risk-part stack-tight", hidden=hidden,
                     custom_attrs={"data-risk-part": prompt.value})


def risk_prompts() -> rx.Component:
    """Every prompt, hidden until safety.js shows the ones a form's values call for."""
    return rx.el.section(
        nobody_watches(),
        *[_part(prompt, children, True) for prompt, children in _prompt_parts()],
        rx.el.button(_("Continue"), type="button", class_name="secondary-button",
                     custom_attrs={"data-risk-dismiss": "true"}),
        class_name="card risk-prompt stack",
        id="risk-prompt",
        hidden=True,
        tab_index=-1,
        aria_label=_("Help after your entry"),
        custom_attrs={"data-risk-cases": risk.cases_as_json()},
    )


def _shows(shown: rx.Var, prompt: risk.Prompt) -> rx.Var:
    """Whether a prompt's part shows: it is in `shown`, or a prompt that holds it is."""
    holders = [prompt, *(holder for holder, held in risk.INCLUDES.items() if prompt in held)]
    found = shown.contains(holders[0].value)
    for holder in holders[1:]:
        found = found | shown.contains(holder.value)
    return found


def todays_prompts(shown: rx.Var) -> rx.Component:
    """Today's prompts, from the day's diary cards (`shown`: `risk.Prompt` values in
    order); only the "nobody sees this" line while there are none."""
    return rx.cond(
        shown.length() > 0,
        rx.el.section(
            nobody_watches(id_="today-nobody-watches"),
            *[_part(prompt, children, ~_shows(shown, prompt))
              for prompt, children in _prompt_parts(on_today=True)],
            class_name="card risk-prompt stack",
            id="today-risk",
            aria_label=_("Help for today"),
            custom_attrs={"data-risk-shown": shown.join(" ")},
        ),
        nobody_watches(id_="today-nobody-watches"),
    )
