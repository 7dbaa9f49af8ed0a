"""What the journal screens show, as plain strings: entry rows, one-line
summaries, the week grid's rows and cells, the editor's saved values and the
conflict panel.

Plain Python (no Reflex): the state classes call these and hold the result.
Diary-card items come from the card an entry's form was built from, and grid
rows from the grid, so nothing here lists the card's items.

Every word is in the current language (`_()`, `ngettext`) and every date and
time comes from `skills_app.text.formats`, in the time zone the entry was
written in (the account's zone when it was saved), so an entry's time and its
day always agree. What the patient typed (notes, triggers, names of their own
items) is shown as they wrote it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from skills_app import text
from skills_app.content.mood import face_path, mood_word
from skills_app.content.skills import SKILLS_BY_KEY
from skills_app.core import dates, journal
from skills_app.core.card_choice import CardChoice, card_choice
from skills_app.core.diary import MOOD, Scale
from skills_app.core.journal.html_form import SKILL_PREFIX
from skills_app.core.models import EntryKind
from skills_app.core.schemas import fold_case
from skills_app.text import N_, _, formats, ngettext

# The grid's heading for single measures (craving, mood, sleep, medications, skills).
OTHER = N_("Other")
# Today's list shows the latest few; the journal has them all.
TODAY_LIST_MAX = 10


def clock_time(moment: datetime, time_zone: str) -> str:
    """A moment's time of day in a zone, the app's one way: "9:05 PM" (`formats.clock`)."""
    return formats.clock(moment, time_zone)


def time_label(entry: journal.EntryView) -> str:
    """The entry's time of day in the zone it was written in: "9:05 PM"."""
    return formats.clock(entry.occurred_at, entry.time_zone)


def _day_label(day: date, today: date) -> str:
    if day == today:
        return _("Today")
    if day == today - timedelta(days=1):
        return _("Yesterday")
    return formats.long_day(day)


def _kind(entry: journal.EntryView) -> str:
    return _("Check-in") if entry.kind == EntryKind.CHECKIN else _("Diary card")


def _mood_line(mood: float | None) -> str:
    """"Mood 7 · Good" ("" when the entry has no mood)."""
    if mood is None:
        return ""
    return _("Mood {mood} · {word}", mood=formats.number(mood), word=mood_word(mood))


def _rated(label: str, rating: int, acted: bool) -> str:
    if acted:
        return _("{label} {rating} (acted on)", label=label, rating=formats.number(rating))
    return _("{label} {rating}", label=label, rating=formats.number(rating))


def entry_summary(content: journal.EntryContent) -> str:
    """A one-line reading of an entry: items rated above 0 or acted on, and sleep."""
    if not isinstance(content, journal.DiaryForm):
        return _("Quick check-in")
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
                parts.append(_("{label} {hours} h", label=_(item.label),
                               hours=formats.decimal(value)))
            elif item.scale == Scale.RATING and (value or acted):
                parts.append(_rated(_(item.asked), value or 0, bool(acted)))
        if group.own_items == "emotion":
            # The patient's own names, as they typed them.
            parts += [_rated(item.name, item.rating, False) for item in content.custom_emotions
                      if item.rating]
        if group.own_items == "urge":
            parts += [_("Urge: {name} {rating} (acted on)", name=item.name,
                        rating=formats.number(item.rating)) if item.acted_on
                      else _("Urge: {name} {rating}", name=item.name,
                             rating=formats.number(item.rating))
                      for item in content.custom_urges if item.rating or item.acted_on]
    if content.skills:
        parts.append(_("Skills: {skills}", skills=", ".join(
            _(SKILLS_BY_KEY[key].name) for key in content.skills)))
    return " · ".join(parts) or _("Diary card")


def _named(entry: journal.EntryView) -> str:
    """Which entry, in words a dialog can ask about: "diary card from Tuesday,
    November 24, 9:12 PM"."""
    day, time = formats.long_day(entry.local_date), time_label(entry)
    if entry.kind == EntryKind.CHECKIN:
        return _("check-in from {day}, {time}", day=day, time=time)
    return _("diary card from {day}, {time}", day=day, time=time)


def entry_row(entry: journal.EntryView, day_header: str) -> dict[str, str]:
    """One entry as the journal list and Today show it (`edit_href` only for a diary card)."""
    content = entry.content
    return {
        "id": str(entry.id),
        "day_header": day_header,
        "time": time_label(entry),
        "kind": _kind(entry),
        "face": face_path(content.mood),
        "mood": _mood_line(content.mood),
        "summary": entry_summary(content),
        "note": content.note,
        "triggers": ", ".join(getattr(content, "triggers", ())),
        "edit_href": text.href(f"/journal/edit/?id={entry.id}")
        if entry.kind == EntryKind.DIARY else "",
        "named": _named(entry),
    }


