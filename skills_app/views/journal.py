"""What the journal screens show, as plain strings: entry rows, one-line
summaries, the week grid's rows and cells, the editor's saved values and the
conflict panel.

Plain Python (no Reflex): the state classes call these and hold the result.
Diary-card items come from the card an entry's form was built from, and grid
rows from the grid, so nothing here lists the card's items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from skills_app.content.mood import face_path, mood_word
from skills_app.content.skills import SKILLS_BY_KEY
from skills_app.core import dates, journal
from skills_app.core.card_choice import CardChoice, card_choice
from skills_app.core.diary import MOOD, Scale
from skills_app.core.journal.html_form import SKILL_PREFIX
from skills_app.core.models import EntryKind
from skills_app.core.schemas import fold_case

OTHER = "Other"
# Today's list shows the latest few; the journal has them all.
TODAY_LIST_MAX = 10


def clock_time(moment: datetime, time_zone: str) -> str:
    """A moment's time of day in a zone: "9:05 pm"."""
    return moment.astimezone(dates.zone(time_zone)).strftime("%-I:%M %p").lower()


def time_label(entry: journal.EntryView) -> str:
    """The entry's time of day where it was written: "9:05 pm"."""
    return clock_time(entry.occurred_at, entry.time_zone)


def _day_label(day: date, today: date) -> str:
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    return day.strftime("%A %-d %B")


def entry_summary(content: journal.EntryContent) -> str:
    """A one-line reading of an entry: items rated above 0 or acted on, and sleep."""
    if not isinstance(content, journal.DiaryForm):
        return "Quick check-in"
    card = content.diary_card
    parts = []
    for group in card.groups_as_filled():
        for item in card.items_of(group):
            value = getattr(content, item.key)
            acted = item.acted_on and getattr(content, item.acted_key)
            # Mood has a line of its own (with a face), so it is not in the summary.
            if item.key == MOOD or (value is None and not acted):
                continue
            if item.scale == Scale.HOURS:
                parts.append(f"{item.label} {value:g} h")
            elif item.scale == Scale.RATING and (value or acted):
                parts.append(f"{item.asked} {value or 0}" + (" (acted on)" if acted else ""))
        if group.own_items == "emotion":
            parts += [f"{item.name} {item.rating}" for item in content.custom_emotions
                      if item.rating]
        if group.own_items == "urge":
            parts += [f"Urge: {item.name} {item.rating}" + (" (acted on)" if item.acted_on
                                                             else "")
                      for item in content.custom_urges if item.rating or item.acted_on]
    if content.skills:
        parts.append("Skills: " + ", ".join(SKILLS_BY_KEY[key].name for key in content.skills))
    return " · ".join(parts) or "Diary card"


def entry_row(entry: journal.EntryView, day_header: str) -> dict[str, str]:
    """One entry as the journal list and Today show it."""
    content = entry.content
    return {
        "id": str(entry.id),
        "day_header": day_header,
        "time": time_label(entry),
        "kind": "Check-in" if entry.kind == EntryKind.CHECKIN else "Diary card",
        "face": face_path(content.mood),
        "mood": "" if content.mood is None else f"Mood {content.mood} · {mood_word(content.mood)}",
        "summary": entry_summary(content),
        "note": content.note,
        "triggers": ", ".join(getattr(content, "triggers", ())),
        "edit_href": f"/journal/edit/?id={entry.id}",
        # Which entry, in words a dialog can ask about: "diary card from Tuesday
        # 24 November, 9:12 pm".
        "named": f"{'check-in' if entry.kind == EntryKind.CHECKIN else 'diary card'} from "
                 f"{entry.local_date.strftime('%A %-d %B')}, {time_label(entry)}",
    }


def saved_view(entry: journal.EntryView) -> dict[str, str]:
    """A diary card just saved, as the editor shows it in place of the form."""
    row = entry_row(entry, "")
    local = entry.occurred_at.astimezone(dates.zone(entry.time_zone))
    return {**row, "heading": f"Diary card saved · {local.strftime('%A %-d %B')}, "
                              f"{time_label(entry)}"}


