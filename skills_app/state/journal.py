"""Journal screens: the quick check-in, the diary-card editor and the journal week.

Thin: every handler resolves the patient from the session, turns the form
into core input with `entry_input_from_form`, and calls `core.journal`.
What typed text the patient has not yet saved lives in the browser
(assets/app.js drafts); a handler confirms a save by clearing that draft.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta

import reflex as rx

from skills_app.content.mood import mood_word, mouth_path
from skills_app.content.skills import SKILLS_BY_KEY
from skills_app.core import dates, journal
from skills_app.core.auth import Identity
from skills_app.core.journal_form import SKILL_PREFIX, entry_input_from_form
from skills_app.core.models import EntryKind, Role
from skills_app.state.session import SessionState, off_loop

UNDO_SECONDS = int(journal.UNDO_WINDOW.total_seconds())


def _confirm_draft(name: str, key: str) -> rx.event.EventSpec:
    return rx.call_script(
        f"window.skillsDrafts && window.skillsDrafts.confirm({json.dumps(name)}, "
        f"{json.dumps(key)})")


def _not_saved(name: str) -> rx.event.EventSpec:
    return rx.call_script(
        f"window.skillsDrafts && window.skillsDrafts.notSaved({json.dumps(name)})")


def _time_label(entry: journal.EntryView) -> str:
    local = entry.occurred_at.astimezone(dates.zone(entry.time_zone))
    return local.strftime("%-I:%M %p").lower()


def _day_label(day: date, today: date) -> str:
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    return day.strftime("%A %-d %B")


def _summary(content: journal.EntryContent) -> str:
    """A one-line reading of an entry: the items that were rated above 0."""
    if isinstance(content, journal.CheckInForm):
        return "Quick check-in"
    parts = []
    for key, label in journal.EMOTIONS.items():
        value = getattr(content, f"emotion_{key}")
        if value:
            parts.append(f"{label} {value}")
    for key, label in journal.URGES.items():
        value, acted = getattr(content, f"urge_{key}"), getattr(content, f"acted_{key}")
        if value or acted:
            parts.append(f"Urge: {label.lower()} {value or 0}" + (" (acted on)" if acted else ""))
    for item in content.custom_emotions:
        if item.rating:
            parts.append(f"{item.name} {item.rating}")
    for item in content.custom_urges:
        if item.rating or item.acted_on:
            parts.append(f"Urge: {item.name} {item.rating}" + (" (acted on)" if item.acted_on
                                                               else ""))
    if content.craving:
        parts.append(f"Craving {content.craving}")
    if content.sleep_hours is not None:
        parts.append(f"Slept {content.sleep_hours:g} h")
    if content.skills:
        parts.append("Skills: " + ", ".join(SKILLS_BY_KEY[key].name for key in content.skills))
    return " · ".join(parts) or "Diary card"


def _entry_row(entry: journal.EntryView, day_header: str) -> dict[str, str]:
    content = entry.content
    return {
        "id": str(entry.id),
        "day_header": day_header,
        "time": _time_label(entry),
        "kind": "Check-in" if entry.kind == EntryKind.CHECKIN else "Diary card",
        "mouth": mouth_path(content.mood),
        "mood": "" if content.mood is None else f"Mood {content.mood} · {mood_word(content.mood)}",
        "summary": _summary(content),
        "note": content.note,
        "triggers": ", ".join(getattr(content, "triggers", ())),
        "edit_href": f"/journal/edit/?id={entry.id}",
    }


def _entry_rows(entries: list[journal.EntryView], today: date) -> list[dict[str, str]]:
    rows, previous_day = [], None
    for entry in entries:
        header = _day_label(entry.local_date, today) if entry.local_date != previous_day else ""
        previous_day = entry.local_date
        rows.append(_entry_row(entry, header))
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
    """A 0-3 intensity for colouring rating cells (always with the number shown)."""
    if value is None or row.kind != "rating" or not row.scale_max:
        return "acted" if row.kind == "acted_on" and value else ""
    return f"l{min(3, round(3 * float(value) / row.scale_max))}"


_GRID_GROUPS = {"urge.": "Urges (0-5)", "emotion.": "Emotions (0-5)", "craving": "Other"}
_GRID_LABELS = {"craving": "Craving (0-10)", "mood": "Mood (average)", "sleep_hours": "Sleep (h)",
                "medications_taken": "Medications", "skills_used": "Skills used"}


def _grid_rows(grid: journal.WeekGrid) -> list[dict[str, str]]:
    """Rows as the page shows them, in groups; "acted on" joins its urge's row as "A"."""
    acted = {row.key.removeprefix("acted."): row for row in grid.rows
             if row.key.startswith("acted.")}
    rows, seen_groups = [], set()
    for row in grid.rows:
        if row.key.startswith("acted."):
            continue
        group = next((title for prefix, title in _GRID_GROUPS.items()
                      if row.key.startswith(prefix)), "")
        shown = {"group": "" if group in seen_groups else group,
                 "label": _GRID_LABELS.get(row.key, row.label.removeprefix("Urge: "))}
        seen_groups.add(group)
        acted_row = acted.get(row.key.removeprefix("urge."))
        for index, value in enumerate(row.cells):
            text, level = _cell_text(row, value), _cell_level(row, value)
            if acted_row is not None and acted_row.cells[index]:
                text, level = f"{text or 0} A", "acted"
            shown[f"d{index}"], shown[f"c{index}"] = text, level
        rows.append(shown)
    return rows


