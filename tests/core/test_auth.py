"""Passwords, throttling and sessions, with a frozen clock where time matters."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, text
from sqlmodel import select

from skills_app.core import auth, db
from skills_app.core.clock import frozen_clock
from skills_app.core.models import AddressAttempt, AuthSession, LoginThrottle, SignInDelay, User
from skills_app.core.problems import Problem
from skills_app.text import language as text_language
from skills_app.text.problems import say
from tests.conftest import Account, make_account

T0 = datetime(2026, 3, 7, 22, 0, tzinfo=UTC)


def sign_up_form(password: str, **overrides: object) -> dict[str, object]:
    form = {"display_name": "Dana Reyes", "email": "dana@example.org", "password": password,
            "role": "patient", "time_zone": "America/New_York"}
    form.update(overrides)
    return form


def sign_up(password: str, **overrides: object) -> auth.AuthResult:
    return auth.sign_up(sign_up_form(password, **overrides), address="10.0.0.1")


def stored_hash(email: str) -> str:
    with db.transaction() as session:
        return session.exec(select(User.password_hash).where(User.email == email)).one()


# --- passwords -------------------------------------------------------------

def test_stored_hash_is_argon2id_with_the_required_parameters(alice: Account) -> None:
    assert stored_hash(alice.email).startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_fourteen_characters_are_refused_with_a_reason(database: str) -> None:
    result = sign_up("quietriverbend")  # 14 code points
    assert not result.ok
    assert result.errors["password"] == Problem("password_too_short", low=15, count=14)
    assert "at least 15 characters" in say(result.errors["password"])


def test_fifteen_characters_are_accepted(database: str) -> None:
    result = sign_up("gravel!Tulip9zq")  # 15 code points, strong
    assert len("gravel!Tulip9zq") == 15
    assert result.ok, result.errors


def test_long_cyrillic_passphrase_is_accepted(database: str) -> None:
    phrase = "Тихий вечер над рекой, и кот спит на тёплом подоконнике у окна дом"
    assert len(phrase) == 66
    result = sign_up(phrase)
    assert result.ok, result.errors
    with frozen_clock(T0):
        assert auth.sign_in({"email": "dana@example.org", "password": phrase},
                            address="10.0.0.1").ok


def test_257_characters_are_refused_with_a_reason(database: str) -> None:
    result = sign_up("a quiet walk " * 19 + "abcdefghij")
    assert len("a quiet walk " * 19 + "abcdefghij") == 257
    assert result.errors["password"] == Problem("password_too_long", high=256, count=257)


def test_256_characters_are_accepted_and_not_truncated(database: str) -> None:
    phrase = ("maple harbour violet engine " * 10)[:255] + "Z"
    assert len(phrase) == 256
    assert sign_up(phrase).ok
    assert not auth.sign_in({"email": "dana@example.org", "password": phrase[:-1] + "Y"},
                            address="10.0.0.1").ok


def test_a_common_password_is_refused_as_too_common(database: str) -> None:
    result = sign_up("passwordpassword")
    assert not result.ok
    assert result.errors["password"].code.startswith("password_weak")
    assert "too common" in say(result.errors["password"])


def test_a_password_containing_the_email_or_name_is_refused(database: str) -> None:
    for password in ("dana@example.org is my login", "my name is Dana Reyes, hello there"):
        result = sign_up(password)
        assert result.errors == {"password": auth.PASSWORD_PERSONAL}


@pytest.mark.parametrize("password",
                         ["valid phrase here\x00 with nul", "lone \ud800 surrogate x" * 2])
def test_nul_and_lone_surrogates_are_refused(database: str, password: str) -> None:
    result = sign_up(password)
    assert result.errors["password"] == Problem("password_bad_character")


def test_nothing_is_saved_when_any_field_is_wrong(database: str) -> None:
    result = sign_up("correct horse battery staple", time_zone="Mars/Olympus")
    assert set(result.errors) == {"time_zone"}
    with db.transaction() as session:
        assert session.exec(select(User)).all() == []


FULL_WIDTH_PASSWORDPASSWORD = "ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ"


def test_full_width_letters_are_judged_as_the_word_they_spell(database: str) -> None:
    # Stored as "passwordpassword" after NFKC, so it must be judged as that.
    result = sign_up(FULL_WIDTH_PASSWORDPASSWORD)
    assert not result.ok
    assert result.errors["password"].code.startswith("password_weak")


def test_full_width_email_or_name_in_a_password_is_refused(database: str) -> None:
    for password in ("ｄａｎａ＠ｅｘａｍｐｌｅ．ｏｒｇ is my login",
                     "ＤＡＮＡ ＲＥＹＥＳ rides a blue bike"):
        result = sign_up(password)
        assert result.errors == {"password": auth.PASSWORD_PERSONAL}


def test_a_full_width_name_is_compared_by_what_it_spells(database: str) -> None:
    result = sign_up("my name is dana reyes, hello there",
                                       display_name="Ｄａｎａ Ｒｅｙｅｓ", email="dr@example.org")
    assert result.errors == {"password": auth.PASSWORD_PERSONAL}


def test_length_is_counted_after_normalisation(database: str) -> None:
    # 16 code points as typed (a letter plus a combining accent, eight times), 8 once composed.
    decomposed = "e\u0301" * 8
    result = sign_up(decomposed)
    assert result.errors["password"] == Problem("password_too_short", low=15, count=8)
    assert "at least 15 characters (this has 8)" in say(result.errors["password"])


def test_the_normalised_password_is_hashed_and_either_form_signs_in(database: str) -> None:
    wide = "ｑｕｉｅｔ ｌａｎｔｅｒｎｓ ｄｒｉｆｔ ｏｖｅｒ ｈａｒｂｏｕｒｓ"
    assert sign_up(wide).ok
    with frozen_clock(T0):
        for typed in (wide, "quiet lanterns drift over harbours"):
            assert auth.sign_in({"email": "dana@example.org", "password": typed},
                                address="10.0.0.1").ok
    assert auth.password_context.verify("quiet lanterns drift over harbours",
                                        stored_hash("dana@example.org"))


def test_a_full_width_common_password_is_refused_at_password_change(alice: Account) -> None:
    result = auth.change_password(alice.identity, {
        "current_password": alice.password, "new_password": FULL_WIDTH_PASSWORDPASSWORD},
        address="10.0.0.1")
    assert result.errors["new_password"].code.startswith("password_weak")
    assert auth.sign_in({"email": alice.email, "password": alice.password},
                        address="10.0.0.1").ok


def test_the_current_password_is_normalised_too(alice: Account) -> None:
    wide_current = "ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ ｓｔａｐｌｅ"
    result = auth.change_password(alice.identity, {
        "current_password": wide_current, "new_password": "purple elephants dance at noon"},
        address="10.0.0.1")
    assert result.ok, result.errors


def test_a_current_password_that_cannot_be_anyones_is_simply_wrong(alice: Account) -> None:
    for typed in ("lone \ud800 surrogate", "nul \x00 inside", "x" * 300):
        result = auth.change_password(alice.identity, {
            "current_password": typed, "new_password": "purple elephants dance at noon"},
            address="10.0.0.1")
        assert result.errors == {"current_password": auth.NOT_CURRENT}


def test_the_same_email_cannot_sign_up_twice(alice: Account) -> None:
    result = sign_up("another long passphrase here", email="ALICE@example.org")
    assert result.errors["email"] == auth.EMAIL_TAKEN


# --- throttling ------------------------------------------------------------

WRONG = "not the right passphrase"
STRANGER = "203.0.113.66"  # someone else's network
OWN_PHONE = "198.51.100.7"  # the owner's phone, another network


def wrong_from(email: str, address: str, password: str = WRONG) -> Problem:
    return auth.sign_in({"email": email, "password": password}, address=address).errors["form"]


def wait(minutes: int) -> Problem:
    return Problem("wait_one_minute") if minutes == 1 else Problem("wait", minutes=minutes)


def stored_counts(email: str) -> tuple[int, int, int]:
    """The email's consecutive count, its pairs' counts summed, and the failures
    counted per address: three records of one set of failures."""
    with db.read() as session:
        account = session.exec(select(LoginThrottle.failures).where(
            LoginThrottle.email == email)).first() or 0
        pairs = sum(session.exec(select(SignInDelay.failures).where(
            SignInDelay.email == email)).all())
        addresses = len(session.exec(select(AddressAttempt.id).where(
            AddressAttempt.kind == "sign_in_failure")).all())
    return account, pairs, addresses


@pytest.fixture(params=["database", "postgres_database"])
def alice_anywhere(request: pytest.FixtureRequest) -> Account:
    """alice on SQLite, then on PostgreSQL."""
    request.getfixturevalue(request.param)
    return make_account("alice", "patient")


def test_the_delay_doubles_after_five_failures_and_stops_growing_at_fifteen_minutes() -> None:
    assert [auth.pair_delay(n).total_seconds() for n in range(1, 13)] == [
        0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]


def test_after_five_failures_one_pair_waits_longer_each_time(alice: Account) -> None:
    right = {"email": alice.email, "password": alice.password}
    with frozen_clock(T0) as clock:
        for _ in range(4):
            assert wrong_from(alice.email, STRANGER) == auth.BAD_CREDENTIALS
        assert wrong_from(alice.email, STRANGER) == wait(1)  # the 5th: 30 s
        # While it waits, not even the right password is checked from there.
        assert auth.sign_in(right, address=STRANGER).errors == {"form": wait(1)}
        clock.advance(seconds=29)
        assert wrong_from(alice.email, STRANGER) == wait(1)
        assert stored_counts(alice.email)[0] == 5  # refused tries are not counted
        for failures, minutes in ((6, 1), (7, 2), (8, 4), (9, 8), (10, 15), (11, 15)):
            clock.advance(seconds=auth.pair_delay(failures - 1).total_seconds() + 1)
            assert wrong_from(alice.email, STRANGER) == wait(minutes)
            assert stored_counts(alice.email)[0] == failures
        clock.advance(minutes=14, seconds=59)
        assert auth.sign_in(right, address=STRANGER).errors == {"form": wait(1)}
        clock.advance(seconds=2)
        assert auth.sign_in(right, address=STRANGER).ok


def test_the_owner_signs_in_from_their_phone_while_a_stranger_hammers_the_email(
        alice_anywhere: Account) -> None:
    alice = alice_anywhere
    right = {"email": alice.email, "password": alice.password}
    with frozen_clock(T0) as clock:
        # The stranger tries 30 times, as fast as the delays let them.
        for failures in range(1, 31):
            clock.advance(seconds=auth.pair_delay(failures - 1).total_seconds() + 1)
            wrong_from(alice.email, STRANGER)
        assert stored_counts(alice.email) == (30, 30, 30)
        assert wrong_from(alice.email, STRANGER) == wait(15)
        # The owner, on their phone's network, is let in at once.
        assert auth.sign_in(right, address=OWN_PHONE).ok
        # Their success starts the account's count again; the stranger still waits.
        assert stored_counts(alice.email)[:2] == (0, 30)
        assert auth.sign_in(right, address=STRANGER).errors["form"].code.startswith("wait")
        # And the owner's own typos get their own five free tries.
        for _ in range(4):
            assert wrong_from(alice.email, OWN_PHONE) == auth.BAD_CREDENTIALS
        assert auth.sign_in(right, address=OWN_PHONE).ok


def test_a_hundred_failures_in_a_row_lock_the_account_until_an_admin_unlocks_it(
        alice_anywhere: Account) -> None:
    """NIST SP 800-63B 5.2.2: at most 100 consecutive failures on one account."""
    alice = alice_anywhere
    right = {"email": alice.email, "password": alice.password}
    with frozen_clock(T0) as clock:
        # 20 networks, 5 tries each (each network's 5th brings its delay).
        answers = [wrong_from(alice.email, f"10.5.{n // 5}.1") for n in range(100)]
        assert answers.count(auth.BAD_CREDENTIALS) == 80
        assert answers[:99].count(wait(1)) == 19
        assert answers[99] == auth.ACCOUNT_LOCKED
        # Locked everywhere: the owner's right password is not checked, today or later.
        assert auth.sign_in(right, address=OWN_PHONE).errors == {"form": auth.ACCOUNT_LOCKED}
        clock.advance(days=3)
        assert auth.sign_in(right, address=OWN_PHONE).errors == {"form": auth.ACCOUNT_LOCKED}
        assert stored_counts(alice.email)[0] == 100
        assert auth.unlock_sign_in(alice.email)
        assert not auth.unlock_sign_in(alice.email)
        assert auth.sign_in(right, address=OWN_PHONE).ok


def test_the_unlock_command_turns_signing_in_back_on(
        alice: Account, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from skills_app import admin

    monkeypatch.setattr(db, "migrate", lambda *a, **k: None)
    with frozen_clock(T0):
        for n in range(auth.ACCOUNT_LOCK_FAILURES):
            wrong_from(alice.email, f"10.5.{n // 5}.1")
        assert admin.main(["unlock-sign-in", "--email", alice.email.upper()]) == 0
        assert capsys.readouterr().out == f"Signing in with {alice.email} is on again.\n"
        assert auth.sign_in({"email": alice.email, "password": alice.password},
                            address=OWN_PHONE).ok
        assert admin.main(["unlock-sign-in", "--email", alice.email]) == 0
        assert "was not stopped" in capsys.readouterr().out
        assert admin.main(["unlock-sign-in", "--email", "not an email"]) == 2


def test_a_success_before_the_hundredth_failure_starts_the_count_again(alice: Account) -> None:
    with frozen_clock(T0):
        for n in range(99):
            wrong_from(alice.email, f"10.5.{n // 5}.1")
        assert auth.sign_in({"email": alice.email, "password": alice.password},
                            address=OWN_PHONE).ok
        assert [wrong_from(alice.email, f"10.6.{n}.1") for n in range(5)] == [
            auth.BAD_CREDENTIALS] * 5


def test_unknown_emails_are_throttled_like_real_ones(alice: Account) -> None:
    with frozen_clock(T0):
        real = [wrong_from(alice.email, "10.0.0.3") for _ in range(7)]
        unknown = [wrong_from("ghost@example.org", "10.0.0.3") for _ in range(7)]
    assert real == unknown == [auth.BAD_CREDENTIALS] * 4 + [wait(1)] * 3


def test_one_address_is_capped_across_many_emails(alice: Account) -> None:
    right = {"email": alice.email, "password": alice.password}
    with frozen_clock(T0) as clock:
        for n in range(auth.ADDRESS_FAILURE_CAP):
            auth.sign_in({"email": f"user{n}@example.org", "password": "guess guess guess"},
                         address="10.9.9.9")
        capped = auth.sign_in(right, address="10.9.9.9")
        other = auth.sign_in(right, address="10.0.0.4")
        clock.advance(minutes=14, seconds=1)
        still = auth.sign_in(right, address="10.9.9.9")
        clock.advance(minutes=1)
        later = auth.sign_in(right, address="10.9.9.9")
    assert capped.errors == {"form": Problem("address_wait", minutes=15)}
    assert still.errors == {"form": Problem("address_wait_one_minute")}
    assert other.ok and later.ok


def test_wrong_current_passwords_count_toward_the_same_delay(alice: Account) -> None:
    right = {"email": alice.email, "password": alice.password}
    new_password = "purple elephants dance at noon"
    wrong_change = {"current_password": "not it at all, sorry", "new_password": new_password}
    with frozen_clock(T0) as clock:
        for _ in range(3):
            wrong_from(alice.email, "10.0.0.1")
        assert auth.change_password(alice.identity, wrong_change, address="10.0.0.1").errors \
            == {"current_password": auth.NOT_CURRENT}
        # The fifth failure from this network, whichever form it came from.
        assert auth.change_password(alice.identity, wrong_change, address="10.0.0.1").errors \
            == {"form": wait(1)}
        assert auth.sign_in(right, address="10.0.0.1").errors == {"form": wait(1)}
        right_change = {"current_password": alice.password, "new_password": new_password}
        assert auth.change_password(alice.identity, right_change, address="10.0.0.1").errors \
            == {"form": wait(1)}
        assert auth.password_context.verify(alice.password, stored_hash(alice.email))
        clock.advance(seconds=31)
        assert auth.change_password(alice.identity, right_change, address="10.0.0.1").ok


def test_the_wait_is_told_kindly_in_english_and_spanish() -> None:
    assert say(wait(4)) == ("That was several tries that didn't match. To keep your account "
                            "safe, please wait 4 minutes, then try again. If you need help now, "
                            "use the Get help now button.")
    assert "wait 1 minute," in say(wait(1))
    with text_language("es"):
        assert "espera 4 minutos" in say(wait(4))
        assert "espera 1 minuto " in say(wait(1))
        assert "Espera 15 minutos" in say(Problem("address_wait", minutes=15))
        assert "personal de tu programa" in say(auth.ACCOUNT_LOCKED)


def test_one_address_may_sign_up_a_limited_number_of_accounts_an_hour(
        database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLS_SIGNUPS_PER_ADDRESS_HOUR", "3")

    def sign_up_from(address: str, n: int) -> auth.AuthResult:
        return auth.sign_up(sign_up_form("lanterns drift over quiet harbours",
                                         email=f"p{n}@example.org"), address=address)

    with frozen_clock(T0) as clock:
        assert all(sign_up_from("10.2.0.1", n).ok for n in range(3))
        assert sign_up_from("10.2.0.1", 3).errors == {"form": auth.SIGN_UPS_CAPPED}
        assert sign_up_from("10.2.0.2", 3).ok  # another network is not affected
        clock.advance(minutes=59)
        assert sign_up_from("10.2.0.1", 4).errors == {"form": auth.SIGN_UPS_CAPPED}
        clock.advance(minutes=1, seconds=1)
        assert sign_up_from("10.2.0.1", 4).ok
    with db.transaction() as session:
        assert len(session.exec(select(User)).all()) == 5


def test_taken_emails_count_toward_the_sign_up_cap(
        alice: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLS_SIGNUPS_PER_ADDRESS_HOUR", "2")
    for _ in range(2):
        result = auth.sign_up(sign_up_form("another long passphrase here", email=alice.email),
                              address="10.2.0.3")
        assert result.errors["email"] == auth.EMAIL_TAKEN
    result = auth.sign_up(sign_up_form("another long passphrase here", email="new@example.org"),
                          address="10.2.0.3")
    assert result.errors == {"form": auth.SIGN_UPS_CAPPED}


# --- sessions --------------------------------------------------------------

def test_tokens_are_random_and_only_their_hash_is_stored(alice: Account) -> None:
    second = auth.sign_in({"email": alice.email, "password": alice.password}, address="10.0.0.1")
    assert second.token != alice.token and len(second.token) >= 43
    with db.transaction() as session:
        hashes = session.exec(select(AuthSession.token_hash)).all()
    assert auth.hash_token(alice.token) in hashes
    assert alice.token not in hashes and second.token not in hashes


def test_signing_in_ends_the_session_it_replaces(alice: Account, bob: Account) -> None:
    again = auth.sign_in({"email": alice.email, "password": alice.password},
                         address="10.0.0.1", replacing=alice.token)
    assert again.ok and again.token != alice.token
    assert auth.resolve_session(alice.token) is None
    assert auth.resolve_session(again.token).user_id == alice.identity.user_id
    # A failed sign-in leaves the browser's session alone.
    assert not auth.sign_in({"email": alice.email, "password": "wrong guess here"},
                            address="10.0.0.1", replacing=again.token).ok
    assert auth.resolve_session(again.token) is not None
    # Someone else signing in on the same browser ends the previous person's session.
    as_bob = auth.sign_in({"email": bob.email, "password": bob.password},
                          address="10.0.0.1", replacing=again.token)
    assert as_bob.ok and auth.resolve_session(again.token) is None
    assert auth.resolve_session(bob.token) is not None  # bob's other device


def test_a_token_replayed_after_sign_out_is_refused(alice: Account) -> None:
    assert auth.resolve_session(alice.token).user_id == alice.identity.user_id
    auth.sign_out(alice.token)
    assert auth.resolve_session(alice.token) is None


def test_therapist_sessions_end_after_fifteen_idle_minutes(database: str) -> None:
    from tests.conftest import make_account

    with frozen_clock(T0) as clock:
        carol = make_account("carol", "therapist")
        clock.advance(minutes=14, seconds=50)
        assert auth.resolve_session(carol.token) is not None  # activity resets idle time
        clock.advance(minutes=14, seconds=50)
        assert auth.resolve_session(carol.token) is not None
        clock.advance(minutes=15, seconds=1)
        assert auth.resolve_session(carol.token) is None
        assert auth.resolve_session(carol.token) is None  # and it stays gone


def test_therapist_sessions_end_after_twelve_hours_even_when_active(database: str) -> None:
    from tests.conftest import make_account

    with frozen_clock(T0) as clock:
        carol = make_account("carol", "therapist")
        for _ in range(12 * 6):
            clock.advance(minutes=10)
            if clock.now - T0 <= auth.SESSION_POLICIES[auth.Role.THERAPIST].absolute:
                assert auth.resolve_session(carol.token) is not None
        clock.advance(minutes=1)
        assert auth.resolve_session(carol.token) is None


def test_patient_sessions_last_seven_idle_days_and_thirty_days_in_all(database: str) -> None:
    from tests.conftest import make_account

    with frozen_clock(T0) as clock:
        alice = make_account("alice", "patient")
        clock.advance(days=6, hours=23)
        assert auth.resolve_session(alice.token) is not None
        for _ in range(3):
            clock.advance(days=6, hours=23)
            assert auth.resolve_session(alice.token) is not None
        clock.advance(days=2)  # 29 days 20 hours after sign-in, last seen 2 days ago
        assert auth.resolve_session(alice.token) is not None
        clock.advance(hours=4, seconds=1)  # past 30 days
        assert auth.resolve_session(alice.token) is None

        bob = make_account("bob", "patient")
        clock.advance(days=7, seconds=1)
        assert auth.resolve_session(bob.token) is None


@pytest.fixture
def writes() -> Iterator[list[str]]:
    """Every statement that starts a write transaction or changes a row, as it runs."""
    seen: list[str] = []

    def capture(_conn, _cursor, statement: str, *_args: object) -> None:
        if statement.split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"} \
                or statement.startswith("BEGIN IMMEDIATE"):
            seen.append(statement)

    engine = db.get_engine()
    event.listen(engine, "before_cursor_execute", capture)
    yield seen
    event.remove(engine, "before_cursor_execute", capture)


def test_a_session_check_writes_last_seen_only_when_due(database: str, writes: list[str]) -> None:
    with frozen_clock(T0) as clock:
        alice = make_account("alice", "patient")
        writes.clear()
        clock.advance(seconds=30)
        assert auth.resolve_session(alice.token) is not None
        assert writes == []  # not a single write transaction for a fresh session
        clock.advance(seconds=1)
        assert auth.resolve_session(alice.token) is not None
        assert [w for w in writes if w.startswith("UPDATE")] == [
            w for w in writes if w.startswith("UPDATE auth_session SET last_seen_at")]
        assert len([w for w in writes if w.startswith("UPDATE")]) == 1
        writes.clear()
        clock.advance(seconds=29)
        assert auth.resolve_session(alice.token) is not None
        assert writes == []
    with db.read() as session:
        last_seen = session.exec(select(AuthSession.last_seen_at)).one()
    assert last_seen == T0.replace(second=31)


def test_a_session_check_does_not_wait_for_a_writer(alice: Account) -> None:
    """Checking a session (every websocket event) only reads unless a write is due."""
    auth.resolve_session(alice.token)  # last seen just now: nothing to refresh below
    with db.transaction() as writer:
        writer.execute(text("UPDATE user_account SET display_name = display_name"))
        started = time.perf_counter()
        assert auth.resolve_session(alice.token).user_id == alice.identity.user_id
        assert time.perf_counter() - started < 1


def test_an_expired_session_is_deleted_when_next_seen(database: str) -> None:
    with frozen_clock(T0) as clock:
        carol = make_account("carol", "therapist")
        clock.advance(minutes=15, seconds=1)
        assert auth.resolve_session(carol.token) is None
    with db.read() as session:
        assert session.exec(select(AuthSession)).all() == []


def test_sign_out_everywhere_ends_every_session(alice: Account, bob: Account) -> None:
    phone = auth.sign_in({"email": alice.email, "password": alice.password}, address="10.0.0.1")
    assert auth.sign_out_everywhere(alice.identity.user_id) == 2
    assert auth.resolve_session(alice.token) is None
    assert auth.resolve_session(phone.token) is None
    assert auth.resolve_session(bob.token) is not None


def test_changing_the_password_ends_other_sessions_and_issues_a_new_token(alice: Account) -> None:
    phone = auth.sign_in({"email": alice.email, "password": alice.password}, address="10.0.0.1")
    result = auth.change_password(alice.identity, {
        "current_password": alice.password, "new_password": "purple elephants dance at noon"},
        address="10.0.0.1")
    assert result.ok
    assert auth.resolve_session(phone.token) is None
    assert auth.resolve_session(alice.token) is None
    assert auth.resolve_session(result.token).user_id == alice.identity.user_id
    assert auth.sign_in({"email": alice.email, "password": "purple elephants dance at noon"},
                        address="10.0.0.1").ok


def test_changing_the_password_needs_the_current_one(alice: Account) -> None:
    result = auth.change_password(alice.identity, {
        "current_password": "not it at all", "new_password": "purple elephants dance at noon"},
        address="10.0.0.1")
    assert result.errors == {"current_password": auth.NOT_CURRENT}
    assert auth.resolve_session(alice.token) is not None


# --- concurrency and argon2 ------------------------------------------------

STORM = 120


def _wrong_password_storm(email: str, addresses: list[str]) -> list[Problem]:
    """One thread per address sends a wrong password for `email` at the same moment."""
    start = threading.Barrier(len(addresses))

    def attempt(n: int) -> Problem:
        start.wait()
        return wrong_from(email, addresses[n], f"wrong guess number {n}")

    with ThreadPoolExecutor(len(addresses)) as pool:
        return list(pool.map(attempt, range(len(addresses))))


def test_concurrent_wrong_passwords_from_many_networks_lock_at_exactly_a_hundred(
        alice_anywhere: Account) -> None:
    alice = alice_anywhere
    with frozen_clock(T0):
        started = time.perf_counter()
        answers = _wrong_password_storm(alice.email, [f"10.3.{n}.1" for n in range(STORM)])
        print(f"{db.get_engine().dialect.name}: {STORM} concurrent wrong passwords answered in "
              f"{time.perf_counter() - started:.1f} s")
        # Exactly 99 were told "don't match": no failure was lost or counted twice.
        assert answers.count(auth.BAD_CREDENTIALS) == auth.ACCOUNT_LOCK_FAILURES - 1
        assert answers.count(auth.ACCOUNT_LOCKED) == STORM - (auth.ACCOUNT_LOCK_FAILURES - 1)
        account, pairs, addresses = stored_counts(alice.email)
        assert auth.ACCOUNT_LOCK_FAILURES <= account == pairs == addresses <= STORM
        assert auth.sign_in({"email": alice.email, "password": alice.password},
                            address=OWN_PHONE).errors == {"form": auth.ACCOUNT_LOCKED}


def test_concurrent_wrong_passwords_from_one_network_start_its_delay_at_the_fifth(
        alice_anywhere: Account) -> None:
    alice = alice_anywhere
    with frozen_clock(T0):
        answers = _wrong_password_storm(alice.email, [STRANGER] * 40)
        assert answers.count(auth.BAD_CREDENTIALS) == auth.PAIR_FREE_FAILURES - 1
        assert all(answer.code.startswith("wait") for answer in answers
                   if answer != auth.BAD_CREDENTIALS)
        account, pairs, addresses = stored_counts(alice.email)
        assert auth.PAIR_FREE_FAILURES <= account == pairs == addresses <= 40
        # The owner's phone is not held up by any of it.
        assert auth.sign_in({"email": alice.email, "password": alice.password},
                            address=OWN_PHONE).ok


class Argon2Spy:
    """Stands in for the CryptContext and notes what else was going on during each call."""

    def __init__(self, delay: float = 0.0) -> None:
        self.real = auth.password_context
        self.delay = delay
        self.connections_held: list[int] = []
        self.running = self.most_at_once = 0
        self._lock = threading.Lock()

    def _call(self, method: str, *args: str) -> object:
        with self._lock:
            self.connections_held.append(db.get_engine().pool.checkedout())
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            time.sleep(self.delay)
            return getattr(self.real, method)(*args)
        finally:
            with self._lock:
                self.running -= 1

    def hash(self, secret: str) -> str:
        return self._call("hash", secret)

    def verify(self, secret: str, hash: str) -> bool:
        return self._call("verify", secret, hash)

    def verify_and_update(self, secret: str, hash: str) -> tuple[bool, str | None]:
        return self._call("verify_and_update", secret, hash)


def test_argon2_never_runs_inside_a_database_transaction(
        alice: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Argon2Spy()
    monkeypatch.setattr(auth, "password_context", spy)
    assert auth.sign_up(sign_up_form("lanterns drift over quiet harbours"),
                        address="10.0.0.1").ok
    assert auth.sign_in({"email": alice.email, "password": alice.password},
                        address="10.0.0.1").ok
    assert not auth.sign_in({"email": alice.email, "password": "wrong guess here"},
                            address="10.0.0.1").ok
    assert not auth.sign_in({"email": "nobody@example.org", "password": "wrong guess here"},
                            address="10.0.0.1").ok
    assert auth.change_password(alice.identity, {
        "current_password": alice.password, "new_password": "purple elephants dance at noon"},
        address="10.0.0.1").ok
    assert len(spy.connections_held) == 6  # 2 hashes, 4 verifications
    assert spy.connections_held == [0] * 6


def test_argon2_runs_at_most_a_few_at_once(alice: Account,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A sign-in storm must leave a core to the web worker's event loop."""
    spy = Argon2Spy(delay=0.05)
    monkeypatch.setattr(auth, "password_context", spy)
    monkeypatch.setattr(auth, "_argon2_pool", ThreadPoolExecutor(
        2, initializer=auth._lower_priority))
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: auth.sign_in(
            {"email": alice.email, "password": f"wrong guess {n} here"},
            address="10.0.0.1"), range(8)))
    assert len(spy.connections_held) == 8
    assert spy.most_at_once == 2
    assert 1 <= auth.ARGON2_SLOTS < max(2, os.cpu_count() or 1)


