"""Journal handlers called directly, as a raw client could: forged ids, bad values."""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from reflex.istate.data import RouterData
from sqlmodel import select

from skills_app import text
from skills_app.core import auth, dates, db, journal, practice
from skills_app.core.models import JournalEntry, RiskEvent
from skills_app.core.settings import SESSION_COOKIE
from skills_app.state.journal import CheckInState, EntryEditorState, JournalState
from skills_app.state.session import SpeakPageLanguage, draft_owner
from skills_app.text.problems import say
from tests.conftest import Account
from tests.state.conftest import script_of, sign_in_target, state_for


def rows() -> list[JournalEntry]:
    with db.transaction() as session:
        return list(session.exec(select(JournalEntry)).all())


def diary_form(**fields: object) -> dict[str, object]:
    form: dict[str, object] = {"idempotency_key": str(uuid.uuid4()), "note": "", "mood": ""}
    form.update(fields)
    return form


def navigate(state: EntryEditorState, account: Account, path: str) -> None:
    """The tab moved to another page (Reflex updates the router of the whole tree)."""
    root = state.parent_state.parent_state.parent_state
    root.router = RouterData.from_router_data({
        "headers": {"cookie": f"{SESSION_COOKIE}={account.token}"},
        "pathname": path, "asPath": path, "query": {}})


def editor(account: Account | None, path: str = "/journal/new/") -> EntryEditorState:
    state = state_for(EntryEditorState, account.token if account else None, path)
    return state


async def test_a_check_in_is_saved_once_and_confirms_its_draft(alice: Account) -> None:
    state = state_for(CheckInState, alice.token, "/today/")
    await state.load_today()
    form = {"idempotency_key": str(uuid.uuid4()), "mood": "7", "note": "ok day"}
    await state.save_checkin(form)
    first = (state.saved_message, state.saved_key, list(state.today_entries))
    await state.save_checkin(form)  # a double tap or a resend after reconnect
    assert len(rows()) == 1 and rows()[0].mood == 7
    # The page drops the draft when it shows the saved key ("Saved at" comes with it).
    assert state.saved_key == form["idempotency_key"] and state.saved_message.startswith(
        "Saved at")
    assert (state.saved_message, state.saved_key, state.today_entries) == first
    assert state.draft_owner == draft_owner(alice.identity)


async def test_todays_list_gains_the_saved_entry_without_its_note(alice: Account) -> None:
    state = state_for(CheckInState, alice.token, "/today/")
    await state.load_today()
    await state.save_checkin({"idempotency_key": str(uuid.uuid4()), "mood": "3",
                              "note": "private words"})
    await state.save_checkin({"idempotency_key": str(uuid.uuid4()), "mood": "8"})
    assert [row["mood"] for row in state.today_entries] == ["Mood 8 · Very good", "Mood 3 · Down"]
    assert "private words" not in repr(state.today_entries)
    reloaded = state_for(CheckInState, alice.token, "/today/")
    await reloaded.load_today()
    assert reloaded.today_entries == state.today_entries


# --- resends: the same idempotency key again --------------------------------

async def test_a_resend_with_the_same_content_makes_one_row_and_the_same_answer(
        alice: Account) -> None:
    state = editor(alice)
    await state.load_editor()
    form = diary_form(mood="6", note="same words")
    await state.save_diary(form)
    answer = (state.saved_message, state.saved_key, state.errors, state.conflict)
    await state.save_diary(dict(form))
    assert len(rows()) == 1 and rows()[0].note == "same words"
    assert (state.saved_message, state.saved_key, state.errors, state.conflict) == answer


async def test_a_resend_with_changed_content_is_stored_not_dropped(alice: Account) -> None:
    state = editor(alice)
    await state.load_editor()
    form = diary_form(mood="6", note="first words")
    await state.save_diary(form)
    await state.save_diary({**form, "note": "first words, and more"})
    assert [(row.note, row.version) for row in rows()] == [("first words, and more", 2)]
    assert state.saved_key == form["idempotency_key"] and state.errors == {}


