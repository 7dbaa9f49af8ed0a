"""Journal screens: the quick check-in, the diary-card editor and the journal week.

Thin: every handler resolves the patient from the session, turns the form
into core input with `entry_input_from_form`, calls `core.journal` off the
event loop, and keeps what `views.journal` makes of the result for the page.
What typed text the patient has not yet saved lives in the browser
(assets/app.js drafts). A save is confirmed by `saved_key`, which the page
renders on the form in the same update as "Saved at": the draft is dropped
exactly when the patient can see it was saved.

Each handler answers in the language of the page it came from: core's
problems become sentences here (`say`, `say_all`), and `views.journal` writes
the rest.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from datetime import date

import reflex as rx

from skills_app.core import dates, journal, reminder_settings
from skills_app.core.auth import Identity
from skills_app.core.card_choice import CardChoice
from skills_app.core.journal.html_form import entry_input_from_form
from skills_app.core.models import EntryKind, Role
from skills_app.core.problems import Problem
from skills_app.core.schemas import BAD_FORM
from skills_app.state.reminders import TodayRemindersState
from skills_app.state.session import SessionState, off_loop
from skills_app.text import _
from skills_app.text.problems import say, say_all
from skills_app.views import journal as views

UNDO_SECONDS = int(journal.UNDO_WINDOW.total_seconds())


def _not_saved(name: str) -> rx.event.EventSpec:
    return rx.call_script(
        f"window.skillsDrafts && window.skillsDrafts.notSaved({json.dumps(name)})")


def _save_new_entry(identity: Identity, raw: object) -> journal.SaveResult:
    return journal.save_entry(identity.user_id, identity.time_zone, raw)


def _save_checkin(identity: Identity, raw: object) -> tuple[journal.SaveResult, bool]:
    """The check-in saved, and whether Today should now ask about reminders (the first
    check-in brings the question): one trip off the event loop, one event."""
    result = _save_new_entry(identity, raw)
    return result, result.ok and reminder_settings.should_ask(identity.user_id)


def _update_entry(identity: Identity, entry_id: str, version: object,
                  raw: object) -> journal.SaveResult:
    return journal.update_entry(identity.user_id, entry_id, version, raw)


class DraftsState(SessionState):
    """Shared by journal screens: the patient. (The risk prompts after a hard entry
    are decided on the phone: assets/safety.js.)"""

    async def _patient(self) -> Identity | None:
        return await self._identity(Role.PATIENT)

    async def _open_patient_page(self) -> tuple[Identity | None, rx.event.EventSpec | None]:
        """The page guard and the patient, from one session lookup."""
        identity = await self._identity()
        refusal = await self._admit(identity, Role.PATIENT)
        return (None, refusal) if refusal is not None else (identity, None)



class CheckInState(DraftsState):
    """The quick check-in on Today."""

    errors: dict[str, str] = {}
    saved_message: str = ""
    saved_key: str = ""
    today_entries: list[dict[str, str]] = []

    @rx.event
    async def load_today(self) -> rx.event.EventSpec | None:
        identity, refusal = await self._open_patient_page()
        if refusal is not None:
            return refusal
        again = await self._same_page_again()
        self.today_entries = await off_loop(views.today_rows, identity.user_id,
                                            identity.time_zone)
        if not again:
            self.errors, self.saved_message, self.saved_key = {}, "", ""
        return None

    @rx.event
    async def save_checkin(self, form_data: dict) -> rx.event.EventSpec | None:
        raw = entry_input_from_form(form_data)
        if isinstance(raw, dict):
            raw["kind"] = EntryKind.CHECKIN.value
        identity, saved = await self._as_user(Role.PATIENT, _save_checkin, raw)
        if identity is None:
            return await self._send_to_sign_in()
        result, ask = saved
        if not result.ok:
            self.errors, self.saved_message = say_all(result.errors), ""
            return _not_saved("checkin")
        entry = result.entry
        self.errors, self.saved_key = {}, entry.idempotency_key
        # The saved time alone: a check-in is the patient's own, not a favour to the app.
        self.saved_message = views.saved_message(entry)
        # The answer carries what changed: today's list gains this entry (a resend
        # or an entry written on an earlier day leaves it as it is).
        shown = [row for row in self.today_entries if row["id"] != str(entry.id)]
        if entry.local_date == dates.local_today(identity.time_zone):
            shown.insert(0, views.today_row(entry))
        self.today_entries = shown[:views.TODAY_LIST_MAX]
        # The first check-in brings Today's one question about reminders.
        reminders_card = await self.get_state(TodayRemindersState)
        if reminders_card.ask != ask:
            reminders_card.ask = ask
        return None


class EntryEditorState(DraftsState):
    """The full diary card, new or edited."""

    entry_id: str = ""
    version: str = ""
    # Which day the card is for ("" for a new card: the day it is written) and the
    # patient's time zone: assets/safety.js decides "call 911 now" with them.
    entry_day: str = ""
    time_zone: str = ""
    form_key: str = "new"
    defaults: dict[str, str] = {}
    errors: dict[str, str] = {}
    saved_message: str = ""
    saved_key: str = ""
    # The entry just saved, as the page shows it in place of the form.
    saved_view: dict[str, str] = {}
    tags: list[str] = []
    conflict: dict[str, str] = {}
    # The patient's card: standard items left off, and their own items asked every time.
    hidden_items: list[str] = []
    own_emotions: list[str] = []
    own_targets: list[str] = []
    _choice: CardChoice = CardChoice()
    # Skills of the exercises finished today: a new card ticks them, and says so.
    _practised_today: list[str] = []
    practised_note: str = ""
    _conflict_input: dict = {}
    _conflict_entry_id: str = ""
    _new_cards: int = 0

    @rx.var
    def draft_name(self) -> str:
        return f"diary-edit-{self.entry_id}" if self.entry_id else "diary-new"

    @rx.event
    async def load_editor(self) -> rx.event.EventSpec | None:
        identity, refusal = await self._open_patient_page()
        if refusal is not None:
            return refusal
        requested = self.router.url.query_parameters.get("id", "")
        again = await self._same_page_again()
        data = await off_loop(views.editor_data, identity.user_id, requested,
                              identity.time_zone)
        self.tags, self._choice = data.tags, data.choice
        self.time_zone = identity.time_zone
        self._practised_today = sorted(data.practised_today)
        if again and (self.saved_view or self.conflict):
            return None  # the connection came back: keep what the last save showed
        self.errors, self.saved_message, self.saved_key, self.conflict = {}, "", "", {}
        self._conflict_input, self._conflict_entry_id = {}, ""
        self.saved_view = {}
        if data.entry is None:
            self._show_new_card("new")
            if requested:
                self.errors = say_all({"form": journal.NOT_FOUND})
            return None
        self._show_entry(data.entry)
        return None

    def _show_card_items(self, content: journal.EntryContent | None) -> None:
        self.hidden_items = sorted(self._choice.hidden)
        self.own_emotions, self.own_targets = views.kept_own_items(self._choice, content)

    def _show_new_card(self, form_key: str) -> None:
        practised = frozenset(self._practised_today)
        # A new key when skills come ticked: the form is drawn again, so its boxes
        # take these defaults (a drawn checkbox keeps its first default).
        self.entry_id, self.version, self.entry_day = "", "", ""
        self.form_key = f"{form_key}-practised" if practised else form_key
        self.defaults = views.practised_defaults(practised)
        self.practised_note = _(views.PRACTISED_NOTE) if practised else ""
        self._show_card_items(None)

    def _show_entry(self, entry: journal.EntryView) -> None:
        self.practised_note = ""
        self.entry_id, self.version = str(entry.id), str(entry.version)
        self.entry_day = entry.local_date.isoformat()
        self._show_card_items(entry.content)
        self.defaults = views.form_defaults(entry.content, self.own_emotions, self.own_targets)
        self.form_key = f"{entry.id}-{entry.version}"

    @rx.event
    async def save_diary(self, form_data: dict) -> rx.event.EventSpec | None:
        raw = entry_input_from_form(form_data)
        if not isinstance(raw, dict):
            if await self._patient() is None:
                return await self._send_to_sign_in()
            self.errors = say_all({"form": BAD_FORM})
            return _not_saved(self.draft_name)
        if self.entry_id:
            version = form_data.get("version") if isinstance(form_data, dict) else None
            identity, result = await self._as_user(Role.PATIENT, _update_entry, self.entry_id,
                                                   version, raw)
        else:
            raw["kind"] = EntryKind.DIARY.value
            identity, result = await self._as_user(Role.PATIENT, _save_new_entry, raw)
        if identity is None:
            return await self._send_to_sign_in()
        if result.conflict is not None:
            self._conflict_input = raw
            self._conflict_entry_id = str(result.conflict.stored.id)
            self.conflict = views.conflict_view(result.conflict)
            self.errors, self.saved_message = {}, ""
            return _not_saved(self.draft_name)
        if not result.ok:
            self.errors, self.saved_message = say_all(result.errors), ""
            return _not_saved(self.draft_name)
        self._saved(result.entry, str(raw.get("idempotency_key") or ""))
        return None

    def _saved(self, entry: journal.EntryView, key: str) -> None:
        self.errors, self.conflict = {}, {}
        self._conflict_input, self._conflict_entry_id = {}, ""
        self.saved_message = views.saved_message(entry)
        self.saved_key = key
        self.saved_view = views.saved_view(entry)
        if self.entry_id:
            self._show_entry(entry)

    @rx.event
    def start_new_card(self) -> None:
        """After a save: an empty card for the next entry (the saved one is in the journal)."""
        self._new_cards += 1
        self._show_new_card(f"new-{self._new_cards}")
        self.saved_view, self.saved_message, self.errors = {}, "", {}

    @rx.event
    async def keep_mine(self) -> rx.event.EventSpec | None:
        """Conflict: save this device's version over the one from the other device."""
        identity = await self._patient()
        if identity is None:
            return await self._send_to_sign_in()
        if not self.conflict or not self._conflict_input:
            return None
        raw = dict(self._conflict_input)
        result = await off_loop(journal.update_entry, identity.user_id,
                                self._conflict_entry_id, self.conflict.get("stored_version"),
                                raw)
        if result.conflict is not None:
            self.conflict = views.conflict_view(result.conflict)
            return None
        if not result.ok:
            self.errors = say_all(result.errors)
            return None
        self._saved(result.entry, str(raw.get("idempotency_key") or ""))
        return None

    @rx.event
    async def keep_theirs(self) -> rx.event.EventSpec | None:
        """Conflict: drop this device's edit and show the saved version."""
        identity = await self._patient()
        if identity is None:
            return await self._send_to_sign_in()
        entry = await off_loop(journal.get_entry, identity.user_id, self._conflict_entry_id)
        draft = self.draft_name
        self.conflict, self._conflict_input, self._conflict_entry_id = {}, {}, ""
        if entry is None:
            self.errors = say_all({"form": journal.NOT_FOUND})
            return None
        if self.entry_id:
            self._show_entry(entry)
        self.saved_message = _("Kept the version from your other device.")
        return rx.call_script(f"window.skillsDrafts && window.skillsDrafts.discard("
                              f"{json.dumps(draft)})")


