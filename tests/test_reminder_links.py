"""Reminder email through a real local SMTP server (aiosmtpd), its one-click
unsubscribe link, and the calendar feed by its secret link, parsed back with
icalendar. Neither route takes a cookie: the token is the only key."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import httpx
import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlmodel import select
from starlette.applications import Starlette

from skills_app import reminder_links
from skills_app.core import db, notify, reminder_email, reminder_settings, schedule
from skills_app.core.clock import frozen_clock
from skills_app.core.models import AuditEvent, ReminderPreference, ReminderSetting, User
from skills_app.core.settings import SESSION_COOKIE
from tests.conftest import Account, make_account, make_program
from tests.sharing_helpers import share

# Monday 7 December 2026, 15:00 in Chicago.
MONDAY = datetime(2026, 12, 7, 21, tzinfo=UTC)
# Words that must never reach an email or a calendar title.
CLINICAL = ("craving", "mood", "check-in", "check in", "homework", "therapist", "diary",
            "mindfulness", "phq", "gad", "urge", "relapse", "safety")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        self.messages.append(envelope.content)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    found = Inbox()
    port = free_port()
    controller = Controller(found, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SKILLS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SKILLS_SMTP_PORT", str(port))
    monkeypatch.setenv("SKILLS_SMTP_STARTTLS", "0")
    monkeypatch.setenv("SKILLS_SMTP_FROM", "reminders@clinic.example")
    monkeypatch.setenv("SKILLS_PUBLIC_URL", "https://skills.clinic.example")
    try:
        yield found
    finally:
        controller.stop()


def notice_for(account: Account, wording: str = "practice") -> notify.Notice:
    title, body = notify.WORDINGS[wording]
    return notify.Notice(delivery_id=7, user_id=account.identity.user_id, title=title,
                         body=body, url="/today/", tag="reminder-7")


def choose_email(account: Account) -> None:
    _, errors = reminder_settings.save(account.identity.user_id, {
        "daily_cap": "3", "wording": "practice", "by_email": "on", "checkin_on": "on",
        "checkin_time": "20:30", **{f"checkin_day_{day}": "on" for day in range(5)}})
    assert errors == {}


def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=Starlette(routes=reminder_links.routes))
    return httpx.AsyncClient(transport=transport, base_url="https://skills.clinic.example")


def refusals(action: str) -> int:
    with db.read() as session:
        return len(session.exec(select(AuditEvent).where(
            AuditEvent.action == action, AuditEvent.allowed == False)).all())  # noqa: E712


async def test_the_email_arrives_content_free_and_its_link_turns_email_off_once(
        inbox: Inbox, alice: Account) -> None:
    assert "email" in notify.SENDERS  # registered at import, for the scheduler
    choose_email(alice)
    assert notify.SENDERS["email"](notice_for(alice)) == notify.SendResult.SENT
    assert len(inbox.messages) == 1
    message = message_from_bytes(inbox.messages[0], policy=policy.default)
    assert message["To"] == "alice@example.org"
    assert message["Subject"] == "Time for your practice"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(https://skills\.clinic\.example/reminders/email-off/(\w+))>",
                        message["List-Unsubscribe"])
    assert link is not None
    body = message.get_content()
    assert "https://skills.clinic.example/today/" in body and link.group(1) in body
    whole = inbox.messages[0].decode().lower()
    assert not [word for word in CLINICAL if word in whole]
    # Only the token's SHA-256 is kept.
    token = link.group(2)
    with db.read() as session:
        stored = session.get(ReminderPreference, alice.identity.user_id).email_token_hash
    assert stored == reminder_settings.token_hash(token) and token not in stored
    path = link.group(1).removeprefix("https://skills.clinic.example")
    async with client() as http:
        page = await http.get(path)  # a link checker opening it changes nothing
        assert page.status_code == 200 and "Turn off reminder emails" in page.text
        assert reminder_settings.load(alice.identity.user_id).preferences.by_email
        # A mail app's one-click unsubscribe (RFC 8058): no cookie, no sign-in.
        done = await http.post(path, content="List-Unsubscribe=One-Click",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert done.status_code == 200 and "Reminder emails are off" in done.text
        assert not reminder_settings.load(alice.identity.user_id).preferences.by_email
        again = await http.post(path, content="List-Unsubscribe=One-Click")
        assert again.status_code == 404
    assert refusals(reminder_links.EMAIL_ACTION) == 1
    # The scheduler recomputes her reminders; email has nowhere to go now.
    with db.read() as session:
        assert session.get(ReminderSetting, (alice.identity.user_id, "checkin")).next_due_at \
            is None
    assert reminder_email.send(notice_for(alice)) == notify.SendResult.NOWHERE
    assert len(inbox.messages) == 1


async def test_every_email_carries_the_same_working_link(inbox: Inbox, alice: Account) -> None:
    choose_email(alice)
    reminder_email.send(notice_for(alice))
    reminder_email.send(notice_for(alice, "moment"))
    first, second = (message_from_bytes(raw, policy=policy.default)
                     for raw in inbox.messages)
    assert first["List-Unsubscribe"] == second["List-Unsubscribe"]
    assert second["Subject"] == "A moment for you"


async def test_a_spanish_patient_gets_spanish_words(inbox: Inbox, database: str) -> None:
    maria = make_account("erin", "patient")
    with db.transaction() as session:
        user = session.get(User, maria.identity.user_id)
        user.language = "es"
        session.add(user)
    choose_email(maria)
    notice = notify.Notice(1, maria.identity.user_id, "Hora de tu práctica", "Abre la app.",
                           "/es/today/", "reminder-1", "es")
    assert reminder_email.send(notice) == notify.SendResult.SENT
    body = message_from_bytes(inbox.messages[0], policy=policy.default).get_content()
    assert "Abre la app: https://skills.clinic.example/es/today/" in body
    assert "Para dejar de recibir estos correos: https://skills.clinic.example/" in body


def test_no_smtp_host_means_no_email(alice: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SKILLS_SMTP_HOST", raising=False)
    assert not reminder_email.configured()
    assert reminder_email.send(notice_for(alice)) == notify.SendResult.NOWHERE


def test_someone_who_did_not_choose_email_gets_none(inbox: Inbox, alice: Account) -> None:
    assert reminder_email.send(notice_for(alice)) == notify.SendResult.NOWHERE
    assert inbox.messages == []


def test_a_server_that_does_not_answer_is_retry_within_the_timeout(
        alice: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    closed_port = free_port()
    monkeypatch.setenv("SKILLS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SKILLS_SMTP_PORT", str(closed_port))  # nothing listens
    monkeypatch.setenv("SKILLS_SMTP_STARTTLS", "0")
    choose_email(alice)
    assert reminder_email.send(notice_for(alice)) == notify.SendResult.RETRY
    # A server that accepts the connection and never speaks: the timeout ends it.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    monkeypatch.setenv("SKILLS_SMTP_PORT", str(silent.getsockname()[1]))
    monkeypatch.setenv("SKILLS_SMTP_TIMEOUT", "0.5")
    started = time.monotonic()
    try:
        assert reminder_email.send(notice_for(alice)) == notify.SendResult.RETRY
    finally:
        silent.close()
    assert time.monotonic() - started < 5


# --- the calendar feed --------------------------------------------------------------

TRACK_FORM = {"name": "Morning IOP", "weekdays": [0, 2], "start": "09:00", "end": "12:00",
              "first_day": "2026-12-01", "last_day": ""}


async def test_the_feed_carries_reminders_meetings_and_homework_with_neutral_titles(
        database: str) -> None:
    from skills_app.core import homework

    with frozen_clock(MONDAY):
        program_id = make_program("Riverside")
        admin = make_account("dave", "therapist", program_id=program_id, program_role="admin")
        therapist = make_account("carol", "therapist", program_id=program_id)
        alice = make_account("alice", "patient", "America/New_York")
        user_id = alice.identity.user_id
        share(alice, therapist, ("mood",))
        schedule.set_time_zone(admin.identity.user_id, "America/Chicago")
        track_id, _ = schedule.save_track(admin.identity.user_id, None, TRACK_FORM)
        assert schedule.place_patient(therapist.identity.user_id, user_id, track_id) is None
        _, errors = homework.assign(therapist.identity.user_id, user_id, {
            "idempotency_key": "4d1c7a2e-0000-4000-8000-000000000001", "kind": "diary_card",
            "repeat": "daily", "start_day": "2026-12-07", "note": "craving card daily"})
        assert errors == {}
        _, errors = reminder_settings.save(user_id, {
            "daily_cap": "3", "wording": "moment", "checkin_on": "on", "checkin_time": "20:30",
            **{f"checkin_day_{day}": "on" for day in range(5)},
            "practice_time": "08:00", "practice_day_6": "on",  # off: not in the feed
            "group_hour_on": "on", "group_evening_on": "on", "group_evening_time": "19:00",
            "homework_time": "19:00", **{f"homework_day_{day}": "on" for day in range(7)}})
        assert errors == {}
        token = reminder_settings.new_calendar_token(user_id)
        async with client() as http:
            response = await http.get(f"/calendar/feed/{token}.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["cache-control"] == "no-store"
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    reminders = [e for e in events if str(e["uid"]).startswith("reminder-")]
    assert len(reminders) == 1
    checkin = reminders[0]
    assert str(checkin["summary"]) == "A moment for you"
    rule = checkin["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
    starts = checkin.decoded("dtstart")
    assert (starts.hour, starts.minute, str(starts.tzinfo)) == (20, 30, "America/New_York")
    assert starts.date() == MONDAY.date()
    assert checkin["dtstart"].params["TZID"] == "America/New_York"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    meetings = [e for e in events if str(e["uid"]).startswith("track-")]
    assert meetings and all(str(e["summary"]) == "Group · Riverside" for e in meetings)
    # Wednesday 9 December 9:00 in Chicago: alarms an hour before and at 19:00 New York
    # the evening before.
    wednesday = next(e for e in meetings if e.decoded("dtstart").date().day == 9)
    triggers = sorted(alarm.decoded("trigger") for alarm in wednesday.walk("VALARM"))
    assert triggers == [timedelta(hours=-15), timedelta(hours=-1)]
    homework_days = [e.decoded("dtstart") for e in events
                     if str(e["uid"]).startswith("homework-")]
    assert homework_days[0] == MONDAY.date() and len(homework_days) == 14  # to Sunday week
    titles = " ".join(str(e["summary"]).lower() for e in events)
    assert not [word for word in CLINICAL if word in titles]
    assert b"craving" not in response.content and b"Morning IOP" not in response.content


async def test_a_revoked_or_unknown_feed_token_is_404_and_logged(alice: Account) -> None:
    user_id = alice.identity.user_id
    old = reminder_settings.new_calendar_token(user_id)
    new = reminder_settings.new_calendar_token(user_id)  # "Make a new link"
    async with client() as http:
        assert (await http.get(f"/calendar/feed/{old}.ics")).status_code == 404
        assert (await http.get(f"/calendar/feed/{new}.ics")).status_code == 200
        reminder_settings.turn_off_calendar(user_id)  # "Turn off"
        assert (await http.get(f"/calendar/feed/{new}.ics")).status_code == 404
        assert (await http.get(f"/calendar/feed/{'A' * 43}.ics")).status_code == 404
        assert (await http.get("/calendar/feed/x.ics")).status_code == 404
        # Her session cookie opens nothing here: the token is the only key.
        cookie = {"Cookie": f"{SESSION_COOKIE}={alice.token}"}
        assert (await http.get(f"/calendar/feed/{new}.ics", headers=cookie)).status_code == 404
    assert refusals(reminder_links.FEED_ACTION) == 5


async def test_an_empty_feed_is_still_a_calendar(alice: Account) -> None:
    token = reminder_settings.new_calendar_token(alice.identity.user_id)
    async with client() as http:
        response = await http.get(f"/calendar/feed/{token}.ics")
    calendar = Calendar.from_ical(response.content)
    assert list(calendar.walk("VEVENT")) == []
    assert str(calendar["x-wr-calname"]) == "Skills Practice"


def test_the_link_secret_is_made_once(alice: Account) -> None:
    first = reminder_email.unsubscribe_token(1, "a@example.org")
    assert reminder_email.unsubscribe_token(1, "a@example.org") == first
    assert reminder_email.unsubscribe_token(1, "b@example.org") != first
    assert reminder_email.unsubscribe_token(2, "a@example.org") != first
    assert len(first) == 43 and first.isalnum()
