"""What the therapist's review shows in each cell: blank is not 0, acted-on is a
symbol and a word, and the caseload's lines."""

from __future__ import annotations

from datetime import date

import pytest

from skills_app import text
from skills_app.core import review, sharing
from skills_app.core.journal import GridRow
from skills_app.core.review import Flag, FlagKind, Tier
from skills_app.text import formats
from skills_app.views import therapist as views


def row(kind: str) -> GridRow:
    return GridRow("urge.suicide", "Suicide", kind, 5, (), "Urges")


def test_blank_is_a_dash_and_zero_is_zero() -> None:
    assert views.cell_text(row("rating"), None) == "–"
    assert views.cell_text(row("rating"), 0) == "0"
    assert views.cell_text(row("rating"), 4) == "4"


def test_acted_on_is_a_symbol_and_a_word() -> None:
    assert views.cell_text(row("acted_on"), True) == "⚠ Acted"
    assert views.cell_text(row("acted_on"), False) == "No"
    assert views.cell_text(row("acted_on"), None) == "–"


def test_other_kinds() -> None:
    assert views.cell_text(row("hours"), 6.5) == "6.5 h"
    assert views.cell_text(row("average"), 4.25) == "4.2"
    assert views.cell_text(row("average"), 6.0) == "6"
    assert views.cell_text(row("yes_no"), True) == "Yes"
    assert views.cell_text(row("yes_no"), 3) == "3 days"
    assert views.cell_text(row("yes_no"), 1) == "1 day"


def test_a_week_of_sleep_reads_as_its_range() -> None:
    assert views.cell_text(row("hours"), (5, 8)) == "5–8 h"
    assert views.cell_text(row("hours"), (6.5, 6.5)) == "6.5 h"


def test_caseload_lines_say_what_is_not_shared() -> None:
    today = date(2026, 3, 6)
    missing = Flag(Tier.MISSING, FlagKind.NO_CHECK_IN, None, date(2026, 3, 3), 3)
    shown = views.caseload_rows([
        review.CaseloadRow(1, "Amy", frozenset({"exercises"}), None, None, None, (), today),
        review.CaseloadRow(2, "Bo", frozenset({"mood"}), date(2026, 3, 5), 6.04, "up",
                           (missing,), today),
        review.CaseloadRow(3, "Cy", RISK, today, None, None, (), today),
    ])
    assert (shown[0]["last"], shown[0]["mood"]) == ("Not shared", "Not shared")
    assert shown[0]["not_shared"] == ["Safety: not shared by this patient",
                                      "Substance use: not shared by this patient"]
    assert not shown[0]["no_flags"] and shown[0]["tier"] == ""
    assert (shown[1]["last"], shown[1]["mood"]) == ("Yesterday", "6 / 10, ↑ up")
    assert shown[1]["flagged"] and shown[1]["href"] == "/patients/view/?id=2"
    assert shown[1]["flags"] == ["No check-in for 3 days"]
    assert shown[1]["tier"] == "Tier 6 · Missing check-ins or check-ups"
    assert shown[1]["tier_class"] == "tier-6"
    assert shown[2]["no_flags"] and shown[2]["not_shared"] == []
    # The row's look repeats what its words say: a tier, or risk not known.
    assert [r["row_class"] for r in shown] == ["risk-unknown", "tier-6", ""]
    assert views.mood_line(None, None) == "Not enough check-ins"


RISK = frozenset({"safety", "substance_use", sharing.ITEM9})
TUE = date(2026, 12, 1)


