"""The therapist's caseload rows and diary-card review: only shared categories, in DBT
order, blank apart from 0, this week beside last week, high urges without a skill."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from skills_app.core import measures, plans, progress, review, sharing
from skills_app.core.clock import FrozenClock, frozen_clock
from skills_app.core.diary import DIARY_CARD, Scale
from skills_app.core.review import Flag, FlagKind, Tier
from skills_app.views.therapist import caseload_rows as caseload_views
from skills_app.views.therapist import detail_screen
from tests.conftest import Account, make_account
from tests.sharing_helpers import MARKERS, checkup, diary_entry, safety_plan

T0 = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)  # a Friday
MONDAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def clock() -> Iterator[FrozenClock]:
    with frozen_clock(T0) as frozen:
        yield frozen


def diary_card_items() -> list:
    return [item for item in DIARY_CARD.items if item.scale != Scale.TEXT]


def everything_in(value: object) -> str:
    return repr(value)


def test_unshared_columns_are_never_read(alice: Account) -> None:
    diary_entry(alice, MONDAY, urge_suicide=5)
    only_mood = review.shared_summaries(alice.identity.user_id, frozenset({"mood"}), MONDAY,
                                        MONDAY)[0]
    assert only_mood.values["mood"] == 4 and "urge_suicide" not in only_mood.values
    assert only_mood.custom_urges == {} and only_mood.skills_used == frozenset()
    assert not only_mood.risk_flag
    assert MARKERS["substance_use"] not in everything_in(only_mood)
    only_use = review.shared_summaries(alice.identity.user_id, frozenset({"substance_use"}),
                                       MONDAY, MONDAY)[0]
    assert only_use.values == {"urge_substance_use": 2, "craving": 3}
    assert not only_use.risk_flag and only_use.acted_on == frozenset()
    assert MARKERS["mood"] not in everything_in(only_use)
    only_safety = review.shared_summaries(alice.identity.user_id, frozenset({"safety"}),
                                          MONDAY, MONDAY)[0]
    assert only_safety.values == {"urge_suicide": 5, "urge_self_harm": 0}
    assert only_safety.custom_urges == {}
    assert MARKERS["substance_use"] not in everything_in(only_safety)


def test_the_review_is_in_dbt_order_with_last_week_beside(alice: Account) -> None:
    diary_entry(alice, MONDAY - date.resolution * 7, urge_suicide=2)
    diary_entry(alice, MONDAY, urge_suicide=4, acted_self_harm=True, skills=[])
    diary_entry(alice, MONDAY + date.resolution, urge_suicide=0)
    everything = frozenset({"mood", "safety", "substance_use", "exercises"})
    found = review.diary_review(alice.identity.user_id, everything, date(2026, 3, 4))
    assert found.week_start == MONDAY
    keys = [section.key for section in found.sections]
    assert keys[:2] == ["life_threatening", "therapy_interfering"]
    first = [row.key for row in found.sections[0].rows]
    assert first == ["urge.suicide", "acted.suicide", "urge.self_harm", "acted.self_harm"]
    suicide = found.sections[0].rows[0]
    assert suicide.cells[:3] == (4, 0, None)  # 0 stays 0, an empty day is blank
    assert found.sections[0].rows[3].cells[0] is True
    assert found.last_week["urge.suicide"] == 2
    assert found.high_urge_no_skill[:2] == (True, False)
    assert found.skills_by_day[1] == ("TIP",)


def test_a_review_without_urges_shared_has_no_urge_rows_and_no_highlight(
        alice: Account) -> None:
    diary_entry(alice, MONDAY, urge_suicide=5, skills=[])
    found = review.diary_review(alice.identity.user_id, frozenset({"mood"}), MONDAY)
    keys = [row.key for section in found.sections for row in section.rows]
    assert not any(key.startswith(("urge", "acted", "craving")) for key in keys)
    assert "mood" in keys and not any(found.high_urge_no_skill)
    assert MARKERS["substance_use"] not in everything_in(found)


def test_caseload_flags_are_facts_from_shared_categories_only(alice: Account) -> None:
    diary_entry(alice, date(2026, 3, 2), urge_self_harm=4)
    uid = alice.identity.user_id
    no_check_in = Flag(Tier.MISSING, FlagKind.NO_CHECK_IN, None, date(2026, 3, 2), 4)
    with_safety = review.caseload_row(uid, "Alice", frozenset({"mood", "safety"}))
    assert with_safety.flags == (
        Flag(Tier.SAFETY_URGE, FlagKind.URGE, "urge_self_harm", date(2026, 3, 2), 4),
        no_check_in)
    assert with_safety.tier == Tier.SAFETY_URGE
    assert with_safety.last_check_in == progress.last_check_in(uid)
    # Self-harm is safety information: sharing substance use does not show it.
    use_only = review.caseload_row(uid, "Alice", frozenset({"mood", "substance_use"}))
    assert use_only.flags == (no_check_in,) and use_only.tier == Tier.MISSING
    assert review.caseload_row(uid, "Alice", frozenset({"mood"})).flags == (no_check_in,)
    nothing_journal = review.caseload_row(uid, "Alice", frozenset({"exercises"}))
    assert nothing_journal.flags == () and nothing_journal.last_check_in is None
    assert nothing_journal.mood_average is None and nothing_journal.tier is None


@pytest.mark.parametrize("asked", [None, "", "2026-13-01", "2030-01-01", "x" * 10, 5,
                                   "1999-01-01"])
def test_odd_weeks_mean_this_week(asked: object) -> None:
    assert review.week_of(asked, date(2026, 3, 6)) == MONDAY


def test_numbers_say_not_shared_instead_of_leaving_out(alice: Account) -> None:
    def numbers(*categories: str) -> dict[str, str]:
        screen = detail_screen(alice.identity.user_id, frozenset(categories), "")
        return {n["label"]: n["value"] for n in screen.numbers}

    assert numbers("mindfulness") == {"Last check-in": "Not shared",
                                      "Mood, last 7 days": "Not shared",
                                      "Mindfulness this week": "0 minutes"}
    assert set(numbers("exercises").values()) == {"Not shared"}


def shared(*keys: str) -> frozenset[str]:
    """What a grant of these categories lets a therapist see (its parts included)."""
    return sharing.shared_parts(list(keys), sharing.CONSENT_VERSION)


NOT_MEASURES = frozenset({"mood", "substance_use", "exercises", "mindfulness", "safety_plan",
                          "notes"})


def item9(day: date, answer: int = 2, tier: Tier = Tier.SAFETY_ACT) -> Flag:
    return Flag(tier, FlagKind.PHQ9_ITEM9, "phq9", day, answer)


def test_item9_flags_a_patient_only_when_safety_or_measures_are_shared(alice: Account) -> None:
    diary_entry(alice, date(2026, 3, 6))
    checkup(alice, item9=2)
    uid = alice.identity.user_id
    shared_measures = review.caseload_row(uid, "Alice", shared("measures"))
    assert shared_measures.flags[0] == item9(date(2026, 3, 6))
    assert shared_measures.tier == Tier.SAFETY_ACT
    # The GAD-7 was never done: a check-up missing, after the item-9 flag.
    assert shared_measures.flags[1:] == (
        Flag(Tier.MISSING, FlagKind.CHECKUP_OVERDUE, "gad7", None, None),)
    shared_safety = review.caseload_row(uid, "Alice", shared("safety", "mood"))
    assert shared_safety.flags == (item9(date(2026, 3, 6)),)
    unshared = review.caseload_row(uid, "Alice", shared(*NOT_MEASURES))
    assert not any(flag.kind == FlagKind.PHQ9_ITEM9 for flag in unshared.flags)
    # A grant signed before Safety was its own category: "safety" without item 9.
    old_safety = sharing.shared_parts(["safety", "mood"], sharing.CONSENT_VERSION_BEFORE_SAFETY)
    assert review.caseload_row(uid, "Alice", old_safety).flags == ()
    assert review.caseload_row(uid, "Alice", old_safety).not_shared == (
        "substance_use", sharing.ITEM9)


def test_measures_are_never_read_when_not_shared(alice: Account,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    checkup(alice, item9=3)
    safety_plan(alice)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("read a category that is not shared")

    real_latest_of, real_last_done_of = measures.latest_of, measures.last_done_of

    def latest_of_nobody(user_ids: list[int], questionnaire_id: str) -> dict:
        assert not user_ids, "read measures that are not shared"
        return real_latest_of(user_ids, questionnaire_id)

    def last_done_of_nobody(user_ids: list[int]) -> dict:
        assert not user_ids, "read measures that are not shared"
        return real_last_done_of(user_ids)

    monkeypatch.setattr(measures, "latest", refuse)
    monkeypatch.setattr(measures, "latest_of", latest_of_nobody)
    monkeypatch.setattr(measures, "last_done_of", last_done_of_nobody)
    monkeypatch.setattr(measures, "history", refuse)
    monkeypatch.setattr(plans, "get_plan", refuse)
    monkeypatch.setattr(plans, "has_plan", refuse)
    screen = detail_screen(alice.identity.user_id, NOT_MEASURES - {"safety_plan"}, "")
    assert not screen.measures_shared and screen.checkups == []
    assert screen.checkup_lines == ["Check-ups: not shared by this patient"]
    assert screen.plan_line == "Safety plan: not shared by this patient"
    assert not screen.safety_plan_shared and screen.plan_lines == {}
    assert MARKERS["measures"] not in repr(screen) and "PHQ-9" not in repr(screen)
    assert MARKERS["safety_plan"] not in repr(screen)


def test_only_the_newest_phq9_of_the_last_14_days_flags(alice: Account,
                                                        clock: FrozenClock) -> None:
    uid = alice.identity.user_id

    def item9_flags() -> tuple[Flag, ...]:
        flags = review.caseload_row(uid, "Alice", shared("measures")).flags
        return tuple(flag for flag in flags if flag.kind == FlagKind.PHQ9_ITEM9)

    with frozen_clock(T0 - timedelta(days=14)):
        checkup(alice, item9=1)
    assert item9_flags() == ()
    with frozen_clock(T0 - timedelta(days=13)):
        checkup(alice, item9=1)
    # 8-14 days old: still the newest PHQ-9, so still a flag, in tier 2 (not tier 1).
    assert item9_flags() == (item9(date(2026, 2, 21), 1, Tier.SAFETY_URGE),)
    with frozen_clock(T0 - timedelta(days=6)):
        checkup(alice, item9=3)
    assert item9_flags() == (item9(date(2026, 2, 28), 3),)  # 6 days old: tier 1
    checkup(alice, item9=0)  # a newer PHQ-9 with item 9 at 0
    assert item9_flags() == ()
    checkup(alice, questionnaire="gad7")  # a GAD-7 is never this flag
    assert item9_flags() == ()


def test_the_detail_shows_latest_checkups_and_the_plan_when_shared(alice: Account) -> None:
    with frozen_clock(T0 - timedelta(days=3)):
        checkup(alice, item9=0)
    checkup(alice, item9=1)
    checkup(alice, questionnaire="gad7")
    safety_plan(alice)
    screen = detail_screen(alice.identity.user_id, shared("measures", "safety_plan"), "")
    assert screen.checkups == [
        {"name": "PHQ-9", "total": "15 out of 27", "band": "Moderately severe",
         "day": "Mar 6, 2026", "item9": "Item 9 (thoughts of death or self-harm): above 0"},
        {"name": "GAD-7", "total": "7 out of 21", "band": "Mild", "day": "Mar 6, 2026",
         "item9": ""}]
    assert screen.checkup_lines == [
        "PHQ-9: 15 out of 27, Moderately severe, on Mar 6, 2026. "
        "Item 9 (thoughts of death or self-harm): above 0",
        "GAD-7: 7 out of 21, Mild, on Mar 6, 2026"]
    assert screen.flags == ["PHQ-9 item 9: thoughts of death or self-harm — Fri, Mar 6"]
    assert screen.tier == "Tier 1 · Acted on suicide or self-harm, or PHQ-9 item 9"
    assert screen.not_shared == ["Safety: not shared by this patient",
                                 "Substance use: not shared by this patient"]
    assert screen.plan_line == "Has a safety plan: yes" and screen.plan_exists_shared
    assert screen.plan_saved and screen.plan_lines["warning_signs"] == [
        MARKERS["safety_plan"] + " at night"]
    sam = screen.plan_contacts["people_to_ask"][0]
    assert (sam["name"], sam["phone"], sam["tel"], sam["sms"]) == ("Sam", "555-0100", "", "")
    assert screen.plan_updated == "Last changed Mar 6, 2026."


def test_a_shared_plan_not_yet_written_says_so(alice: Account) -> None:
    screen = detail_screen(alice.identity.user_id, shared("safety_plan", "measures"), "")
    assert screen.safety_plan_shared and not screen.plan_saved and screen.plan_lines == {}
    assert screen.measures_shared and screen.checkups == []
    assert screen.plan_line == "Has a safety plan: not yet"
    assert screen.checkup_lines == ["Check-ups: no PHQ-9 or GAD-7 done yet"]


def test_safety_shows_whether_a_plan_exists_but_not_what_it_says(alice: Account) -> None:
    uid = alice.identity.user_id
    assert detail_screen(uid, shared("safety"), "").plan_line == "Has a safety plan: not yet"
    safety_plan(alice)
    screen = detail_screen(uid, shared("safety"), "")
    assert screen.plan_line == "Has a safety plan: yes" and not screen.safety_plan_shared
    assert MARKERS["safety_plan"] not in repr(screen)


def test_the_caseload_reads_each_number_once_for_everyone(alice: Account, bob: Account,
                                                          carol: Account) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    diary_entry(alice, date(2026, 3, 5), urge_suicide=5)
    diary_entry(alice, date(2026, 2, 27), mood=8)
    diary_entry(bob, date(2026, 3, 1), acted_substance_use=True)
    checkup(bob, item9=1)
    everything = shared("mood", "safety", "substance_use", "measures")
    asked = [(a.identity.user_id, a.identity.display_name, everything, date(2026, 3, 6))
             for a in (alice, bob, carol)]
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        review.caseload_rows(asked[:1])
        one = len(seen)
        seen.clear()
        rows = review.caseload_rows(asked)
        three = len(seen)
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert three == one
    # The same rows as asking `core.progress` one patient at a time.
    for (uid, _, _, today), row in zip(asked, rows, strict=True):
        trend = progress.mood_trend(uid, today)
        assert (row.mood_average, row.mood_direction) == (trend.average, trend.direction)
        assert row.last_check_in == progress.last_check_in(uid)
        assert row == review.caseload_row(uid, row.name, everything, today)
    assert rows[0].flags[0] == Flag(Tier.SAFETY_URGE, FlagKind.URGE, "urge_suicide",
                                    date(2026, 3, 5), 5)
    assert rows[1].flags[:2] == (
        item9(date(2026, 3, 6), 1),
        Flag(Tier.USE_ACT, FlagKind.URGE, "urge_substance_use", date(2026, 3, 1), 2, True))
    assert rows[2].flags == (Flag(Tier.MISSING, FlagKind.NO_CHECK_IN, None, None),
                             Flag(Tier.MISSING, FlagKind.CHECKUP_OVERDUE, "phq9", None),
                             Flag(Tier.MISSING, FlagKind.CHECKUP_OVERDUE, "gad7", None))


# --- risk first: one test per tier, with hand-made patients -------------------------

TODAY = date(2026, 3, 6)  # T0's local day in Chicago
RISK = frozenset({"mood", "safety", "substance_use"}) | {sharing.ITEM9}


def patient(name: str, *entries: tuple[int, dict[str, object]]) -> Account:
    """A patient with diary cards (days ago, values); every other rating is low."""
    account = make_account(name, "patient")
    for days_ago, values in entries:
        diary_entry(account, TODAY - timedelta(days=days_ago), **values)
    return account


def risk_first(*accounts: Account, categories: frozenset[str] = RISK) -> list[str]:
    rows = review.caseload_rows([(a.identity.user_id, a.identity.display_name, categories,
                                  TODAY) for a in accounts])
    return [row.name for row in review.sort_caseload(rows, "flags")]


def tier_of(account: Account, categories: frozenset[str] = RISK) -> Tier | None:
    return review.caseload_row(account.identity.user_id, account.identity.display_name,
                               categories, TODAY).tier


def test_tier_1_an_act_of_self_harm_comes_before_a_newer_strong_urge(database: str) -> None:
    # Acted on self-harm 5 days ago (rated 2) against a suicide urge of 5 today.
    acted = patient("dave", (5, {"urge_self_harm": 2, "acted_self_harm": True}), (0, {}))
    urge = patient("erin", (0, {"urge_suicide": 5}))
    assert (tier_of(acted), tier_of(urge)) == (Tier.SAFETY_ACT, Tier.SAFETY_URGE)
    assert risk_first(urge, acted) == ["Dave", "Erin"]
    flag = review.caseload_row(acted.identity.user_id, "Dave", RISK, TODAY).flags[0]
    assert flag == Flag(Tier.SAFETY_ACT, FlagKind.URGE, "urge_self_harm",
                        TODAY - timedelta(days=5), 2, acted=True)


def test_tier_1_phq9_item9_in_the_last_7_days(database: str) -> None:
    answered = patient("dave", (0, {}))
    with frozen_clock(T0 - timedelta(days=6)):
        checkup(answered, item9=1)
    urge = patient("erin", (0, {"urge_self_harm": 5}))
    assert tier_of(answered) == Tier.SAFETY_ACT
    assert risk_first(urge, answered) == ["Dave", "Erin"]


def test_tier_2_a_strong_suicide_or_self_harm_urge_before_acted_on_use(
        database: str) -> None:
    urge = patient("dave", (6, {"urge_suicide": 4}), (0, {}))
    used = patient("erin", (0, {"urge_substance_use": 5, "acted_substance_use": True}))
    assert (tier_of(urge), tier_of(used)) == (Tier.SAFETY_URGE, Tier.USE_ACT)
    assert risk_first(used, urge) == ["Dave", "Erin"]
    # An urge of 3 is not a flag; an urge 7 days ago is outside the window.
    calm = patient("frank", (0, {"urge_suicide": 3}), (7, {"urge_self_harm": 5}))
    assert tier_of(calm) is None


def test_tier_3_acted_on_use_before_frequent_urges(database: str) -> None:
    used = patient("dave", (6, {"acted_substance_use": True}), (0, {}))
    urges = patient("erin", *((n, {"urge_substance_use": 5}) for n in range(4)))
    assert (tier_of(used), tier_of(urges)) == (Tier.USE_ACT, Tier.USE_PATTERN)
    assert risk_first(urges, used) == ["Dave", "Erin"]


def test_tier_4_urges_to_use_or_cravings_on_3_of_7_days(database: str) -> None:
    cravings = patient("dave", (0, {"craving": 7}), (2, {"urge_substance_use": 4}),
                       (6, {"craving": 10}))
    missing = patient("erin", (9, {}))  # no check-in for 9 days
    two_days = patient("frank", (0, {"craving": 9}), (1, {"urge_substance_use": 5}))
    assert tier_of(cravings) == Tier.USE_PATTERN
    assert tier_of(two_days) is None  # 2 of 7 days is not a pattern
    assert risk_first(two_days, missing, cravings) == ["Dave", "Erin", "Frank"]
    flag = review.caseload_row(cravings.identity.user_id, "Dave", RISK, TODAY).flags[0]
    assert (flag.kind, flag.day, flag.count) == (FlagKind.USE_PATTERN, TODAY, 3)


def test_tier_5_missing_check_ins_and_check_ups_longest_first(database: str) -> None:
    four_days = patient("dave", (4, {}))
    nine_days = patient("erin", (9, {}))
    never = make_account("frank", "patient")
    checked_in = patient("gina", (0, {}))
    with frozen_clock(T0 - timedelta(days=18)):
        checkup(checked_in, item9=0)
        checkup(checked_in, questionnaire="gad7")
    with_measures = RISK | {"measures"}
    gina = review.caseload_row(checked_in.identity.user_id, "Gina", with_measures, TODAY)
    # Due 14 days after the last one, overdue 3 days later: 4 days overdue here.
    assert gina.flags == (
        Flag(Tier.MISSING, FlagKind.CHECKUP_OVERDUE, "phq9", TODAY - timedelta(days=18), 4),
        Flag(Tier.MISSING, FlagKind.CHECKUP_OVERDUE, "gad7", TODAY - timedelta(days=18), 4))
    assert risk_first(four_days, checked_in, nine_days, never) == [
        "Frank", "Erin", "Dave", "Gina"]
    assert tier_of(checked_in) is None  # check-ups count only when measures are shared
    with frozen_clock(T0 - timedelta(days=16)):
        checkup(checked_in, item9=0)
        checkup(checked_in, questionnaire="gad7")
    assert review.caseload_row(checked_in.identity.user_id, "Gina", with_measures,
                               TODAY).flags == ()  # due 2 days ago: not overdue yet


def test_then_other_flags_then_the_rest_by_name(database: str) -> None:
    missing = patient("dave", (3, {}))
    quit_urge = patient("erin", (0, {"urge_quit_therapy": 5}))
    own_target = patient("frank", (0, {"custom_urges": [
        {"name": "Gambling", "rating": 4, "acted_on": False}]}))
    calm_b = patient("hank", (0, {}))
    calm_a = patient("gina", (0, {}))
    # A quit-therapy urge is therapy-interfering: its own flag, not "urge 4 or more".
    assert tier_of(quit_urge) == Tier.OTHER and tier_of(own_target) == Tier.OTHER
    assert risk_first(calm_b, own_target, calm_a, quit_urge, missing) == [
        "Dave", "Erin", "Frank", "Gina", "Hank"]
    flags = review.caseload_row(own_target.identity.user_id, "Frank", RISK, TODAY).flags
    assert flags == (Flag(Tier.OTHER, FlagKind.OWN_TARGET, "Gambling", TODAY, 4),)
    # The patient's own targets are substance-use information.
    assert tier_of(own_target, frozenset({"mood", "safety"})) is None


def test_within_a_tier_the_newest_event_comes_first(database: str) -> None:
    older = patient("dave", (5, {"urge_self_harm": 5}), (0, {}))
    newer = patient("erin", (1, {"urge_suicide": 4}), (0, {}))
    assert risk_first(older, newer) == ["Erin", "Dave"]
    assert [row.name for row in review.sort_caseload(review.caseload_rows([
        (a.identity.user_id, a.identity.display_name, RISK, TODAY) for a in (newer, older)]),
        "name")] == ["Dave", "Erin"]


def test_unknown_sorts_are_risk_first(database: str) -> None:
    urge = patient("erin", (0, {"urge_suicide": 5}))
    calm = patient("dave", (0, {}))
    rows = review.caseload_rows([(a.identity.user_id, a.identity.display_name, RISK, TODAY)
                                 for a in (calm, urge)])
    assert [r.name for r in review.sort_caseload(rows, "<script>")] == ["Erin", "Dave"]


def test_mood_only_with_self_harm_and_item9_hidden_is_not_shared_never_no_flags(
        alice: Account) -> None:
    diary_entry(alice, TODAY, urge_self_harm=5, acted_self_harm=True)
    checkup(alice, item9=2)
    row = review.caseload_row(alice.identity.user_id, "Alice", shared("mood"), TODAY)
    assert row.flags == () and row.tier is None
    assert row.not_shared == ("safety", "substance_use")
    shown = caseload_views([row])[0]
    assert not shown["no_flags"] and "No flags" not in repr(shown)
    assert shown["not_shared"] == ["Safety: not shared by this patient",
                                   "Substance use: not shared by this patient"]
    screen = detail_screen(alice.identity.user_id, shared("mood"), "")
    assert not screen.no_flags and screen.flags == []
    assert screen.not_shared == shown["not_shared"]
    assert "Self-harm" not in repr(screen) and "PHQ-9 item 9" not in repr(screen)
    # Shared, the same data is tier 1.
    both = review.caseload_row(alice.identity.user_id, "Alice",
                               shared("mood", "safety", "substance_use"), TODAY)
    assert both.tier == Tier.SAFETY_ACT and both.not_shared == ()


def test_no_flags_only_when_safety_and_substance_use_are_both_shared(alice: Account) -> None:
    diary_entry(alice, TODAY)
    both = review.caseload_row(alice.identity.user_id, "Alice",
                               shared("mood", "safety", "substance_use"), TODAY)
    assert caseload_views([both])[0]["no_flags"]
    for one in ("safety", "substance_use"):
        row = review.caseload_row(alice.identity.user_id, "Alice", shared("mood", one), TODAY)
        assert not caseload_views([row])[0]["no_flags"]


# --- the review's sections declare their categories ---------------------------------

def test_every_review_row_lands_in_a_section_of_its_own_category(alice: Account) -> None:
    diary_entry(alice, MONDAY, custom_urges=[{"name": "Gambling", "rating": 2,
                                              "acted_on": True}])
    everything = shared(*sharing.CATEGORY_KEYS)
    found = review.diary_review(alice.identity.user_id, everything, MONDAY)
    rows = [row for section in found.sections for row in section.rows]
    assert any(row.key == "urge.custom.gambling" for row in rows)
    for section in found.sections:
        spec = next(s for s in review.REVIEW_SECTIONS if s.key == section.key)
        for row in section.rows:
            group, item = review.row_item(row)
            assert sharing.diary_item_category(group, item) in spec.categories, row.key
    for spec in review.REVIEW_SECTIONS:
        assert spec.categories and set(spec.categories) <= set(sharing.CATEGORY_KEYS)
    # Every diary item with a row belongs to one of the sections' categories.
    covered = {c for spec in review.REVIEW_SECTIONS for c in spec.categories}
    for item in diary_card_items():
        assert sharing.diary_item_category(item.group, item.key) in covered, item.key


def test_a_section_not_shared_says_so(alice: Account) -> None:
    diary_entry(alice, MONDAY, urge_suicide=5)
    found = review.diary_review(alice.identity.user_id, shared("mood"), MONDAY)
    by_key = {section.key: section for section in found.sections}
    assert by_key["life_threatening"].rows == ()
    assert by_key["life_threatening"].not_shared == ("safety",)
    assert by_key["therapy_interfering"].not_shared == ("safety",)
    assert by_key["quality_of_life"].not_shared == ("substance_use",)
    assert by_key["quality_of_life"].rows  # mood, emotions, sleep, medications


def test_a_week_of_sleep_is_its_range_never_the_longest_night(alice: Account) -> None:
    for offset, hours in enumerate((5, 8, 6.5)):
        diary_entry(alice, MONDAY + timedelta(days=offset), sleep_hours=hours)
    diary_entry(alice, MONDAY - timedelta(days=7), sleep_hours=7)
    found = review.diary_review(alice.identity.user_id, shared("mood"), MONDAY)
    sleep = next(row for s in found.sections for row in s.rows if row.key == "sleep_hours")
    assert review.week_value(sleep) == (5, 8)
    assert found.last_week["sleep_hours"] == (7, 7)
    shown = detail_screen(alice.identity.user_id, shared("mood"), MONDAY.isoformat())
    row = next(r for s in shown.sections for r in s["rows"] if r["label"] == "Sleep")
    assert (row["this_week"], row["last_week"]) == ("5–8 h", "7 h")
