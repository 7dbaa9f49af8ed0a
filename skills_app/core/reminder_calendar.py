"""The patient's personal calendar feed: a .ics file a calendar app subscribes to.

It carries, all with neutral titles (nothing clinical on a lock screen):
- each reminder kind the patient turned on with a time and days, as one
  recurring event (RRULE FREQ=WEEKLY;BYDAY=...) at that wall-clock time in the
  patient's own zone (TZID, with the VTIMEZONE the file needs), titled with their
  chosen wording and an alarm at its start;
- their group meetings (`core/schedule.py`'s events: one per meeting, in UTC), with
  an alarm an hour before and/or the evening before when those reminders are on;
- their homework days, this week and next, not yet done (all-day events).

The feed is opened by a secret link (`reminder_settings.new_calendar_token`), never
by a cookie: calendar apps have none. The route is `skills_app/reminder_links.py`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from skills_app import text
from skills_app.core import db, homework, notify, reminder_settings, schedule
from skills_app.core.clock import utcnow
from skills_app.core.dates import local_date_of
from skills_app.core.dates import zone as zone_info
from skills_app.core.models import ReminderKind, User
from skills_app.text import N_, _

APP_NAME = N_("Skills Practice")
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
EVENT_MINUTES = 15
HOMEWORK_WEEKS = 2


def _first_day(today: date, weekdays: tuple[int, ...]) -> date:
    """The first of `weekdays` on or after today (an RRULE's DTSTART is its first one)."""
    return next(today + timedelta(days=ahead) for ahead in range(7)
                if (today + timedelta(days=ahead)).weekday() in weekdays)


def _alarm(trigger: timedelta, description: str):  # noqa: ANN202 (icalendar's Alarm)
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    alarm.add("trigger", trigger)
    return alarm


def _reminder_events(user_id: int, enabled: list[reminder_settings.KindSetting], zone: str,
                     title: str, today: date, stamp: datetime) -> list:
    from icalendar import Event

    events = []
    for setting in enabled:
        if setting.kind not in reminder_settings.TIMED_KINDS or not setting.weekdays:
            continue
        first = _first_day(today, setting.weekdays)
        starts = datetime.combine(first, time(setting.minute // 60, setting.minute % 60),
                                  tzinfo=zone_info(zone))
        event = Event()
        event.add("uid", f"reminder-{user_id}-{setting.kind}@skills-practice")
        event.add("dtstamp", stamp)
        event.add("dtstart", starts)
        event.add("duration", timedelta(minutes=EVENT_MINUTES))
        event.add("rrule", {"freq": "weekly", "byday": [BYDAY[day] for day in setting.weekdays]})
        event.add("summary", title)
        event.add("transp", "TRANSPARENT")
        event.add_component(_alarm(timedelta(0), title))
        events.append(event)
    return events


def _meeting_events(user_id: int, on: list[reminder_settings.KindSetting], zone: str,
                    title: str, now: datetime, stamp: datetime) -> list:
    enabled = {setting.kind: setting for setting in on}
    track, meetings = schedule.upcoming_meetings(user_id, now)
    events = []
    for meeting in meetings:
        event = schedule.meeting_event(
            meeting, f"{_(schedule.EVENT_TITLE)} · {track.program_name}", stamp)
        if ReminderKind.GROUP_HOUR in enabled:
            event.add_component(_alarm(timedelta(hours=-1), title))
        evening = enabled.get(ReminderKind.GROUP_EVENING)
        if evening is not None:
            day_before = local_date_of(meeting.starts, zone) - timedelta(days=1)
            moment = datetime.combine(day_before, time(evening.minute // 60, evening.minute % 60),
                                      tzinfo=zone_info(zone))
            event.add_component(_alarm(moment - meeting.starts, title))
        events.append(event)
    return events


def _homework_events(user_id: int, title: str, today: date, stamp: datetime) -> list:
    from icalendar import Event

    events = []
    monday = today - timedelta(days=today.weekday())
    for week in range(HOMEWORK_WEEKS):
        for item in homework.patient_week(user_id, monday + timedelta(days=7 * week)):
            if item.skipped:
                continue
            for mark in item.days:
                if mark.day < today or not mark.due or mark.done:
                    continue
                event = Event()
                event.add("uid", f"homework-{item.id}-{mark.day.isoformat()}@skills-practice")
                event.add("dtstamp", stamp)
                event.add("dtstart", mark.day)
                event.add("dtend", mark.day + timedelta(days=1))
                event.add("summary", title)
                event.add("transp", "TRANSPARENT")
                events.append(event)
    return events


def feed_ics(user_id: int) -> bytes:
    """The patient's feed as an iCalendar file (blocking: run it in a thread)."""
    from icalendar import Calendar

    with db.read() as session:
        user = session.get(User, user_id)
        zone, language = user.time_zone, user.language
    now = utcnow()
    stamp = now.replace(microsecond=0)
    today = local_date_of(now, zone)
    with text.language(language):
        title = _(notify.WORDINGS[reminder_settings.wording_of(user_id)][0])
        calendar = Calendar()
        calendar.add("prodid", "-//skills-practice//reminders//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _(APP_NAME))
        calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
        enabled = reminder_settings.enabled_settings(user_id)
        for event in (_reminder_events(user_id, enabled, zone, title, today, stamp)
                      + _meeting_events(user_id, enabled, zone, title, now, stamp)
                      + _homework_events(user_id, title, today, stamp)):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
