"""The risk prompts and the "nobody sees this right away" line.

`risk_prompts()` is static HTML, compiled into the page: every prompt of
`core/risk.py` is there, hidden, and `assets/safety.js` shows the ones the
form's values call for, with the table of cases it carries as JSON
(`data-risk-cases`). So the right prompt shows the moment the patient taps
Save, online or not. A page that asks risky questions (the diary card, the
PHQ-9) puts `risk_prompts()` on it and marks its form `data-risk-form`, or
calls `window.skillsSafety.showRisk({...values})`.
"""

from __future__ import annotations

import reflex as rx

from skills_app.content.crisis import (
    CALL_911,
    CALL_POISON_CONTROL,
    HURT_OR_TOOK_SOMETHING,
    IN_THE_US,
    NOBODY_WATCHES,
    PROMPT_ACTIONS,
    CrisisAction,
)
from skills_app.core import risk
from skills_app.core.plans import AFTER_A_SLIP, RELAPSE_PLAN, SAFETY_PLAN

SAFETY_PLAN_LINK_TEXT = "Open my safety plan"
RELAPSE_PLAN_LINK_TEXT = "Open my relapse-prevention plan"
OVERDOSE_SAFETY_HREF = "/help/#overdose-safety"


def nobody_watches(id_: str | None = None) -> rx.Component:
    """The line that stands on Today, the diary card, every prompt and the measures."""
    return rx.el.p(NOBODY_WATCHES, class_name="nobody-watches", id=id_)


def action_label(label: str) -> rx.Component:
    """A button's words, with a phone number at its end kept on one line."""
    head, _, last = label.rpartition(" ")
    if head and sum(ch.isdigit() for ch in last) >= 7:
        # One inline span: the button is a flex box, which would drop the space.
        return rx.el.span(head + " ", rx.el.span(last, class_name="nowrap"))
    return rx.fragment(label)


def crisis_link(action: CrisisAction) -> rx.Component:
    return rx.el.a(action_label(action.label), href=action.href, class_name="crisis-action")


def _actions(actions: tuple[CrisisAction, ...] | list[CrisisAction]) -> rx.Component:
    return rx.el.div(*[crisis_link(action) for action in actions], class_name="crisis-actions")


def _part(prompt: risk.Prompt, *children: rx.Component) -> rx.Component:
    return rx.el.div(*children, class_name="risk-part stack-tight", hidden=True,
                     custom_attrs={"data-risk-part": prompt.value})


def _plan_link(label: str, href: str) -> rx.Component:
    return rx.el.a(label, href=href, class_name="secondary-button plan-link-button")


def risk_prompts() -> rx.Component:
    """Every prompt, hidden until safety.js shows the ones a form's values call for."""
    acted_actions = (CALL_911, CALL_POISON_CONTROL) if IN_THE_US else ()
    return rx.el.section(
        _part(
            risk.Prompt.ACTED,
            rx.heading("Get medical help now", as_="h2", size="5", id="risk-acted-heading"),
            rx.el.p(rx.el.strong(HURT_OR_TOOK_SOMETHING), class_name="risk-lead"),
            _actions(acted_actions),
            rx.text("Poison Control helps with an overdose or the wrong medicine, "
                    "free, day and night.") if IN_THE_US else rx.fragment(),
        ),
        _part(
            risk.Prompt.CRISIS,
            rx.heading("You don't have to get through this alone", as_="h2", size="5"),
            rx.text("Thank you for telling us. It sounds really hard right now. If you "
                    "might act on thoughts of hurting yourself, please reach out now."),
            _actions(PROMPT_ACTIONS),
            _plan_link(SAFETY_PLAN_LINK_TEXT, SAFETY_PLAN.route),
        ),
        _part(
            risk.Prompt.SLIP,
            rx.heading("A slip is not a failure", as_="h2", size="5"),
            rx.text("Thank you for being honest about it. Here is what keeps you safe now:"),
            rx.el.ul(*[rx.el.li(line) for line in AFTER_A_SLIP], class_name="slip-list"),
            rx.el.div(
                _plan_link(RELAPSE_PLAN_LINK_TEXT, RELAPSE_PLAN.route),
                _plan_link("Overdose safety", OVERDOSE_SAFETY_HREF),
                class_name="button-row",
            ),
            rx.el.a(SAFETY_PLAN_LINK_TEXT, href=SAFETY_PLAN.route, class_name="inline-link"),
        ),
        _part(
            risk.Prompt.SAFETY_PLAN_LINK,
            rx.text("Your safety plan is here if things get harder."),
            rx.el.a(SAFETY_PLAN_LINK_TEXT, href=SAFETY_PLAN.route, class_name="inline-link"),
        ),
        nobody_watches(),
        rx.el.button("Continue", type="button", class_name="secondary-button",
                     custom_attrs={"data-risk-dismiss": "true"}),
        class_name="card risk-prompt stack",
        id="risk-prompt",
        hidden=True,
        tab_index=-1,
        aria_label="Help after your entry",
        custom_attrs={"data-risk-cases": risk.cases_as_json()},
    )
