"""Journal screens: the quick check-in, the diary-card editor and the journal week.

Thin: every handler resolves the patient from the session, turns the form
into core input with `entry_input_from_form`, calls `core.journal`, and
keeps what `views.journal` makes of the result for the page.
What typed text the patient has not yet saved lives in the browser
(assets/app.js drafts); a handler confirms a save by clearing that draft.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta

import reflex as rx

from skills_app.core import dates, journal
from skills_app.core.auth import Identity
from skills_app.core.journal.html_form import entry_input_from_form
from skills_app.core.models import EntryKind, Role
from skills_app.state.session import SessionState
from skills_app.views import journal as views

UNDO_SECONDS = int(journal.UNDO_WINDOW.total_seconds())


def _confirm_draft(name: str, key: str) -> rx.event.EventSpec:
    return rx.call_script(
        f"window.skillsDrafts && window.skillsDrafts.confirm({json.dumps(name)}, "
        f"{json.dumps(key)})")


def _not_saved(name: str) -> rx.event.EventSpec:
    return rx.call_script(
        f"window.skillsDrafts && window.skillsDrafts.notSaved({json.dumps(name)})")


class DraftsState(SessionState):
    """Shared by journal screens: the namespace of this user's drafts."""

    draft_owner: str = ""
    risk_prompt: bool = False

    def _patient(self) -> Identity | None:
        identity = self._identity(Role.PATIENT)
        self.draft_owner = views.draft_owner(identity) if identity else ""
        return identity

    def _open_patient_page(self) -> tuple[Identity | None, rx.event.EventSpec | None]:
        """The page guard and the patient, from one session lookup."""
        identity = self._identity()
        refusal = self._admit(identity, Role.PATIENT)
        if refusal is not None:
            return None, refusal
        self.draft_owner = views.draft_owner(identity)
        return identity, None

    @rx.event
    def dismiss_risk_prompt(self) -> None:
        self.risk_prompt = False


