"""A person's own data, found generically: export it all, or erase it all.

Which rows are someone's is read from the tables themselves
(`SQLModel.metadata`), never from a list that a new feature could forget:

- the `user_account` row itself (without its password hash);
- every table with a column that refers to a person: `user_id`, a name ending
  in `_user_id`, `patient_id` or `therapist_id` (`PERSON_COLUMNS`), matched
  against the person's id;
- every table whose foreign key points into one of those (a journal entry's
  trigger links), matched through that key, at any depth;
- every other table with an `email` column (sign-in throttling), matched
  against the account's email.

`export_zip(user_id)` writes each of these tables as JSON and as CSV, with a
README that explains each file (from the table's own docstring). Secrets
never leave: `SECRET_COLUMNS` (password and session token hashes) are left out.

`erase(session, user_id, email)` deletes the same rows, children first (the
metadata's foreign-key order), then the account. A record that must outlive
the account (an audit row: who viewed what, and when) is kept but made
anonymous for good: its person columns are set to NULL and the columns named
in `KEEP_ANONYMISED` are blanked. A table that must be kept adds a line there
(its person columns must then be nullable, with `ondelete="SET NULL"`).
`tests/core/test_personal_data.py` seeds a row in every person table it finds
and fails when erasing leaves one behind.

The password check in front of erasing is `auth.delete_account`.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Column, MetaData, Table, case, delete, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel

from skills_app.core import db
from skills_app.core.clock import utcnow
from skills_app.core.csv_safe import write_csv
from skills_app.text import N_, _, ngettext

ACCOUNT_TABLE = "user_account"
PERSON_COLUMNS = ("user_id", "patient_id", "therapist_id")
# Hashes of secrets (a password, a session, the calendar feed's and the email link's
# tokens), and a phone's push address and keys (whoever holds them can write to
# that phone's push service): never in an export file.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "calendar_token_hash",
                            "email_token_hash", "endpoint", "p256dh", "auth"})
EMAIL_COLUMN = "email"

# Tables whose rows stay after the account is deleted, made anonymous for good:
# table name -> further columns to blank (its person columns are always set to NULL).
KEEP_ANONYMISED: dict[str, tuple[str, ...]] = {}

# What a patient reads about the files they know best; other tables are
# explained by their own docstrings.
DESCRIPTIONS: dict[str, str] = {
    "user_account": N_("Your account: name, email, role, time zone and when you joined. "
                       "Your password is not included (only a scrambled form of it was "
                       "stored)."),
    "auth_session": N_("The devices where you were signed in, and when. The sign-in keys "
                       "themselves are not included."),
    "journal_entry": N_("Your check-ins and diary cards: mood, emotions, urges and whether you "
                        "acted on them, craving, sleep, medications, skills, triggers and "
                        "notes."),
    "trigger_tag": N_("The trigger words you wrote."),
    "journal_entry_trigger": N_("Which trigger words each journal entry has (by their ids)."),
    "diary_card_choice": N_("What your diary card asks: the emotions you left off and the "
                            "ones you added."),
    "exercise_session": N_("The exercises you finished: your answers, distress before and "
                           "after, and whether it helped."),
    "exercise_favourite": N_("The exercises you starred."),
    "track_member": N_("The group schedules (tracks) your therapist put you on, and from "
                       "which day to which day."),
    "login_throttle": N_("Failed sign-in tries with your email, if there were any recently."),
    "sign_in_delay": N_("Failed sign-in tries with your email, by network address, if there "
                        "were any in the last day."),
    "attendance": N_("Your group attendance as your program's staff marked it: the group, "
                     "the day, there, late, excused or not there, and who marked it."),
    "assignment": N_("The homework your therapist gave you: what to practise, which days, "
                     "their note, who gave it and when it ended."),
    "assignment_skip": N_("The weeks you marked homework \"not for me this week\", and the "
                          "reason you gave."),
    "plan_review": N_("The days you read your safety or relapse-prevention plan, or saved "
                      "it."),
}


def _is_person_column(column: Column) -> bool:
    return column.name in PERSON_COLUMNS or column.name.endswith("_user_id")


@dataclass(frozen=True)
class PersonalTable:
    """A table holding someone's rows, and how to find them."""

    table: Table
    # Columns holding the person's id.
    person_columns: tuple[Column, ...] = ()
    # (foreign-key column, the personal table it points into).
    parents: tuple[tuple[Column, PersonalTable], ...] = ()
    # Matched by the account's email instead.
    by_email: bool = False

    @property
    def name(self) -> str:
        return self.table.name

    def rows_of(self, user_id: int, email: str) -> ColumnElement[bool]:
        """The condition picking this person's rows."""
        if self.table.name == ACCOUNT_TABLE:
            return self.table.c.id == user_id
        if self.by_email:
            return self.table.c[EMAIL_COLUMN] == email
        conditions: list[ColumnElement[bool]] = [
            column == user_id for column in self.person_columns]
        for column, parent in self.parents:
            target = next(iter(column.foreign_keys)).column
            conditions.append(column.in_(
                select(parent.table.c[target.name]).where(parent.rows_of(user_id, email))))
        return or_(*conditions)


