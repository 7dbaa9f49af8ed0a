"""What the therapist's review shows in each cell: blank is not 0, acted-on is a
symbol and a word, and the caseload's lines."""

from __future__ import annotations

from datetime import date

from skills_app.core import review
from skills_app.core.journal import GridRow
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
    assert views.cell_text(row("yes_no"), True) == "Yes"
    assert views.cell_text(row("yes_no"), 3) == "3 days"


def test_caseload_lines_say_what_is_not_shared() -> None:
    today = date(2026, 3, 6)
    shown = views.caseload_rows([
        review.CaseloadRow(1, "Amy", frozenset({"exercises"}), None, None, None, (), today),
        review.CaseloadRow(2, "Bo", frozenset({"mood"}), date(2026, 3, 5), 6.04, "up",
                           ("No check-in for 3 days",), today),
    ])
    assert (shown[0]["last"], shown[0]["mood"]) == ("Not shared", "Not shared")
    assert (shown[1]["last"], shown[1]["mood"]) == ("Yesterday", "6.0 / 10, ↑ up")
    assert shown[1]["flagged"] and shown[1]["href"] == "/patients/view/?id=2"
    assert views.mood_line(None, None) == "Not enough check-ins"
