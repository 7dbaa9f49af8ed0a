"""Reminder settings: off by default, every field checked (nothing half-saved), any
change nulls the scheduler's cursors, kinds offered by track and homework, the sent
log's facts, what Today shows, and the one question after the first check-in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from skills_app.core import db, homework, journal, reminder_settings, schedule
from skills_app.core.clock import frozen_clock
from skills_app.core.models import (
    DeliveryStatus,
    ReminderKind,
    ReminderPreference,
    ReminderSetting,
)
from skills_app.core.reminder_settings import (
    BAD_TIME,
    CAP_OUT,
    NO_DAYS,
    NO_EMAIL,
    QUIET_SAME,
)
from tests.conftest import Account, make_account, make_program
from tests.reminder_helpers import add_delivery
from tests.sharing_helpers import share

# Monday 7 December 2026, 15:00 in Chicago.
MONDAY = datetime(2026, 12, 7, 21, tzinfo=UTC)
BASE_KINDS = ("checkin", "practice", "mindfulness", "checkup")


def form(**changes: str) -> dict[str, str]:
    """The page's form as it is sent with nothing turned on."""
    values = {"daily_cap": "3", "wording": "practice", "by_push": "on"}
    for kind in BASE_KINDS:
        values[f"{kind}_time"] = "19:00"
        values.update({f"{kind}_day_{day}": "on" for day in range(7)})
    values.update(changes)
    return {key: value for key, value in values.items() if value != "-"}


def weekdays_checkin_2030() -> dict[str, str]:
    return form(checkin_on="on", checkin_time="20:30", checkin_day_5="-", checkin_day_6="-")


def settings_rows(user_id: int) -> dict[str, ReminderSetting]:
    with db.read() as session:
        return {row.kind: row for row in session.exec(
            select(ReminderSetting).where(ReminderSetting.user_id == user_id)).all()}


def test_everything_is_off_for_someone_who_never_chose(alice: Account) -> None:
    choices = reminder_settings.load(alice.identity.user_id)
    assert [kind.kind for kind in choices.kinds] == list(BASE_KINDS)
    assert not any(kind.enabled for kind in choices.kinds)
    assert choices.preferences == reminder_settings.DEFAULT_PREFERENCES
    assert choices.preferences.daily_cap == 3 and not choices.preferences.by_email
    assert not choices.calendar_on and not choices.email_possible
    assert settings_rows(alice.identity.user_id) == {}


def test_turning_on_the_daily_check_in_on_weekdays_is_kept(alice: Account) -> None:
    user_id = alice.identity.user_id
    choices, errors = reminder_settings.save(user_id, weekdays_checkin_2030())
    assert errors == {}
    checkin = choices.kinds[0]
    assert (checkin.kind, checkin.enabled, checkin.minute, checkin.weekdays) == (
        "checkin", True, 20 * 60 + 30, (0, 1, 2, 3, 4))
    rows = settings_rows(user_id)
    # Only the kind chosen gets a row: the others stay "no row = off".
    assert set(rows) == {"checkin"} and rows["checkin"].next_due_at is None
    assert reminder_settings.load(user_id).kinds[0] == checkin


def test_every_change_nulls_the_cursor_and_an_unchanged_save_does_not(alice: Account) -> None:
    user_id = alice.identity.user_id
    reminder_settings.save(user_id, weekdays_checkin_2030())
    due = datetime(2026, 12, 8, 2, 30, tzinfo=UTC)

    def set_cursor() -> None:
        with db.transaction() as session:
            row = session.get(ReminderSetting, (user_id, "checkin"))
            row.next_due_at = due
            session.add(row)

    set_cursor()
    reminder_settings.save(user_id, weekdays_checkin_2030())
    assert settings_rows(user_id)["checkin"].next_due_at == due  # nothing changed
    reminder_settings.save(user_id, {**weekdays_checkin_2030(), "checkin_time": "21:00"})
    assert settings_rows(user_id)["checkin"].next_due_at is None
    set_cursor()
    # A preference (quiet hours) changes when any reminder may go: every cursor again.
    reminder_settings.save(user_id, {**weekdays_checkin_2030(), "checkin_time": "21:00",
                                     "quiet_on": "on", "quiet_start": "22:00",
                                     "quiet_end": "07:00"})
    assert settings_rows(user_id)["checkin"].next_due_at is None
    prefs = reminder_settings.load(user_id).preferences
    assert (prefs.quiet_start, prefs.quiet_end) == (22 * 60, 7 * 60)  # across midnight


@pytest.mark.parametrize("bad_time", ["24:00", "12:60", "-1:00", "8", "", "abc", "20:30:00",
                                      None, "20:30\x00"])
def test_a_time_outside_the_day_is_refused_kindly_and_nothing_is_saved(
        alice: Account, bad_time: object) -> None:
    user_id = alice.identity.user_id
    raw = {**weekdays_checkin_2030(), "checkin_time": bad_time, "daily_cap": "5"}
    choices, errors = reminder_settings.save(user_id, raw)
    assert choices is None and errors == {"checkin_time": BAD_TIME}
    assert settings_rows(user_id) == {}
    with db.read() as session:
        assert session.get(ReminderPreference, user_id) is None


