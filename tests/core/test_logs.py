"""Reflex's own log records never carry what a browser sent."""

from __future__ import annotations

import logging

import pytest

from skills_app.core import logs

MARKER = "zq-marker-5150"


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    logs.keep_personal_data_out_of_logs()
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.mark.parametrize("message", [
    f"Error transforming event payload for handler JournalState.change_week: Error "
    f"transforming event argument 'step' with value '{MARKER}' and type hint 'int'",
    f"Received event from session abc with no associated token. Event data: {{'x': '{MARKER}'}}",
    f"Error processing event queue entry for Event(token='t', payload={{'note': '{MARKER}'}})",
    f"Received event data as a string.\n Event data: {MARKER}",
    f"Failed to deserialize event data: {MARKER}.",
])
def test_reflex_messages_lose_every_value(captured: pytest.LogCaptureFixture,
                                          message: str) -> None:
    logging.getLogger("reflex_base.event.processor.base_state_processor").warning(message)
    assert MARKER not in captured.text
    assert "[details not logged]" in captured.records[-1].getMessage()


def test_tracebacks_keep_only_exception_types(captured: pytest.LogCaptureFixture) -> None:
    try:
        try:
            raise KeyError(MARKER)
        except KeyError as error:
            raise ValueError(f"bad value {MARKER}") from error
    except ValueError:
        logging.getLogger("reflex.app").exception("Error in task")
    record = captured.records[-1]
    assert MARKER not in captured.text and record.exc_info is None
    assert record.getMessage() == "Error in task (ValueError <- KeyError)"


def test_formatting_arguments_are_redacted_too(captured: pytest.LogCaptureFixture) -> None:
    logging.getLogger("reflex").warning("value %s for %s", f"'{MARKER}'", "x")
    assert MARKER not in captured.text


def test_the_apps_own_and_other_loggers_are_left_alone(
        captured: pytest.LogCaptureFixture) -> None:
    logging.getLogger("skills_app.auth").info("sign-in user=%s", 7)
    logging.getLogger("reflexive.other").info("keep: 'this'")
    assert captured.records[-2].getMessage() == "sign-in user=7"
    assert captured.records[-1].getMessage() == "keep: 'this'"


def test_plain_reflex_messages_pass_unchanged(captured: pytest.LogCaptureFixture) -> None:
    logging.getLogger("reflex").info("App running at http")
    assert captured.records[-1].getMessage() == "App running at http"
