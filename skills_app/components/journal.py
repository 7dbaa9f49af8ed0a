"""Journal form pieces: mood faces, 0-N rating scales, yes/no, crisis prompt.

All inputs are uncontrolled (no event per keystroke): assets/app.js keeps a
draft of the whole form in localStorage and the form is sent once, on save.
`defaults` is a Var of saved values (str by field name) when editing.
"""

from __future__ import annotations

import reflex as rx

from skills_app.content.crisis import call_and_text_actions
from skills_app.content.mood import MOOD_WORDS, face_path

NO_DEFAULTS: dict[str, str] = {}


def _default(defaults: rx.Var | dict, name: str) -> rx.Var | str:
    return defaults[name] if isinstance(defaults, rx.Var) else defaults.get(name, "")


def error_for(errors: rx.Var, name: str) -> rx.Component:
    return rx.el.p(errors[name].to(str), id=f"{name}-error", class_name="field-error",
                   aria_live="polite")


def mood_face(drawing: rx.Var | str, *, size: int = 28) -> rx.Component:
    """A simple drawn face; `drawing` is its path from `content.mood.face_path`."""
    return rx.el.svg(
        rx.el.circle(cx="12", cy="12", r="10", fill="none", stroke="currentColor",
                     stroke_width="1.6"),
        rx.el.path(d=drawing, fill="none", stroke="currentColor", stroke_width="1.8",
                   stroke_linecap="round", stroke_linejoin="round"),
        view_box="0 0 24 24", width=str(size), height=str(size), aria_hidden="true",
        class_name="mood-face",
    )


def mood_picker(defaults: rx.Var | dict, errors: rx.Var, *, legend: str) -> rx.Component:
    """0-10 as faces with words: one tap."""
    return rx.el.fieldset(
        rx.el.legend(legend, class_name="field-label"),
        rx.el.div(
            *[rx.el.label(
                rx.el.input(type="radio", name="mood", value=str(value),
                            default_checked=_default(defaults, "mood") == str(value),
                            aria_label=f"{value}, {word}"),
                mood_face(face_path(value)),
                rx.el.span(str(value), class_name="mood-number", aria_hidden="true"),
                rx.el.span(word, class_name="mood-word", aria_hidden="true"),
                class_name="mood-tile",
            ) for value, word in enumerate(MOOD_WORDS)],
            class_name="mood-grid",
        ),
        error_for(errors, "mood"),
        class_name="field",
    )


def clearable_choice(name: str, label: str, options: list[tuple[str, str, str]],
                     defaults: rx.Var | dict, errors: rx.Var, *, wide: bool = False,
                     extra: rx.Component | None = None) -> rx.Component:
    """Radio tiles (value, text, accessible label) with a Clear button: blank = not answered."""
    label_id = f"{name}-label"
    return rx.el.div(
        rx.el.div(
            rx.el.span(label, id=label_id, class_name="scale-label"),
            rx.el.button("Clear", type="button", class_name="scale-clear",
                         custom_attrs={"data-clear": name}, aria_label=f"Clear {label}"),
            class_name="scale-head",
        ),
        rx.el.div(
            *[rx.el.label(
                rx.el.input(type="radio", name=name, value=value,
                            default_checked=_default(defaults, name) == value,
                            aria_label=aria_label),
                rx.el.span(text, aria_hidden="true"),
                class_name="scale-tile" + ("" if text.isdigit() else " text"),
            ) for value, text, aria_label in options],
            role="radiogroup",
            aria_labelledby=label_id,
            class_name="scale-row" + (" wide" if wide else ""),
        ),
        extra or rx.fragment(),
        error_for(errors, name),
        class_name="scale",
    )


def rating_scale(name: str, label: str, high: int, defaults: rx.Var | dict,
                 errors: rx.Var, *, extra: rx.Component | None = None) -> rx.Component:
    """A 0..high scale as a row of tappable numbers; blank means "not rated"."""
    options = [(str(n), str(n), f"{label} {n}") for n in range(high + 1)]
    return clearable_choice(name, label, options, defaults, errors, wide=high > 5, extra=extra)


def checkbox(name: str, label: str, defaults: rx.Var | dict) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=name,
                    default_checked=_default(defaults, name) == "on"),
        rx.el.span(label),
        class_name="check",
    )


def crisis_prompt(visible: rx.Var, on_dismiss: rx.event.EventHandler) -> rx.Component:
    """Shown after an entry with strong suicide or self-harm urges; never blocks."""
    return rx.cond(
        visible,
        rx.el.section(
            rx.heading("You don't have to get through this alone", as_="h2", size="5"),
            rx.text("Thank you for writing this down. It sounds really hard right now. "
                    "If you might act on these urges, please reach out now."),
            rx.el.div(*[rx.el.a(action.label, href=action.href, class_name="crisis-action")
                        for action in call_and_text_actions()], class_name="crisis-actions"),
            rx.el.a("See all ways to get help", href="/help/", class_name="inline-link"),
            rx.el.button("Continue", type="button", class_name="secondary-button",
                         on_click=on_dismiss),
            class_name="card risk-prompt stack",
            role="alert",
            id="risk-prompt",
            tab_index=-1,
            custom_attrs={"data-reveal-on-show": "true"},
        ),
    )