class DraftsState(SessionState):
    """Shared by journal screens: the namespace of this user's drafts."""

    risk_prompt: bool = False

    async def _patient(self) -> Identity | None:
        return await self._identity(Role.PATIENT)

    async def _open_patient_page(self) -> tuple[Identity | None, rx.event.EventSpec | None]:
        """The page guard and the patient, from one session lookup."""
        identity = await self._identity()
        refusal = await self._admit(identity, Role.PATIENT)
        if refusal is not None:
            return None, refusal
        return identity, None

    @rx.event
    async def dismiss_risk_prompt(self) -> None:
        self.risk_prompt = False


class CheckInState(DraftsState):
    """The quick check-in on Today."""

    errors: dict[str, str] = {}
    saved_message: str = ""
    today_entries: list[dict[str, str]] = []

    async def _load_today_entries(self, identity: Identity) -> None:
        today = dates.local_today(identity.time_zone)
        self.today_entries = [
            _entry_row(entry, "") for entry in await off_loop(
                journal.entries_for_week, identity.user_id, dates.week_start(today))
            if entry.local_date == today]

    @rx.event
    async def load_today(self) -> rx.event.EventSpec | None:
        identity, refusal = await self._open_patient_page()
        if refusal is not None:
            return refusal
        await self._load_today_entries(identity)
        self.errors, self.saved_message = {}, ""
        return None

    @rx.event
    async def save_checkin(self, form_data: dict) -> rx.event.EventSpec | None:
        identity = await self._patient()
        if identity is None:
            return await self._send_to_sign_in()
        raw = entry_input_from_form(form_data)
        if isinstance(raw, dict):
            raw["kind"] = EntryKind.CHECKIN.value
        result = await off_loop(journal.save_entry, identity.user_id, identity.time_zone, raw)
        if not result.ok:
            self.errors, self.saved_message = result.errors or {}, ""
            return _not_saved("checkin")
        self.errors = {}
        self.saved_message = (f"Saved at {_time_label(result.entry)}. "
                              "Thank you for checking in.")
        await self._load_today_entries(identity)
        return _confirm_draft("checkin", result.entry.idempotency_key)


