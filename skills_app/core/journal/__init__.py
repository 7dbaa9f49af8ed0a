"""The mood journal: quick check-ins and DBT diary-card entries.

- `validation`: what a patient may send, with kind messages; the diary form
  is built from the diary card (`core.diary`).
- `storage`: saving once per idempotency key, versioned edits and conflicts,
  delete with undo, trigger tags, reading and search.
- `summaries`: per-day aggregates and the diary-card week grid.
- `html_form`: the browser's flat form fields as structured input.

The public names are re-exported here: `journal.save_entry(...)`.
"""

from skills_app.core.journal.storage import (
    KEY_IN_USE,
    NOT_FOUND,
    PURGE_AFTER,
    SEARCH_LIMIT,
    SEARCH_TEXT_MAX,
    TOO_LATE_TO_UNDO,
    UNDO_WINDOW,
    Conflict,
    EntryView,
    SaveResult,
    delete_entry,
    entries_for_week,
    first_entry_day,
    get_entry,
    purge_deleted_entries,
    restore_entry,
    save_entry,
    search_entries,
    trigger_tags,
    update_entry,
)
from skills_app.core.journal.summaries import (
    SUMMARY_DAYS_MAX,
    Cell,
    DailySummary,
    GridRow,
    WeekGrid,
    daily_summaries,
    diary_card_week,
    practised_skills_by_day,
    skills_used_by_day,
    summarise_day,
    week_grid,
)
from skills_app.core.journal.validation import (
    BACKDATE_LIMIT,
    BAD_FORM,
    CHECKIN_NOTE_MAX,
    CUSTOM_ITEMS_MAX,
    CUSTOM_NAME_MAX,
    EMPTY_CARD,
    NOTE_MAX,
    TRIGGER_MAX,
    TRIGGERS_PER_ENTRY_MAX,
    CheckInForm,
    CustomEmotion,
    CustomUrge,
    DiaryForm,
    EntryContent,
    NewEntryForm,
    check_rating,
    content_form,
    diary_form_model,
    risk_flag,
    trigger_key,
)

__all__ = [
    "BACKDATE_LIMIT", "BAD_FORM", "CHECKIN_NOTE_MAX", "CUSTOM_ITEMS_MAX", "CUSTOM_NAME_MAX",
    "EMPTY_CARD", "KEY_IN_USE", "NOTE_MAX", "NOT_FOUND", "PURGE_AFTER",
    "SEARCH_LIMIT",
    "SEARCH_TEXT_MAX", "SUMMARY_DAYS_MAX", "TOO_LATE_TO_UNDO", "TRIGGERS_PER_ENTRY_MAX",
    "TRIGGER_MAX", "UNDO_WINDOW", "Cell", "CheckInForm", "Conflict", "CustomEmotion",
    "CustomUrge", "DailySummary", "DiaryForm", "EntryContent", "EntryView", "GridRow",
    "NewEntryForm", "SaveResult", "WeekGrid", "check_rating", "content_form", "daily_summaries",
    "delete_entry", "diary_card_week", "diary_form_model", "entries_for_week",
    "first_entry_day", "get_entry",
    "purge_deleted_entries", "restore_entry", "risk_flag", "save_entry",
    "practised_skills_by_day", "search_entries", "skills_used_by_day", "summarise_day",
    "trigger_key", "trigger_tags",
    "update_entry",
    "week_grid",
]
