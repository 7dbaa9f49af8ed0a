"""The one CSV writer of the app: every CSV it hands out (the patient's own export,
the therapist's session summary) is written here.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and
some also after a leading tab or carriage return), so text typed by a person could
open a link or start a program on the reader's computer. Following OWASP's rule on
CSV injection, a text cell that starts with one of those characters gets a single
quote in front: the spreadsheet shows the text as text. Numbers the app itself
wrote (int, float, Decimal) are left as numbers. The JSON copy of the export does
not pass through here and keeps the exact text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """One cell as text a spreadsheet will not run: None is empty, a number stays a
    number, text that starts like a formula gets a leading single quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(rows: Iterable[Iterable[object]]) -> str:
    """The rows as CSV text (RFC 4180 line ends), every cell through `safe_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()