class EntryEditorState(DraftsState):
    """The full diary card, new or edited."""

    entry_id: str = ""
    version: str = ""
    form_key: str = "new"
    defaults: dict[str, str] = {}
    errors: dict[str, str] = {}
    saved_message: str = ""
    tags: list[str] = []
    conflict: dict[str, str] = {}
    _conflict_input: dict = {}

    @rx.var
    def draft_name(self) -> str:
        return f"diary-edit-{self.entry_id}" if self.entry_id else "diary-new"

    @rx.event
    async def load_editor(self) -> rx.event.EventSpec | None:
        identity, refusal = await self._open_patient_page()
        if refusal is not None:
            return refusal
        self.errors, self.saved_message, self.conflict = {}, "", {}
        self._conflict_input = {}
        self.risk_prompt = False
        self.tags = await off_loop(journal.trigger_tags, identity.user_id)
        requested = self.router.url.query_parameters.get("id", "")
        if not requested:
            self.entry_id, self.version, self.defaults, self.form_key = "", "", {}, "new"
            return None
        entry = await off_loop(journal.get_entry, identity.user_id, requested)
        if entry is None or entry.kind != EntryKind.DIARY:
            self.entry_id, self.version, self.defaults, self.form_key = "", "", {}, "new"
            self.errors = {"form": journal.NOT_FOUND}
            return None
        self._show_entry(entry)
        return None

    def _show_entry(self, entry: journal.EntryView) -> None:
        self.entry_id, self.version = str(entry.id), str(entry.version)
        self.defaults = _form_defaults(entry.content)
        self.form_key = f"{entry.id}-{entry.version}"

    @rx.event
    async def save_diary(self, form_data: dict) -> rx.event.EventSpec | None:
        identity = await self._patient()
        if identity is None:
            return await self._send_to_sign_in()
        raw = entry_input_from_form(form_data)
        if not isinstance(raw, dict):
            self.errors = {"form": journal.BAD_FORM}
            return _not_saved(self.draft_name)
        key = str(raw.get("idempotency_key") or "")
        if self.entry_id:
            result = await off_loop(journal.update_entry, identity.user_id, self.entry_id,
                                          form_data.get("version") if isinstance(
                                              form_data, dict) else None, raw)
        else:
            raw["kind"] = EntryKind.DIARY.value
            result = await off_loop(journal.save_entry, identity.user_id, identity.time_zone, raw)
        if result.conflict is not None:
            self._conflict_input = raw
            self.conflict = _conflict_view(result.conflict)
            self.errors, self.saved_message = {}, ""
            return _not_saved(self.draft_name)
        if not result.ok:
            self.errors, self.saved_message = result.errors or {}, ""
            return _not_saved(self.draft_name)
        return self._saved(result.entry, key)

    def _saved(self, entry: journal.EntryView, key: str) -> rx.event.EventSpec:
        draft = self.draft_name
        self.errors, self.conflict, self._conflict_input = {}, {}, {}
        self.risk_prompt = entry.risk_flag
        self.saved_message = f"Saved at {_time_label(entry)}."
        if self.entry_id:
            self._show_entry(entry)
        return _confirm_draft(draft, key)

    @rx.event
    async def keep_mine(self) -> rx.event.EventSpec | None:
        """Conflict: save this device's version over the one from the other device."""
        identity = await self._patient()
        if identity is None:
            return await self._send_to_sign_in()
        if not self.conflict or not self._conflict_input:
            return None
        raw = dict(self._conflict_input)
        result = await off_loop(journal.update_entry, identity.user_id, self.entry_id,
                                      self.conflict.get("stored_version"), raw)
        if result.conflict is not None:
            self.conflict = _conflict_view(result.conflict)
            return None
        if not result.ok:
            self.errors = result.errors or {}
            return None
        return self._saved(result.entry, str(raw.get("idempotency_key") or ""))

    @rx.event
    async def keep_theirs(self) -> rx.event.EventSpec | None:
        """Conflict: drop this device's edit and show the saved version."""
        identity = await self._patient()
        if identity is None:
            return await self._send_to_sign_in()
        entry = await off_loop(journal.get_entry, identity.user_id, self.entry_id)
        draft = self.draft_name
        self.conflict, self._conflict_input = {}, {}
        if entry is None:
            self.errors = {"form": journal.NOT_FOUND}
            return None
        self._show_entry(entry)
        self.saved_message = "Kept the version from your other device."
        return rx.call_script(f"window.skillsDrafts && window.skillsDrafts.discard("
                              f"{json.dumps(draft)})")


