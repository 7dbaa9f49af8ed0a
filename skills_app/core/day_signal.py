"""Today's strongest signal: what the patient's diary cards of today call for.

One answer for Today's screen, which shows the day's risk prompts (the craving
card after a card with a craving of 7, say) and suggests exercises that follow
the strongest of them (`practice.plan_for`'s `signal`). The day is read as
`journal.daily_summaries` reads it (each item's highest of the day, what was
acted on, from the cards not deleted) and routed through `core/risk.py`'s one
table, so Today shows what the diary card showed at Save.
"""

from __future__ import annotations

from skills_app.core import dates, diary, risk
from skills_app.core.journal.summaries import DailySummary, daily_summaries_of


def values_of_day(summary: DailySummary) -> dict[str, object]:
    """A day's highest ratings and its "I acted on it" boxes as `risk.route` reads them.

    The day is today, so no `entry_day` is given: an act of today is today's.
    """
    values: dict[str, object] = dict(summary.values)
    values.update({item.acted_key: item.key in summary.acted_on
                   for item in diary.DIARY_CARD.items if item.acted_on})
    return values


def route_of_day(summary: DailySummary) -> risk.RiskRoute:
    """The prompts a day of entries calls for; its `prompt` is the strongest signal."""
    return risk.route(values_of_day(summary))


def todays_route(user_id: int, time_zone: str) -> risk.RiskRoute:
    """The route of the patient's local today, from the entries of today."""
    today = dates.local_today(time_zone)
    [summary] = daily_summaries_of([user_id], today, today, practised_skills=False)[user_id]
    return route_of_day(summary)
