"""The Practice tab: "I need help with...", search, favourites and every exercise by module.

The exercise list is content, laid out here once when the app is compiled, so
the whole list (and the search over it, plain JavaScript in assets/app.js) is
there before the page connects and works offline. A patient's own favourites
and "Last done" days come in from `PracticeTabState` once the server answers.
"""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.layout import patient_shell
from skills_app.components.risk import SAFETY_PLAN_LINK_TEXT, nobody_watches
from skills_app.content.crisis import IN_THE_US
from skills_app.core.exercises import SAFETY_SITUATIONS, Exercise
from skills_app.core.plans import SAFETY_PLAN
from skills_app.pages import localized, mindfulness
from skills_app.pages.plans import lifeline_now
from skills_app.state.practice_tab import PracticeTabState
from skills_app.text import N_, _
from skills_app.views import practice_tab as views

SEARCH_ID = "practice-search"


def _star_button(exercise_id: rx.Var | str, title: rx.Var | str,
                 starred: rx.Var) -> rx.Component:
    """A toggle: its name stays the same, aria-pressed says whether it is saved."""
    return rx.el.button(
        rx.icon("star", size=22, aria_hidden="true"),
        type="button",
        class_name="star-button",
        aria_pressed=starred,
        aria_label=localized.sentence(_("Save to favourites: {title}"), title=title),
        on_click=PracticeTabState.star(exercise_id, ~starred),
    )


def _card_body(title: rx.Var | str, when: rx.Var | str, minutes: rx.Var | str,
               href: rx.Var | str, last_done: rx.Var) -> rx.Component:
    return rx.el.a(
        rx.el.span(title, class_name="exercise-title"),
        rx.el.span(when, class_name="exercise-when"),
        rx.el.span(minutes, rx.cond(last_done != "", rx.fragment(" · ", last_done)),
                   class_name="exercise-meta"),
        href=href,
        class_name="exercise-link",
    )


def exercise_card(exercise: Exercise) -> rx.Component:
    """One exercise of a module section (content, built at compile time)."""
    last_done = PracticeTabState.last_done.get(exercise.id, "").to(str)
    return rx.el.li(
        _card_body(_(exercise.title), _(exercise.when), views.minutes_label(exercise),
                   views.do_href(exercise), last_done),
        _star_button(exercise.id, _(exercise.title),
                     PracticeTabState.favourite_ids.contains(exercise.id)),
        class_name="exercise-card",
        custom_attrs={"data-search": views.search_text(exercise)},
    )


def _favourite_card(row: rx.Var) -> rx.Component:
    return rx.el.li(
        _card_body(row["title"], row["when"], row["minutes"], row["href"],
                   row["last_done"].to(str)),
        _star_button(row["id"], row["title"].to(str), rx.Var.create(True)),
        class_name="exercise-card",
        custom_attrs={"data-search": row["search"]},
    )


def _situation_summary(label: str) -> rx.Component:
    return rx.el.summary(rx.el.span(label),
                         rx.icon("chevron-down", size=22, aria_hidden="true",
                                 class_name="situation-chevron"),
                         class_name="situation-summary")


def _safety_situation(key: str, label: str) -> rx.Component:
    """Thoughts of hurting myself: 988 right there and the safety plan (its guided start
    when there is none), never exercises."""
    words = (_("Talk to someone now. Call or text 988, free, day and night.") if IN_THE_US
             else _("Talk to someone now. Find a crisis line near you."))
    return rx.el.details(
        _situation_summary(label),
        rx.el.div(
            rx.el.p(words, class_name="situation-safety-lead"),
            lifeline_now(),
            rx.el.a(_(SAFETY_PLAN_LINK_TEXT), href=text.href(SAFETY_PLAN.route),
                    class_name="primary-button situation-plan-link"),
            nobody_watches(),
            class_name="situation-safety stack-tight",
        ),
        class_name="situation",
        custom_attrs={"data-situation": key},
    )


def _exercise_situation(key: str, label: str, picks: tuple[Exercise, ...]) -> rx.Component:
    return rx.el.details(
        _situation_summary(label),
        rx.el.ul(*[rx.el.li(rx.el.a(
            rx.el.span(_(e.title), class_name="exercise-title"),
            rx.el.span(views.minutes_label(e), class_name="exercise-meta"),
            href=views.do_href(e), class_name="situation-link"))
            for e in picks], class_name="situation-list"),
        class_name="situation",
        custom_attrs={"data-situation": key},
    )