def test_each_wrong_field_gets_its_own_message(alice: Account) -> None:
    raw = form(checkin_on="on", **{f"checkin_day_{day}": "-" for day in range(7)},
               practice_on="on", practice_time="25:00", quiet_on="on", quiet_start="22:00",
               quiet_end="22:00", daily_cap="11", wording="your craving check",
               by_email="on")
    choices, errors = reminder_settings.save(alice.identity.user_id, raw)
    assert choices is None
    assert errors == {"checkin_days": NO_DAYS, "practice_time": BAD_TIME,
                      "quiet_end": QUIET_SAME, "daily_cap": CAP_OUT,
                      "wording": reminder_settings.BAD_WORDING, "by_email": NO_EMAIL}


@pytest.mark.parametrize("cap", ["0", "11", "-1", "5.5", "abc", "", None, "1e1"])
def test_the_daily_cap_is_one_to_ten(alice: Account, cap: object) -> None:
    _, errors = reminder_settings.save(alice.identity.user_id, form(daily_cap=cap))
    assert errors == {"daily_cap": CAP_OUT}


@pytest.mark.parametrize("raw", [None, [], "checkin_on=on", {1: "on"}])
def test_a_form_that_is_no_form_saves_nothing(alice: Account, raw: object) -> None:
    choices, errors = reminder_settings.save(alice.identity.user_id, raw)
    assert choices is None and errors == {"form": reminder_settings.BAD_FORM}


def test_an_off_kind_does_not_need_days(alice: Account) -> None:
    raw = form(**{f"checkin_day_{day}": "-" for day in range(7)})
    _, errors = reminder_settings.save(alice.identity.user_id, raw)
    assert errors == {}


