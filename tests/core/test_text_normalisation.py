"""One normalisation for every piece of free text (`core.schemas.normalise_text`,
inside `clean_text`): NFC; bidi controls and zero-width characters refused in names
with a kind message (English and Spanish), taken out of notes and other text; the
joiners that a script or an emoji needs are kept. And `look_alike_key`: names a
therapist could mistake for each other compare equal."""

from __future__ import annotations

import uuid

import pytest

from skills_app.core import accounts, auth, journal, plans, schedule
from skills_app.core.problems import Problem, ProblemError
from skills_app.core.schemas import (
    BIDI_CONTROLS,
    INVISIBLE,
    ZERO_WIDTH,
    SignUpForm,
    clean_text,
    parse_form,
)
from skills_app.text import language as text_language
from skills_app.text.problems import say
from tests.conftest import Account
from tests.core.test_schedule import GOOD as TRACK

ALL_INVISIBLE = ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
                 "\u2068", "\u2069", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")


def test_the_invisible_set_is_the_issues_list() -> None:
    assert INVISIBLE == BIDI_CONTROLS | ZERO_WIDTH == set(ALL_INVISIBLE)


@pytest.mark.parametrize("hidden", ALL_INVISIBLE)
def test_a_name_with_an_invisible_character_is_refused_kindly(hidden: str) -> None:
    with pytest.raises(ProblemError) as raised:
        clean_text(f"Sam{hidden}Lee", label="name", max_length=80, name=True)
    assert raised.value.problem == Problem("invisible_character", label="name")
    english = say(raised.value.problem)
    assert english.startswith("Your name has a hidden character") and "\\u" not in english
    with text_language("es"):
        assert say(raised.value.problem).startswith("Tu nombre tiene un carácter oculto")


@pytest.mark.parametrize("hidden", ALL_INVISIBLE)
def test_notes_have_invisible_characters_taken_out(hidden: str) -> None:
    assert clean_text(f"{hidden}I felt {hidden}ok\nthen{hidden} tired{hidden}", label="note",
                      max_length=500, multiline=True) == "I felt ok\nthen tired"


def test_text_is_stored_composed_nfc() -> None:
    decomposed = "Jose\u0301 and Zoe\u0308"
    assert clean_text(decomposed, label="note", max_length=50) == "José and Zoë"
    assert clean_text(decomposed, label="name", max_length=50, name=True) == "José and Zoë"
    # NFC, not NFKC: full-width and ligatures stay as the person typed them.
    assert clean_text("ﬁne ＯＫ", label="note", max_length=50) == "ﬁne ＯＫ"


@pytest.mark.parametrize("text", [
    "👩🏽\u200d💻 at work", "🏳️\u200d🌈 pride", "❤️\u200d🩹",  # emoji ZWJ sequences
    "می\u200cخواهم",  # Persian: a non-joiner between joining letters
    "क्\u200dष", "ක්\u200dය",  # Devanagari and Sinhala: a joiner after a virama
])
def test_joiners_that_writing_needs_are_kept(text: str) -> None:
    assert clean_text(text, label="note", max_length=50) == text
    assert clean_text(text, label="name", max_length=50, name=True) == text


def test_joiners_that_only_hide_are_still_taken_out_or_refused() -> None:
    assert clean_text("Sam\u200dLee", label="note", max_length=50) == "SamLee"
    assert clean_text("\u200d👍", label="note", max_length=50) == "👍"
    with pytest.raises(ProblemError):
        clean_text("Sa\u200cm", label="name", max_length=50, name=True)


def test_only_invisible_characters_is_an_empty_name() -> None:
    with pytest.raises(ProblemError) as raised:
        clean_text("\u200b\u200b", label="note", max_length=50)
    assert raised.value.problem.code == "missing_text"


def test_sign_up_and_profile_refuse_a_hidden_name(alice: Account) -> None:
    form, errors = parse_form(SignUpForm, {
        "display_name": "Alice\u202eecilA", "email": "new@example.com",
        "password": "a long enough passphrase here", "role": "patient",
        "time_zone": "America/Chicago"})
    assert form is None and errors["display_name"] == Problem("invisible_character",
                                                              label="name")
    profile, errors = accounts.update_profile(alice.identity, {
        "display_name": "Al\u200bice", "time_zone": "America/Chicago"})
    assert profile is None and errors["display_name"].code == "invisible_character"
    saved, errors = accounts.update_profile(alice.identity, {
        "display_name": "Ali\u0301ce", "time_zone": "America/Chicago"})
    assert not errors and saved.display_name == "Alíce"
    assert auth.resolve_session(alice.token) is not None


def test_free_text_fields_have_them_taken_out(alice: Account) -> None:
    """A journal note and trigger, safety-plan lines and a track name: each goes
    through the one normalisation (every other field calls the same `clean_text`)."""
    hidden = "\u202e\u200b"
    saved = journal.save_entry(alice.identity.user_id, "America/Chicago", {
        "idempotency_key": str(uuid.uuid4()), "kind": "diary", "mood": 4,
        "note": f"a{hidden} note", "triggers": [f"wo{hidden}rk"]})
    assert saved.ok, saved.errors
    assert saved.entry.content.note == "a note"
    assert saved.entry.content.triggers == ("work",)
    content, errors = plans.parse_plan(plans.SAFETY_PLAN,
                                       {"warning_signs": f"can't{hidden} sleep"})
    assert not errors and content["warning_signs"] == ["can't sleep"]
    form, errors = schedule.check_track(TRACK | {"name": f"Tues{hidden}day group"})
    assert not errors and form.name == "Tuesday group"
