"""What the journal screens show, from plain values: no database, no Reflex."""

from __future__ import annotations

from datetime import date, timedelta

from skills_app.core import diary, journal
from skills_app.core.card_choice import CardChoice
from skills_app.core.journal.html_form import entry_input_from_form
from skills_app.core.schemas import parse_form
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