def test_email_can_be_chosen_only_when_the_server_has_smtp(
        alice: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    user_id = alice.identity.user_id
    monkeypatch.setenv("SKILLS_SMTP_HOST", "127.0.0.1")
    assert reminder_settings.load(user_id).email_possible
    choices, errors = reminder_settings.save(user_id, form(by_email="on"))
    assert errors == {} and choices.preferences.by_email


TRACK_FORM = {"name": "Morning IOP", "weekdays": [0, 2], "start": "09:00",
              "end": "12:00", "first_day": "2026-12-01", "last_day": ""}


def test_group_kinds_need_a_track_and_homework_needs_homework(database: str) -> None:
    with frozen_clock(MONDAY):
        program_id = make_program("Riverside")
        admin = make_account("dave", "therapist", program_id=program_id,
                             program_role="admin")
        therapist = make_account("carol", "therapist", program_id=program_id)
        alice = make_account("alice", "patient")
        user_id = alice.identity.user_id
        assert [k.kind for k in reminder_settings.load(user_id).kinds] == list(BASE_KINDS)
        share(alice, therapist, ("mood",))
        assert schedule.set_time_zone(admin.identity.user_id, "America/Chicago") is None
        track_id, errors = schedule.save_track(admin.identity.user_id, None, TRACK_FORM)
        assert errors == {}
        assert schedule.place_patient(therapist.identity.user_id, user_id, track_id) is None
        assert [k.kind for k in reminder_settings.load(user_id).kinds] == [
            *BASE_KINDS, "group_evening", "group_hour"]
        _, errors = homework.assign(therapist.identity.user_id, user_id, {
            "idempotency_key": str(uuid.uuid4()), "kind": "diary_card", "repeat": "daily",
            "start_day": "2026-12-07", "note": ""})
        assert errors == {}
        kinds = [k.kind for k in reminder_settings.load(user_id).kinds]
        assert kinds == [*BASE_KINDS, "homework", "group_evening", "group_hour"]
        # "An hour before" has no time or days to check.
        _, errors = reminder_settings.save(user_id, form(group_hour_on="on",
                                                         group_evening_time="19:30"))
        assert errors == {}
        rows = settings_rows(user_id)
        assert rows["group_hour"].enabled and rows["group_evening"].minute == 19 * 60 + 30


def test_a_kind_already_on_stays_listed_to_turn_off(alice: Account) -> None:
    user_id = alice.identity.user_id
    with db.transaction() as session:
        session.add(ReminderSetting(user_id=user_id, kind="group_hour", enabled=True))
    assert "group_hour" in [k.kind for k in reminder_settings.load(user_id).kinds]
    reminder_settings.save(user_id, form())
    assert not settings_rows(user_id)["group_hour"].enabled
    assert "group_hour" not in [k.kind for k in reminder_settings.load(user_id).kinds]


def check_in(account: Account) -> None:
    result = journal.save_entry(account.identity.user_id, account.identity.time_zone, {
        "kind": "checkin", "mood": 3, "note": "", "idempotency_key": str(uuid.uuid4())})
    assert result.ok, result.errors


def test_the_question_comes_after_the_first_check_in_and_never_again(alice: Account,
                                                                       bob: Account) -> None:
    user_id = alice.identity.user_id
    assert not reminder_settings.should_ask(user_id)  # no check-in yet
    check_in(alice)
    assert reminder_settings.should_ask(user_id)
    assert not reminder_settings.should_ask(bob.identity.user_id)  # her check-in, not his
    reminder_settings.answer_ask(user_id)
    assert not reminder_settings.should_ask(user_id)
    check_in(alice)
    assert not reminder_settings.should_ask(user_id)
    # Answering leaves every reminder off.
    assert not any(k.enabled for k in reminder_settings.load(user_id).kinds)


def test_no_question_for_someone_who_already_turned_one_on(bob: Account) -> None:
    reminder_settings.save(bob.identity.user_id, weekdays_checkin_2030())
    check_in(bob)
    assert not reminder_settings.should_ask(bob.identity.user_id)


def test_the_sent_log_is_the_patients_own_newest_first(alice: Account, bob: Account) -> None:
    me, other = alice.identity.user_id, bob.identity.user_id
    with frozen_clock(MONDAY):
        add_delivery(me, "checkin", MONDAY - timedelta(hours=3), DeliveryStatus.SENT, "push")
        add_delivery(me, "practice", MONDAY - timedelta(hours=2), DeliveryStatus.DROPPED,
                 reason="quiet")
        add_delivery(me, "checkup", MONDAY - timedelta(hours=1), DeliveryStatus.DROPPED,
                 reason="cap")
        add_delivery(me, "mindfulness", MONDAY - timedelta(days=1), DeliveryStatus.DROPPED,
                 reason="stale")
        add_delivery(me, "checkin", MONDAY + timedelta(hours=1), DeliveryStatus.PENDING)
        add_delivery(other, "checkin", MONDAY - timedelta(minutes=5), DeliveryStatus.SENT, "email")
        log = reminder_settings.sent_log(me)
    assert [(line.kind, line.status, line.channel, line.reason) for line in log] == [
        ("checkup", "dropped", "", "cap"), ("practice", "dropped", "", "quiet"),
        ("checkin", "sent", "push", ""), ("mindfulness", "dropped", "", "stale")]
    assert log[2].sent_at == MONDAY - timedelta(hours=3)


def test_today_shows_todays_sent_and_due_ones_not_dropped_or_to_come(alice: Account) -> None:
    me = alice.identity.user_id
    with frozen_clock(MONDAY):  # 15:00 in Chicago
        add_delivery(me, "checkin", MONDAY - timedelta(hours=3), DeliveryStatus.SENT, "app")
        add_delivery(me, "practice", MONDAY - timedelta(minutes=1), DeliveryStatus.PENDING)
        add_delivery(me, "checkup", MONDAY - timedelta(hours=2), DeliveryStatus.DROPPED,
                 reason="cap")
        add_delivery(me, "mindfulness", MONDAY - timedelta(hours=16), DeliveryStatus.SENT, "push")
        add_delivery(me, "checkin", MONDAY + timedelta(hours=1), DeliveryStatus.PENDING)
        due = reminder_settings.due_today(me, "America/Chicago")
    # Yesterday's (23:00 Sunday in Chicago) is not today's.
    assert [(line.kind, line.status) for line in due] == [("checkin", "sent"),
                                                          ("practice", "pending")]


def test_the_calendar_link_is_made_revoked_and_replaced(alice: Account) -> None:
    user_id = alice.identity.user_id
    assert reminder_settings.calendar_owner("x" * 43) is None
    first = reminder_settings.new_calendar_token(user_id)
    assert reminder_settings.calendar_owner(first) == user_id
    with db.read() as session:
        stored = session.get(ReminderPreference, user_id).calendar_token_hash
    assert stored == reminder_settings.token_hash(first) and first not in stored
    second = reminder_settings.new_calendar_token(user_id)
    assert reminder_settings.calendar_owner(first) is None
    assert reminder_settings.calendar_owner(second) == user_id
    assert reminder_settings.load(user_id).calendar_on
    reminder_settings.turn_off_calendar(user_id)
    assert reminder_settings.calendar_owner(second) is None
    assert not reminder_settings.load(user_id).calendar_on
    # Reminders stay off: a feed link is not a reminder.
    assert reminder_settings.enabled_settings(user_id) == []


def test_a_kind_value_from_the_enum_is_what_is_stored(alice: Account) -> None:
    reminder_settings.save(alice.identity.user_id, weekdays_checkin_2030())
    assert settings_rows(alice.identity.user_id)["checkin"].kind == ReminderKind.CHECKIN.value


def test_the_export_leaves_out_the_links_secret_hashes(alice: Account) -> None:
    import io
    import zipfile

    from skills_app.core import personal_data

    user_id = alice.identity.user_id
    reminder_settings.save(user_id, weekdays_checkin_2030())
    token = reminder_settings.new_calendar_token(user_id)
    with zipfile.ZipFile(io.BytesIO(personal_data.export_zip(user_id))) as archive:
        names = archive.namelist()
        every_file = b"".join(archive.read(name) for name in names)
    assert any("reminder_setting" in name for name in names)  # her choices are hers
    assert reminder_settings.token_hash(token).encode() not in every_file
    assert b"calendar_token_hash" not in every_file
