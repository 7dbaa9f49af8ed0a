"""What the journal screens show, from plain values: no database, no Reflex."""

from __future__ import annotations

import inspect
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from skills_app import text
from skills_app.content.mood import mood_word
from skills_app.core import diary, journal
from skills_app.core.card_choice import CardChoice
from skills_app.core.journal.html_form import entry_input_from_form
from skills_app.core.models import EntryKind
from skills_app.core.schemas import parse_form
from skills_app.text import _, formats
from skills_app.views import journal as views

MONDAY = date(2026, 3, 2)
DAYS = [MONDAY + timedelta(days=n) for n in range(7)]


def diary_content(**fields: object) -> journal.DiaryForm:
    content, errors = parse_form(journal.diary_form_model(), fields)
    assert errors == {}
    return content


def test_the_summary_line_names_what_was_rated_above_zero() -> None:
    content = diary_content(
        mood=2, emotion_joy=0, emotion_sadness=4, urge_self_harm=0, acted_self_harm=True,
        urge_suicide=2, craving=3, sleep_hours=6.5, medications_taken=True,
        substance_what="Alcohol", custom_emotions=[{"name": "Numb", "rating": 2}],
        custom_urges=[{"name": "Isolate", "rating": 0}], skills=["mindfulness.observe"])
    assert views.entry_summary(content) == (
        "Sadness 4 · Numb 2 · Urge: suicide 2 · Urge: self-harm 0 (acted on) · Craving 3 · "
        "Sleep 6.5 h · Skills: Observe")
    assert views.entry_summary(diary_content()) == "Diary card"
    assert views.entry_summary(journal.CheckInForm(mood=5)) == "Quick check-in"


def test_the_editor_shows_saved_values_that_save_back_the_same() -> None:
    content = diary_content(
        mood=7, note="ok", emotion_fear=0, urge_substance_use=3, acted_substance_use=True,
        medications_taken=False, sleep_hours=8, substance_amount="two", triggers=["Work"],
        skills=["distress_tolerance.stop"], custom_urges=[{"name": "Isolate", "rating": 1,
                                                             "acted_on": True}])
    own_emotions, own_targets = views.kept_own_items(CardChoice(own_targets=("Skipping meals",)),
                                                     content)
    assert (own_emotions, own_targets) == ([], ["Skipping meals", "Isolate"])
    defaults = views.form_defaults(content, own_emotions, own_targets)
    assert defaults["custom_urge_name_2"] == "Isolate" and "custom_urge_name_1" not in defaults
    assert (defaults["emotion_fear"], defaults["emotion_joy"], defaults["acted_suicide"]) == (
        "0", "", "")
    assert (defaults["medications_taken"], defaults["sleep_hours"]) == ("no", "8")
    assert defaults["skill__distress_tolerance.stop"] == "on"
    # The page adds the kept rows' names (rating left blank: not part of the entry).
    form = {**defaults, "custom_urge_name_1": "Skipping meals", "custom_urge_kept_1": "1",
            "custom_urge_kept_2": "1"}
    again, errors = parse_form(journal.diary_form_model(), entry_input_from_form(form))
    assert errors == {} and again == content


def test_the_week_grid_groups_rows_and_marks_acted_on() -> None:
    blank = {name: None for name in diary.DIARY_CARD.fields()}
    row = {**blank, "kind": "diary", "custom_emotions": [], "custom_urges": [], "skills": [],
           "risk_flag": False, "acted_suicide": False, "acted_self_harm": False,
           "acted_quit_therapy": False}
    monday = journal.summarise_day(MONDAY, [{
        **row, "urge_substance_use": 3, "acted_substance_use": True, "craving": 7, "mood": 4,
        "sleep_hours": 7.5, "medications_taken": True, "emotion_joy": 5}])
    grid = journal.week_grid(DAYS, [monday, *(journal.summarise_day(d, []) for d in DAYS[1:])])
    shown = {row["label"]: row for row in views.grid_rows(grid)}
    assert [(row["group"], row["label"]) for row in views.grid_rows(grid) if row["group"]] == [
        ("Urges (0-5)", "Suicide"), ("Emotions (0-5)", "Joy"), ("Other", "Craving (0\u201110)")]
    assert (shown["Substance use"]["d0"], shown["Substance use"]["c0"]) == ("3 A", "acted")
    assert (shown["Suicide"]["d0"], shown["Suicide"]["c0"]) == ("", "")  # not rated, not acted
    assert (shown["Joy"]["d0"], shown["Joy"]["c0"]) == ("5", "l3 pleasant")
    assert [shown[label]["d0"] for label in (
        "Craving (0\u201110)", "Mood (average)", "Sleep (h)", "Medications", "Skills used")] == [
        "7", "4", "7.5", "Yes", "0"]


