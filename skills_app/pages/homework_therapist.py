"""The homework card of a patient's detail page: the assignments with the week's
ticks, the assign form, and "End this homework?".

The form shows only the fields of the chosen kind and repeat (CSS `:has()` on
the checked radio, no round trip): every field stays in the page, so going back
to a kind keeps what was ticked, and `state.homework_therapist.assign_form`
reads only the fields that belong to what was chosen. Defaults need no tap:
an exercise, every day, from the patient's today, no end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from skills_app.components import typography as ty
from skills_app.components.layout import confirm_dialog
from skills_app.core import homework
from skills_app.pages.localized import sentence
from skills_app.state.homework_therapist import (
    EXERCISE_PREFIX,
    WEEKDAY_PREFIX,
    HomeworkAssignState,
)
from skills_app.state.therapist import PatientDetailState
from skills_app.text import _
from skills_app.views import homework_therapist as views

H = HomeworkAssignState
D = PatientDetailState
NOTE_MAX = 200
MINUTES_DEFAULT, TIMES_DEFAULT = 10, 3


def _section() -> rx.Var:
    """The detail's homework part (`views.homework_therapist.homework_section`)."""
    return D.screen["homework"].to(dict[str, Any])


def _error(name: str) -> rx.Component:
    return rx.el.p(H.errors[name].to(str), id=f"hw-{name}-error", class_name="field-error",
                   aria_live="polite")


def _invalid(name: str) -> rx.Var:
    return rx.cond(H.errors.contains(name), "true", "false")


def _radio(name: str, value: str, label: str, checked: bool = False) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="radio", name=name, value=value, default_checked=checked),
        rx.el.span(label),
        class_name="chip-choice",
    )


def _radios(name: str, legend: str, choices: list[tuple[str, str]], default: str,
            class_name: str = "") -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(legend, class_name="field-label"),
        rx.el.div(*[_radio(name, value, label, value == default) for value, label in choices],
                  class_name="chip-choices"),
        _error(name),
        class_name=f"field {class_name}".strip(),
        aria_describedby=f"hw-{name}-error",
    )


def _exercise_check(choice: views.ExerciseChoice) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=f"{EXERCISE_PREFIX}{choice.id}"),
        rx.el.span(choice.title),
        class_name="check",
        hidden=(H.exercise_query != "") & ~rx.Var.create(choice.search).contains(
            H.exercise_query),
    )


def _exercise_group(module: str, choices: list[views.ExerciseChoice]) -> rx.Component:
    matches = [rx.Var.create(choice.search).contains(H.exercise_query) for choice in choices]
    any_match = matches[0]
    for match in matches[1:]:
        any_match = any_match | match
    return rx.el.fieldset(
        rx.el.legend(module, class_name="hw-module"),
        *[_exercise_check(choice) for choice in choices],
        class_name="hw-group",
        # A fieldset takes `hidden` only as a plain attribute.
        custom_attrs={"hidden": (H.exercise_query != "") & ~any_match},
    )


def _exercise_fields() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.label(_("Find an exercise"), html_for="hw-find", class_name="field-label"),
            rx.el.input(id="hw-find", name="find", type="search", class_name="field-input",
                        auto_complete="off", placeholder=_("e.g. DEAR MAN, urge, sleep"),
                        on_change=H.find_exercise.debounce(250),
                        aria_describedby="hw-target-error"),
            class_name="field",
        ),
        rx.el.div(*[_exercise_group(module, choices)
                    for module, choices in views.exercise_groups()],
                  class_name="hw-catalogue", role="group",
                  aria_label=_("Exercises, by module")),
        class_name="stack hw-for kind-exercise",
    )


def _number(name: str, label: str, default: int, low: int, high: int) -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=f"hw-{name}", class_name="field-label"),
        rx.el.input(id=f"hw-{name}", name=name, type="number", inputmode="numeric",
                    min=low, max=high, step=1, default_value=str(default),
                    class_name="field-input hw-short", aria_invalid=_invalid(name),
                    aria_describedby=f"hw-{name}-error"),
        _error(name),
        class_name="field",
    )