def _form_defaults(content: journal.EntryContent) -> dict[str, str]:
    """The saved values as the diary form's fields spell them."""
    values: dict[str, str] = {"mood": "" if content.mood is None else str(content.mood),
                              "note": content.note}
    if not isinstance(content, journal.DiaryForm):
        return values
    for name in (*journal.EMOTION_FIELDS, *journal.URGE_FIELDS, "craving"):
        value = getattr(content, name)
        values[name] = "" if value is None else str(value)
    for name in journal.ACTED_FIELDS:
        values[name] = "on" if getattr(content, name) else ""
    values["substance_what"] = content.substance_what
    values["substance_amount"] = content.substance_amount
    values["medications_taken"] = {True: "yes", False: "no", None: ""}[content.medications_taken]
    values["sleep_hours"] = "" if content.sleep_hours is None else f"{content.sleep_hours:g}"
    values["triggers"] = ", ".join(content.triggers)
    for key in content.skills:
        values[f"{SKILL_PREFIX}{key}"] = "on"
    for n, item in enumerate(content.custom_emotions, start=1):
        values[f"custom_emotion_name_{n}"] = item.name
        values[f"custom_emotion_rating_{n}"] = str(item.rating)
    for n, item in enumerate(content.custom_urges, start=1):
        values[f"custom_urge_name_{n}"] = item.name
        values[f"custom_urge_rating_{n}"] = str(item.rating)
        values[f"custom_urge_acted_{n}"] = "on" if item.acted_on else ""
    return values


def _conflict_view(conflict: journal.Conflict) -> dict[str, str]:
    stored, mine = conflict.stored.content, conflict.attempted
    return {
        "stored_version": str(conflict.stored.version),
        "stored_summary": _summary(stored),
        "stored_note": stored.note,
        "stored_mood": "" if stored.mood is None else f"Mood {stored.mood}",
        "mine_summary": _summary(mine),
        "mine_note": mine.note,
        "mine_mood": "" if mine.mood is None else f"Mood {mine.mood}",
    }


