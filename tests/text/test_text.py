"""The text layer: languages, routes, the one set of date styles, problems as sentences."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from skills_app import text
from skills_app.core.problems import Problem
from skills_app.core.schemas import SignUpForm, parse_form
from skills_app.text import _, formats, ngettext
from skills_app.text.problems import say, say_all, sentences


def test_routes_carry_the_language_and_lose_it_again() -> None:
    assert text.href("/today/", "es") == "/es/today/"
    assert text.href("/today/", "en") == "/today/"
    assert text.href("https://988lifeline.org/", "es") == "https://988lifeline.org/"
    assert text.language_of_path("/es/today/") == "es"
    assert text.language_of_path("/es") == "es"
    assert text.language_of_path("/estate/") == "en"
    assert text.without_language("/es/journal/new/") == "/journal/new/"
    assert text.without_language("/es") == "/"


@pytest.mark.parametrize(("header", "chosen"), [
    ("es-MX,es;q=0.9,en;q=0.8", "es"),
    ("en-US,en;q=0.9,es;q=0.8", "en"),
    ("fr-FR, es;q=0.5", "es"),
    ("de, fr", "en"),
    ("es;q=0, en", "en"),
    (None, "en"),
    ("x" * 5000, "en"),
])
def test_the_browser_language_picks_one_the_app_speaks(header: object, chosen: str) -> None:
    assert text.from_accept_language(header) == chosen


def test_unknown_languages_fall_back_to_english() -> None:
    assert text.known("es") == "es"
    assert text.known("klingon") == "en"
    assert text.known(["es"]) == "en"
    with text.language("klingon"):
        assert text.current() == "en"


def test_the_language_is_only_spoken_inside_its_block() -> None:
    with text.language("es"):
        assert _("Today") == "Hoy"
    assert _("Today") == "Today"


def test_one_set_of_date_styles_in_each_language() -> None:
    day = date(2026, 12, 1)
    evening = datetime(2026, 12, 2, 4, 23, tzinfo=UTC)  # 10:23 PM in Chicago, Dec 1
    with text.language("en"):
        assert formats.day(day) == "Tue, Dec 1"
        assert formats.long_day(day) == "Tuesday, December 1"
        assert formats.date_with_year(day) == "Dec 1, 2026"
        assert formats.clock(evening, "America/Chicago") == "10:23\u202fPM"
        assert formats.day(evening, "America/Chicago") == "Tue, Dec 1"
        assert formats.decimal(6.66) == "6.7"
    with text.language("es"):
        assert formats.long_day(day) == "martes, 1 de diciembre"
        assert formats.weekday(day) == "martes"
        assert formats.clock(evening, "America/Chicago") == "10:23\u202fp.m."


def test_a_moment_needs_a_time_zone_to_become_a_day() -> None:
    with pytest.raises(ValueError):
        formats.day(datetime(2026, 12, 1, tzinfo=UTC))


def test_plurals_follow_the_language() -> None:
    assert ngettext("{n} day", "{n} days", 1) == "1 day"
    assert ngettext("{n} day", "{n} days", 1500) == "1,500 days"


def test_a_problem_is_a_fact_and_its_sentence_is_chosen_in_the_readers_language() -> None:
    form, errors = parse_form(SignUpForm, {"display_name": "", "email": "nope",
                                           "password": "short", "role": "patient",
                                           "time_zone": "America/Chicago"})
    assert form is None
    assert errors["email"] == Problem("bad_email")
    assert errors["password"] == Problem("password_too_short", low=15, count=5)
    assert say_all(errors)["display_name"] == "Please enter your name."
    with text.language("es"):
        assert say(errors["display_name"]) == "Escribe tu nombre."
        assert say(Problem("too_long", label="name", high=80, count=1234)) == (
            "Tu nombre tiene demasiados caracteres: usa hasta 80 (ahora tiene 1,234).")


def test_every_problem_code_has_one_sentence() -> None:
    assert "bad_email" in sentences()
    assert all(isinstance(sentence, str) and sentence for sentence in sentences().values())


def test_sign_up_keeps_a_language_the_app_speaks() -> None:
    base = {"display_name": "Ana", "email": "ana@example.com",
            "password": "quiet rivers bend around the hill", "role": "patient",
            "time_zone": "America/Chicago"}
    assert parse_form(SignUpForm, {**base, "language": "es"})[0].language == "es"
    assert parse_form(SignUpForm, {**base, "language": "zz"})[0].language == "en"
    assert parse_form(SignUpForm, base)[0].language == "en"