async def test_a_lost_answer_then_an_edit_is_stored_once(alice: Account) -> None:
    """The save committed but its answer never reached the phone (the socket dropped):
    the phone still holds the draft with its key, the patient edits it and saves."""
    form = diary_form(mood="4", note="written on the bus")
    lost = editor(alice)
    await lost.load_editor()
    await lost.save_diary(form)  # committed; this tab's answer is lost with the socket
    phone = editor(alice)  # the page reloaded: a new tab state, the same draft
    await phone.load_editor()
    assert phone.saved_key == ""
    edited = {**form, "note": "written on the bus, then at home", "mood": "5"}
    await phone.save_diary(edited)
    await phone.save_diary(edited)  # and a resend of the edit itself
    assert [(row.note, row.mood, row.version) for row in rows()] == [
        ("written on the bus, then at home", 5, 2)]
    assert phone.saved_key == form["idempotency_key"]


async def test_a_changed_resend_after_another_device_edited_shows_both(
        alice: Account) -> None:
    state = editor(alice)
    await state.load_editor()
    form = diary_form(mood="4", note="from the phone")
    await state.save_diary(form)
    entry_id = rows()[0].id
    laptop = editor(alice, f"/journal/edit/?id={entry_id}")
    await laptop.load_editor()
    await laptop.save_diary({**diary_form(mood="4", note="from the laptop"), "version": "1"})
    event = await state.save_diary({**form, "note": "from the phone, longer"})
    assert "notSaved" in script_of(event)
    assert state.conflict["stored_note"] == "from the laptop"
    assert state.conflict["mine_note"] == "from the phone, longer"
    await state.keep_mine()
    assert [(row.note, row.version) for row in rows()] == [("from the phone, longer", 3)]
    assert state.saved_key == form["idempotency_key"]


@pytest.mark.parametrize("mood", [-1, 11, 5.5, "abc", None, [], {"x": 1}, True, float("nan")])
async def test_bad_mood_values_are_refused_kindly(alice: Account, mood: object) -> None:
    state = state_for(CheckInState, alice.token, "/today/")
    event = await state.save_checkin({"idempotency_key": str(uuid.uuid4()), "mood": mood})
    assert "mood" in state.errors and "0" in state.errors["mood"] and "10" in state.errors["mood"]
    assert "notSaved" in script_of(event)  # the draft stays on the device
    assert rows() == []


@pytest.mark.parametrize(("field", "value", "message"), [
    ("urge_suicide", -1, "from 0 to 5"),
    ("urge_suicide", 6, "from 0 to 5"),
    ("emotion_joy", 5.5, "whole number"),
    ("craving", "abc", "whole number"),
    ("note", "x" * 20_001, "20,000"),
    ("note", "x" * 1_100_000, "20,000"),
    ("note", "bad\x00byte", "control character"),
    ("note", "lone \ud800 surrogate", "can't store"),
    ("note", ["a list"], "as text"),
    ("skills", ["not.a.skill"], "from the list"),
])
async def test_bad_diary_values_are_refused_and_nothing_is_half_saved(
        alice: Account, field: str, value: object, message: str) -> None:
    state = editor(alice)
    await state.load_editor()
    event = await state.save_diary(diary_form(mood="5", **{field: value}))
    assert message in state.errors[field], state.errors
    assert "notSaved" in script_of(event)  # not confirmed: the draft stays on the device
    assert rows() == []


