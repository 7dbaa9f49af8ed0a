"""Journal form pieces: mood faces, 0-N rating scales, yes/no, checkboxes, crisis prompt.

All inputs are uncontrolled (no event per keystroke): assets/app.js keeps a
draft of the whole form in localStorage and the form is sent once, on save.
`defaults` is a Var of saved values (str by field name) when editing.

Every scale says what its ends mean in a hint under its label (linked with
aria-describedby), and its checked tile takes the colour of what the item
means: calm where more is better (joy, mood), warm where more is harder.

Built when a page is built, so `_()` here speaks that page's language; the
diary card's words (`core.diary`) and the mood words are English catalogue
messages, translated where they are shown.
"""

from __future__ import annotations

import reflex as rx

from skills_app.content.mood import MOOD_WORDS, face_path
from skills_app.core import diary
from skills_app.pages.localized import sentence
from skills_app.text import _

NO_DEFAULTS: dict[str, str] = {}


def _default(defaults: rx.Var | dict, name: str) -> rx.Var | str:
    return defaults[name] if isinstance(defaults, rx.Var) else defaults.get(name, "")


def error_for(errors: rx.Var, name: str | rx.Var) -> rx.Component:
    return rx.el.p(errors[name].to(str), id=name + "-error", class_name="field-error",
                   aria_live="polite")


def scale_ends(item: diary.DiaryItem) -> str:
    """What both ends of an item's rating mean, in the current language:
    "0 = no urge, 5 = the strongest urge" ("" when the card does not say)."""
    return f"{_(item.low_means)}, {_(item.top_means)}" if item.low_means else ""


def _tone(higher_is_better: bool | None) -> str:
    """The class that colours a scale's checked tile by what a higher rating means."""
    return {True: " pleasant", False: " difficult"}.get(higher_is_better, "")


def _hint(name: str | rx.Var, text: str, *, shown: bool = True) -> rx.Component:
    """`shown=False`: read out with the scale, not drawn (its section shows it once)."""
    return rx.el.p(text, id=name + "-hint",
                   class_name="field-hint scale-hint" + ("" if shown else " sr-only"))


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
    """0-10 as faces with words: one tap. What the ends mean comes from the card's mood item."""
    item = diary.DIARY_CARD.item(diary.MOOD)
    return rx.el.fieldset(
        rx.el.legend(legend, class_name="field-label"),
        _hint("mood", scale_ends(item)),
        rx.el.div(
            *[rx.el.label(
                rx.el.input(type="radio", name="mood", value=str(value),
                            default_checked=_default(defaults, "mood") == str(value),
                            aria_label=f"{value}, {_(word)}"),
                mood_face(face_path(value)),
                rx.el.span(str(value), class_name="mood-number", aria_hidden="true"),
                rx.el.span(_(word), class_name="mood-word", aria_hidden="true"),
                class_name="mood-tile",
            ) for value, word in enumerate(MOOD_WORDS)],
            class_name="mood-grid" + _tone(item.higher_is_better),
        ),
        error_for(errors, "mood"),
        aria_describedby="mood-hint",
        class_name="field",
    )


def clearable_choice(name: str | rx.Var, label: str | rx.Var,
                     options: list[tuple[str, str, str | rx.Var]], defaults: rx.Var | dict,
                     errors: rx.Var, *, wide: bool = False, hint: str = "", tone: str = "",
                     labelled_by: str | rx.Var | None = None,
                     extra: rx.Component | None = None,
                     hint_shown: bool = True) -> rx.Component:
    """Radio tiles (value, text, accessible label) with a Clear button: blank = not answered.

    `name` and `label` may be Vars (rows made per patient). With `labelled_by`
    the group is named by that element (a name field just above) and shows no
    label of its own, so nothing is said twice. `extra` (like "I acted on it")
    sits on the label's line, before Clear, so a rated item takes two rows.
    """
    label_id = name + "-label"
    return rx.el.div(
        rx.el.div(
            rx.el.span(label, id=label_id, class_name="scale-label") if labelled_by is None
            else rx.fragment(),
            extra or rx.fragment(),
            rx.el.button(_("Clear"), type="button", class_name="scale-clear",
                         custom_attrs={"data-clear": name},
                         aria_label=sentence(_("Clear {label}"), label=label)),
            class_name="scale-head",
        ),
        _hint(name, hint, shown=hint_shown) if hint else rx.fragment(),
        rx.el.div(
            *[rx.el.label(
                rx.el.input(type="radio", name=name, value=value,
                            default_checked=_default(defaults, name) == value,
                            aria_label=aria_label),
                rx.el.span(text, aria_hidden="true"),
                class_name="scale-tile" + ("" if text.isdigit() else " text"),
            ) for value, text, aria_label in options],
            role="radiogroup",
            aria_labelledby=label_id if labelled_by is None else labelled_by,
            **({"aria_describedby": name + "-hint"} if hint else {}),
            class_name="scale-row" + (" wide" if wide else "") + tone,
        ),
        error_for(errors, name),
        class_name="scale",
    )


def rating_scale(name: str | rx.Var, label: str | rx.Var, high: int, defaults: rx.Var | dict,
                 errors: rx.Var, *, ends: str = "", higher_is_better: bool | None = None,
                 labelled_by: str | rx.Var | None = None,
                 extra: rx.Component | None = None,
                 hint_shown: bool = True) -> rx.Component:
    """A 0..high scale as a row of tappable numbers; blank means "not rated".

    `ends` says what 0 and `high` mean (`scale_ends(item)`); a scale the
    card does not declare, like a patient's own item, gets a plain default.
    `hint_shown=False` when its section already shows those ends once.
    """
    options = [(str(n), str(n), label + f" {n}") for n in range(high + 1)]
    return clearable_choice(name, label, options, defaults, errors, wide=high > 5,
                            hint=ends or _("0 = none, {high} = strongest", high=high),
                            tone=_tone(higher_is_better), labelled_by=labelled_by, extra=extra,
                            hint_shown=hint_shown)


def checkbox(name: str, label: str, defaults: rx.Var | dict, *,
             hint: str = "") -> rx.Component:
    """A checkbox named by `label`. A `hint` (what a skill is, in plain words)
    sits under the name inside the same tap target; the box is named by the name
    alone and described by the hint, so the name a screen reader says stays short."""
    checked = _default(defaults, name) == "on"
    if not hint:
        return rx.el.label(rx.el.input(type="checkbox", name=name, default_checked=checked),
                           rx.el.span(label), class_name="check")
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, default_checked=checked,
                    aria_labelledby=f"{name}-name", aria_describedby=f"{name}-hint"),
        rx.el.span(rx.el.span(label, id=f"{name}-name"),
                   rx.el.span(hint, id=f"{name}-hint", class_name="check-hint"),
                   class_name="check-text"),
        class_name="check check-with-hint",
    )