def personal_tables(metadata: MetaData | None = None) -> list[PersonalTable]:
    """Every table holding a person's rows, parents before children."""
    metadata = metadata or SQLModel.metadata
    found: dict[str, PersonalTable] = {}
    for table in metadata.sorted_tables:
        if table.name == ACCOUNT_TABLE:
            found[table.name] = PersonalTable(table)
            continue
        people = tuple(column for column in table.columns if _is_person_column(column))
        # Also any other column pointing at the account (a reviewer, a creator).
        people += tuple(column for column in table.columns if column not in people and any(
            key.column.table.name == ACCOUNT_TABLE for key in column.foreign_keys))
        parents = tuple(
            (column, found[key.column.table.name]) for column in table.columns
            if column not in people for key in column.foreign_keys
            if key.column.table.name in found and key.column.table.name != ACCOUNT_TABLE)
        if people or parents:
            found[table.name] = PersonalTable(table, people, parents)
        elif EMAIL_COLUMN in table.c:
            found[table.name] = PersonalTable(table, by_email=True)
    return list(found.values())


# --- export ---

def _plain(value: Any) -> Any:
    """A value as JSON holds it: dates and times in ISO 8601 (UTC for times)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _csv_cell(value: Any) -> Any:
    """A value for the CSV copy: lists as JSON text, dates in ISO 8601; the writer
    (`core.csv_safe`) makes text that starts like a formula safe to open."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return _plain(value)


def _exported_columns(table: Table) -> list[Column]:
    return [column for column in table.columns if column.name not in SECRET_COLUMNS]


def export_rows(user_id: int, metadata: MetaData | None = None
                ) -> dict[str, list[dict[str, Any]]]:
    """Every row of this person, by table (secrets left out), oldest first."""
    with db.read() as session:
        user_email = _email_of(session, user_id, metadata)
        if user_email is None:
            return {}
        exported: dict[str, list[dict[str, Any]]] = {}
        for personal in personal_tables(metadata):
            columns = _exported_columns(personal.table)
            query = select(*columns).where(personal.rows_of(user_id, user_email)).order_by(
                *personal.table.primary_key.columns)
            exported[personal.name] = [
                {name: _plain(value) for name, value in row.items()}
                for row in session.execute(query).mappings()]
        return exported


def _email_of(session: Session, user_id: int, metadata: MetaData | None) -> str | None:
    account = (metadata or SQLModel.metadata).tables[ACCOUNT_TABLE]
    return session.execute(select(account.c.email).where(account.c.id == user_id)).scalar()


def _docstring(table_name: str) -> str:
    for mapper in SQLModel._sa_registry.mappers:  # noqa: SLF001 (SQLModel's own registry)
        if mapper.local_table is not None and mapper.local_table.name == table_name:
            text = (mapper.class_.__doc__ or "").strip()
            return " ".join(text.split("\n\n")[0].split())
    return ""