def _day(name: str, label: str, default: rx.Var | str = "", hint: str = "") -> rx.Component:
    described = f"hw-{name}-error" + (f" hw-{name}-hint" if hint else "")
    return rx.el.div(
        rx.el.label(label, html_for=f"hw-{name}", class_name="field-label"),
        rx.el.p(hint, id=f"hw-{name}-hint", class_name="field-hint") if hint else rx.fragment(),
        rx.el.input(id=f"hw-{name}", name=name, type="date", default_value=default,
                    class_name="field-input hw-short", aria_invalid=_invalid(name),
                    aria_describedby=described),
        _error(name),
        class_name="field",
    )


def _weekday_toggles() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(_("On which days"), class_name="field-label"),
        rx.el.div(*[rx.el.label(
            rx.el.input(type="checkbox", name=f"{WEEKDAY_PREFIX}{n}", class_name="day-input"),
            rx.el.span(name),
            class_name="day-toggle",
        ) for n, name in enumerate(views.weekday_names())], class_name="day-toggles"),
        _error("weekdays"),
        class_name="field hw-for repeat-weekdays",
    )


def _assign_form() -> rx.Component:
    kinds = [(kind, _(views.KIND_LABELS[kind])) for kind in homework.KINDS]
    repeats = [(repeat, _(views.REPEAT_LABELS[repeat]))
               for repeat in ("daily", "weekdays", "per_week", "once")]
    return rx.el.form(
        rx.el.input(type="hidden", name="idempotency_key", value=H.idempotency_key),
        _radios("kind", _("What to practise"), kinds, "exercise"),
        _exercise_fields(),
        rx.el.div(
            rx.el.div(
                rx.el.label(_("Practice"), html_for="hw-practice", class_name="field-label"),
                rx.el.select(*[rx.el.option(title, value=key)
                               for key, title in views.practice_choices()],
                             id="hw-practice", name="practice", class_name="field-input",
                             aria_describedby="hw-target-error"),
                class_name="field",
            ),
            _number("minutes", _("Minutes"), MINUTES_DEFAULT, 1, 120),
            class_name="stack hw-for kind-mindfulness",
        ),
        _radios("checkup", _("Which check-up"), list(views.CHECKUP_LABELS.items()), "phq9",
                class_name="hw-for kind-checkup"),
        _radios("plan", _("Which plan"), [(key, _(label))
                                          for key, label in views.PLAN_LABELS.items()],
                "safety", class_name="hw-for kind-plan_review"),
        _error("target"),
        _radios("repeat", _("How often"), repeats, "daily"),
        _weekday_toggles(),
        rx.el.div(_number("times_per_week", _("Times a week"), TIMES_DEFAULT, 1, 7),
                  class_name="hw-for repeat-per_week"),
        rx.el.div(_day("due_day", _("Due by")), class_name="hw-for repeat-once"),
        rx.el.div(
            _day("start_day", _("Starts"), _section()["today"].to(str)),
            rx.el.div(_day("end_day", _("Until (optional)"),
                           hint=_("Leave empty to keep it going until you end it.")),
                      class_name="hw-until"),
            class_name="hw-days-row",
        ),
        rx.el.div(
            rx.el.label(_("Note for your patient (optional)"), html_for="hw-note",
                        class_name="field-label"),
            rx.el.p(_("Up to {n} characters, in plain words. Your patient reads it on Today.",
                      n=NOTE_MAX), id="hw-note-hint", class_name="field-hint"),
            rx.el.textarea(id="hw-note", name="note", max_length=NOTE_MAX, rows=2,
                           class_name="field-input hw-note", aria_invalid=_invalid("note"),
                           aria_describedby="hw-note-hint hw-note-error"),
            _error("note"),
            class_name="field",
        ),
        rx.el.div(H.errors["form"].to(str), class_name="form-status", role="alert"),
        rx.el.div(
            rx.el.button(_("Assign"), type="submit", class_name="primary-button",
                         id="hw-assign"),
            rx.el.button(_("Cancel"), type="button", class_name="secondary-button",
                         on_click=H.close_form),
            class_name="button-row",
        ),
        key=H.form_key.to_string(),
        on_submit=H.assign,
        reset_on_submit=False,
        class_name="stack assign-form",
        id="assign-form",
        aria_label=_("Assign homework"),
    )