def situations() -> rx.Component:
    """Thoughts of hurting myself first (988 and the safety plan); each other situation
    opens to two or three exercises that fit it."""
    return rx.el.section(
        ty.heading(_("I need help with..."), as_="h2", size="5", id="help-with-heading"),
        rx.el.div(
            *[_safety_situation(key, _(label)) for key, label in SAFETY_SITUATIONS.items()],
            *[_exercise_situation(*pick) for pick in views.situation_picks()],
            class_name="situations"),
        aria_labelledby="help-with-heading",
        class_name="stack-tight",
    )


def search_box() -> rx.Component:
    return rx.el.div(
        rx.el.label(_("Search exercises"), html_for=SEARCH_ID, class_name="field-label"),
        rx.el.p(_("By name, or by what is going on, like \u201csleep\u201d or "
                  "\u201cangry\u201d."),
                id="practice-search-hint", class_name="field-hint"),
        rx.el.input(id=SEARCH_ID, type="search", class_name="field-input",
                    auto_complete="off", aria_describedby="practice-search-hint",
                    max_length=100),
        rx.el.p(_("Nothing matches that. Try another word, or look through the list below."),
                id="practice-no-match", class_name="no-match", role="status", hidden=True),
        class_name="field",
        role="search",
    )


def favourites() -> rx.Component:
    return rx.cond(
        PracticeTabState.favourite_cards.length() > 0,
        rx.el.section(
            ty.heading(_("Favourites"), as_="h2", size="5", id="favourites-heading"),
            rx.el.ul(rx.foreach(PracticeTabState.favourite_cards, _favourite_card),
                     class_name="exercise-list"),
            id="favourites",
            aria_labelledby="favourites-heading",
            class_name="stack-tight",
            custom_attrs={"data-search-group": ""},
        ),
    )


# The mindfulness module's exercises are listed in the Mindfulness section, with
# the timers: one section, one "Mindfulness" heading.
MINDFULNESS = "mindfulness"


def module_sections() -> list[rx.Component]:
    return [
        rx.el.section(
            ty.heading(section.name, as_="h2", size="5", id=f"module-{section.key}-heading"),
            rx.el.ul(*[exercise_card(e) for e in section.exercises],
                     class_name="exercise-list"),
            id=f"module-{section.key}",
            aria_labelledby=f"module-{section.key}-heading",
            class_name="stack-tight",
            custom_attrs={"data-search-group": ""},
        )
        for section in views.modules() if section.key != MINDFULNESS]


def mindfulness_section() -> rx.Component:
    """The breathing pacer, the meditation timer, the guided practices and the
    mindfulness module's exercises (wise mind); search finds them too."""
    exercises = next((section.exercises for section in views.modules()
                      if section.key == MINDFULNESS), ())
    return rx.el.section(
        ty.heading(_("Mindfulness"), as_="h2", size="5", id="mindfulness-heading"),
        rx.el.ul(*[rx.el.li(link, class_name="mindful-card",
                            custom_attrs={"data-search": search.casefold()})
                   for link, search in mindfulness.practice_tab_links()],
                 *[exercise_card(exercise) for exercise in exercises],
                 class_name="exercise-list"),
        rx.el.a(_("Your mindfulness log"), href=text.href(mindfulness.LOG),
                class_name="inline-link"),
        id="mindfulness",
        aria_labelledby="mindfulness-heading",
        class_name="stack-tight",
        custom_attrs={"data-search-group": ""},
    )


def practice_page() -> rx.Component:
    return patient_shell(
        situations(),
        search_box(),
        favourites(),
        mindfulness_section(),
        *module_sections(),
        rx.el.a(_("Your practice history"), href=text.href("/practice/history/"),
                class_name="secondary-button"),
        title=_("Practice"),
        active="practice",
    )


def register(app: rx.App) -> None:
    localized.add_page(app, practice_page, "/practice", title=N_("Practice"),
                       on_load=PracticeTabState.load_tab)