def today_row(entry: journal.EntryView) -> dict[str, str]:
    """One entry in Today's short list: time, kind and mood only (no note is sent)."""
    mood = entry.content.mood
    return {
        "id": str(entry.id),
        "time": time_label(entry),
        "kind": "Check-in" if entry.kind == EntryKind.CHECKIN else "Diary card",
        "mood": "" if mood is None else f"Mood {mood} · {mood_word(mood)}",
    }


def entry_rows(entries: Sequence[journal.EntryView], today: date) -> list[dict[str, str]]:
    """Entries newest first, with a day header ("Today", "Yesterday", ...) where a day starts."""
    rows, previous_day = [], None
    for entry in entries:
        header = _day_label(entry.local_date, today) if entry.local_date != previous_day else ""
        previous_day = entry.local_date
        rows.append(entry_row(entry, header))
    return rows


def _cell_text(row: journal.GridRow, value: journal.Cell) -> str:
    if value is None:
        return ""
    if row.kind in ("acted_on", "yes_no"):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _cell_level(row: journal.GridRow, value: journal.Cell) -> str:
    """A 0-3 intensity for colouring rating cells (always with the number shown).

    Warm colours say "take care"; on an item where more is better (joy) a
    high rating is good news, so its cells take the calm "pleasant" colours.
    """
    if value is None or row.kind != "rating" or not row.scale_max:
        return "acted" if row.kind == "acted_on" and value else ""
    level = f"l{min(3, round(3 * float(value) / row.scale_max))}"
    return f"{level} pleasant" if row.higher_is_better else level


def _scale_note(row: journal.GridRow) -> str:
    if row.kind == "rating":
        # A non-breaking hyphen: a narrow grid wraps the label between words only.
        return f" (0\u2011{row.scale_max})"
    return {"average": " (average)", "hours": " (h)"}.get(row.kind, "")


def _headings(grid: journal.WeekGrid) -> dict[str, str]:
    """Group title -> its heading in the grid, "" for the "Other" heading.

    A group of several ratings on one scale is headed by it ("Urges
    (0-5)"); single measures share the "Other" heading and name their scale
    in their own label instead.
    """
    groups: dict[str, list[journal.GridRow]] = {}
    for row in grid.rows:
        if row.kind != "acted_on":
            groups.setdefault(row.group, []).append(row)
    headings = {}
    for group, rows in groups.items():
        scales = {(row.kind, row.scale_max) for row in rows}
        kind, scale_max = rows[0].kind, rows[0].scale_max
        one_scale = len(rows) > 1 and len(scales) == 1 and kind == "rating"
        headings[group] = f"{group} (0-{scale_max})" if one_scale else ""
    return headings


def grid_rows(grid: journal.WeekGrid) -> list[dict[str, str]]:
    """Rows as the page shows them, in groups; "acted on" joins its urge's row as "A".

    Each row has "group" (a heading, only on a group's first row), "label",
    and per day n "d<n>" (the text) and "c<n>" (a colour class).
    """
    headings = _headings(grid)
    rows: list[dict[str, str]] = []
    seen_headings: set[str] = set()
    for row in grid.rows:
        if row.kind == "acted_on":
            shown = rows[-1]
            for index, acted in enumerate(row.cells):
                if acted:
                    shown[f"d{index}"], shown[f"c{index}"] = f"{shown[f'd{index}'] or 0} A", "acted"
            continue
        heading = headings[row.group] or OTHER
        shown = {"group": "" if heading in seen_headings else heading,
                 "label": row.label if headings[row.group] else row.label + _scale_note(row)}
        seen_headings.add(heading)
        for index, value in enumerate(row.cells):
            shown[f"d{index}"], shown[f"c{index}"] = _cell_text(row, value), _cell_level(row, value)
        rows.append(shown)
    return rows