class CheckInState(DraftsState):
    """The quick check-in on Today."""

    errors: dict[str, str] = {}
    saved_message: str = ""
    today_entries: list[dict[str, str]] = []

    def _load_today_entries(self, identity: Identity) -> None:
        today = dates.local_today(identity.time_zone)
        self.today_entries = [
            views.entry_row(entry, "") for entry in journal.entries_for_week(
                identity.user_id, dates.week_start(today)) if entry.local_date == today]

    @rx.event
    def load_today(self) -> rx.event.EventSpec | None:
        identity, refusal = self._open_patient_page()
        if refusal is not None:
            return refusal
        self._load_today_entries(identity)
        self.errors, self.saved_message = {}, ""
        return None

    @rx.event
    def save_checkin(self, form_data: dict) -> rx.event.EventSpec | None:
        identity = self._patient()
        if identity is None:
            return self._send_to_sign_in()
        raw = entry_input_from_form(form_data)
        if isinstance(raw, dict):
            raw["kind"] = EntryKind.CHECKIN.value
        result = journal.save_entry(identity.user_id, identity.time_zone, raw)
        if not result.ok:
            self.errors, self.saved_message = result.errors or {}, ""
            return _not_saved("checkin")
        self.errors = {}
        self.saved_message = (f"Saved at {views.time_label(result.entry)}. "
                              "Thank you for checking in.")
        self._load_today_entries(identity)
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
    def load_editor(self) -> rx.event.EventSpec | None:
        identity, refusal = self._open_patient_page()
        if refusal is not None:
            return refusal
        self.errors, self.saved_message, self.conflict = {}, "", {}
        self._conflict_input = {}
        self.risk_prompt = False
        self.tags = journal.trigger_tags(identity.user_id)
        requested = self.router.url.query_parameters.get("id", "")
        if not requested:
            self.entry_id, self.version, self.defaults, self.form_key = "", "", {}, "new"
            return None
        entry = journal.get_entry(identity.user_id, requested)
        if entry is None or entry.kind != EntryKind.DIARY:
            self.entry_id, self.version, self.defaults, self.form_key = "", "", {}, "new"
            self.errors = {"form": journal.NOT_FOUND}
            return None
        self._show_entry(entry)
        return None

    def _show_entry(self, entry: journal.EntryView) -> None:
        self.entry_id, self.version = str(entry.id), str(entry.version)
        self.defaults = views.form_defaults(entry.content)
        self.form_key = f"{entry.id}-{entry.version}"

    @rx.event
    def save_diary(self, form_data: dict) -> rx.event.EventSpec | None:
        identity = self._patient()
        if identity is None:
            return self._send_to_sign_in()
        raw = entry_input_from_form(form_data)
        if not isinstance(raw, dict):
            self.errors = {"form": journal.BAD_FORM}
            return _not_saved(self.draft_name)
        key = str(raw.get("idempotency_key") or "")
        if self.entry_id:
            result = journal.update_entry(identity.user_id, self.entry_id,
                                          form_data.get("version") if isinstance(
                                              form_data, dict) else None, raw)
        else:
            raw["kind"] = EntryKind.DIARY.value
            result = journal.save_entry(identity.user_id, identity.time_zone, raw)
        if result.conflict is not None:
            self._conflict_input = raw
            self.conflict = views.conflict_view(result.conflict)
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
        self.saved_message = f"Saved at {views.time_label(entry)}."
        if self.entry_id:
            self._show_entry(entry)
        return _confirm_draft(draft, key)

    @rx.event
    def keep_mine(self) -> rx.event.EventSpec | None:
        """Conflict: save this device's version over the one from the other device."""
        identity = self._patient()
        if identity is None:
            return self._send_to_sign_in()
        if not self.conflict or not self._conflict_input:
            return None
        raw = dict(self._conflict_input)
        result = journal.update_entry(identity.user_id, self.entry_id,
                                      self.conflict.get("stored_version"), raw)
        if result.conflict is not None:
            self.conflict = views.conflict_view(result.conflict)
            return None
        if not result.ok:
            self.errors = result.errors or {}
            return None
        return self._saved(result.entry, str(raw.get("idempotency_key") or ""))

    @rx.event
    def keep_theirs(self) -> rx.event.EventSpec | None:
        """Conflict: drop this device's edit and show the saved version."""
        identity = self._patient()
        if identity is None:
            return self._send_to_sign_in()
        entry = journal.get_entry(identity.user_id, self.entry_id)
        draft = self.draft_name
        self.conflict, self._conflict_input = {}, {}
        if entry is None:
            self.errors = {"form": journal.NOT_FOUND}
            return None
        self._show_entry(entry)
        self.saved_message = "Kept the version from your other device."
        return rx.call_script(f"window.skillsDrafts && window.skillsDrafts.discard("
                              f"{json.dumps(draft)})")


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
    def load_journal(self) -> rx.event.EventSpec | None:
        identity, refusal = self._open_patient_page()
        if refusal is not None:
            return refusal
        self._week_start = dates.week_start(dates.local_today(identity.time_zone)).isoformat()
        self.filter_tag, self.search_text, self.searching = "", "", False
        self.confirm_delete_id, self.message = "", ""
        self._refresh(identity)
        return None

    def _refresh(self, identity: Identity) -> None:
        today = dates.local_today(identity.time_zone)
        start = date.fromisoformat(self._week_start)
        self.is_current_week = start == dates.week_start(today)
        end = start + timedelta(days=6)
        self.week_label = ("This week" if self.is_current_week
                           else f"{start.strftime('%-d %b')} – {end.strftime('%-d %b %Y')}")
        self.tags = journal.trigger_tags(identity.user_id)
        if self.searching:
            found = journal.search_entries(identity.user_id, self.search_text,
                                           trigger=self.filter_tag or None)
            self.entries = views.entry_rows(found, today)
        else:
            entries = journal.entries_for_week(identity.user_id, start)
            self.entries = views.entry_rows(entries, today)
        grid = journal.diary_card_week(identity.user_id, start)
        self.grid_days = [day.strftime("%a %-d") for day in grid.days]
        self.grid_rows = views.grid_rows(grid)

    @rx.event
    def change_week(self, step: int) -> rx.event.EventSpec | None:
        identity = self._patient()
        if identity is None:
            return self._send_to_sign_in()
        if step not in (-1, 0, 1):
            return None
        today_week = dates.week_start(dates.local_today(identity.time_zone))
        current = date.fromisoformat(self._week_start or today_week.isoformat())
        target = today_week if step == 0 else current + timedelta(weeks=step)
        self._week_start = min(target, today_week).isoformat()
        self._refresh(identity)
        return None

    @rx.event
    def search(self, form_data: dict) -> rx.event.EventSpec | None:
        identity = self._patient()
        if identity is None:
            return self._send_to_sign_in()
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
        self._refresh(identity)
        return None

    @rx.event
    def clear_search(self) -> rx.event.EventSpec | None:
        return self.search({"q": "", "tag": ""})

    @rx.event
    def ask_delete(self, entry_id: str) -> None:
        self.confirm_delete_id = entry_id if isinstance(entry_id, str) else ""

    @rx.event
    def cancel_delete(self) -> None:
        self.confirm_delete_id = ""

    @rx.event
    def delete_entry(self) -> rx.event.EventSpec | None:
        identity = self._patient()
        if identity is None:
            return self._send_to_sign_in()
        entry_id, self.confirm_delete_id = self.confirm_delete_id, ""
        result = journal.delete_entry(identity.user_id, entry_id)
        if not result.ok:
            self.message = (result.errors or {}).get("form", journal.NOT_FOUND)
            return None
        self.undo_id, self.undo_seconds = entry_id, UNDO_SECONDS
        self.message = ""
        self._refresh(identity)
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
    def undo_delete(self) -> rx.event.EventSpec | None:
        identity = self._patient()
        if identity is None:
            return self._send_to_sign_in()
        entry_id, self.undo_id, self.undo_seconds = self.undo_id, "", 0
        result = journal.restore_entry(identity.user_id, entry_id)
        if not result.ok:
            self.message = (result.errors or {}).get(
                "form", "Sorry, it is too late to undo that.")
        self._refresh(identity)
        return None