def test_password_work_runs_at_the_lowest_cpu_priority() -> None:
    """In a sign-in storm the event loop's thread is scheduled before argon2's."""
    niceness = auth._argon2_pool.submit(
        lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())).result()
    assert niceness == auth.ARGON2_NICENESS
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < niceness


def test_a_forked_worker_can_still_hash_passwords() -> None:
    """Web workers are forked from the process that imported the app (and hashed
    once at import): the child must not wait on threads it never inherited."""
    auth.hash_password("warm the pool up in the parent first")
    pid = os.fork()
    if pid == 0:  # the child: hash, then report by exit status
        code = 0
        try:
            code = 0 if auth.hash_password("a passphrase in the child").startswith(
                "$argon2id$") else 1
        finally:
            os._exit(code)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail("hashing in a forked worker never finished")


@pytest.mark.parametrize(("password", "code"), [
    ("qwertyuiopasdfgh", "password_weak_like_common"),
    ("abcdefghijklmnopq", "password_weak_sequence"),
    ("aaaaaaaaaaaaaaaaa", "password_weak_repeated_character"),
    ("passwordpassword", "password_weak_repeated_group"),
])
def test_what_the_strength_check_noticed_is_a_code_of_ours(database: str, password: str,
                                                           code: str) -> None:
    """zxcvbn explains in English: its warning becomes one of our codes, with a
    sentence in each language."""
    problem = sign_up(password).errors["password"]
    assert problem == Problem(code)
    with text_language("es"):
        assert say(problem).startswith("Esta contraseña es muy común")


def test_every_strength_warning_has_a_sentence() -> None:
    from skills_app.text.problems import sentences
    for kind in auth._STRENGTH_WARNINGS.values():  # noqa: SLF001
        assert f"password_weak_{kind}" in sentences()