def grid_summary(grid: journal.WeekGrid) -> str:
    """The week grid in one line, for its folded heading: days filled in, the mood
    range, skills days and urges acted on ("3 days · mood 4 to 7 · skills on 2 days")."""
    days = [any(row.cells[index] is not None for row in grid.rows)
            for index in range(len(grid.days))]
    filled = sum(days)
    if not filled:
        return "Nothing filled in this week yet"
    parts = [f"{filled} day{'s' if filled != 1 else ''} filled in"]
    moods = [value for row in grid.rows if row.key == MOOD for value in row.cells
             if value is not None]
    if moods:
        low, high = min(moods), max(moods)
        parts.append(f"mood {low:g}" if low == high else f"mood {low:g} to {high:g}")
    skills = sum(1 for row in grid.rows if row.kind == "count" for value in row.cells if value)
    if skills:
        parts.append(f"skills on {skills} day{'s' if skills != 1 else ''}")
    acted = sum(1 for index in range(len(grid.days))
                if any(row.kind == "acted_on" and row.cells[index] for row in grid.rows))
    if acted:
        parts.append(f"acted on an urge on {acted} day{'s' if acted != 1 else ''}")
    return " · ".join(parts)


def _item_text(scale: Scale, value: object) -> str:
    if value is None:
        return ""
    if scale == Scale.YES_NO:
        return "yes" if value else "no"
    if scale == Scale.HOURS:
        return f"{value:g}"
    return str(value)


def kept_own_items(choice: CardChoice,
                   content: journal.EntryContent | None = None) -> tuple[list[str], list[str]]:
    """The own emotions and targets the editor asks every time: those of the
    patient's card, then any others the edited entry has (an edit never drops one)."""

    def kept(chosen: tuple[str, ...], rated: tuple[object, ...]) -> list[str]:
        names = {fold_case(name): name for name in chosen}
        for item in rated:
            names.setdefault(fold_case(item.name), item.name)
        return list(names.values())[:journal.CUSTOM_ITEMS_MAX]

    diary_content = content if isinstance(content, journal.DiaryForm) else None
    return (kept(choice.own_emotions, diary_content.custom_emotions if diary_content else ()),
            kept(choice.own_targets, diary_content.custom_urges if diary_content else ()))


def form_defaults(content: journal.EntryContent, own_emotions: Sequence[str] = (),
                  own_targets: Sequence[str] = ()) -> dict[str, str]:
    """The saved values as the diary form's fields spell them; the entry's own items
    go to the rows of `own_emotions` / `own_targets` with their names."""
    if not isinstance(content, journal.DiaryForm):
        return {"mood": _item_text(Scale.RATING, content.mood), "note": content.note}
    values: dict[str, str] = {"note": content.note}
    for item in content.diary_card.items:
        values[item.key] = _item_text(item.scale, getattr(content, item.key))
        if item.acted_on:
            values[item.acted_key] = "on" if getattr(content, item.acted_key) else ""
    values["triggers"] = ", ".join(content.triggers)
    for key in content.skills:
        values[f"{SKILL_PREFIX}{key}"] = "on"
    rows = {"emotion": {fold_case(name): n for n, name in enumerate(own_emotions, start=1)},
            "urge": {fold_case(name): n for n, name in enumerate(own_targets, start=1)}}
    for noun, items in (("emotion", content.custom_emotions), ("urge", content.custom_urges)):
        for item in items:
            n = rows[noun].get(fold_case(item.name))
            if n is None:
                continue  # kept_own_items lists every name the entry has
            values[f"custom_{noun}_name_{n}"] = item.name
            values[f"custom_{noun}_rating_{n}"] = str(item.rating)
            if noun == "urge":
                values[f"custom_urge_acted_{n}"] = "on" if item.acted_on else ""
    return values