def _readme(rows: Mapping[str, list[dict[str, Any]]], metadata: MetaData | None) -> str:
    """The README, in the current language (the language of the page that asked)."""
    tables = {t.name: t.table for t in personal_tables(metadata)}
    title = _("Your data from Skills Practice")
    lines = [
        title,
        "=" * len(title),
        "",
        # A machine-readable moment, like the files' own times (not a date for reading).
        _("Exported {moment} UTC.",
          moment=utcnow().replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")),
        "",
        *_("Every record the app keeps about you is here, twice: once as JSON (json/, for\n"
           "programs) and once as CSV (csv/, opens in a spreadsheet). Each file is one kind of\n"
           "record; each row is one record. Times are in UTC (ISO 8601); local_date is the day\n"
           "on your calendar. An empty cell or null means nothing was entered (not zero).\n"
           "Lists (skills, your own emotions and urges) are JSON text in the CSV files.\n"
           "Your password and sign-in keys are not included.").split("\n"),
        "",
        _("Files"),
        "-----",
    ]
    for name, table_rows in rows.items():
        about = (_(DESCRIPTIONS[name]) if name in DESCRIPTIONS
                 else _docstring(name) or _("Records of {name}.", name=name))
        columns = ", ".join(column.name for column in _exported_columns(tables[name]))
        count = ngettext("{n} record", "{n} records", len(table_rows))
        lines += ["", f"json/{name}.json, csv/{name}.csv ({count})",
                  f"  {about}", "  " + _("Columns: {columns}", columns=columns)]
    lines += ["", _("If you need help right now, call or text 988, or call 911."), ""]
    return "\n".join(lines)


def _csv(table: Table, table_rows: list[dict[str, Any]]) -> str:
    names = [column.name for column in _exported_columns(table)]
    return write_csv([names, *([_csv_cell(row[name]) for name in names] for row in table_rows)])


def export_files(user_id: int, metadata: MetaData | None = None) -> Iterator[tuple[str, str]]:
    """(file name, text) of the export: README.txt, then json/ and csv/ per table."""
    rows = export_rows(user_id, metadata)
    if not rows:
        return
    tables = {t.name: t.table for t in personal_tables(metadata)}
    yield "README.txt", _readme(rows, metadata)
    for name, table_rows in rows.items():
        yield f"json/{name}.json", json.dumps(table_rows, ensure_ascii=False, indent=1)
    for name, table_rows in rows.items():
        # With a byte-order mark, so spreadsheet programs read it as UTF-8.
        yield f"csv/{name}.csv", "\ufeff" + _csv(tables[name], table_rows)


def export_zip(user_id: int, metadata: MetaData | None = None) -> bytes | None:
    """The person's whole export as a ZIP file; None when the account is gone."""
    buffer = io.BytesIO()
    wrote = False
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in export_files(user_id, metadata):
            archive.writestr(name, text.encode("utf-8"))
            wrote = True
    return buffer.getvalue() if wrote else None


def export_file_name(today: date) -> str:
    return f"skills-practice-my-data-{today.isoformat()}.zip"


# --- erasing ---

def erase(session: Session, user_id: int, email: str,
          metadata: MetaData | None = None) -> dict[str, int]:
    """Delete every row of this person inside the caller's transaction, children
    first; rows of `KEEP_ANONYMISED` tables are kept with the person taken out.
    Returns how many rows each table lost (or had anonymised)."""
    counts: dict[str, int] = {}
    for personal in reversed(personal_tables(metadata)):
        condition = personal.rows_of(user_id, email)
        if personal.name in KEEP_ANONYMISED:
            # Only this person is taken out: another person named in the row stays.
            blanked: dict[str, Any] = {
                column.name: case((column == user_id, None), else_=column)
                for column in personal.person_columns}
            blanked |= {column.name: None for column, _ in personal.parents}
            blanked |= {name: None for name in KEEP_ANONYMISED[personal.name]}
            result = session.execute(update(personal.table).where(condition).values(**blanked))
        else:
            result = session.execute(delete(personal.table).where(condition))
        counts[personal.name] = result.rowcount
    return counts