async def test_a_note_of_exactly_20000_characters_with_emoji_and_rtl_is_kept_as_typed(
        alice: Account) -> None:
    text = "👩‍👩‍👧 שלום \u202eabc e\u0301 "
    note = (text * (20_000 // len(text) + 1))[:20_000]
    state = editor(alice)
    await state.load_editor()
    await state.save_diary(diary_form(note=note))
    # Issue 23: kept composed (NFC) and without the hidden right-to-left override.
    kept = unicodedata.normalize("NFC", note).replace("\u202e", "").strip()
    assert state.errors == {} and rows()[0].note == kept


async def test_without_a_session_nothing_is_saved_and_the_draft_is_kept(alice: Account) -> None:
    state = editor(None)
    event = await state.save_diary(diary_form(note="typed while the session expired"))
    assert sign_in_target(event) == "/signin/?next=/journal/new/"
    assert rows() == []


async def test_a_therapist_cannot_write_a_patient_journal(carol: Account) -> None:
    state = editor(carol)
    assert "signin" in script_of(await state.save_diary(diary_form(note="x")))
    assert rows() == []


def make_entry(account: Account, note: str = "mine") -> journal.EntryView:
    result = journal.save_entry(account.identity.user_id, "America/Chicago",
                                {"idempotency_key": str(uuid.uuid4()), "kind": "diary",
                                 "note": note})
    assert result.ok
    return result.entry


@pytest.mark.parametrize("forged", ["-1", "0", "99999999999999999999", "abc", "", "1.5"])
async def test_forged_entry_ids_find_nothing(alice: Account, forged: str) -> None:
    make_entry(alice)
    state = editor(alice, f"/journal/edit/?id={forged}")
    await state.load_editor()
    assert state.entry_id == "" and state.defaults == {}
    if forged:
        assert state.errors == {"form": say(journal.NOT_FOUND)}
    journal_state = state_for(JournalState, alice.token, "/journal/")
    await journal_state.load_journal()
    journal_state.ask_delete(forged)
    await journal_state.delete_entry()
    assert len(rows()) == 1 and rows()[0].deleted_at is None


async def test_another_patients_entry_cannot_be_read_edited_or_deleted(
        alice: Account, bob: Account) -> None:
    bobs = make_entry(bob, "bob's private note")
    state = state_for(EntryEditorState, alice.token, f"/journal/edit/?id={bobs.id}")
    await state.load_editor()
    assert state.entry_id == "" and "bob's private note" not in str(state.defaults)
    assert state.errors == {"form": say(journal.NOT_FOUND)}
    # Even with bob's id forced into the backend, saving goes through alice's session.
    state.entry_id = str(bobs.id)
    await state.save_diary(diary_form(note="overwritten", version="1"))
    journal_state = state_for(JournalState, alice.token, "/journal/")
    await journal_state.load_journal()
    journal_state.ask_delete(str(bobs.id))
    await journal_state.delete_entry()
    assert journal_state.message == say(journal.NOT_FOUND)
    stored = journal.get_entry(bob.identity.user_id, bobs.id)
    assert stored.content.note == "bob's private note" and stored.deleted_at is None
    assert all("bob's private note" not in str(row) for row in journal_state.entries)


async def test_the_form_says_which_day_the_card_is_for(alice: Account) -> None:
    """assets/safety.js reads them: "call 911 now" is for a card of today."""
    state = editor(alice)
    await state.load_editor()
    assert (state.entry_day, state.time_zone) == ("", "America/Chicago")
    entry = journal.save_entry(alice.identity.user_id, "America/Chicago", {
        "idempotency_key": str(uuid.uuid4()), "kind": "diary", "note": "yesterday's card",
        "occurred_at": (datetime.now(UTC) - timedelta(days=1)).isoformat()}).entry
    state = editor(alice, f"/journal/edit/?id={entry.id}")
    await state.load_editor()
    assert state.entry_day == entry.local_date.isoformat()
    # The day the page decided on travels with the save, and the log follows it.
    await state.save_diary(diary_form(acted_self_harm="on", version=state.version,
                                      today=dates.local_today("America/Chicago").isoformat()))
    with db.read() as session:
        assert [(e.trigger, e.prompt) for e in session.exec(select(RiskEvent)).all()] == [
            ("acted_self_harm=yes", "earlier")]
    state.start_new_card()
    assert state.entry_day == ""


async def test_a_stale_edit_is_a_conflict_that_keeps_both_texts(alice: Account) -> None:
    entry = make_entry(alice, "original")
    phone = state_for(EntryEditorState, alice.token, f"/journal/edit/?id={entry.id}")
    laptop = state_for(EntryEditorState, alice.token, f"/journal/edit/?id={entry.id}")
    await phone.load_editor()
    await laptop.load_editor()
    await laptop.save_diary(diary_form(note="from the laptop", version=laptop.version))
    await phone.save_diary(diary_form(note="from the phone", version=phone.version))
    assert phone.conflict["stored_note"] == "from the laptop"
    assert phone.conflict["mine_note"] == "from the phone"
    assert journal.get_entry(alice.identity.user_id, entry.id).content.note == "from the laptop"
    await phone.keep_mine()
    assert journal.get_entry(alice.identity.user_id, entry.id).content.note == "from the phone"
    assert phone.conflict == {}


@pytest.mark.parametrize(("fields", "flagged", "logged"), [
    ({"urge_suicide": "4"}, True, ["urge_suicide=4"]),
    ({"urge_self_harm": "5"}, True, ["urge_self_harm=5"]),
    ({"urge_suicide": "0", "acted_suicide": "on"}, True, ["acted_suicide=yes"]),
    ({"acted_self_harm": "on"}, True, ["acted_self_harm=yes"]),
    ({"urge_suicide": "3"}, False, ["urge_suicide=3"]),
    ({"urge_substance_use": "5", "acted_substance_use": "on"}, False,
     ["acted_substance_use=yes", "urge_substance_use=5"]),
    ({"craving": "8"}, False, ["craving=8"]),
    ({"urge_quit_therapy": "4"}, False, ["urge_quit_therapy=4"]),
    ({"urge_self_harm": "2"}, False, ["urge_self_harm=2"]),
    ({"urge_suicide": "0"}, False, []),
])
async def test_the_server_stores_the_flag_and_the_risk_event(
        alice: Account, fields: dict[str, str], flagged: bool, logged: list[str]) -> None:
    """The page shows the prompt by itself (assets/safety.js); the save stores the rest."""
    state = editor(alice)
    await state.load_editor()
    await state.save_diary(diary_form(**fields))
    assert rows()[0].risk_flag is flagged
    with db.read() as session:
        events = session.exec(select(RiskEvent)).all()
    assert [event.trigger for event in events] == logged
    assert all(event.user_id == alice.identity.user_id and event.source == "diary_card"
               for event in events)


async def test_delete_then_undo(alice: Account) -> None:
    entry = make_entry(alice, "keep me")
    state = state_for(JournalState, alice.token, "/journal/")
    await state.load_journal()
    assert [row["note"] for row in state.entries] == ["keep me"]
    state.ask_delete(str(entry.id))
    await state.delete_entry()
    assert state.entries == [] and state.undo_id == str(entry.id)
    await state.undo_delete()
    assert [row["note"] for row in state.entries] == ["keep me"]


async def test_the_undo_countdown_runs_once_per_delete(alice: Account) -> None:
    entry = make_entry(alice, "gone soon")
    state = state_for(JournalState, alice.token, "/journal/")
    await state.load_journal()
    state.ask_delete(str(entry.id))
    event = await state.delete_entry()
    # The argument the page is asked to send back to start the countdown.
    countdown = {str(name): value._var_value for name, value in event.args}["countdown"]
    for forged in ("", str(entry.id), "made-up", None, 5, ["x"]):
        assert not state._claim_countdown(forged)
    assert state._claim_countdown(countdown)
    assert not state._claim_countdown(countdown)  # sent again by a browser: not a second run


async def test_week_navigation_stays_between_the_first_entry_and_this_week(
        alice: Account) -> None:
    user = alice.identity.user_id
    three_weeks_ago = (datetime.now(UTC) - timedelta(weeks=3)).isoformat()
    assert journal.save_entry(user, "America/Chicago", {
        "idempotency_key": str(uuid.uuid4()), "kind": "checkin", "mood": 5,
        "occurred_at": three_weeks_ago}).ok
    state = state_for(JournalState, alice.token, "/journal/")
    await state.load_journal()
    assert state.is_current_week and not state.is_first_week
    await state.change_week(1)
    assert state.is_current_week  # never after this week
    weeks = []
    for _ in range(10):
        await state.change_week(-1)
        weeks.append(state.week_label)
    assert state.is_first_week and len(set(weeks)) in (3, 4)  # the first entry's week at most
    for forged in (-5, 2, "abc", 1.5, None, True, [1]):
        await state.change_week(forged)
        assert state.is_first_week
    await state.change_week(0)
    assert state.is_current_week


async def test_search_and_trigger_filter_show_only_matching_entries(alice: Account) -> None:
    user = alice.identity.user_id
    for note, triggers in (("Called my sponsor", ["work"]), ("Walked the dog", ["family"]),
                           ("Sponsor meeting 100% helped", ["work", "family"])):
        assert journal.save_entry(user, "America/Chicago", {
            "idempotency_key": str(uuid.uuid4()), "kind": "diary", "note": note,
            "triggers": triggers}).ok
    state = state_for(JournalState, alice.token, "/journal/")
    await state.load_journal()
    assert state.tags == ["family", "work"]
    await state.search({"q": "sponsor", "tag": ""})
    assert sorted(row["note"] for row in state.entries) == [
        "Called my sponsor", "Sponsor meeting 100% helped"]
    await state.search({"q": "", "tag": "family"})
    assert sorted(row["note"] for row in state.entries) == [
        "Sponsor meeting 100% helped", "Walked the dog"]
    await state.search({"q": "100%", "tag": ""})
    assert [row["note"] for row in state.entries] == ["Sponsor meeting 100% helped"]
    await state.search({"q": ["not text"], "tag": 5})
    assert "Please search" in state.message
    await state.clear_search()
    assert len(state.entries) == 3 and not state.searching


async def test_a_load_after_the_save_on_reconnect_keeps_the_saved_card(alice: Account) -> None:
    """Offline, the save waits in the page; back online Reflex reconnects, the save is
    handled, and the page's load can come after it. It must not wipe the result."""
    state = editor(alice)
    await state.load_editor()
    form = diary_form(mood="5", note="sent after the bus")
    await state.save_diary(form)
    await state.load_editor()  # the same page, loaded again after the reconnect
    assert state.saved_view["note"] == "sent after the bus"
    assert state.saved_key == form["idempotency_key"]
    assert state.saved_message.startswith("Saved at")


async def test_opening_the_card_again_after_another_page_starts_a_new_one(
        alice: Account) -> None:
    state = editor(alice)
    await state.load_editor()
    await state.save_diary(diary_form(mood="5", note="first"))
    journal_state = await state.get_state(JournalState)
    navigate(state, alice, "/journal/")
    await journal_state.load_journal()
    navigate(state, alice, "/journal/new/")
    await state.load_editor()
    assert state.saved_view == {} and state.saved_key == "" and state.form_key == "new"
    await state.save_diary(diary_form(mood="6", note="second"))
    state.start_new_card()
    assert state.saved_view == {} and state.form_key == "new-1"


async def test_a_new_card_ticks_the_skills_of_todays_finished_exercises(
        alice: Account, bob: Account) -> None:
    finished = practice.finish_exercise(alice.identity.user_id, alice.identity.time_zone, {
        "idempotency_key": str(uuid.uuid4()), "exercise_id": "dear-man", "answers": {
            "goal": "a", "describe": "b", "express": "c", "assert_": "d", "reinforce": "e"}})
    assert finished.ok
    state = editor(alice)
    await state.load_editor()
    assert state.defaults == {"skill__interpersonal_effectiveness.dear_man": "on"}
    assert state.practised_note.startswith("Ticked for you")
    # Someone else's card ticks nothing of Alice's.
    other = editor(bob)
    await other.load_editor()
    assert other.defaults == {} and other.practised_note == ""
    # Saved as ticked (the patient could untick it first): the card says it.
    await state.save_diary(diary_form(mood="5", **{
        "skill__interpersonal_effectiveness.dear_man": "on"}))
    assert rows()[0].skills == ["interpersonal_effectiveness.dear_man"]
    # Editing a saved card shows what it holds, not a fresh tick.
    edit = editor(alice, f"/journal/edit/?id={rows()[0].id}")
    await edit.load_editor()
    assert edit.practised_note == ""


# --- in Spanish: each handler answers in its page's language ----------------------

def spanish_patient(database: str) -> Account:
    """A patient who chose Spanish at sign-up (their pages are /es/...)."""
    password = "siete cometas naranjas sobre el prado"
    result = auth.sign_up({"display_name": "Lucía", "email": "lucia@example.org",
                           "password": password, "role": "patient",
                           "time_zone": "America/Chicago", "language": "es"}, address="10.0.0.1")
    assert result.ok, result.errors
    return Account("lucia", "lucia@example.org", password, result.token, result.identity)


@pytest.fixture
def lucia(database: str) -> Account:
    return spanish_patient(database)


async def on_page(state: object) -> None:
    """What the app's middleware does before every event: speak the page's language."""
    await SpeakPageLanguage().preprocess(None, state, None)


async def test_a_spanish_diary_card_answers_bad_values_in_spanish(lucia: Account) -> None:
    with text.language("en"):
        state = editor(lucia, "/es/journal/new/")
        await on_page(state)
        assert await state.load_editor() is None  # her own language: no redirect
        await state.save_diary(diary_form(urge_suicide="9", sleep_hours="30",
                                          custom_emotions=[], note="x" * 20_001))
        assert state.errors["urge_suicide"] == "Califica los impulsos suicidas del 0 al 5."
        assert state.errors["sleep_hours"] == (
            "Escribe las horas de sueño del 0 al 24, en medias horas (como 7.5).")
        assert state.errors["note"] == (
            "Tu comentario tiene demasiados caracteres: usa hasta 20,000 (ahora tiene 20,001).")
        await state.save_diary(diary_form())
        assert state.errors == {"form": "Esta tarjeta diaria está vacía. Responde al menos "
                                         "una pregunta y luego guarda."}
        assert rows() == []
        await state.save_diary(diary_form(mood="8", urge_self_harm="1", acted_self_harm="on",
                                          triggers="trabajo"))
        # The Spanish clock (formats.clock): "Guardado a las 4:23 p.m.".
        assert re.fullmatch(r"Guardado a las \d{1,2}:\d{2}\s[ap]\.\s?m\.", state.saved_message)
        assert state.saved_view["heading"].startswith("Tarjeta diaria guardada · ")
        assert state.saved_view["mood"] == "Ánimo 8 · Feliz"
        assert state.saved_view["summary"] == "Impulso: hacerme daño 1 (lo hice)"
        # The patient's words stay as they wrote them; the stored values stay English keys.
        assert state.saved_view["triggers"] == "trabajo"
        assert rows()[0].urge_self_harm == 1 and rows()[0].acted_self_harm is True


async def test_the_same_handler_on_an_english_page_answers_in_english(alice: Account) -> None:
    with text.language("es"):
        state = editor(alice)
        await on_page(state)
        await state.save_diary(diary_form(urge_suicide="9"))
    assert state.errors["urge_suicide"] == "Please rate suicidal urges from 0 to 5."


async def test_a_spanish_check_in_is_confirmed_in_spanish_without_thanks(lucia: Account) -> None:
    with text.language("en"):
        state = state_for(CheckInState, lucia.token, "/es/today/")
        await on_page(state)
        await state.load_today()
        await state.save_checkin({"idempotency_key": str(uuid.uuid4()), "mood": "11"})
        assert state.errors["mood"] == "Califica tu ánimo del 0 al 10."
        await state.save_checkin({"idempotency_key": str(uuid.uuid4()), "mood": "8"})
    assert state.saved_message.startswith("Guardado a las ")
    assert "gracias" not in state.saved_message.lower()
    assert [(row["kind"], row["mood"]) for row in state.today_entries] == [
        ("Registro rápido", "Ánimo 8 · Feliz")]


async def test_journal_messages_follow_the_page_language(lucia: Account) -> None:
    with text.language("en"):
        state = state_for(JournalState, lucia.token, "/es/journal/")
        await on_page(state)
        await state.load_journal()
        assert state.week_label == "Esta semana"
        assert state.grid_summary == "Todavía no hay nada esta semana"
        await state.search({"q": "x" * 201, "tag": ""})
        assert state.message == "Busca con pocas palabras (hasta 200 caracteres)."
        state.confirm_delete_id = "999999"
        await state.delete_entry()
        assert state.message == "No encontramos ese registro. Tal vez se borró."