def conflict_view(conflict: journal.Conflict) -> dict[str, str]:
    """Both sides of an edit conflict, for the patient to choose one."""
    stored, mine = conflict.stored.content, conflict.attempted
    return {
        "stored_version": str(conflict.stored.version),
        "stored_summary": entry_summary(stored),
        "stored_note": stored.note,
        "stored_mood": "" if stored.mood is None else f"Mood {stored.mood}",
        "mine_summary": entry_summary(mine),
        "mine_note": mine.note,
        "mine_mood": "" if mine.mood is None else f"Mood {mine.mood}",
    }


# --- whole screens, each read in one call (handlers run it off the event loop) ---

def today_rows(user_id: int, time_zone: str) -> list[dict[str, str]]:
    """Today's latest entries for Today's short list, newest first."""
    today = dates.local_today(time_zone)
    return [today_row(entry) for entry in journal.entries_for_week(
        user_id, dates.week_start(today)) if entry.local_date == today][:TODAY_LIST_MAX]


@dataclass(frozen=True)
class EditorData:
    """What the diary-card editor needs: the patient's trigger tags and card, the
    entry to edit (None for a new card, or when it is not one of theirs), and the
    skills of the exercises they finished today (a new card ticks them)."""

    tags: list[str]
    choice: CardChoice
    entry: journal.EntryView | None
    practised_today: frozenset[str] = frozenset()


def editor_data(user_id: int, entry_id: str, time_zone: str) -> EditorData:
    entry = journal.get_entry(user_id, entry_id) if entry_id else None
    if entry is not None and entry.kind != EntryKind.DIARY:
        entry = None
    today = dates.local_today(time_zone)
    practised = journal.practised_skills_by_day(user_id, today, today).get(today, frozenset())
    return EditorData(journal.trigger_tags(user_id), card_choice(user_id), entry,
                      practised)


def practised_defaults(practised: frozenset[str]) -> dict[str, str]:
    """A new card ticks the skills of today's finished exercises (the patient may untick)."""
    return {f"{SKILL_PREFIX}{key}": "on" for key in sorted(practised)}


PRACTISED_NOTE = ("Ticked for you from the exercises and mindfulness you did today. "
                  "Untick any you like.")


@dataclass(frozen=True)
class WeekScreen:
    """The journal page for one week: its label, the entries (or search results),
    the trigger tags to filter by, and the diary-card grid."""

    week_start: date
    week_label: str
    is_current_week: bool
    is_first_week: bool
    entries: list[dict[str, str]]
    tags: list[str]
    grid_days: list[str]
    grid_rows: list[dict[str, str]]
    grid_summary: str


def week_screen(user_id: int, time_zone: str, shown: date | None, step: int,
                search_text: str = "", tag: str = "") -> WeekScreen:
    """The week `step` weeks from `shown` (this week when None), kept between the
    week of the patient's first entry and this week."""
    today = dates.local_today(time_zone)
    this_week = dates.week_start(today)
    first = journal.first_entry_day(user_id)
    first_week = dates.week_start(min(first, today)) if first else this_week
    start = min(max((shown or this_week) + timedelta(weeks=step), first_week), this_week)
    end = start + timedelta(days=6)
    if search_text or tag:
        found = journal.search_entries(user_id, search_text, trigger=tag or None)
    else:
        found = journal.entries_for_week(user_id, start)
    grid = journal.diary_card_week(user_id, start, card_choice(user_id).hidden)
    return WeekScreen(
        week_start=start,
        week_label=("This week" if start == this_week
                    else f"{start.strftime('%-d %b')} – {end.strftime('%-d %b %Y')}"),
        is_current_week=start == this_week,
        is_first_week=start <= first_week,
        entries=entry_rows(found, today),
        tags=journal.trigger_tags(user_id),
        grid_days=[day.strftime("%a %-d") for day in grid.days],
        grid_rows=grid_rows(grid),
        grid_summary=grid_summary(grid),
    )