class JournalState(DraftsState):
    """The journal week: entries by day, the diary-card grid, filter, search, delete."""

    week_label: str = ""
    is_current_week: bool = True
    entries: list[dict[str, str]] = []
    grid_days: list[str] = []
    grid_rows: list[dict[str, str]] = []
    tags: list[str] = []
    filter_tag: str = ""
    search_text: str = ""
    searching: bool = False
    confirm_delete_id: str = ""
    undo_id: str = ""
    undo_seconds: int = 0
    message: str = ""
    _week_start: str = ""

    @rx.event
    async def load_journal(self) -> rx.event.EventSpec | None:
        identity, refusal = await self._open_patient_page()
        if refusal is not None:
            return refusal
        self._week_start = dates.week_start(dates.local_today(identity.time_zone)).isoformat()
        self.filter_tag, self.search_text, self.searching = "", "", False
        self.confirm_delete_id, self.message = "", ""
        await self._refresh(identity)
        return None

    async def _refresh(self, identity: Identity) -> None:
        today = dates.local_today(identity.time_zone)
        start = date.fromisoformat(self._week_start)
        self.is_current_week = start == dates.week_start(today)
        end = start + timedelta(days=6)
        self.week_label = ("This week" if self.is_current_week
                           else f"{start.strftime('%-d %b')} – {end.strftime('%-d %b %Y')}")
        self.tags = await off_loop(journal.trigger_tags, identity.user_id)
        if self.searching:
            found = await off_loop(journal.search_entries, identity.user_id, self.search_text,
                                   trigger=self.filter_tag or None)
            self.entries = _entry_rows(found, today)
        else:
            entries = await off_loop(journal.entries_for_week, identity.user_id, start)
            self.entries = _entry_rows(entries, today)
        grid = await off_loop(journal.diary_card_week, identity.user_id, start)
        self.grid_days = [day.strftime("%a %-d") for day in grid.days]
        self.grid_rows = _grid_rows(grid)

    @rx.event
    async def change_week(self, step: int) -> rx.event.EventSpec | None:
        identity = await self._patient()
        if identity is None:
            return await self._send_to_sign_in()
        if step not in (-1, 0, 1):
            return None
        today_week = dates.week_start(dates.local_today(identity.time_zone))
        current = date.fromisoformat(self._week_start or today_week.isoformat())
        target = today_week if step == 0 else current + timedelta(weeks=step)
        self._week_start = min(target, today_week).isoformat()
        await self._refresh(identity)
        return None

    @rx.event
    async def search(self, form_data: dict) -> rx.event.EventSpec | None:
        identity = await self._patient()
        if identity is None:
            return await self._send_to_sign_in()
        text = form_data.get("q", "") if isinstance(form_data, dict) else ""
        tag = form_data.get("tag", "") if isinstance(form_data, dict) else ""
        if (not isinstance(text, str) or not isinstance(tag, str)
                or len(text) > journal.SEARCH_TEXT_MAX):
            self.message = ("Please search with a few words "
                            f"(up to {journal.SEARCH_TEXT_MAX} characters).")
            return None
        self.search_text, self.filter_tag = text.strip(), tag.strip()
        self.searching = bool(self.search_text or self.filter_tag)
        self.message = ""
        await self._refresh(identity)
        return None

    @rx.event
    async def clear_search(self) -> rx.event.EventSpec | None:
        return await self.search({"q": "", "tag": ""})

    @rx.event
    async def ask_delete(self, entry_id: str) -> None:
        self.confirm_delete_id = entry_id if isinstance(entry_id, str) else ""

    @rx.event
    async def cancel_delete(self) -> None:
        self.confirm_delete_id = ""

    @rx.event
    async def delete_entry(self) -> rx.event.EventSpec | None:
        identity = await self._patient()
        if identity is None:
            return await self._send_to_sign_in()
        entry_id, self.confirm_delete_id = self.confirm_delete_id, ""
        result = await off_loop(journal.delete_entry, identity.user_id, entry_id)
        if not result.ok:
            self.message = (result.errors or {}).get("form", journal.NOT_FOUND)
            return None
        self.undo_id, self.undo_seconds = entry_id, UNDO_SECONDS
        self.message = ""
        await self._refresh(identity)
        return JournalState.count_down_undo(entry_id)

    @rx.event(background=True)
    async def count_down_undo(self, entry_id: str) -> None:
        # Public like every handler: only the delete just made starts a countdown.
        async with self:
            if not entry_id or self.undo_id != entry_id:
                return
        for _ in range(UNDO_SECONDS):
            await asyncio.sleep(1)
            async with self:
                if self.undo_id != entry_id:
                    return
                self.undo_seconds -= 1
        async with self:
            if self.undo_id == entry_id:
                self.undo_id, self.undo_seconds = "", 0

    @rx.event
    async def undo_delete(self) -> rx.event.EventSpec | None:
        identity = await self._patient()
        if identity is None:
            return await self._send_to_sign_in()
        entry_id, self.undo_id, self.undo_seconds = self.undo_id, "", 0
        result = await off_loop(journal.restore_entry, identity.user_id, entry_id)
        if not result.ok:
            self.message = (result.errors or {}).get(
                "form", "Sorry, it is too late to undo that.")
        await self._refresh(identity)
        return None