# The journal's week navigation, above its list: where search results are read.
RESULTS_ID = "journal-results"


class JournalState(DraftsState):
    """The journal week: entries by day, the diary-card grid, filter, search, delete."""

    week_label: str = ""
    is_current_week: bool = True
    is_first_week: bool = True
    entries: list[dict[str, str]] = []
    grid_days: list[str] = []
    grid_rows: list[dict[str, str]] = []
    grid_summary: str = ""
    # False until the week has been read: the page shows a neutral "Loading" and
    # nothing below the list, so nothing jumps and no false "No entries" shows.
    loaded: bool = False
    tags: list[str] = []
    filter_tag: str = ""
    search_text: str = ""
    searching: bool = False
    confirm_delete_id: str = ""
    confirm_delete_named: str = ""
    undo_id: str = ""
    undo_seconds: int = 0
    message: str = ""
    _week_start: str = ""
    # The countdown of the delete just made, and the one already running.
    _undo_countdown: str = ""
    _countdown_running: str = ""

    @rx.event
    async def load_journal(self) -> rx.event.EventSpec | None:
        identity, refusal = await self._open_patient_page()
        if refusal is not None:
            return refusal
        self._week_start = ""
        self.filter_tag, self.search_text, self.searching = "", "", False
        self.confirm_delete_id, self.message = "", ""
        await self._refresh(identity)
        return None

    async def _refresh(self, identity: Identity, step: int = 0) -> None:
        """Show the week `step` weeks from the one shown, kept between the
        patient's first entry and this week."""
        current = date.fromisoformat(self._week_start) if self._week_start else None
        screen = await off_loop(views.week_screen, identity.user_id, identity.time_zone,
                                current, step, self.search_text if self.searching else "",
                                self.filter_tag if self.searching else "")
        self._week_start = screen.week_start.isoformat()
        self.week_label, self.is_current_week = screen.week_label, screen.is_current_week
        self.is_first_week = screen.is_first_week
        self.entries, self.tags = screen.entries, screen.tags
        self.grid_days, self.grid_rows = screen.grid_days, screen.grid_rows
        self.grid_summary, self.loaded = screen.grid_summary, True

    @rx.event
    async def change_week(self, step: int) -> rx.event.EventSpec | None:
        identity = await self._patient()
        if identity is None:
            return await self._send_to_sign_in()
        if isinstance(step, bool) or step not in (-1, 0, 1):
            return None
        if step == 0:
            self._week_start = ""
        await self._refresh(identity, step)
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
            self.message = say(Problem("search_too_long", high=journal.SEARCH_TEXT_MAX))
            return rx.scroll_to(RESULTS_ID)
        self.search_text, self.filter_tag = text.strip(), tag.strip()
        self.searching = bool(self.search_text or self.filter_tag)
        self.message = ""
        await self._refresh(identity)
        # The search form sits under the list: bring the results into view.
        return rx.scroll_to(RESULTS_ID)

    @rx.event
    async def clear_search(self) -> rx.event.EventSpec | None:
        return await self.search({"q": "", "tag": ""})

    @rx.event
    def ask_delete(self, entry_id: str) -> None:
        # Only an entry on the screen can be asked about; the dialog names it.
        shown = next((row for row in self.entries
                      if isinstance(entry_id, str) and row["id"] == entry_id), None)
        self.confirm_delete_id = shown["id"] if shown else ""
        self.confirm_delete_named = shown["named"] if shown else ""

    @rx.event
    def cancel_delete(self) -> None:
        self.confirm_delete_id = ""

    @rx.event
    async def delete_entry(self) -> rx.event.EventSpec | None:
        identity = await self._patient()
        if identity is None:
            return await self._send_to_sign_in()
        entry_id, self.confirm_delete_id = self.confirm_delete_id, ""
        result = await off_loop(journal.delete_entry, identity.user_id, entry_id)
        if not result.ok:
            self.message = say((result.errors or {}).get("form", journal.NOT_FOUND))
            return None
        self.undo_id, self.undo_seconds = entry_id, UNDO_SECONDS
        self._undo_countdown = secrets.token_urlsafe(12)
        self.message = ""
        await self._refresh(identity)
        return JournalState.count_down_undo(self._undo_countdown)

    def _claim_countdown(self, countdown: object) -> bool:
        """True once, for the countdown of the delete just made; False for any other."""
        if (not isinstance(countdown, str) or not countdown
                or countdown != self._undo_countdown or countdown == self._countdown_running):
            return False
        self._countdown_running = countdown
        return True

    @rx.event(background=True)
    async def count_down_undo(self, countdown: str) -> None:
        # Public like every handler: only the countdown of the delete just made
        # runs, and only once, however often a browser sends this.
        async with self:
            if not self._claim_countdown(countdown):
                return
        for _second in range(UNDO_SECONDS):
            await asyncio.sleep(1)
            async with self:
                if self._undo_countdown != countdown:
                    return
                self.undo_seconds -= 1
        async with self:
            if self._undo_countdown == countdown:
                self.undo_id, self.undo_seconds, self._undo_countdown = "", 0, ""

    @rx.event
    async def undo_delete(self) -> rx.event.EventSpec | None:
        identity = await self._patient()
        if identity is None:
            return await self._send_to_sign_in()
        entry_id, self.undo_id, self.undo_seconds = self.undo_id, "", 0
        self._undo_countdown = ""
        result = await off_loop(journal.restore_entry, identity.user_id, entry_id)
        if not result.ok:
            self.message = say((result.errors or {}).get("form", journal.TOO_LATE_TO_UNDO))
        await self._refresh(identity)
        return None