def _day_cell(cell: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.span(cell["day"].to(str), class_name="hw-day-name", aria_hidden="true"),
        rx.el.span(cell["text"].to(str), class_name="hw-day-mark", aria_hidden="true"),
        rx.el.span(cell["said"].to(str), class_name="sr-only"),
        class_name=cell["class"].to(str),
    )


def _assignment(row: rx.Var) -> rx.Component:
    return _assignment_shown(row, can_end=True)


def _assignment_read_only(row: rx.Var) -> rx.Component:
    return _assignment_shown(row, can_end=False)


def _assignment_shown(row: rx.Var, *, can_end: bool) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.div(
                rx.el.strong(row["what"].to(str), class_name="hw-what"),
                rx.el.span(row["when"].to(str), class_name="muted small"),
                class_name="hw-head-text",
            ),
            rx.cond(row["active"].to(bool),
                    rx.el.button(_("End"), type="button", class_name="small-button",
                                 on_click=H.ask_end(row["id"].to(int)),
                                 aria_label=sentence(_("End {what}"), what=row["what"])))
            if can_end else rx.fragment(),
            class_name="hw-head",
        ),
        rx.el.ol(rx.foreach(row["days"].to(list[dict[str, str]]), _day_cell),
                 class_name="hw-week", aria_label=_("This week")),
        rx.el.p(row["progress"].to(str), class_name="hw-progress"),
        rx.cond(row["skipped"].to(str) != "",
                rx.el.p(rx.el.strong(row["skipped"].to(str)),
                        rx.cond(row["skip_reason"].to(str) != "",
                                rx.el.span(sentence(_(": “{reason}”"),
                                                    reason=row["skip_reason"]),
                                           class_name="note-text")),
                        class_name="hw-skip")),
        rx.cond(row["completions"].to(list).length() > 0,
                rx.el.ul(rx.foreach(row["completions"].to(list[str]),
                                    lambda line: rx.el.li(line)),
                         class_name="hw-completions")),
        rx.cond(row["note"].to(str) != "",
                rx.el.p(sentence(_("Note: {note}"), note=row["note"]),
                        class_name="muted small note-text")),
        rx.cond(row["by"].to(str) != "",
                rx.el.p(row["by"].to(str), class_name="muted small")),
        class_name="hw-item",
    )


def _end_dialog() -> rx.Component:
    return confirm_dialog(
        H.confirm_end_id != 0, _("End this homework?"),
        sentence(_("{what} leaves your patient's Today. What they already did stays in "
                   "their history."), what=H.confirm_end_what),
        confirm=_("End it"), on_confirm=H.end, cancel=_("Keep it"), on_cancel=H.cancel_end,
        id_prefix="hw-end", danger=False)


def _listed(rows: rx.Var, item: Callable[[rx.Var], rx.Component]) -> rx.Component:
    return rx.cond(rows.length() > 0,
                   rx.fragment(
                       rx.el.p(_("✓ done · ○ asked for that day"), class_name="muted small"),
                       rx.el.ul(rx.foreach(rows, item), class_name="hw-list", id="hw-list")),
                   rx.el.p(_("No homework this week."), class_name="muted"))


def homework_card() -> rx.Component:
    """The detail page's homework: the week's assignments, then assigning more."""
    rows = _section()["rows"].to(list[dict])
    return rx.el.section(
        ty.heading(_("Homework"), as_="h2", size="5"),
        rx.el.p(H.message, role="status", class_name="saved", id="hw-message"),
        _listed(rows, _assignment),
        rx.cond(H.form_open, _assign_form(),
                rx.el.button(_("Assign homework"), type="button", class_name="primary-button",
                             on_click=H.open_form, id="hw-open")),
        _end_dialog(),
        class_name="card stack",
        id="homework",
    )


def homework_report() -> rx.Component:
    """The printable summary's homework: the same list, nothing to change."""
    rows = _section()["rows"].to(list[dict])
    return rx.el.section(
        ty.heading(_("Homework"), as_="h2", size="5"),
        _listed(rows, _assignment_read_only),
        class_name="card stack",
        id="report-homework",
    )


def homework_line(row: rx.Var) -> rx.Component:
    """A caseload row's "Homework 3 of 5 this week" (nothing without homework)."""
    return rx.cond(row["homework"].to(str) != "",
                   rx.el.span(row["homework"].to(str), class_name="hw-caseload"))