def saved_view(entry: journal.EntryView) -> dict[str, str]:
    """A diary card just saved, as the editor shows it in place of the form."""
    row = entry_row(entry, "")
    return {**row, "heading": _("Diary card saved · {day}, {time}",
                                day=formats.long_day(entry.occurred_at, entry.time_zone),
                                time=time_label(entry))}


def saved_message(entry: journal.EntryView) -> str:
    """The line under a saved form: "Saved at 9:05 PM."."""
    return _("Saved at {time}.", time=time_label(entry))


def today_row(entry: journal.EntryView) -> dict[str, str]:
    """One entry in Today's short list: time, kind and mood only (no note is sent)."""
    return {
        "id": str(entry.id),
        "time": time_label(entry),
        "kind": _kind(entry),
        "mood": _mood_line(entry.content.mood),
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
        return _("Yes") if value else _("No")
    if isinstance(value, float):
        return formats.decimal(value)
    return formats.number(value)


def _cell_level(row: journal.GridRow, value: journal.Cell) -> str:
    """A 0-3 intensity for colouring rating cells (always with the number shown).

    Warm colours say "take care"; on an item where more is better (joy) a
    high rating is good news, so its cells take the calm "pleasant" colours.
    """
    if value is None or row.kind != "rating" or not row.scale_max:
        return "acted" if row.kind == "acted_on" and value else ""
    level = f"l{min(3, round(3 * float(value) / row.scale_max))}"
    return f"{level} pleasant" if row.higher_is_better else level


def _row_label(row: journal.GridRow) -> str:
    """A row's label: the card's words in the reader's language, a name the patient
    typed as they typed it."""
    return row.label if row.own else _(row.label)


def _with_scale(row: journal.GridRow) -> str:
    """A single measure's label with its scale: "Craving (0-10)", "Mood (average)"."""
    label = _row_label(row)
    if row.kind == "rating":
        # A non-breaking hyphen: a narrow grid wraps the label between words only.
        return f"{label} (0\u2011{formats.number(row.scale_max)})"
    if row.kind == "average":
        return _("{label} (average)", label=label)
    if row.kind == "hours":
        return _("{label} (h)", label=label)
    return label


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
        headings[group] = f"{_(group)} (0-{formats.number(scale_max)})" if one_scale else ""
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
        heading = headings[row.group] or _(OTHER)
        shown = {"group": "" if heading in seen_headings else heading,
                 "label": _row_label(row) if headings[row.group] else _with_scale(row)}
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
        return _("Nothing filled in this week yet")
    parts = [ngettext("{n} day filled in", "{n} days filled in", filled)]
    moods = [value for row in grid.rows if row.key == MOOD for value in row.cells
             if value is not None]
    if moods:
        low, high = formats.decimal(min(moods)), formats.decimal(max(moods))
        parts.append(_("mood {low}", low=low) if low == high
                     else _("mood {low} to {high}", low=low, high=high))
    skills = sum(1 for row in grid.rows if row.kind == "count" for value in row.cells if value)
    if skills:
        parts.append(ngettext("skills on {n} day", "skills on {n} days", skills))
    acted = sum(1 for index in range(len(grid.days))
                if any(row.kind == "acted_on" and row.cells[index] for row in grid.rows))
    if acted:
        parts.append(ngettext("acted on an urge on {n} day", "acted on an urge on {n} days",
                              acted))
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


def _conflict_mood(mood: int | None) -> str:
    return "" if mood is None else _("Mood {mood}", mood=formats.number(mood))


def conflict_view(conflict: journal.Conflict) -> dict[str, str]:
    """Both sides of an edit conflict, for the patient to choose one."""
    stored, mine = conflict.stored.content, conflict.attempted
    return {
        "stored_version": str(conflict.stored.version),
        "stored_summary": entry_summary(stored),
        "stored_note": stored.note,
        "stored_mood": _conflict_mood(stored.mood),
        "mine_summary": entry_summary(mine),
        "mine_note": mine.note,
        "mine_mood": _conflict_mood(mine.mood),
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


PRACTISED_NOTE = N_("Ticked for you from the exercises and mindfulness you did today. "
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
        week_label=(_("This week") if start == this_week
                    else _("{start} – {end}", start=formats.date_with_year(start),
                           end=formats.date_with_year(end))),
        is_current_week=start == this_week,
        is_first_week=start <= first_week,
        entries=entry_rows(found, today),
        tags=journal.trigger_tags(user_id),
        grid_days=[_("{weekday} {day}", weekday=formats.short_weekday(day),
                     day=formats.number(day.day)) for day in grid.days],
        grid_rows=grid_rows(grid),
        grid_summary=grid_summary(grid),
    )