@pytest.mark.parametrize(("flag", "words"), [
    (Flag(Tier.SAFETY_ACT, FlagKind.URGE, "urge_self_harm", TUE, 5, True),
     "Self-harm urge 5, acted on — Tue, Dec 1"),
    (Flag(Tier.SAFETY_ACT, FlagKind.URGE, "urge_suicide", TUE, 0, True, 2),
     "Suicide urge 0, acted on — Tue, Dec 1 (and 1 more day in the last 7)"),
    (Flag(Tier.SAFETY_URGE, FlagKind.URGE, "urge_suicide", date(2026, 11, 30), 4),
     "Suicide urge 4 — Mon, Nov 30"),
    (Flag(Tier.SAFETY_ACT, FlagKind.PHQ9_ITEM9, "phq9", date(2026, 12, 2), 2),
     "PHQ-9 item 9: thoughts of death or self-harm — Wed, Dec 2"),
    (Flag(Tier.USE_ACT, FlagKind.URGE, "urge_substance_use", TUE, 3, True),
     "Urge to use 3, acted on — Tue, Dec 1"),
    (Flag(Tier.USE_PATTERN, FlagKind.USE_PATTERN, "urge_substance_use", date(2026, 12, 3),
          count=3),
     "Urge to use 4 or craving 7+ on 3 of the last 7 days (latest Thu, Dec 3)"),
    (Flag(Tier.MISSING, FlagKind.NO_CHECK_IN, None, TUE, 5), "No check-in for 5 days"),
    (Flag(Tier.MISSING, FlagKind.NO_CHECK_IN, None, None), "No check-ins yet"),
    (Flag(Tier.MISSING, FlagKind.CHECKUP_OVERDUE, "phq9", date(2026, 11, 13), 4),
     "PHQ-9 overdue — last done Fri, Nov 13"),
    (Flag(Tier.MISSING, FlagKind.CHECKUP_OVERDUE, "gad7", None), "GAD-7 not done yet"),
    (Flag(Tier.OTHER, FlagKind.URGE, "urge_quit_therapy", TUE, 5),
     "Urge to quit therapy 5 — Tue, Dec 1"),
    (Flag(Tier.OTHER, FlagKind.OWN_TARGET, "<b>Gambling</b>", TUE, 4, True, 3),
     "Own target “<b>Gambling</b>” 4, acted on — Tue, Dec 1 (and 2 more days in the last 7)"),
])
def test_each_flag_names_what_and_the_day(flag: Flag, words: str) -> None:
    assert views.flag_text(flag) == words


def test_every_tier_has_words() -> None:
    assert set(views.TIER_LABELS) == set(Tier)


def test_an_act_with_the_urge_left_blank_says_so() -> None:
    flag = Flag(Tier.SAFETY_ACT, FlagKind.URGE, "urge_self_harm", TUE, None, True)
    assert views.flag_text(flag) == "Self-harm urge not rated, acted on — Tue, Dec 1"


def test_flag_days_and_counts_come_from_the_formatter() -> None:
    """The days a flag names are `text.formats.day` in the reader's language: under
    Spanish the words around them stay English (the therapist side is English only
    for now), the day is written the Spanish way."""
    acted = Flag(Tier.SAFETY_ACT, FlagKind.URGE, "urge_self_harm", TUE, 5, True, 2)
    missing = Flag(Tier.MISSING, FlagKind.NO_CHECK_IN, None, TUE, 1234)
    with text.language("es"):
        spanish_day = formats.day(TUE)
        assert views.flag_text(acted) == (
            f"Self-harm urge 5, acted on — {spanish_day} (and 1 more day in the last 7)")
        assert views.flag_text(missing) == "No check-in for 1,234 days"
    assert spanish_day != formats.day(TUE) and "dic" in spanish_day
    assert views.flag_text(acted).startswith(f"Self-harm urge 5, acted on — {formats.day(TUE)}")


def test_plurals_come_from_the_catalogue_rules() -> None:
    today = date(2026, 3, 6)
    one = views.caseload_rows([review.CaseloadRow(
        1, "Amy", RISK | {"mood"}, date(2026, 3, 5), None, None, (), today)])[0]
    two = views.caseload_rows([review.CaseloadRow(
        1, "Amy", RISK | {"mood"}, date(2026, 3, 3), None, None, (), today)])[0]
    assert (one["last"], two["last"]) == ("Yesterday", "3 days ago")
    assert views.flag_text(Flag(Tier.OTHER, FlagKind.URGE, "urge_quit_therapy", TUE, 5,
                                False, 3)).endswith("(and 2 more days in the last 7)")


def test_the_desk_table_has_homework_and_group_columns_only_when_a_row_fills_them() -> None:
    plain = {"homework": "", "next_group": ""}
    assert views.optional_columns([]) == (False, False)
    assert views.optional_columns([plain, plain]) == (False, False)
    assert views.optional_columns([plain, {**plain, "homework": "Homework 1 of 2 this week"}]
                                  ) == (True, False)
    assert views.optional_columns([{**plain, "next_group": "Next group Wed 9:00 AM"}, plain]
                                  ) == (False, True)
