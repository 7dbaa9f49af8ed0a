"""Account handlers called directly, including with forged arguments."""

from __future__ import annotations

from urllib.parse import parse_qsl

from reflex.istate.data import RouterData
from sqlmodel import select

from skills_app.core import db
from skills_app.core.models import User
from skills_app.state.account import AccountState, BrowserLanguageState
from skills_app.text import language as text_language
from tests.conftest import Account
from tests.state.conftest import redirect_target, script_of, state_for


def users() -> dict[str, tuple[str, str]]:
    with db.transaction() as session:
        return {user.email: (user.display_name, user.time_zone)
                for user in session.exec(select(User)).all()}


async def test_loading_shows_only_the_callers_own_profile(alice: Account, bob: Account) -> None:
    state = state_for(AccountState, alice.token, "/account/")
    assert await state.load_account() is None
    assert (state.display_name, state.email, state.time_zone) == (
        "Alice", "alice@example.org", "America/Chicago")


async def test_saving_changes_the_callers_profile(alice: Account) -> None:
    state = state_for(AccountState, alice.token, "/account/")
    await state.save_profile({"display_name": "  Ali  ", "time_zone": "Europe/Berlin"})
    assert state.saved_message == "Saved." and state.errors == {}
    assert users()["alice@example.org"] == ("Ali", "Europe/Berlin")


async def test_another_users_id_in_the_arguments_is_ignored(alice: Account, bob: Account) -> None:
    before = users()["bob@example.org"]
    state = state_for(AccountState, alice.token, "/account/")
    await state.save_profile({"display_name": "Mallory", "time_zone": "UTC",
                        "user_id": bob.identity.user_id, "id": bob.identity.user_id,
                        "email": bob.email, "role": "therapist"})
    assert users()["bob@example.org"] == before
    assert users()["alice@example.org"] == ("Mallory", "UTC")
    with db.transaction() as session:
        assert session.get(User, alice.identity.user_id).role == "patient"


async def test_without_a_session_nothing_changes(alice: Account) -> None:
    before = users()
    state = state_for(AccountState, None, "/account/")
    event = await state.save_profile({"display_name": "Mallory", "time_zone": "UTC",
                                "user_id": alice.identity.user_id})
    assert "signin" in script_of(event)
    assert users() == before
    assert state.email == "" and state.display_name == ""


async def test_bad_input_gets_kind_messages_and_nothing_is_saved(alice: Account) -> None:
    before = users()
    state = state_for(AccountState, alice.token, "/account/")
    cases = [
        ({"display_name": "", "time_zone": "UTC"}, "display_name", "Please enter your name."),
        ({"display_name": "x" * 10_000, "time_zone": "UTC"}, "display_name", "too long"),
        ({"display_name": "Al\x00ice", "time_zone": "UTC"}, "display_name", "control character"),
        ({"display_name": "Al\ud800ice", "time_zone": "UTC"}, "display_name", "can't store"),
        ({"display_name": ["Alice"], "time_zone": "UTC"}, "display_name", "as text"),
        ({"display_name": "Alice", "time_zone": "Mars/Olympus"}, "time_zone", "recognise"),
        ({"display_name": "Alice", "time_zone": None}, "time_zone", "enter your time zone"),
    ]
    for form, field, message in cases:
        await state.save_profile(form)
        assert message in state.errors[field], (form, state.errors)
        assert state.saved_message == ""
    for not_a_form in (None, "abc", 5, ["display_name"]):
        await state.save_profile(not_a_form)
        assert "form" in state.errors
    assert users() == before


async def test_html_in_a_name_is_stored_as_plain_text(alice: Account) -> None:
    state = state_for(AccountState, alice.token, "/account/")
    await state.save_profile({"display_name": "<script>alert(1)</script>", "time_zone": "UTC"})
    assert users()["alice@example.org"][0] == "<script>alert(1)</script>"


async def test_choosing_spanish_saves_it_and_reloads_into_the_spanish_account_page(
        alice: Account) -> None:
    state = state_for(AccountState, alice.token, "/account/")
    await state.load_account()
    assert state.language == "en"
    leave = await state.save_profile({"display_name": "Alice", "time_zone": "America/Chicago",
                                      "language": "es"})
    # A full load: the shell, tabs and this page are built in the language just chosen.
    assert "sessionStorage.removeItem('token')" in script_of(leave)
    assert 'window.location.assign("/es/account/?language=1")' in script_of(leave)
    with db.read() as session:
        assert session.exec(select(User.language).where(
            User.email == "alice@example.org")).one() == "es"
    spanish = state_for(AccountState, alice.token, "/es/account/?language=1")
    with text_language("es"):
        assert await spanish.load_account() is None
    assert (spanish.language, spanish.saved_message) == ("es", "Guardado.")


async def test_a_spanish_patient_opening_an_english_page_goes_to_the_spanish_one(
        alice: Account) -> None:
    with db.transaction() as session:
        session.get(User, alice.identity.user_id).language = "es"
    for english, spanish in (("/account/", "/es/account/"), ("/today/", "/es/today/")):
        state = state_for(AccountState, alice.token, english)
        assert redirect_target(await state.guard_patient_page()) == spanish


async def test_a_language_the_app_does_not_speak_is_english(alice: Account) -> None:
    state = state_for(AccountState, alice.token, "/account/")
    for odd in ("xx", None, ["es"], 5):
        assert await state.save_profile({"display_name": "Alice", "time_zone": "UTC",
                                         "language": odd}) is None
        assert state.saved_message == "Saved."
    with db.read() as session:
        assert session.exec(select(User.language)).first() == "en"


def _visit(state: BrowserLanguageState, path: str, header: str) -> object:
    pathname, _, query = path.partition("?")
    state.router = RouterData.from_router_data({
        "headers": {"accept-language": header}, "pathname": pathname, "asPath": path,
        "query": dict(parse_qsl(query))})
    return state.notice_browser()


async def test_the_pages_before_sign_in_follow_the_browsers_language() -> None:
    for path, header, sent_to in (
            ("/signup/", "es-MX,es;q=0.9,en;q=0.8", "/es/signup/"),
            ("/signin/?next=/journal/", "es-419", "/es/signin/?next=%2Fjournal%2F")):
        state = state_for(BrowserLanguageState, None, path)
        assert redirect_target(_visit(state, path, header)) == sent_to, path
    for path, header, offered, preselected in (("/signup/", "en-US,en;q=0.9", "", "en"),
                                               ("/es/signup/", "es-419", "", "es"),
                                               ("/signup/", "", "", "en"),
                                               # A Spanish page is a choice: English offered.
                                               ("/es/signup/", "en-US", "en", "es")):
        state = state_for(BrowserLanguageState, None, path)
        assert _visit(state, path, header) is None
        assert (state.browser_language, state.sign_up_language) == (offered, preselected), path


async def test_a_language_chosen_by_a_tap_holds_over_the_browsers() -> None:
    spanish_browser = "es-MX,es;q=0.9"
    state = state_for(BrowserLanguageState, None, "/signup/?chosen=1")
    assert _visit(state, "/signup/?chosen=1", spanish_browser) is None
    # English stays chosen, with a way back to the browser's language offered.
    assert (state.browser_language, state.sign_up_language) == ("es", "en")
    assert _visit(state, "/signin/", spanish_browser) is None
    # Opening a Spanish page chooses Spanish in turn.
    assert _visit(state, "/es/signin/", spanish_browser) is None
    assert redirect_target(_visit(state, "/signin/", spanish_browser)) == "/es/signin/"
