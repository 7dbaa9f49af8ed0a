"""Reminders in words: the settings page's values, the sent log's lines and what
Today shows as due. Core gives facts (`core/reminder_settings.py`); the words,
in the reader's language, are chosen here."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from skills_app import text
from skills_app.core import notify, reminder_settings, reminders
from skills_app.core.models import DeliveryStatus, ReminderKind
from skills_app.core.schedule import hh_mm
from skills_app.text import N_, _, formats
from skills_app.views.schedule import weekday_name

# Each kind's name and what it is for, on the settings page (never in a notification).
KIND_LABELS = {
    ReminderKind.CHECKIN: (N_("Daily check-in"), N_("A nudge to note how you feel.")),
    ReminderKind.PRACTICE: (N_("Practice"), N_("A nudge to try a skill.")),
    ReminderKind.MINDFULNESS: (N_("Mindfulness"), N_("A nudge for a calm minute or two.")),
    ReminderKind.CHECKUP: (N_("Check-up"), N_("Only on days a check-up is due.")),
    ReminderKind.HOMEWORK: (N_("Homework"),
                            N_("Only on days your therapist asked for something.")),
    ReminderKind.GROUP_EVENING: (N_("Group, the evening before"),
                                 N_("The evening before each group, at this time.")),
    ReminderKind.GROUP_HOUR: (N_("Group, an hour before"),
                              N_("One hour before each group starts.")),
}

# The screen a reminder of each kind opens (from Today's list).
CHANNELS = {"push": N_("On your phone"), "email": N_("By email"), "app": N_("In the app")}
NOT_SENT = {"quiet": N_("Not sent: quiet hours"), "cap": N_("Not sent: daily limit"),
            "stale": N_("Not sent: too late")}
PREVIEW = N_("Your phone will show: {title}")


def form_values(choices: reminder_settings.ReminderChoices) -> dict[str, str]:
    """What each field of the settings form starts with ("on" for a ticked box)."""
    values: dict[str, str] = {}
    for setting in choices.kinds:
        kind = setting.kind
        values[f"{kind}_on"] = "on" if setting.enabled else ""
        values[f"{kind}_time"] = hh_mm(setting.minute)
        for day in range(7):
            values[f"{kind}_day_{day}"] = "on" if day in setting.weekdays else ""
    prefs = choices.preferences
    quiet = prefs.quiet_start is not None and prefs.quiet_end is not None
    values.update({
        "quiet_on": "on" if quiet else "",
        "quiet_start": hh_mm(prefs.quiet_start) if quiet else "22:00",
        "quiet_end": hh_mm(prefs.quiet_end) if quiet else "07:00",
        "daily_cap": str(prefs.daily_cap),
        "wording": prefs.wording,
        "by_push": "on" if prefs.by_push else "",
        "by_email": "on" if prefs.by_email else "",
    })
    return values


def kind_cards(choices: reminder_settings.ReminderChoices) -> list[dict[str, Any]]:
    """One card per kind offered, in order, with its words."""
    return [{"kind": str(setting.kind),
             "label": _(KIND_LABELS[setting.kind][0]),
             "hint": _(KIND_LABELS[setting.kind][1]),
             "has_time": setting.kind in reminder_settings.HAS_TIME,
             "has_days": setting.kind in reminder_settings.TIMED_KINDS}
            for setting in choices.kinds]


def weekday_chips() -> list[dict[str, str]]:
    """Monday to Sunday: the chip's short name and the full name read aloud."""
    monday = date(2024, 1, 1)
    return [{"day": str(day), "short": formats.short_weekday(monday + timedelta(days=day)),
             "name": weekday_name(day)} for day in range(7)]


def wordings() -> list[dict[str, str]]:
    return [{"key": key, "title": _(title), "body": _(body)}
            for key, (title, body) in notify.WORDINGS.items()]


def _status(line: reminder_settings.LogLine) -> str:
    if line.status == DeliveryStatus.SENT:
        return _(CHANNELS.get(line.channel, CHANNELS["app"]))
    if line.status == DeliveryStatus.DROPPED:
        return _(NOT_SENT[line.reason]) if line.reason in NOT_SENT else _("Not sent")
    if line.status == DeliveryStatus.FAILED:
        return _("Could not be sent")
    return _("Waiting to send")


def log_rows(lines: list[reminder_settings.LogLine], time_zone: str) -> list[dict[str, str]]:
    """The sent log: when it was due (or sent), which kind, and how it went."""
    return [{"id": str(line.id),
             "when": formats.day_and_clock(line.sent_at or line.due_at, time_zone),
             "kind": _(KIND_LABELS[line.kind][0]) if line.kind in KIND_LABELS else "",
             "status": _status(line) + (" · " + _("reminded later") if line.snoozed else ""),
             "sent": "true" if line.status == DeliveryStatus.SENT else ""}
            for line in lines]


def due_rows(lines: list[reminder_settings.LogLine], wording: str,
             time_zone: str) -> list[dict[str, str]]:
    """Today's reminders that came due: the neutral wording, the time, the screen."""
    title = _(notify.WORDINGS.get(wording, notify.WORDINGS[notify.DEFAULT_WORDING])[0])
    return [{"id": str(line.id), "title": title,
             "time": formats.clock(_moment(line), time_zone),
             "href": text.href(reminders.SCREENS.get(line.kind, "/today/"))}
            for line in lines]


def _moment(line: reminder_settings.LogLine) -> datetime:
    return line.sent_at or line.due_at