def test_a_high_day_is_coloured_as_good_news_only_where_more_is_better() -> None:
    blank = {name: None for name in diary.DIARY_CARD.fields()}
    monday = journal.summarise_day(MONDAY, [{
        **blank, "kind": "diary", "skills": [], "risk_flag": False, "acted_suicide": False,
        "acted_self_harm": False, "acted_substance_use": False, "acted_quit_therapy": False,
        "emotion_joy": 5, "emotion_sadness": 5, "emotion_anger": 2, "urge_suicide": 5,
        "craving": 10, "custom_emotions": [{"name": "Proud", "rating": 5}],
        "custom_urges": [{"name": "Isolate", "rating": 5, "acted_on": False}]}])
    grid = journal.week_grid(DAYS, [monday, *(journal.summarise_day(d, []) for d in DAYS[1:])])
    colour = {row["label"]: row["c0"] for row in views.grid_rows(grid)}
    assert colour["Joy"] == "l3 pleasant"
    assert [colour[label] for label in (
        "Sadness", "Suicide", "Craving (0\u201110)", "Isolate")] == ["l3"] * 4
    assert colour["Anger"] == "l1"
    # An emotion the patient named may be either: it keeps the card's warm default.
    assert colour["Proud"] == "l3"


def test_a_skill_shown_under_a_new_name_keeps_its_stored_key() -> None:
    stored = ("distress_tolerance.tipp", "interpersonal_effectiveness.dear_man")
    content, errors = parse_form(journal.diary_form_model(), entry_input_from_form(
        {f"skill__{key}": "on" for key in stored}))
    assert errors == {} and tuple(content.skills) == stored
    assert views.entry_summary(content) == "Skills: TIP, DEAR MAN"
    defaults = views.form_defaults(content)
    assert defaults["skill__distress_tolerance.tipp"] == "on"
    again, errors = parse_form(journal.diary_form_model(), entry_input_from_form(defaults))
    assert errors == {} and again.skills == content.skills


def test_the_folded_grid_says_the_week_in_one_line() -> None:
    blank = {name: None for name in diary.DIARY_CARD.fields()}
    row = {**blank, "kind": "diary", "custom_emotions": [], "custom_urges": [], "skills": [],
           "risk_flag": False, "acted_suicide": False, "acted_self_harm": False,
           "acted_substance_use": False, "acted_quit_therapy": False}
    empty = [journal.summarise_day(day, []) for day in DAYS]
    assert views.grid_summary(journal.week_grid(DAYS, empty)) == (
        "Nothing filled in this week yet")
    monday = journal.summarise_day(MONDAY, [{**row, "mood": 0, "skills": [
        "distress_tolerance.stop"]}])
    wednesday = journal.summarise_day(DAYS[2], [{**row, "mood": 6, "urge_substance_use": 3,
                                                 "acted_substance_use": True}])
    days = [monday, empty[1], wednesday, *empty[3:]]
    assert views.grid_summary(journal.week_grid(DAYS, days)) == (
        "2 days filled in · mood 0 to 6 · skills on 1 day · acted on an urge on 1 day")
    # A check-in alone fills the day in (mood 0, "awful", is an answer, not nothing).
    checkin = journal.summarise_day(DAYS[4], [{**blank, "kind": "checkin", "mood": 0,
                                               "custom_emotions": [], "custom_urges": [],
                                               "skills": [], "risk_flag": False}])
    assert views.grid_summary(journal.week_grid(DAYS, [*empty[:4], checkin, *empty[5:]])) == (
        "1 day filled in · mood 0")


# --- in Spanish, and dates only from text.formats ----------------------------------

