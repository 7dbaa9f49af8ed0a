"""What may reach the server log.

Journal text, names and emails never go into a log. The app's own log lines
carry ids and outcomes only. Reflex's warnings and errors, however, can quote
an event's arguments ("Error transforming event argument 'form_data' with
value ...": a form with a type mismatch would log what a patient typed), and
their tracebacks can quote values too. So every record from Reflex's loggers
is cut to its wording before the first quoted value or data structure, and its
traceback is reduced to the exception types.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from types import TracebackType

REFLEX_LOGGERS = ("reflex", "reflex_base", "socketio", "engineio")
# Where data starts in Reflex's messages: a quote, a bracket, "=" or ": ".
_DATA_START = re.compile(r"""['"({\[=]|:\s|:$""")
_REDACTED = " [details not logged]"


def redact(message: str) -> str:
    """`message` without anything that may be a value sent by a browser."""
    first_line = message.split("\n", 1)[0]
    match = _DATA_START.search(first_line)
    if match is None and first_line == message:
        return message
    kept = first_line[:match.start()] if match else first_line
    return kept.rstrip(" .,;") + _REDACTED


def _exception_types(exc_info: tuple[type[BaseException], BaseException, TracebackType | None]
                     ) -> str:
    names, error = [], exc_info[1]
    while error is not None and len(names) < 5:
        names.append(type(error).__name__)
        error = error.__cause__ or error.__context__
    return " <- ".join(names)


def _redacting(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        if record.name.split(".", 1)[0] in REFLEX_LOGGERS:
            message = redact(record.getMessage())
            if record.exc_info and record.exc_info[1] is not None:
                message += f" ({_exception_types(record.exc_info)})"
            record.msg, record.args = message, None
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return record

    make_record.skills_redacting = True  # type: ignore[attr-defined]
    return make_record


def keep_personal_data_out_of_logs() -> None:
    """Install the redaction for every log record made in this process (idempotent)."""
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "skills_redacting", False):
        logging.setLogRecordFactory(_redacting(factory))
