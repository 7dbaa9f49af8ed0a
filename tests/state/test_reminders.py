"""The reminders page's and Today's handlers called directly: off by default, a save
kept, bad input refused kindly (English and Spanish) with nothing saved, the
calendar link shown once, the sent log in words, and the question after the first
check-in asked once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from skills_app import text
from skills_app.core import reminder_settings
from skills_app.core.clock import frozen_clock
from skills_app.core.models import DeliveryStatus
from skills_app.state.journal import CheckInState
from skills_app.state.reminders import RemindersState, TodayRemindersState
from tests.conftest import Account
from tests.reminder_helpers import add_delivery
from tests.state.conftest import redirect_target, sign_in_target, state_for

MONDAY = datetime(2026, 12, 7, 21, tzinfo=UTC)  # 15:00 in Chicago


async def page(account: Account | None, path: str = "/account/reminders/") -> RemindersState:
    state = state_for(RemindersState, account.token if account else None, path)
    await state.load_reminders()
    return state


def filled(state: RemindersState, **changes: str) -> dict[str, str]:
    """The form as the browser sends it: every ticked box and every time."""
    values = {key: value for key, value in state.values.items() if value}
    values.update(changes)
    return {key: value for key, value in values.items() if value != "-"}


async def test_the_page_starts_with_everything_off(alice: Account) -> None:
    state = await page(alice)
    assert state.loaded
    assert [card["kind"] for card in state.kinds] == ["checkin", "practice", "mindfulness",
                                                      "checkup"]
    assert state.kinds[0]["label"] == "Daily check-in"
    assert not any(state.values[f"{card['kind']}_on"] for card in state.kinds)
    assert state.values["daily_cap"] == "3" and state.values["wording"] == "practice"
    assert state.log == [] and not state.calendar_on


async def test_a_save_is_kept_and_shown_again(alice: Account) -> None:
    state = await page(alice)
    version = state.form_version
    await state.save_reminders(filled(state, checkin_on="on", checkin_time="20:30",
                                      checkin_day_5="-", checkin_day_6="-", wording="moment"))
    assert state.errors == {} and state.message == "Saved. Your reminders are set."
    assert state.form_version > version  # the form is drawn again with what was stored
    again = await page(alice)
    assert again.values["checkin_on"] == "on" and again.values["checkin_time"] == "20:30"
    assert [again.values[f"checkin_day_{day}"] for day in range(7)] == ["on"] * 5 + ["", ""]
    assert again.values["wording"] == "moment"


async def test_a_bad_time_is_refused_kindly_and_nothing_is_saved(alice: Account) -> None:
    state = await page(alice)
    answer = await state.save_reminders(filled(state, daily_cap="99", checkin_on="on",
                                               checkin_time="25:00"))
    assert '"reminder-checkin"' in str(answer)  # the first card to fix is scrolled to
    assert state.errors == {
        "checkin_time": "Please enter a time between 00:00 and 23:59, like 20:30.",
        "daily_cap": "Please choose a number from 1 to 10."}
    assert state.message == "Nothing was saved. Please fix what is marked above."
    assert reminder_settings.enabled_settings(alice.identity.user_id) == []


async def test_spanish_words_on_the_spanish_page(alice: Account) -> None:
    state = await page(alice)
    with text.language("es"):  # what the page-language middleware sets for /es/ pages
        await state.save_reminders(filled(state, checkin_on="on", checkin_time=""))
    assert state.errors["checkin_time"] == (
        "Escribe una hora entre 00:00 y 23:59, por ejemplo 20:30.")


async def test_refused_without_a_session_and_nothing_is_saved(alice: Account) -> None:
    state = state_for(RemindersState, None, "/account/reminders/")
    refusal = await state.save_reminders({"checkin_on": "on", "checkin_time": "20:30"})
    assert sign_in_target(refusal)
    assert reminder_settings.enabled_settings(alice.identity.user_id) == []


async def test_a_therapist_is_sent_home(carol: Account) -> None:
    state = state_for(RemindersState, carol.token, "/account/reminders/")
    assert redirect_target(await state.load_reminders()) != ""
    assert not state.loaded


async def test_the_calendar_link_is_shown_once(alice: Account) -> None:
    state = await page(alice)
    await state.make_calendar_link()
    assert state.calendar_on
    assert state.calendar_link.startswith("http://localhost:3000/calendar/feed/")
    assert state.calendar_subscribe == "webcal://" + state.calendar_link.removeprefix("http://")
    token = state.calendar_link.rsplit("/", 1)[1].removesuffix(".ics")
    assert reminder_settings.calendar_owner(token) == alice.identity.user_id
    again = await page(alice)
    assert again.calendar_on and again.calendar_link == ""  # only its hash is kept
    await again.turn_off_calendar()
    assert not again.calendar_on and reminder_settings.calendar_owner(token) is None


async def test_the_sent_log_in_words(alice: Account) -> None:
    me = alice.identity.user_id
    with frozen_clock(MONDAY):
        add_delivery(me, "checkin", MONDAY - timedelta(hours=1), DeliveryStatus.SENT, "push")
        add_delivery(me, "practice", MONDAY - timedelta(hours=2), DeliveryStatus.SENT, "email")
        add_delivery(me, "mindfulness", MONDAY - timedelta(hours=3), DeliveryStatus.DROPPED,
                 reason="quiet")
        add_delivery(me, "checkup", MONDAY - timedelta(hours=4), DeliveryStatus.DROPPED,
                 reason="cap")
        add_delivery(me, "checkin", MONDAY - timedelta(days=1), DeliveryStatus.DROPPED,
                 reason="stale")
        state = await page(alice)
        with text.language("es"):
            spanish = await page(alice)
    assert [(row["when"].replace("\u202f", " "), row["kind"], row["status"])
            for row in state.log] == [
        ("Mon, Dec 7, 2:00 PM", "Daily check-in", "On your phone"),
        ("Mon, Dec 7, 1:00 PM", "Practice", "By email"),
        ("Mon, Dec 7, 12:00 PM", "Mindfulness", "Not sent: quiet hours"),
        ("Mon, Dec 7, 11:00 AM", "Check-up", "Not sent: daily limit"),
        ("Sun, Dec 6, 3:00 PM", "Daily check-in", "Not sent: too late")]
    assert spanish.log[2]["status"] == "No enviado: horas de silencio"


async def test_the_question_after_the_first_check_in_is_asked_once(alice: Account) -> None:
    today = state_for(TodayRemindersState, alice.token)
    await today.load_today_reminders()
    assert not today.ask  # nothing checked in yet
    checkin = state_for(CheckInState, alice.token)
    await checkin.load_today()
    answer = await checkin.save_checkin({"mood": "6", "note": "",
                                         "idempotency_key": str(uuid.uuid4())})
    assert checkin.saved_key
    # The first check-in brings the question, in the save's own answer.
    assert answer is None
    today = await checkin.get_state(TodayRemindersState)
    assert today.ask
    assert redirect_target(await today.answer(True)).endswith("/account/reminders/")
    assert not today.ask
    await today.load_today_reminders()
    assert not today.ask
    # "Not now" from another tab changes nothing more, and nothing was turned on.
    await today.answer(False)
    assert reminder_settings.enabled_settings(alice.identity.user_id) == []


async def test_today_lists_what_came_due_with_the_neutral_wording(alice: Account) -> None:
    me = alice.identity.user_id
    with frozen_clock(MONDAY):
        add_delivery(me, "checkin", MONDAY - timedelta(hours=1), DeliveryStatus.SENT, "app")
        add_delivery(me, "homework", MONDAY - timedelta(minutes=1), DeliveryStatus.PENDING)
        add_delivery(me, "practice", MONDAY - timedelta(hours=2), DeliveryStatus.DROPPED,
                 reason="cap")
        today = state_for(TodayRemindersState, alice.token)
        await today.load_today_reminders()
        spanish = state_for(TodayRemindersState, alice.token, "/es/today/")
        with text.language("es"):
            await spanish.load_today_reminders()
    for row in today.due:
        row["time"] = row["time"].replace("\u202f", " ")
    assert today.due == [
        {"id": today.due[0]["id"], "title": "Time for your practice", "time": "2:00 PM",
         "href": "/today/#checkin-form"},
        {"id": today.due[1]["id"], "title": "Time for your practice", "time": "2:59 PM",
         "href": "/homework/"}]
    assert spanish.due[1]["href"] == "/es/homework/"


async def test_the_first_card_to_fix_is_the_one_scrolled_to(alice: Account) -> None:
    state = await page(alice)
    answer = await state.save_reminders(filled(state, daily_cap="0", quiet_on="on",
                                               quiet_start="22:00", quiet_end="22:00"))
    assert '"quiet-hours"' in str(answer) and set(state.errors) == {"quiet_end", "daily_cap"}
    answer = await state.save_reminders(filled(state, daily_cap="0"))
    assert '"cap-and-wording"' in str(answer)


def test_every_wording_has_its_preview_rule() -> None:
    """The preview follows the ticked wording by CSS alone: one rule per wording."""
    from pathlib import Path

    from skills_app.core import notify

    styles = (Path(__file__).resolve().parents[2] / "assets" / "styles.css").read_text()
    for key in notify.WORDINGS:
        assert (f"input[name=wording][value={key}]:checked) "
                f".wording-preview[data-wording={key}]") in styles, key
