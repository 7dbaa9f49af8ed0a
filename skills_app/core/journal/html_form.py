"""From an HTML journal form to the structured input `core.journal` checks.

Browsers post flat text fields: one per diary-card item (named by its key),
checkboxes as "on", yes/no radios as "yes" or "no", one checkbox per skill
(`skill__<key>`), triggers as comma-separated text and numbered rows for the
patient's own emotions and urges (`custom_<noun>_kept_<n>` = "1" marks a row
the patient's card always asks, which may be left blank). This module turns
them into lists and
booleans. It does not validate: anything it does not recognise is passed on
unchanged, so `core.journal` still refuses it with a kind message.

`written_at` is when the phone says the entry was written (assets/app.js
stamps it at the first tap on Save). It becomes the entry's `occurred_at`, so
an entry written offline at 23:50 and sent after midnight keeps its day. A
stamp ahead of the server's clock is a phone clock running fast, not a time
the patient chose: it is dropped, and the entry is dated when it arrives.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from skills_app.core import diary
from skills_app.core.clock import PHONE_CLOCK_AHEAD, utcnow
from skills_app.core.diary import DiaryCard, Scale
from skills_app.core.journal.validation import CUSTOM_ITEMS_MAX

SKILL_PREFIX = "skill__"
CUSTOM_ROWS = 2  # rows the diary form shows for the patient's own items
# `today`: the day the page decided the risk prompts on (assets/safety.js), which
# the server logs them with (`risk.days_of_entry`).
_SCALARS = ("idempotency_key", "kind", "note", "today")
_CHECKED = {"on", "true", "yes", "1"}


def _checked(value: object) -> object:
    if value is None or value == "":
        return False
    if isinstance(value, str):
        return value.strip().lower() in _CHECKED or value  # unknown text: let core refuse it
    return value


def _yes_no_blank(value: object) -> object:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return {"yes": True, "no": False}.get(value.strip().lower(), value)
    return value


def _custom_rows(form: Mapping[str, Any], noun: str, with_acted_on: bool) -> object:
    if isinstance(form.get(f"custom_{noun}s"), list | tuple):
        return form[f"custom_{noun}s"]
    rows = []
    for n in range(1, CUSTOM_ITEMS_MAX + 1):
        name = form.get(f"custom_{noun}_name_{n}")
        if name is None or (isinstance(name, str) and not name.strip()):
            continue
        row: dict[str, object] = {"name": name, "rating": form.get(f"custom_{noun}_rating_{n}")}
        if with_acted_on:
            row["acted_on"] = _checked(form.get(f"custom_{noun}_acted_{n}"))
        # A row the patient's card always asks (named in their card settings) and
        # left blank today is not part of the entry; a name typed today must be rated.
        blank = row["rating"] in (None, "") and row.get("acted_on") in (None, False)
        if blank and form.get(f"custom_{noun}_kept_{n}") == "1":
            continue
        rows.append(row)
    return rows


def _phone_time(value: object) -> object:
    """The phone's stamp as `occurred_at`, or None when the phone's clock is ahead."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip()) if len(value) <= 40 else None
    except ValueError:
        return value  # core refuses it with a kind message
    if moment is not None and moment.utcoffset() is not None and (
            moment > utcnow() + PHONE_CLOCK_AHEAD):
        return None
    return value


def entry_input_from_form(form: object, card: DiaryCard | None = None) -> object:
    """The structured entry input for `journal.save_entry` / `update_entry`.

    Items of the diary card (the app's by default) are read by their keys.
    """
    if not isinstance(form, Mapping):
        return form
    raw: dict[str, object] = {name: form[name] for name in _SCALARS if name in form}
    if "written_at" in form:
        raw["occurred_at"] = _phone_time(form["written_at"])
    for item in (card or diary.DIARY_CARD).items:
        if item.scale == Scale.YES_NO:
            raw[item.key] = _yes_no_blank(form.get(item.key))
        elif item.key in form:
            raw[item.key] = form[item.key]
        if item.acted_on:
            raw[item.acted_key] = _checked(form.get(item.acted_key))
    if isinstance(form.get("skills"), list | tuple):
        raw["skills"] = form["skills"]
    else:
        raw["skills"] = [str(name).removeprefix(SKILL_PREFIX) for name, value in form.items()
                         if str(name).startswith(SKILL_PREFIX) and _checked(value) is True]
    triggers = form.get("triggers")
    if isinstance(triggers, str):
        triggers = [part.strip() for part in triggers.split(",") if part.strip()]
    raw["triggers"] = triggers
    raw["custom_emotions"] = _custom_rows(form, "emotion", with_acted_on=False)
    raw["custom_urges"] = _custom_rows(form, "urge", with_acted_on=True)
    return raw
