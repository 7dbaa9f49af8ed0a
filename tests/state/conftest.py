"""Build Reflex states directly, with the request headers a browser would have sent."""

from __future__ import annotations

import re
from typing import TypeVar
from urllib.parse import parse_qsl

import pytest
import reflex as rx
from reflex.istate.data import RouterData

from skills_app.core.settings import SESSION_COOKIE

StateT = TypeVar("StateT", bound=rx.State)


@pytest.fixture(scope="session", autouse=True)
def compiled_app() -> None:
    """Import the app once so every State class is registered."""
    import skills_app.skills_app  # noqa: F401


def state_for(state_cls: type[StateT], token: str | None, path: str = "/today/", *,
              other_cookies: str = "theme=dark") -> StateT:
    """A fresh state tree whose websocket connected with `token` as its session cookie."""
    root = rx.State(_reflex_internal_init=True)
    cookie = f"{other_cookies}; {SESSION_COOKIE}={token}" if token else other_cookies
    pathname, _, query = path.partition("?")
    root.router = RouterData.from_router_data({
        "headers": {"cookie": cookie, "origin": "http://localhost:3000"},
        "pathname": pathname,
        "asPath": path,
        "query": dict(parse_qsl(query, keep_blank_values=True)),
    })
    return root.get_substate(state_cls.get_full_name().split(".")[1:])


def _event_args(event: object) -> dict[str, object]:
    if not isinstance(event, rx.event.EventSpec):
        return {}
    return {str(name): getattr(value, "_var_value", None) for name, value in event.args}


def script_of(event: object) -> str:
    """The JavaScript of an rx.call_script event ("" for any other event)."""
    return str(_event_args(event).get("javascript_code") or "")


def redirect_target(event: object) -> str:
    """The path of an rx.redirect event ("" for any other event)."""
    args = _event_args(event)
    return str(args["path"]) if "path" in args and "external" in args else ""


def sign_in_target(event: object) -> str:
    """Where a refusal sends the browser ("" when the event is not a refusal).

    A refusal drops the tab's Reflex token and loads the sign-in page in full.
    """
    script = script_of(event)
    match = re.search(r"sessionStorage\.removeItem\('token'\).*window\.location\.assign\("
                      r"\"([^\"]*)\"\)", script)
    return match.group(1) if match else ""