def test_the_spanish_diary_card_summary_and_grid_use_the_cards_words_in_spanish() -> None:
    content = diary_content(
        mood=2, emotion_sadness=4, urge_self_harm=0, acted_self_harm=True, sleep_hours=6.5,
        custom_emotions=[{"name": "Numb", "rating": 2}], skills=["mindfulness.observe"])
    with text.language("es"):
        summary = views.entry_summary(content)
        assert summary.startswith("Tristeza 4 · Numb 2 · Impulso: hacerme daño 0 (lo hice) · "
                                  "Sueño 6.5 h · Habilidades: ")
        assert views.entry_summary(journal.CheckInForm(mood=5)) == "Registro rápido"
        blank = {name: None for name in diary.DIARY_CARD.fields()}
        monday = journal.summarise_day(MONDAY, [{
            **blank, "kind": "diary", "skills": [], "risk_flag": False,
            "acted_suicide": False, "acted_self_harm": False, "acted_substance_use": True,
            "acted_quit_therapy": False, "urge_substance_use": 3, "mood": 4,
            "custom_emotions": [{"name": "Joy", "rating": 1}], "custom_urges": []}])
        grid = journal.week_grid(DAYS, [monday, *(journal.summarise_day(d, [])
                                                  for d in DAYS[1:])])
        rows = views.grid_rows(grid)
        assert [(row["group"], row["label"]) for row in rows if row["group"]] == [
            ("Impulsos (0-5)", "Suicidio"), ("Emociones (0-5)", "Alegría"),
            ("Otros", "Ganas de consumir (0\u201110)")]
        shown = {row["label"]: row for row in rows}
        assert shown["Consumo de sustancias"]["d0"] == "3 A"
        assert shown["Ánimo (promedio)"]["d0"] == "4"
        assert shown["Medicamentos"]["d0"] == ""
        # A name the patient typed is never translated, even when it is a card word.
        assert "Joy" in shown
        assert views.grid_summary(grid) == (
            "1 día con registros · ánimo 4 · actuaste según un impulso 1 día")
    # The stored keys and values do not change with the language.
    assert content.urge_self_harm == 0 and content.skills == ("mindfulness.observe",)


def test_the_mood_words_are_shown_in_the_readers_language() -> None:
    with text.language("es"):
        assert [mood_word(value) for value in (0, 5, 10)] == ["Terrible", "Normal", "Radiante"]
    assert [mood_word(value) for value in (0, 5, 10)] == ["Awful", "Okay", "Joyful"]


def entry_at(moment: datetime, kind: EntryKind = EntryKind.DIARY,
             time_zone: str = "America/Chicago") -> journal.EntryView:
    content = diary_content(mood=7) if kind == EntryKind.DIARY else journal.CheckInForm(mood=7)
    local = moment.astimezone(ZoneInfo(time_zone)).date()
    return journal.EntryView(
        id=5, kind=kind, idempotency_key="k", occurred_at=moment, time_zone=time_zone,
        local_date=local, version=1, risk_flag=False, created_at=moment, updated_at=moment,
        deleted_at=None, content=content)


def test_the_journal_writes_dates_and_times_only_through_text_formats() -> None:
    source = inspect.getsource(views)
    assert "strftime" not in source and "%p" not in source
    # 04:23 UTC on 2 December is 10:23 PM on Tuesday 1 December in Chicago.
    entry = entry_at(datetime(2026, 12, 2, 4, 23, tzinfo=UTC))
    for code in ("en", "es"):
        with text.language(code):
            clock = formats.clock(entry.occurred_at, "America/Chicago")
            day = formats.long_day(date(2026, 12, 1))
            row = views.entry_row(entry, "")
            assert row["time"] == clock == views.clock_time(entry.occurred_at,
                                                            "America/Chicago")
            assert day in row["named"] and clock in row["named"]
            assert views.saved_view(entry)["heading"].endswith(f"{day}, {clock}")
            assert views.saved_message(entry) == _("Saved at {time}.", time=clock)
            assert views.entry_rows([entry], date(2026, 12, 3))[0]["day_header"] == day
    with text.language("es"):
        assert views.entry_row(entry, "")["named"] == (
            "tarjeta diaria del martes, 1 de diciembre, 10:23\u202fp.m.")
        assert views.entry_row(entry, "")["edit_href"] == "/es/journal/edit/?id=5"
        assert views.entry_row(entry_at(entry.occurred_at, EntryKind.CHECKIN), "")[
            "edit_href"] == ""
    assert views.entry_row(entry, "")["named"] == (
        "diary card from Tuesday, December 1, 10:23\u202fPM")


def test_every_journal_problem_and_card_word_has_its_spanish() -> None:
    from skills_app.content.mood import MOOD_WORDS
    from skills_app.text.words import journal as words

    spanish = text.translations("es")
    card = diary.DIARY_CARD
    messages = [*words.PROBLEMS.values(), *words.LABELS, *MOOD_WORDS,
                *(group.title for group in card.groups),
                *(word for item in card.items for word in (
                    item.label, item.phrase, item.asked, item.low_means, item.top_means)
                  if word)]
    missing = [message for message in messages if spanish.gettext(message) == message
               and message not in ("No",)]
    assert missing == []
