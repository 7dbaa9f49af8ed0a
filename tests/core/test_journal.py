"""The mood journal: saving once, editing safely, owner-only access, bad input,
risk flags, local days across DST, and the diary-card week and daily summaries.

The clock is frozen at T0 (Wednesday 4 March 2026, noon in Chicago) unless a
test moves it.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, event, func, text
from sqlmodel import select

from skills_app.content.skills import SKILLS_BY_KEY
from skills_app.core import db, journal
from skills_app.core.clock import FrozenClock, frozen_clock
from skills_app.core.models import EntryKind, JournalEntry, JournalEntryTrigger, TriggerTag, User
from skills_app.core.problems import Problem
from tests.conftest import Account, make_account

T0 = datetime(2026, 3, 4, 18, 0, tzinfo=UTC)
CHICAGO = "America/Chicago"
MONDAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def clock() -> Iterator[FrozenClock]:
    with frozen_clock(T0) as frozen:
        yield frozen


def new_key() -> str:
    return str(uuid.uuid4())


def diary(**fields: object) -> dict[str, object]:
    return {"idempotency_key": new_key(), "kind": "diary", **fields}


def checkin(mood: object = 6, **fields: object) -> dict[str, object]:
    return {"idempotency_key": new_key(), "kind": "checkin", "mood": mood, **fields}


def save(account: Account, raw: object, time_zone: str = CHICAGO) -> journal.SaveResult:
    return journal.save_entry(account.identity.user_id, time_zone, raw)


def saved(account: Account, raw: object, time_zone: str = CHICAGO) -> journal.EntryView:
    result = save(account, raw, time_zone)
    assert result.ok, result.errors
    return result.entry


def count(model: type = JournalEntry) -> int:
    with db.transaction() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def stored(entry_id: int) -> JournalEntry | None:
    with db.transaction() as session:
        return session.get(JournalEntry, entry_id)


# --- quick check-ins --------------------------------------------------------

def test_a_check_in_keeps_mood_and_note_on_the_patients_local_day(alice: Account) -> None:
    entry = saved(alice, checkin(7, note="Long day, but I went for a walk."))
    assert entry.kind == EntryKind.CHECKIN
    assert entry.content.mood == 7
    assert entry.content.note == "Long day, but I went for a walk."
    assert entry.local_date == date(2026, 3, 4) and entry.time_zone == CHICAGO
    assert entry.occurred_at == T0 and entry.occurred_at.tzinfo is not None
    assert entry.version == 1 and not entry.risk_flag


@pytest.mark.parametrize("mood", [None, "", " "])
def test_a_check_in_needs_a_mood(alice: Account, mood: object) -> None:
    result = save(alice, checkin(mood))
    assert result.errors == {"mood": Problem("rate_item", label="your mood", high=10)}
    assert count() == 0


def test_a_check_in_note_is_one_line_of_up_to_200_characters(alice: Account) -> None:
    assert saved(alice, checkin(note="a" * 200)).content.note == "a" * 200
    assert save(alice, checkin(note="a" * 201)).errors["note"] == Problem(
        "too_long", label="note", high=200, count=201)
    assert save(alice, checkin(note="one\ntwo")).errors["note"] == Problem(
        "control_character", label="note")
    assert count() == 1


# --- ratings ----------------------------------------------------------------

BAD_NUMBERS = [-1, 5.5, "5.5", "abc", math.nan, math.inf, [3], {"value": 3}, True, False]


@pytest.mark.parametrize("value", [*BAD_NUMBERS, 11, "11", 10**30])
def test_bad_moods_are_refused_with_a_clear_message(alice: Account, value: object) -> None:
    result = save(alice, checkin(value))
    assert result.errors["mood"] in {
        Problem("rate_item", label="your mood", high=10),
        Problem("rate_item_whole", label="your mood", high=10),
    }
    assert count() == 0


@pytest.mark.parametrize("field", ["emotion_joy", "emotion_guilt", "urge_suicide",
                                   "urge_quit_therapy"])
@pytest.mark.parametrize("value", [*BAD_NUMBERS, 6])
def test_bad_diary_ratings_are_refused(alice: Account, field: str, value: object) -> None:
    result = save(alice, diary(**{field: value}))
    assert set(result.errors) == {field}
    assert result.errors[field].code in ("rate_item", "rate_item_whole")
    assert result.errors[field].params["high"] == 5
    assert count() == 0


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("mood", 0, 0), ("mood", 10, 10), ("mood", "7", 7), ("mood", " 3 ", 3),
    ("emotion_joy", 0, 0), ("emotion_joy", 5, 5), ("urge_self_harm", "2", 2),
    ("craving", 10, 10), ("craving", None, None), ("emotion_fear", None, None),
])
def test_whole_numbers_in_range_are_accepted(alice: Account, field: str, value: object,
                                             expected: int | None) -> None:
    # A note keeps the card from being empty when the value is left blank.
    entry = saved(alice, diary(note="A day.", **{field: value}))
    assert getattr(entry.content, field) == expected


def test_a_blank_rating_is_not_rated_rather_than_zero(alice: Account) -> None:
    entry = saved(alice, diary(note="Just a note today."))
    assert entry.content.emotion_joy is None and entry.content.urge_suicide is None
    assert stored(entry.id).urge_suicide is None


@pytest.mark.parametrize("value", [11, -1, 2.5, "lots"])
def test_craving_runs_from_0_to_10(alice: Account, value: object) -> None:
    problem = save(alice, diary(craving=value)).errors["craving"]
    assert problem.params == {"label": "your craving", "high": 10}


@pytest.mark.parametrize("value", [1, 0, "yes", "true", [True]])
def test_acted_on_must_be_a_real_yes_or_no(alice: Account, value: object) -> None:
    result = save(alice, diary(acted_self_harm=value))
    assert result.errors == {
        "acted_self_harm": Problem("acted_item", label="self-harm urges")}


@pytest.mark.parametrize(("value", "expected"), [(None, None), (True, True), (False, False)])
def test_medications_are_yes_no_or_not_set(alice: Account, value: object,
                                           expected: bool | None) -> None:
    entry = saved(alice, diary(note="A day.", medications_taken=value))
    assert entry.content.medications_taken is expected


def test_medications_refuse_anything_but_yes_or_no(alice: Account) -> None:
    assert save(alice, diary(medications_taken="no")).errors["medications_taken"] == Problem(
        "yes_no_item", label="your medications")


@pytest.mark.parametrize(("value", "expected"), [
    (0, 0.0), (7.5, 7.5), ("8", 8.0), ("6.5", 6.5), (24, 24.0), (None, None)])
def test_sleep_hours_go_in_half_hours_from_0_to_24(alice: Account, value: object,
                                                  expected: float | None) -> None:
    assert saved(alice, diary(note="A day.", sleep_hours=value)).content.sleep_hours == expected


@pytest.mark.parametrize("value", [7.25, 24.5, -0.5, math.nan, math.inf, True, "eight", [8]])
def test_bad_sleep_hours_are_refused(alice: Account, value: object) -> None:
    result = save(alice, diary(sleep_hours=value))
    assert result.errors["sleep_hours"] == Problem("hours_item", label="hours of sleep",
                                                   high=24)


# --- text -------------------------------------------------------------------

def test_a_note_of_exactly_20000_characters_is_kept_whole(alice: Account) -> None:
    note = ("Line of thought. " * 1200)[:19_999] + "!"
    assert len(note) == 20_000
    entry = saved(alice, diary(note=note))
    assert stored(entry.id).note == note


def test_a_note_of_20001_characters_is_refused(alice: Account) -> None:
    result = save(alice, diary(note="a" * 20_001))
    assert result.errors == {"note": Problem("too_long", label="note", high=20_000,
                                             count=20_001)}
    assert count() == 0


def test_a_note_of_over_a_megabyte_is_refused_quickly(alice: Account) -> None:
    started = time.perf_counter()
    result = save(alice, diary(note="é" * 1_100_000))
    assert result.errors["note"].code == "too_long"
    assert time.perf_counter() - started < 0.5
    assert count() == 0


def test_surrounding_whitespace_does_not_count_against_the_limit(alice: Account) -> None:
    assert saved(alice, diary(note="\n" + "a" * 20_000 + "\n\n")).content.note == "a" * 20_000


@pytest.mark.parametrize("note", [
    "Family 👩‍👩‍👧‍👦 dinner, felt 🧑🏽‍🦱 calm",  # emoji ZWJ sequences and skin tones
    "cafe\u0301 with Zoe\u0308 — combining marks",
    "שלום, היום היה קשה",  # right-to-left
    "tricky \u202eRTL override\u202c text",
    "zero\u200bwidth\u200dspaces",
    "Line one\nLine two\n\tindented",
    "<script>alert(1)</script> <img src=x onerror=alert(1)> javascript:alert(1)",
    "x",
])
def test_real_world_text_is_stored_exactly(alice: Account, note: str) -> None:
    # Issue 23: stored composed (NFC), without bidi controls or zero-width characters
    # that no script or emoji needs (`schemas.normalise_text`); everything else as typed.
    expected = {"cafe\u0301 with Zoe\u0308 — combining marks": "café with Zoë — combining marks",
                "tricky \u202eRTL override\u202c text": "tricky RTL override text",
                "zero\u200bwidth\u200dspaces": "zerowidthspaces"}.get(note, note)
    entry = saved(alice, diary(note=note))
    assert entry.content.note == expected
    assert stored(entry.id).note == expected


@pytest.mark.parametrize(("note", "code"), [
    ("before\x00after", "control_character"),
    ("lone \ud83d surrogate", "unstorable_character"),
    ("bell\x07", "control_character"),
    (["a list"], "not_text"),
    (42, "not_text"),
])
def test_unstorable_text_is_refused(alice: Account, note: object, code: str) -> None:
    assert save(alice, diary(note=note)).errors["note"] == Problem(code, label="note")
    assert count() == 0


def test_substance_use_text_is_optional_and_limited(alice: Account) -> None:
    entry = saved(alice, diary(substance_what="Alcohol", substance_amount="two beers"))
    assert (entry.content.substance_what, entry.content.substance_amount) == (
        "Alcohol", "two beers")
    assert saved(alice, diary(substance_what="a" * 200)).content.substance_amount == ""
    result = save(alice, diary(substance_what="a" * 201, substance_amount="b" * 201))
    assert set(result.errors) == {"substance_what", "substance_amount"}


# --- skills, custom items, triggers ------------------------------------------

def test_skills_are_keys_from_the_skills_list(alice: Account) -> None:
    entry = saved(alice, diary(skills=["distress_tolerance.stop", "mindfulness.wise_mind",
                                       "distress_tolerance.stop"]))
    assert entry.content.skills == ("distress_tolerance.stop", "mindfulness.wise_mind")


@pytest.mark.parametrize("skills", [["distress_tolerance.flying"], ["STOP"], "mindfulness.observe",
                                    [["mindfulness.observe"]], [None], {"a": 1}])
def test_unknown_skills_are_refused(alice: Account, skills: object) -> None:
    result = save(alice, diary(skills=skills))
    assert result.errors == {"skills": Problem("pick_skills")}


def test_every_skill_in_the_list_can_be_saved(alice: Account) -> None:
    keys = list(SKILLS_BY_KEY)
    assert len(keys) == 37 and "interpersonal_effectiveness.dear_man" in keys
    assert saved(alice, diary(skills=keys)).content.skills == tuple(keys)


def test_up_to_five_custom_emotions_and_urges(alice: Account) -> None:
    emotions = [{"name": f"Feeling {n}", "rating": n} for n in range(5)]
    urges = [{"name": "Binge eating", "rating": 0, "acted_on": True},
             {"name": "Isolate", "rating": 3}]
    entry = saved(alice, diary(custom_emotions=emotions, custom_urges=urges))
    assert [(item.name, item.rating) for item in entry.content.custom_emotions] == [
        (f"Feeling {n}", n) for n in range(5)]
    assert [(u.name, u.rating, u.acted_on) for u in entry.content.custom_urges] == [
        ("Binge eating", 0, True), ("Isolate", 3, False)]
    too_many = save(alice, diary(custom_emotions=[*emotions, {"name": "Sixth", "rating": 1}]))
    assert too_many.errors == {"custom_emotions": Problem("too_many_own_emotions", high=5)}


@pytest.mark.parametrize(("items", "problem"), [
    ([{"name": "Lonely", "rating": 2}, {"name": " lonely ", "rating": 3}],
     Problem("already_on_card", name="lonely")),
    ([{"name": "JOY", "rating": 2}], Problem("already_on_card", name="JOY")),
    ([{"name": "Lonely", "rating": None}], Problem("rate_own_item", name="Lonely", high=5)),
    ([{"name": "Lonely", "rating": 6}], Problem("rate_own_item", name="Lonely", high=5)),
    ([{"name": "", "rating": 1}], Problem("missing_text", label="emotion name")),
    ([{"name": "x" * 41, "rating": 1}],
     Problem("too_long", label="emotion name", high=40, count=41)),
    (["Lonely"], Problem("own_emotions_one_at_a_time")),
    ("Lonely", Problem("own_emotions_one_at_a_time")),
])
def test_bad_custom_emotions_are_refused(alice: Account, items: object,
                                         problem: Problem) -> None:
    assert save(alice, diary(custom_emotions=items)).errors["custom_emotions"] == problem


def test_custom_urges_cannot_repeat_the_standard_ones(alice: Account) -> None:
    for name in ("Self-harm", "self harm", "SUICIDE", "substance_use"):
        result = save(alice, diary(custom_urges=[{"name": name, "rating": 1}]))
        assert result.errors["custom_urges"].code == "already_on_card"


def test_triggers_are_trimmed_and_case_insensitively_unique(alice: Account) -> None:
    entry = saved(alice, diary(triggers=["Work", " work ", "WORK", "Family   time", "money"]))
    assert entry.content.triggers == ("Family time", "money", "Work")
    assert journal.trigger_tags(alice.identity.user_id) == ["Family time", "money", "Work"]


def test_trigger_tags_are_reused_per_patient(alice: Account, bob: Account) -> None:
    saved(alice, diary(triggers=["Work"]))
    second = saved(alice, diary(triggers=["work", "Traffic"]))
    saved(bob, diary(triggers=["work"]))
    assert second.content.triggers == ("Traffic", "Work")  # the first spelling is kept
    assert journal.trigger_tags(alice.identity.user_id) == ["Traffic", "Work"]
    assert journal.trigger_tags(bob.identity.user_id) == ["work"]
    assert count(TriggerTag) == 3


@pytest.mark.parametrize(("triggers", "problem"), [
    (["x" * 41], Problem("too_long", label="trigger", high=40, count=41)),
    ([""], Problem("missing_text", label="trigger")),
    ([f"tag {n}" for n in range(11)], Problem("too_many_triggers", high=10)),
    ("work", Problem("triggers_one_at_a_time")),
    ([["work"]], Problem("not_text", label="trigger")),
    (["bad\x00tag"], Problem("control_character", label="trigger")),
])
def test_bad_triggers_are_refused(alice: Account, triggers: object, problem: Problem) -> None:
    assert save(alice, diary(triggers=triggers)).errors["triggers"] == problem
    assert count(TriggerTag) == 0


def test_ten_triggers_of_40_characters_are_accepted(alice: Account) -> None:
    triggers = [f"{n}".ljust(40, "x") for n in range(10)]
    assert len(saved(alice, diary(triggers=triggers)).content.triggers) == 10


# --- nothing half-saved -----------------------------------------------------

def test_one_bad_field_saves_nothing_at_all(alice: Account) -> None:
    result = save(alice, diary(note="Keep me", triggers=["New tag"], emotion_joy=3,
                               urge_suicide=9))
    assert set(result.errors) == {"urge_suicide"}
    assert (count(), count(TriggerTag), count(JournalEntryTrigger)) == (0, 0, 0)


def test_every_bad_field_is_reported_at_once(alice: Account) -> None:
    result = save(alice, {"kind": "diary", "emotion_joy": -1, "sleep_hours": 30,
                          "skills": ["nope"], "note": "\x00"})
    assert set(result.errors) == {"idempotency_key", "emotion_joy", "sleep_hours", "skills",
                                  "note"}


@pytest.mark.parametrize("raw", [None, "text", ["list"], 42])
def test_a_form_that_is_not_a_form_is_refused(alice: Account, raw: object) -> None:
    assert save(alice, raw).errors == {"form": journal.BAD_FORM}


@pytest.mark.parametrize("kind", [None, "", "journal", "CHECKIN", 1])
def test_an_unknown_kind_is_refused(alice: Account, kind: object) -> None:
    result = save(alice, {"idempotency_key": new_key(), "kind": kind, "mood": 5})
    assert result.errors == {"kind": Problem("choose_entry_kind")}


def test_a_user_id_in_the_form_is_ignored(alice: Account, bob: Account) -> None:
    entry = saved(alice, checkin(5, user_id=bob.identity.user_id))
    assert stored(entry.id).user_id == alice.identity.user_id


def test_an_unknown_time_zone_from_the_caller_is_refused(alice: Account) -> None:
    assert "time_zone" in save(alice, checkin(), time_zone="Mars/Olympus").errors
    assert count() == 0


# --- idempotency --------------------------------------------------------------

def test_the_same_key_twice_makes_one_row(alice: Account) -> None:
    raw = checkin(4, note="double tap")
    first, second = save(alice, raw), save(alice, raw)
    assert first.created and not second.created
    assert second.ok and second.entry.id == first.entry.id
    assert count() == 1


def test_a_resend_with_changed_content_is_stored_as_an_edit(alice: Account) -> None:
    """The answer to the first save was lost; the patient edited and saved again."""
    raw = diary(mood=4, note="first", triggers=["work"])
    first = saved(alice, raw)
    again = save(alice, {**raw, "mood": 9, "note": "second", "triggers": ["home"]})
    assert again.ok and not again.created and again.entry.id == first.id
    assert (again.entry.content.note, again.entry.content.mood) == ("second", 9)
    assert again.entry.content.triggers == ("home",) and again.entry.version == 2
    assert journal.get_entry(alice.identity.user_id, first.id).content.note == "second"
    assert count() == 1
    # The edit's own answer lost too: the same content again is not a second edit.
    assert save(alice, {**raw, "mood": 9, "note": "second", "triggers": ["home"]}
                ).entry.version == 2


def test_a_changed_resend_after_an_edit_elsewhere_is_a_conflict_with_both_texts(
        alice: Account) -> None:
    raw = checkin(4, note="from this phone")
    first = saved(alice, raw)
    edited = journal.update_entry(alice.identity.user_id, first.id, first.version,
                                  checkin(5, note="from the laptop"))
    assert edited.ok
    again = save(alice, {**raw, "note": "from this phone, longer"})
    assert not again.ok and again.conflict is not None
    assert again.conflict.stored.content.note == "from the laptop"
    assert again.conflict.attempted.note == "from this phone, longer"
    assert journal.get_entry(alice.identity.user_id, first.id).content.note == "from the laptop"


def test_a_changed_resend_of_an_entry_deleted_elsewhere_says_so(alice: Account) -> None:
    raw = checkin(4, note="first")
    first = saved(alice, raw)
    assert journal.delete_entry(alice.identity.user_id, first.id).ok
    again = save(alice, {**raw, "note": "second"})
    assert not again.ok and again.errors["form"] == Problem("deleted_elsewhere")


def test_the_key_is_compared_in_canonical_form(alice: Account) -> None:
    key = new_key()
    saved(alice, {**checkin(), "idempotency_key": key})
    again = save(alice, {**checkin(), "idempotency_key": key.upper().replace("-", "")})
    assert not again.created and count() == 1


def test_another_patients_key_is_refused_without_leaking_their_entry(alice: Account,
                                                                     bob: Account) -> None:
    raw = diary(note="alice's private note", urge_suicide=5)
    saved(alice, raw)
    result = save(bob, {**raw, "note": "bob"})
    assert not result.ok and result.entry is None
    assert result.errors == {"form": journal.KEY_IN_USE}
    assert "alice" not in repr(result)
    assert count() == 1


@pytest.mark.parametrize("key", [None, "", "not-a-uuid", 12345, "1" * 500, ["uuid"]])
def test_a_missing_or_malformed_key_is_refused(alice: Account, key: object) -> None:
    result = save(alice, {**checkin(), "idempotency_key": key})
    assert result.errors == {"idempotency_key": journal.BAD_FORM}


# --- the entry's moment and local day -------------------------------------------

def test_half_past_one_on_the_us_dst_change_day_lands_on_that_day(alice: Account,
                                                                 clock: FrozenClock) -> None:
    with frozen_clock(datetime(2026, 3, 8, 7, 30, tzinfo=UTC)):  # 01:30 CST, 8 March
        now_entry = saved(alice, checkin())
    assert now_entry.local_date == date(2026, 3, 8)
    with frozen_clock(datetime(2026, 3, 9, 12, 0, tzinfo=UTC)):
        backdated = saved(alice, checkin(occurred_at="2026-03-08T01:30:00-06:00"))
        late_saturday = saved(alice, checkin(occurred_at="2026-03-07T23:30:00-06:00"))
    assert backdated.local_date == date(2026, 3, 8)
    assert backdated.occurred_at == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert late_saturday.local_date == date(2026, 3, 7)


def test_today_differs_between_auckland_and_los_angeles_at_one_instant(alice: Account,
                                                                      bob: Account) -> None:
    with frozen_clock(datetime(2026, 3, 10, 20, 0, tzinfo=UTC)):
        auckland = saved(alice, checkin(), time_zone="Pacific/Auckland")
        los_angeles = saved(bob, checkin(), time_zone="America/Los_Angeles")
    assert auckland.local_date == date(2026, 3, 11)
    assert los_angeles.local_date == date(2026, 3, 10)
    assert auckland.time_zone == "Pacific/Auckland"


def test_a_diary_card_can_be_filled_in_for_last_night(alice: Account) -> None:
    entry = saved(alice, diary(occurred_at="2026-03-03T21:00:00-06:00", urge_suicide=1))
    assert entry.local_date == date(2026, 3, 3)
    assert entry.created_at == T0


@pytest.mark.parametrize(("moment", "code"), [
    ("2026-03-04T18:06:00+00:00", "moment_in_future"),
    ("2025-03-01T12:00:00+00:00", "moment_too_old"),
    ("2026-03-04T10:00:00", "moment_without_zone"),
    ("yesterday", "bad_moment"),
    ("2026-02-30T10:00:00Z", "bad_moment"),
    (1_772_640_000, "bad_moment"),
    ("9" * 100, "bad_moment"),
])
def test_bad_entry_times_are_refused(alice: Account, moment: object, code: str) -> None:
    assert save(alice, checkin(occurred_at=moment)).errors["occurred_at"] == Problem(code)


def test_a_phone_clock_a_little_ahead_is_fine(alice: Account) -> None:
    assert saved(alice, checkin(occurred_at="2026-03-04T18:04:00Z")).local_date == date(2026, 3, 4)


# --- risk flag ----------------------------------------------------------------

@pytest.mark.parametrize(("fields", "flagged"), [
    ({"urge_suicide": 4}, True),
    ({"urge_suicide": 5}, True),
    ({"urge_self_harm": 4}, True),
    ({"urge_suicide": 3, "urge_self_harm": 3}, False),
    ({"urge_suicide": 0, "acted_suicide": True}, True),
    ({"urge_self_harm": 0, "acted_self_harm": True}, True),
    ({"acted_self_harm": True}, True),
    ({"urge_substance_use": 5, "acted_substance_use": True}, False),
    ({"urge_quit_therapy": 5}, False),
    ({"custom_urges": [{"name": "Run away", "rating": 5, "acted_on": True}]}, False),
    ({}, False),
])
def test_risk_flag(alice: Account, fields: dict[str, object], flagged: bool) -> None:
    entry = saved(alice, diary(note="A day.", **fields))
    assert entry.risk_flag is flagged
    assert stored(entry.id).risk_flag is flagged


def test_check_ins_never_carry_a_risk_flag(alice: Account) -> None:
    assert not saved(alice, checkin(0)).risk_flag


def test_editing_the_urge_down_clears_the_risk_flag(alice: Account) -> None:
    entry = saved(alice, diary(urge_suicide=4))
    result = journal.update_entry(alice.identity.user_id, entry.id, 1, {"urge_suicide": 2})
    assert result.ok and not result.entry.risk_flag and not stored(entry.id).risk_flag


# --- editing ------------------------------------------------------------------

def test_an_edit_replaces_the_content_and_bumps_the_version(alice: Account,
                                                           clock: FrozenClock) -> None:
    entry = saved(alice, diary(note="first draft", emotion_joy=1, triggers=["Work"]))
    later = clock.advance(minutes=5)
    result = journal.update_entry(alice.identity.user_id, entry.id, entry.version,
                                  {"note": "second draft", "emotion_joy": 3, "triggers": ["Rain"]})
    assert result.ok
    assert result.entry.version == 2 and result.entry.updated_at == later
    assert result.entry.created_at == T0 and result.entry.occurred_at == T0
    assert result.entry.content.note == "second draft" and result.entry.content.emotion_joy == 3
    assert result.entry.content.triggers == ("Rain",)
    assert journal.trigger_tags(alice.identity.user_id) == ["Rain", "Work"]


def test_an_edit_keeps_kind_moment_and_owner(alice: Account, bob: Account) -> None:
    entry = saved(alice, checkin(5))
    result = journal.update_entry(alice.identity.user_id, entry.id, 1, {
        "mood": 6, "kind": "diary", "occurred_at": "2026-03-01T12:00:00Z",
        "user_id": bob.identity.user_id, "idempotency_key": new_key()})
    assert result.ok
    row = stored(entry.id)
    assert (row.kind, row.occurred_at, row.user_id, row.idempotency_key) == (
        "checkin", T0, alice.identity.user_id, entry.idempotency_key)
    assert row.mood == 6


def test_a_stale_edit_is_a_conflict_that_keeps_both_texts(alice: Account) -> None:
    entry = saved(alice, diary(note="written on the phone"))
    uid = alice.identity.user_id
    assert journal.update_entry(uid, entry.id, 1, {"note": "edited on the laptop"}).ok
    stale = journal.update_entry(uid, entry.id, 1, {"note": "edited on the phone, offline"})
    assert not stale.ok and stale.entry is None and stale.errors is None
    assert stale.conflict.stored.content.note == "edited on the laptop"
    assert stale.conflict.stored.version == 2
    assert stale.conflict.attempted.note == "edited on the phone, offline"
    assert stored(entry.id).note == "edited on the laptop" and stored(entry.id).version == 2
    # The patient keeps theirs by resending against the version they were shown.
    kept = journal.update_entry(uid, entry.id, stale.conflict.stored.version,
                                stale.conflict.attempted.model_dump())
    assert kept.ok and kept.entry.content.note == "edited on the phone, offline"
    assert kept.entry.version == 3


@pytest.mark.parametrize("version", [None, "abc", 0, -1, 2, 10**30, True, 1.0])
def test_a_missing_or_wrong_version_is_a_conflict(alice: Account, version: object) -> None:
    entry = saved(alice, checkin(5))
    result = journal.update_entry(alice.identity.user_id, entry.id, version, {"mood": 1})
    assert result.conflict is not None and stored(entry.id).mood == 5


def test_the_version_may_arrive_as_text(alice: Account) -> None:
    entry = saved(alice, checkin(5))
    assert journal.update_entry(alice.identity.user_id, entry.id, "1", {"mood": 1}).ok


def test_a_bad_edit_saves_nothing(alice: Account) -> None:
    entry = saved(alice, diary(note="keep", triggers=["Work"]))
    result = journal.update_entry(alice.identity.user_id, entry.id, 1,
                                  {"note": "changed", "triggers": ["x" * 41]})
    assert set(result.errors) == {"triggers"}
    row = stored(entry.id)
    assert (row.note, row.version) == ("keep", 1)
    assert journal.get_entry(alice.identity.user_id, entry.id).content.triggers == ("Work",)


def test_a_check_in_is_edited_with_check_in_rules(alice: Account) -> None:
    entry = saved(alice, checkin(5))
    result = journal.update_entry(alice.identity.user_id, entry.id, 1, {"mood": None})
    assert result.errors == {"mood": Problem("rate_item", label="your mood", high=10)}


# --- owner-only access --------------------------------------------------------

FORGED_IDS = [-1, 0, 10**30, 2**63, "abc", "1 OR 1=1", None, True, 1.5, [1], ""]


def test_bob_cannot_edit_delete_restore_or_read_alices_entry(alice: Account,
                                                            bob: Account) -> None:
    entry = saved(alice, diary(note="alice only"))
    bob_id = bob.identity.user_id
    for result in (journal.update_entry(bob_id, entry.id, 1, {"note": "bob was here"}),
                   journal.delete_entry(bob_id, entry.id),
                   journal.restore_entry(bob_id, entry.id)):
        assert result.errors == {"form": journal.NOT_FOUND}
        assert result.entry is None and result.conflict is None
    assert journal.get_entry(bob_id, entry.id) is None
    assert journal.search_entries(bob_id, "alice") == []
    assert journal.entries_for_week(bob_id, MONDAY) == []
    row = stored(entry.id)
    assert (row.note, row.version, row.deleted_at) == ("alice only", 1, None)


def test_bob_cannot_restore_an_entry_alice_deleted(alice: Account, bob: Account) -> None:
    entry = saved(alice, checkin())
    assert journal.delete_entry(alice.identity.user_id, entry.id).ok
    assert journal.restore_entry(bob.identity.user_id, entry.id).errors == {
        "form": journal.NOT_FOUND}
    assert stored(entry.id).deleted_at is not None


@pytest.mark.parametrize("entry_id", FORGED_IDS)
def test_forged_ids_are_not_found(alice: Account, entry_id: object) -> None:
    saved(alice, checkin())
    uid = alice.identity.user_id
    assert journal.update_entry(uid, entry_id, 1, {"mood": 1}).errors == {
        "form": journal.NOT_FOUND}
    assert journal.delete_entry(uid, entry_id).errors == {"form": journal.NOT_FOUND}
    assert journal.restore_entry(uid, entry_id).errors == {"form": journal.NOT_FOUND}
    assert journal.get_entry(uid, entry_id) is None


def test_an_id_may_arrive_as_text(alice: Account) -> None:
    entry = saved(alice, checkin())
    assert journal.get_entry(alice.identity.user_id, str(entry.id)).id == entry.id


# --- delete, undo, purge ----------------------------------------------------------

def test_a_deleted_entry_disappears_and_can_be_undone_within_ten_seconds(
        alice: Account, clock: FrozenClock) -> None:
    entry = saved(alice, diary(note="oops", triggers=["Work"]))
    uid = alice.identity.user_id
    assert journal.delete_entry(uid, entry.id).ok
    assert journal.get_entry(uid, entry.id) is None
    assert journal.entries_for_week(uid, MONDAY) == []
    assert journal.search_entries(uid, "oops") == []
    assert journal.daily_summaries(uid, T0.date(), T0.date())[0].entry_count == 0
    assert journal.update_entry(uid, entry.id, 1, {"note": "x"}).errors == {
        "form": journal.NOT_FOUND}
    assert journal.delete_entry(uid, entry.id).errors == {"form": journal.NOT_FOUND}
    clock.advance(seconds=10)
    restored = journal.restore_entry(uid, entry.id)
    assert restored.ok and restored.entry.deleted_at is None
    assert journal.get_entry(uid, entry.id).content.triggers == ("Work",)


def test_undo_is_refused_after_ten_seconds(alice: Account, clock: FrozenClock) -> None:
    entry = saved(alice, checkin())
    journal.delete_entry(alice.identity.user_id, entry.id)
    clock.advance(seconds=10, milliseconds=1)
    assert journal.restore_entry(alice.identity.user_id, entry.id).errors == {
        "form": journal.TOO_LATE_TO_UNDO}


def test_deleted_entries_are_erased_after_a_minute(alice: Account, bob: Account,
                                                   clock: FrozenClock) -> None:
    gone = saved(alice, diary(triggers=["Work"]))
    kept = saved(bob, checkin())
    journal.delete_entry(alice.identity.user_id, gone.id)
    clock.advance(seconds=59)
    assert journal.purge_deleted_entries() == 0
    clock.advance(seconds=2)
    assert journal.purge_deleted_entries() == 1
    assert stored(gone.id) is None and stored(kept.id) is not None
    assert count(JournalEntryTrigger) == 0
    assert journal.trigger_tags(alice.identity.user_id) == ["Work"]  # tags stay for reuse
    assert journal.restore_entry(alice.identity.user_id, gone.id).errors == {
        "form": journal.NOT_FOUND}


def test_deleting_an_account_deletes_its_journal(alice: Account, bob: Account) -> None:
    saved(alice, diary(triggers=["Work"]))
    saved(bob, checkin())
    with db.transaction() as session:
        session.execute(delete(User).where(User.id == alice.identity.user_id))
    assert count() == 1 and count(TriggerTag) == 0 and count(JournalEntryTrigger) == 0


# --- reading back -------------------------------------------------------------

def test_entries_for_week_are_the_local_week_newest_first(alice: Account, bob: Account) -> None:
    moments = {
        "last sunday night": "2026-03-01T23:30:00-06:00",
        "monday morning": "2026-03-02T08:00:00-06:00",
        "tuesday": "2026-03-03T12:00:00-06:00",
        "wednesday": "2026-03-04T11:00:00-06:00",
    }
    for note, moment in moments.items():
        saved(alice, checkin(note=note, occurred_at=moment))
    saved(bob, checkin(note="bob's"))
    for any_day_of_week in (MONDAY, date(2026, 3, 4), date(2026, 3, 8)):
        week = journal.entries_for_week(alice.identity.user_id, any_day_of_week)
        assert [e.content.note for e in week] == ["wednesday", "tuesday", "monday morning"]
    previous = journal.entries_for_week(alice.identity.user_id, date(2026, 2, 23))
    assert [e.content.note for e in previous] == ["last sunday night"]


def test_search_is_case_insensitive_and_only_in_the_patients_notes(alice: Account,
                                                                    bob: Account) -> None:
    saved(alice, diary(note="Talked to my SISTER about the weekend."))
    saved(alice, checkin(note="sister visited"))
    saved(alice, diary(note="Nothing to report."))
    saved(bob, diary(note="my sister too"))
    found = journal.search_entries(alice.identity.user_id, "Sister")
    assert sorted(e.content.note for e in found) == [
        "Talked to my SISTER about the weekend.", "sister visited"]


SCRIPT_NOTES = (
    "Un été très chaud", "Cafe\u0301 with a friend", "Привет от соседа",
    "Ο δρόμος ήταν ήσυχος", "Die Straße war laut", "GROSSE Angst heute",
)


@pytest.fixture(params=["database", "postgres_database"])
def any_database(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize(("term", "found"), [
    ("ÉTÉ", ["Un été très chaud"]),
    ("TRÈS chaud", ["Un été très chaud"]),
    ("CAFÉ", ["Café with a friend"]),  # typed as e + combining accent, stored as é (NFC)
    ("ПРИВЕТ", ["Привет от соседа"]),
    ("СОСЕДА", ["Привет от соседа"]),
    ("ΔΡΌΜΟΣ", ["Ο δρόμος ήταν ήσυχος"]),  # capital sigma finds the final ς
    ("ΉΣΥΧΟΣ", ["Ο δρόμος ήταν ήσυχος"]),
    ("STRASSE", ["Die Straße war laut"]),
    ("straße", ["Die Straße war laut"]),
    ("STRAẞE", ["Die Straße war laut"]),
    ("große", ["GROSSE Angst heute"]),
    ("strase", []),
    ("ete", []),  # accents still count
])
def test_search_ignores_case_in_every_script(any_database: str, term: str,
                                             found: list[str]) -> None:
    account = make_account("alice", "patient")
    for note in SCRIPT_NOTES:
        saved(account, diary(note=note))
    notes = [e.content.note for e in journal.search_entries(account.identity.user_id, term)]
    assert notes == found


def test_full_width_wildcards_stay_literal_after_folding(alice: Account) -> None:
    saved(alice, diary(note="file_name"))
    saved(alice, diary(note="fileXname"))
    found = journal.search_entries(alice.identity.user_id, "E\uff3fN")  # full-width low line
    assert [e.content.note for e in found] == ["file_name"]


def test_search_treats_percent_underscore_and_backslash_literally(alice: Account) -> None:
    saved(alice, diary(note="felt 100% better"))
    saved(alice, diary(note="felt 1000 better"))
    saved(alice, diary(note="file_name"))
    saved(alice, diary(note="fileXname"))
    saved(alice, diary(note="back\\slash"))
    uid = alice.identity.user_id
    assert [e.content.note for e in journal.search_entries(uid, "100%")] == ["felt 100% better"]
    assert [e.content.note for e in journal.search_entries(uid, "e_n")] == ["file_name"]
    assert [e.content.note for e in journal.search_entries(uid, "%")] == ["felt 100% better"]
    assert [e.content.note for e in journal.search_entries(uid, "k\\s")] == ["back\\slash"]


@pytest.mark.parametrize("term", ["", "   ", None, ["x"], "bad\x00", "x" * 201])
def test_a_blank_or_unusable_search_finds_nothing(alice: Account, term: object) -> None:
    saved(alice, diary(note="something"))
    assert journal.search_entries(alice.identity.user_id, term) == []


def test_entries_can_be_filtered_by_trigger_tag(alice: Account, bob: Account) -> None:
    saved(alice, diary(note="argument at work", triggers=["Work", "Conflict"]))
    saved(alice, diary(note="deadline", triggers=["work"]))
    saved(alice, diary(note="family dinner", triggers=["Family"]))
    saved(bob, diary(note="bob at work", triggers=["Work"]))
    uid = alice.identity.user_id
    by_tag = journal.search_entries(uid, trigger=" WORK ")
    assert sorted(e.content.note for e in by_tag) == ["argument at work", "deadline"]
    both = journal.search_entries(uid, "argument", trigger="work")
    assert [e.content.note for e in both] == ["argument at work"]
    assert journal.search_entries(uid, trigger="Unknown") == []


# --- the diary-card week --------------------------------------------------------

def fill_week(account: Account) -> None:
    with frozen_clock(datetime(2026, 3, 9, 12, 0, tzinfo=UTC)):  # the Monday after
        _fill_week(account)


def _fill_week(account: Account) -> None:
    monday = "2026-03-02T{}:00-06:00"
    saved(account, diary(occurred_at=monday.format("09:00"), emotion_joy=2, emotion_sadness=4,
                         urge_suicide=1, urge_substance_use=3, craving=6, mood=3,
                         sleep_hours=6.5, medications_taken=False,
                         skills=["mindfulness.observe"],
                         custom_emotions=[{"name": "Lonely", "rating": 2}],
                         custom_urges=[{"name": "Isolate", "rating": 4}]))
    saved(account, diary(occurred_at=monday.format("21:00"), emotion_joy=4, emotion_sadness=1,
                         urge_suicide=3, acted_substance_use=True, craving=2, mood=7,
                         medications_taken=True,
                         skills=["mindfulness.observe", "distress_tolerance.tipp"],
                         custom_emotions=[{"name": "lonely", "rating": 5}],
                         custom_urges=[{"name": "isolate", "rating": 1, "acted_on": True}]))
    saved(account, checkin(8, occurred_at="2026-03-03T20:00:00-06:00"))  # Tuesday
    saved(account, diary(occurred_at="2026-03-08T23:59:00-05:00", urge_self_harm=0,
                         acted_self_harm=True))  # Sunday, after the DST change


def test_the_week_grid_shows_each_days_highest(alice: Account, bob: Account) -> None:
    fill_week(alice)
    saved(bob, diary(emotion_joy=5, urge_suicide=5))
    grid = journal.diary_card_week(alice.identity.user_id, date(2026, 3, 5))
    assert grid.week_start == MONDAY
    assert grid.days == tuple(MONDAY + timedelta(days=n) for n in range(7))
    cells = {row.key: row.cells for row in grid.rows}
    _ = None
    assert cells["emotion.joy"] == (4, _, _, _, _, _, _)
    assert cells["emotion.sadness"] == (4, _, _, _, _, _, _)
    assert cells["urge.suicide"] == (3, _, _, _, _, _, _)
    assert cells["urge.substance_use"] == (3, _, _, _, _, _, _)
    # Acted-on needs a diary entry that day: Tuesday only had a check-in.
    assert cells["acted.substance_use"] == (True, _, _, _, _, _, False)
    assert cells["acted.suicide"] == (False, _, _, _, _, _, False)
    assert cells["acted.self_harm"] == (False, _, _, _, _, _, True)
    assert cells["urge.self_harm"] == (_, _, _, _, _, _, 0)
    assert cells["craving"] == (6, _, _, _, _, _, _)
    assert cells["mood"] == (5.0, 8.0, _, _, _, _, _)
    assert cells["sleep_hours"] == (6.5, _, _, _, _, _, _)
    assert cells["medications_taken"] == (True, _, _, _, _, _, _)
    assert cells["skills_used"] == (2, _, _, _, _, _, 0)
    assert cells["emotion.custom.lonely"] == (5, _, _, _, _, _, _)
    assert grid.row("emotion.custom.lonely").label == "Lonely"
    assert cells["urge.custom.isolate"] == (4, _, _, _, _, _, _)
    assert cells["acted.custom.isolate"] == (True, _, _, _, _, _, False)


def test_the_week_grid_lists_every_standard_item_even_when_empty(alice: Account) -> None:
    grid = journal.diary_card_week(alice.identity.user_id, MONDAY)
    keys = [row.key for row in grid.rows]
    assert keys == [
        "urge.suicide", "acted.suicide", "urge.self_harm", "acted.self_harm",
        "urge.substance_use", "acted.substance_use", "urge.quit_therapy", "acted.quit_therapy",
        "emotion.joy", "emotion.anger", "emotion.sadness", "emotion.fear", "emotion.shame",
        "emotion.guilt", "craving", "mood", "sleep_hours", "medications_taken", "skills_used"]
    assert all(row.cells == (None,) * 7 for row in grid.rows)
    assert grid.row("emotion.joy").scale_max == 5 and grid.row("craving").scale_max == 10


# --- daily summaries ------------------------------------------------------------

def test_daily_summaries_aggregate_each_local_day(alice: Account, bob: Account) -> None:
    fill_week(alice)
    saved(alice, checkin(1, occurred_at="2026-03-02T12:00:00-06:00"))
    saved(bob, checkin(10, occurred_at="2026-03-02T12:00:00-06:00"))
    days = journal.daily_summaries(alice.identity.user_id, MONDAY, date(2026, 3, 8))
    assert [day.local_date for day in days] == [MONDAY + timedelta(days=n) for n in range(7)]
    monday, tuesday, wednesday, sunday = days[0], days[1], days[2], days[6]
    assert (monday.entry_count, monday.diary_count) == (3, 2)
    assert monday.values == {
        "mood": pytest.approx(11 / 3), "emotion_joy": 4, "emotion_sadness": 4,
        "urge_suicide": 3, "urge_substance_use": 3, "craving": 6, "sleep_hours": 6.5,
        "medications_taken": True}
    assert monday.spread == {"mood": (1, 7)}
    assert monday.acted_on == {"urge_substance_use"} and monday.any_acted_on
    assert monday.custom_emotions == {"Lonely": 5}
    assert monday.custom_urges == {"Isolate": 4} and monday.custom_acted_on == {"isolate"}
    assert monday.skills_used == {"mindfulness.observe", "distress_tolerance.tipp"}
    assert not monday.risk_flag
    assert (tuesday.entry_count, tuesday.values, tuesday.any_acted_on) == (
        1, {"mood": 8.0}, False)
    assert wednesday.entry_count == 0 and wednesday.values == {} and wednesday.spread == {}
    assert not wednesday.risk_flag
    assert sunday.risk_flag and sunday.acted_on == {"urge_self_harm"}


def test_daily_summaries_refuse_reversed_or_huge_ranges(alice: Account) -> None:
    uid = alice.identity.user_id
    with pytest.raises(ValueError):
        journal.daily_summaries(uid, date(2026, 3, 2), date(2026, 3, 1))
    with pytest.raises(ValueError):
        journal.daily_summaries(uid, date(1, 1, 1), date(9999, 12, 31))
    assert len(journal.daily_summaries(uid, MONDAY, MONDAY)) == 1


def add_daily_history(user_id: int, first_day: date, days: int) -> None:
    """Years of entries written straight to the table, as if saved day by day."""
    with db.transaction() as session:
        for n in range(days):
            day = first_day + timedelta(days=n)
            moment = datetime(day.year, day.month, day.day, 20, tzinfo=UTC)
            session.add(JournalEntry(
                user_id=user_id, idempotency_key=new_key(), kind="diary", occurred_at=moment,
                time_zone="UTC", local_date=day, mood=n % 11, note="A day of practice. " * 40,
                emotion_joy=n % 6, emotion_fear=(n + 2) % 6, urge_suicide=n % 3,
                acted_substance_use=n % 17 == 0, craving=n % 11, sleep_hours=7.5,
                skills=["mindfulness.observe"], custom_emotions=[{"name": "Lonely", "rating": 2}],
            ))
            session.add(JournalEntry(
                user_id=user_id, idempotency_key=new_key(), kind="checkin",
                occurred_at=moment - timedelta(hours=8), time_zone="UTC", local_date=day,
                mood=(n + 5) % 11,
            ))


def test_a_90_day_summary_over_three_years_is_fast_and_uses_the_index(
        alice: Account, bob: Account) -> None:
    last_day = T0.date()
    first_day = last_day - timedelta(days=3 * 365)
    add_daily_history(alice.identity.user_id, first_day, 3 * 365 + 1)
    add_daily_history(bob.identity.user_id, first_day, 3 * 365 + 1)
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if "FROM journal_entry" in statement:
            statements.append((statement, parameters))

    engine = db.get_engine()
    event.listen(engine, "before_cursor_execute", capture)
    try:
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            days = journal.daily_summaries(alice.identity.user_id,
                                           last_day - timedelta(days=89), last_day)
            timings.append(time.perf_counter() - started)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert len(days) == 90 and all(day.entry_count == 2 for day in days)
    assert min(timings) < 0.05, timings
    statement, parameters = statements[0]
    with db.transaction() as session:
        plan = session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    assert "ix_journal_entry_user_day" in " ".join(str(row) for row in plan)


def test_the_journal_tables_come_from_the_migrations(database: str) -> None:
    with db.transaction() as session:
        indexes = {row[0] for row in session.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'journal_entry'"))}
        version = session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    # 0002 made the journal tables; later migrations keep them.
    assert "ix_journal_entry_user_day" in indexes and version >= "0002"


def test_saves_and_resends_behave_alike_on_sqlite_and_postgresql(any_database: str) -> None:
    account = make_account("alice", "patient")
    user_id = account.identity.user_id
    first = checkin(4, note="first")
    saved_first = saved(account, first)
    assert journal.get_entry(user_id, saved_first.id).content.note == "first"
    assert not save(account, first).created  # the same content again: one row
    edited = save(account, {**first, "note": "first, then more"})
    assert edited.ok and edited.entry.version == 2
    new_card = saved(account, diary(note="card", triggers=["Work"]))
    again = saved(account, diary(note="card two", triggers=["work"]))
    assert again.content.triggers == ("Work",) and new_card.content.triggers == ("Work",)
    assert journal.get_entry(user_id, saved_first.id).content.note == "first, then more"


def test_an_empty_diary_card_is_refused_kindly_and_nothing_is_stored(alice: Account) -> None:
    for empty in (diary(), diary(note="   ", acted_suicide=False, substance_what="")):
        result = save(alice, empty)
        assert not result.ok and result.errors == {"form": journal.EMPTY_CARD}
    assert count() == 0
    # Any one answer is enough, and 0 is an answer ("not at all" is not blank).
    for answered in (diary(mood=0), diary(urge_suicide=0), diary(note="Tired."),
                     diary(skills=["mindfulness.observe"]), diary(medications_taken=False),
                     diary(acted_self_harm=True)):
        assert save(alice, answered).ok
    entry = saved(alice, diary(mood=5))
    cleared = journal.update_entry(alice.identity.user_id, entry.id, entry.version, {})
    assert cleared.errors == {"form": journal.EMPTY_CARD}
    assert journal.get_entry(alice.identity.user_id, entry.id).content.mood == 5
