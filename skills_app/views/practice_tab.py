"""What the Practice tab and Today's practice card show, as plain strings.

Plain Python (no Reflex). The exercise list itself is content: the page is
built from `modules()` and `situation_picks()` once, at compile time, so it is
there before the page connects and offline. Only what belongs to one patient
(favourites, last finished days, today's plan, the weekly line) comes from
`tab_data` and `today_data`, which the state calls off the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from skills_app import text
from skills_app.content.skills import DBT_MODULES, MODULES_BY_KEY
from skills_app.core import dates, day_signal, exercises, practice
from skills_app.core.exercises import SITUATIONS, Exercise
from skills_app.text import _, formats, ngettext

DO_PATH = "/practice/do/"
# "I need help with..." shows at most this many exercises per situation.
PICKS_PER_SITUATION = 3


def do_href(exercise: Exercise) -> str:
    """Where an exercise is done, step by step, in the current language."""
    return f"{text.href(DO_PATH)}?id={exercise.id}"


def _by_title(exercise: Exercise) -> str:
    """Exercises are listed by their title as the reader reads it."""
    return _(exercise.title).casefold()


def search_text(exercise: Exercise) -> str:
    """What the search box matches: the title, the "when" line, the module and the
    words of each situation the exercise is tagged with (so "sleep" finds
    "I can't sleep"), in the current language."""
    parts = [_(exercise.title), _(exercise.when), _(MODULES_BY_KEY[exercise.module].name),
             *(_(SITUATIONS[key]) for key in exercise.situations)]
    return " ".join(parts).casefold()


def minutes_label(exercise: Exercise) -> str:
    """ "10 min" (an abbreviation: the same for one and many)."""
    return _("{minutes} min", minutes=formats.number(exercise.minutes))


@dataclass(frozen=True)
class ModuleSection:
    key: str
    name: str
    exercises: tuple[Exercise, ...]


def modules() -> tuple[ModuleSection, ...]:
    """Each module that has exercises, in the order of `DBT_MODULES`; its exercises by title."""
    found = exercises.all_exercises()
    sections = []
    for module in DBT_MODULES:
        mine = sorted((e for e in found if e.module == module.key), key=_by_title)
        if mine:
            sections.append(ModuleSection(module.key, _(module.name), tuple(mine)))
    return tuple(sections)


def situation_picks() -> tuple[tuple[str, str, tuple[Exercise, ...]], ...]:
    """(key, label, exercises) for each "I need help with..." situation, in the
    order of `SITUATIONS`; the label in the current language.

    The exercises are those tagged with the situation, by title, the first
    `PICKS_PER_SITUATION` of them: a fixed order, so a patient finds the same
    ones in the same place every time (they can search for the others).
    """
    found = exercises.all_exercises()
    return tuple(
        (key, _(label), tuple(sorted((e for e in found if key in e.situations),
                                  key=_by_title)[:PICKS_PER_SITUATION]))
        for key, label in SITUATIONS.items())


def last_done_label(day: date, today: date) -> str:
    """"Last done Tue, Mar 3" (with the year when it is not this year's)."""
    shown = formats.day(day) if day.year == today.year else formats.date_with_year(day)
    return _("Last done {day}", day=shown)


def _ordered(ids: frozenset[str]) -> list[Exercise]:
    """Exercises of `ids` in the order the tab lists them (module, then title)."""
    return [e for section in modules() for e in section.exercises if e.id in ids]


def card(exercise: Exercise, last_done: str) -> dict[str, str]:
    """An exercise card drawn from state (the favourites section)."""
    return {"id": exercise.id, "title": _(exercise.title), "when": _(exercise.when),
            "minutes": minutes_label(exercise), "href": do_href(exercise),
            "search": search_text(exercise), "last_done": last_done}


@dataclass(frozen=True)
class TabData:
    favourite_ids: list[str]
    favourite_cards: list[dict[str, str]]
    last_done: dict[str, str]


def tab_data(user_id: int, time_zone: str) -> TabData:
    """One patient's part of the Practice tab: favourites and last finished days."""
    today = dates.local_today(time_zone)
    last_done = {exercise_id: last_done_label(day, today)
                 for exercise_id, day in practice.last_finished(user_id).items()
                 if exercises.exercise(exercise_id) is not None}
    starred = _ordered(practice.favourites(user_id))
    return TabData(favourite_ids=[e.id for e in starred],
                   favourite_cards=[card(e, last_done.get(e.id, "")) for e in starred],
                   last_done=last_done)


def star(user_id: int, time_zone: str, exercise_id: object, starred: object) -> TabData:
    """Star or unstar (core refuses anything but a known id and a bool), then
    what the tab shows now."""
    practice.set_favourite(user_id, exercise_id, starred)
    return tab_data(user_id, time_zone)


@dataclass(frozen=True)
class TodayData:
    plan: list[dict[str, str]]
    week_line: str
    # The risk prompts today's diary cards call for (`risk.Prompt` values, in order).
    prompts: list[str]


def today_data(user_id: int, time_zone: str) -> TodayData:
    """Today's risk prompts, the plan (1-3 exercises) that follows the strongest of
    them, and the gentle weekly line."""
    route = day_signal.todays_route(user_id, time_zone)
    plan = [{"id": e.id, "title": _(e.title), "minutes": minutes_label(e), "href": do_href(e)}
            for e in practice.todays_plan(user_id, time_zone, route.prompt)]
    return TodayData(plan=plan,
                     week_line=week_line(practice.this_week_count(user_id, time_zone)),
                     prompts=[prompt.value for prompt in route.prompts])


def week_line(count: int) -> str:
    """The gentle weekly count on Today: never a streak, never "you missed"."""
    if count == 0:
        return _("A few minutes of practice can help. Pick one when you're ready.")
    return ngettext("You practised on {n} day this week.",
                    "You practised on {n} days this week.", count)
