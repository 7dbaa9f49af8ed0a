"""PHQ-9 and GAD-7 between their screens and `core.measures`.

The questionnaire is one form holding every question (assets/app.js shows one
screen at a time, as in the exercise flow), so a browser posts flat text
fields: `item_<n>` = "0".."3" for each item, `difficulty` for the PHQ-9's
unscored last question. `submission_input` turns them into what
`core.measures.save_result` checks; it does not validate: anything odd is
passed on for core to refuse with a kind message. Every word is in the current
language (the page's); the questionnaires' own wording is never translated here
(content/measures.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from skills_app import text
from skills_app.content.measures import QUESTIONNAIRES, Questionnaire
from skills_app.core import measures, risk
from skills_app.core.measures import Due, ResultView
from skills_app.core.problems import Problem
from skills_app.text import N_, _, formats, pgettext
from skills_app.views import charts

# What each band means, in our own words (the band's name is the published one).
BAND_MEANING = {
    "minimal": N_("Few or no signs right now."),
    "mild": N_("Some signs. Keep an eye on how you feel."),
    "moderate": N_("A fair number of signs. It is worth talking about with your therapist."),
    "moderately severe": N_("Many signs. Please talk about this with your therapist soon."),
    "severe": N_("Many strong signs. Please talk about this with your therapist soon."),
}
NOT_A_DIAGNOSIS = N_("A score is not a diagnosis. Your therapist can help you make sense of it.")


def item_name(number: int) -> str:
    return f"item_{number}"


def submission_input(form: object) -> dict[str, object] | None:
    """The core input of a finished questionnaire from its form; None when it is no form."""
    if not isinstance(form, Mapping):
        return None
    found = QUESTIONNAIRES.get(form.get("questionnaire")) \
        if isinstance(form.get("questionnaire"), str) else None
    count = len(found.items) if found else 0
    return {
        "questionnaire": form.get("questionnaire"),
        "idempotency_key": form.get("idempotency_key"),
        "answers": [form.get(item_name(n)) for n in range(1, count + 1)],
        "difficulty": form.get("difficulty"),
        # When the phone says the patient tapped Finish (app.js stamps it).
        "completed_at": form.get("written_at"),
    }


def band_name(name: str) -> str:
    """A band's published name ("moderately severe", stored with each result) in the
    current language, as the scores' meaning is shown (never an item's words)."""
    names = {
        "minimal": pgettext("check-up band", "minimal"),
        "mild": pgettext("check-up band", "mild"),
        "moderate": pgettext("check-up band", "moderate"),
        "moderately severe": pgettext("check-up band", "moderately severe"),
        "severe": pgettext("check-up band", "severe"),
    }
    return names.get(name, name)


def band_label(name: str) -> str:
    """"Moderately severe": the band's name starting with a capital."""
    shown = band_name(name)
    return shown[:1].upper() + shown[1:]


def day_label(day: date) -> str:
    return formats.date_with_year(day)  # "May 4, 2026"


def short_day(day: date) -> str:
    return formats.day(day)  # "Mon, May 4"


def result_view(result: ResultView) -> dict[str, str]:
    """What the page shows once a questionnaire is saved."""
    q = result.questionnaire
    return {
        "id": str(result.id),
        "title": _(q.about),
        "saved": _("Saved at {time}", time=formats.clock(result.completed_at,
                                                         result.time_zone)),
        "score": _("Your score: {total} out of {top}", total=result.total, top=q.max_total),
        "band": band_label(result.band),
        "meaning": _(BAND_MEANING[result.band]),
        # What the page's risk table (assets/safety.js) reads; "" for a GAD-7.
        "risk_values": json.dumps({risk.PHQ9_ITEM9: result.item9})
        if result.item9 is not None else "",
    }


def first_error(errors: Mapping[str, Problem | str]) -> Problem | str:
    """The first problem of a refused questionnaire (the state says it)."""
    return next(iter(errors.values()), "")


def due_line(due: Due) -> str:
    if due.last_done is None:
        return _("Not done yet. It takes about 2 minutes.")
    if due.is_due:
        return _("Last done {day}. Ready when you are.", day=short_day(due.last_done))
    return _("Last done {day}. Next one from {next_day}.", day=short_day(due.last_done),
             next_day=short_day(due.next_due))


def due_rows(schedule: Sequence[Due]) -> list[dict[str, str]]:
    """Each questionnaire with where it stands (the /measures/ page)."""
    return [{"id": d.questionnaire.id, "title": _(d.questionnaire.about),
             "href": text.href(f"/measures/take/?id={d.questionnaire.id}"),
             "line": due_line(d), "due": "true" if d.is_due else "false"}
            for d in schedule]


def due_cards(schedule: Sequence[Due]) -> list[dict[str, str]]:
    """Only the questionnaires due now (Today's card)."""
    return [row for row in due_rows(schedule) if row["due"] == "true"]


def chart_points(results: Sequence[ResultView]) -> list[dict[str, object]]:
    """One point per result, oldest first: drawn left to right."""
    return [{"day": short_day(r.local_date), "total": r.total} for r in results]


def chart_picture(q: Questionnaire, results: Sequence[ResultView]) -> str:
    """The scores as a line over the shading of the bands (SVG, views/charts.py); the
    y axis numbers where each band starts."""
    points = chart_points(results)
    return charts.chart_markup(charts.Chart(
        labels=[str(point["day"]) for point in points],
        series=[charts.Series(_("Score"), [point["total"] for point in points],
                              css="measure-line")],
        title=_("Chart of your {title} scores over time", title=q.title),
        top=q.max_total, ticks=sorted({band.low for band in q.bands} | {q.max_total}),
        bands=[charts.Band(low, high, "band-" + name.replace(" ", "-"))
               for low, high, name in band_areas(q)],
        legend=False, height=220, css="measure-svg"))


def table_rows(results: Sequence[ResultView]) -> list[dict[str, str]]:
    """Newest first, as a table reads."""
    return [{"id": str(r.id), "day": day_label(r.local_date), "total": str(r.total),
             "of": str(r.questionnaire.max_total), "band": band_label(r.band),
             "safety": "true" if r.needs_safety_follow_up else "false"}
            for r in reversed(results)]


@dataclass(frozen=True)
class MeasuresScreen:
    due: list[dict[str, str]]
    # By questionnaire id.
    points: dict[str, list[dict[str, object]]]
    pictures: dict[str, str]
    rows: dict[str, list[dict[str, str]]]


def measures_screen(user_id: int, time_zone: str) -> MeasuresScreen:
    results = measures.history(user_id)
    by_id: dict[str, list[ResultView]] = {q: [] for q in QUESTIONNAIRES}
    for result in results:
        by_id[result.questionnaire_id].append(result)
    return MeasuresScreen(
        due=due_rows(measures.schedule(user_id, time_zone)),
        points={q: chart_points(found) for q, found in by_id.items()},
        pictures={q: chart_picture(QUESTIONNAIRES[q], found) for q, found in by_id.items()},
        rows={q: table_rows(found) for q, found in by_id.items()},
    )


def band_areas(q: Questionnaire) -> list[tuple[int, int, str]]:
    """(from, to, band) for shading a chart: each band's area ends where the next starts."""
    return [(band.low, min(band.high + 1, q.max_total), band.name) for band in q.bands]
