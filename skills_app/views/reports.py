"""The one-page session summary as CSV and PDF, from the same screen values as the
patient detail page (`views.therapist.detail_screen`).

A report disclosed to a therapist carries the 42 CFR Part 2 notice that forbids
redisclosure and its report id (the audit log's accounting of disclosures
names it). Patient text is written as text: in the CSV a cell that a
spreadsheet would run as a formula is prefixed with a quote; in the PDF every
string is drawn as glyphs (nothing is interpreted), with DejaVu Sans shipped in
skills_app/fonts/ (Latin, Greek, Cyrillic, Hebrew, Arabic and more; fpdf2
puts right-to-left runs in visual order).

The report's own words and dates are in the current language (`text.current()`:
`report_routes` speaks the reader's account language while it builds one);
what the patient typed stays as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdf import FPDF

from skills_app.core.csv_safe import write_csv
from skills_app.core.diary import RISK_URGE_LEVEL
from skills_app.core.sharing import REDISCLOSURE_NOTICE
from skills_app.text import N_, _, formats
from skills_app.views import homework_therapist
from skills_app.views.therapist import NO_FLAGS

FONTS = Path(__file__).resolve().parent.parent / "fonts"
NOTICE_TITLE = N_("Notice: federal confidentiality rules (42 CFR Part 2)")
NO_NOTES = N_("No notes this week")
SESSION_SUMMARY = N_("Session summary")


def _risk_rows(screen: dict[str, Any]) -> list[list[str]]:
    """The tier, each flag, "No flags" or what is not shared: as the detail page says it."""
    rows = [[_("Risk tier"), screen["tier"]]] if screen["tier"] else []
    rows += [[_("Flag"), flag] for flag in screen["flags"]]
    if screen["no_flags"]:
        rows.append([_("Flags"), _(NO_FLAGS)])
    rows += [[_("Not shared"), line] for line in screen["not_shared"]]
    return rows


def _lines(screen: dict[str, Any]) -> list[list[str]]:
    rows: list[list[str]] = [
        [_(SESSION_SUMMARY), screen["name"]],
        [_("Week"), screen["week_label"]],
        [_("Shares"), screen["shares"]],
    ]
    rows += _risk_rows(screen)
    rows += [[n["label"], n["value"]] for n in screen["numbers"]]
    rows.append([])
    if screen["checkups"]:
        rows.append([_("Check-up (latest)"), _("Total"), _("Band"), _("Day"), _("Item 9")])
        rows += [[c["name"], c["total"], c["band"], c["day"], c["item9"] or "0"]
                 for c in screen["checkups"]]
    else:
        rows += [[_("Check-ups"), line] for line in screen["checkup_lines"]]
    rows.append([_("Safety plan"), screen["plan_line"]])
    rows += attendance_lines(screen)
    days = [_("{day} ({flag})", day=day["label"], flag=day["flag"]) if day["flag"]
            else day["label"] for day in screen["days"]]
    for section in screen["sections"]:
        rows += [[], [section["title"]]]
        rows += [[_("Not shared"), line] for line in section["not_shared"]]
        if section["rows"]:
            rows.append([_("Item"), *days, _("This week"), _("Last week")])
        rows += [[row["label"], *(cell["text"] for cell in row["cells"]), row["this_week"],
                  row["last_week"]] for row in section["rows"]]
    rows += _homework_rows(screen)
    rows += [[], [_("Skills used")]]
    rows += [[s["day"], s["names"]] for s in screen["skills"]] or [[screen["skills_note"]]]
    rows += [[], [_("Journal notes")]]
    rows += [[n["day"], n["text"]] for n in screen["notes"]] or [
        [screen["notes_note"] or _(NO_NOTES)]]
    return rows


def _homework_rows(screen: dict[str, Any]) -> list[list[str]]:
    """The week's homework (`views.homework_therapist.report_lines`), under its title."""
    return [[], [_("Homework")], *(homework_therapist.report_lines(screen.get("homework") or {})
                                   or [[_("No homework this week.")]])]


def session_csv(screen: dict[str, Any], *, disclosed: bool, report_id: str) -> str:
    """The summary as CSV, through the app's one formula-safe writer (`core.csv_safe`)."""
    rows = _lines(screen)
    if disclosed:
        rows += [[], [_(NOTICE_TITLE), REDISCLOSURE_NOTICE]]
    rows.append([_("Report id"), report_id])
    return write_csv(rows)


def session_pdf(screen: dict[str, Any], *, disclosed: bool, report_id: str) -> bytes:
    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(_(SESSION_SUMMARY))
    pdf.add_page()
    pdf.set_margins(12, 12, 12)
    width = pdf.epw

    def text(value: str, size: float = 9, bold: bool = False, height: float = 4.6) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.multi_cell(width, height, value, align="L", new_x="LMARGIN", new_y="NEXT")

    text(_("Session summary: {name}", name=screen["name"]), 14, bold=True, height=7)
    text(_("{week}. Shares: {shares}.", week=screen["week_label"], shares=screen["shares"]))
    if screen["tier"]:
        text(screen["tier"], 10, bold=True, height=5.5)
    for flag in screen["flags"]:
        text(f"⚑ {flag}", bold=True)
    if screen["no_flags"]:
        text(_(NO_FLAGS))
    for line in screen["not_shared"]:
        text(f"⊘ {line}", bold=True)
    for number in screen["numbers"]:
        text(_("{label}: {value}", label=number["label"], value=number["value"]))
    pdf.ln(1.5)
    text(_("Check-ups (latest)"), 10, bold=True, height=5.5)
    for line in screen["checkup_lines"]:
        text(line)
    text(screen["plan_line"])
    attendance_pdf(pdf, screen, text)
    day_labels = [day["label"] for day in screen["days"]]
    # Day columns fit the short day ("Tue, Dec 1"); the item names wrap in none.
    columns = (33, *([17.5] * 7), 18, 18)
    for section in screen["sections"]:
        pdf.ln(1.5)
        text(section["title"], 10, bold=True, height=5.5)
        for line in section["not_shared"]:
            text(f"⊘ {line}")
        if not section["rows"]:
            continue
        pdf.set_font("DejaVu", "B", 7.5)
        for label, size in zip([_("Item"), *day_labels, _("This wk"), _("Last wk")],
                               columns, strict=True):
            _fitted_cell(pdf, size, label, 7.5)
        pdf.ln()
        pdf.set_font("DejaVu", "", 7.5)
        for row in section["rows"]:
            cells = [row["label"], *(c["text"] for c in row["cells"]), row["this_week"],
                     row["last_week"]]
            for cell, size in zip(cells, columns, strict=True):
                _fitted_cell(pdf, size, cell, 7.5)
            pdf.ln()
    flagged = [day["label"] for day in screen["days"] if day["flag"]]
    if flagged:
        text(_("⚑ Urge of {level} or more and no skill used: {days}",
               level=formats.number(RISK_URGE_LEVEL), days="; ".join(flagged)), bold=True)
    _homework_pdf(pdf, text, screen)
    notes = [_("{day}: {text}", day=n["day"], text=n["text"]) for n in screen["notes"]]
    if not notes and not screen["notes_note"]:
        notes = [_(NO_NOTES)]
    for title, lines, not_shared in (
            (_("Skills used"), [_("{day}: {text}", day=s["day"], text=s["names"])
                                for s in screen["skills"]], screen["skills_note"]),
            (_("Journal notes"), notes, screen["notes_note"])):
        pdf.ln(1.5)
        text(title, 10, bold=True, height=5.5)
        for line in lines:
            text(line)
        if not_shared:
            text(f"⊘ {not_shared}")
    pdf.ln(1.5)
    text(_("– means nothing was filled in (not 0). ⚠ Acted marks an urge acted on. "
           "This app is not monitored in real time."), 7.5)
    if disclosed:
        pdf.ln(1.5)
        text(_(NOTICE_TITLE), 8.5, bold=True)
        text(REDISCLOSURE_NOTICE, 7.5, height=3.6)
    text(_("Report id {id}", id=report_id), 7)
    return bytes(pdf.output())


def _homework_pdf(pdf: FPDF, text: Callable[..., None], screen: dict[str, Any]) -> None:
    """The week's homework: each assignment in bold, then its lines."""
    pdf.ln(1.5)
    text(_("Homework"), 10, bold=True, height=5.5)
    lines = homework_therapist.report_lines(screen.get("homework") or {})
    if not lines:
        text(_("No homework this week."))
    for first, label, value in lines:
        if first:
            text(_("{what}: {when}. {progress}", what=first, when=label, progress=value),
                 bold=True)
        else:
            text(_("{label}: {value}", label=label, value=value))


def _fitted_cell(pdf: FPDF, width: float, value: str, size: float) -> None:
    """A table cell whose text is made smaller (down to 5.5 pt) until it fits: a day or a
    word in another language may be longer than the English."""
    font = size
    while font > 5.5 and pdf.get_string_width(value) > width - 1.5:
        font -= 0.5
        pdf.set_font_size(font)
    pdf.cell(width, 4.6, value, border=1)
    pdf.set_font_size(size)


# --- group attendance (core/attendance.py): the program's own record ------------------

ATTENDANCE_HEADERS = (N_("Week of"), N_("Meetings"), N_("Present"), N_("Late"), N_("Excused"),
                      N_("Absent"), N_("Not marked"))
_ATTENDANCE_KEYS = ("week", "held", "present", "late", "excused", "absent", "unmarked")


def attendance_lines(screen: dict[str, Any]) -> list[list[str]]:
    """The CSV's attendance by week (the weeks through the summary's week); nothing for a
    patient who had no group meetings then."""
    if not screen.get("attendance"):
        return []
    return [[], [_("Group attendance by week")], [_(h) for h in ATTENDANCE_HEADERS],
            *([week[key] for key in _ATTENDANCE_KEYS] for week in screen["attendance"])]


def attendance_pdf(pdf: FPDF, screen: dict[str, Any], text: Any) -> None:
    """The PDF's attendance table; nothing for a patient who had no group meetings."""
    if not screen.get("attendance"):
        return
    pdf.ln(1.5)
    text(_("Group attendance by week"), 10, bold=True, height=5.5)
    columns = (40, *([20] * 6))
    pdf.set_font("DejaVu", "B", 7.5)
    for label, size in zip(ATTENDANCE_HEADERS, columns, strict=True):
        _fitted_cell(pdf, size, _(label), 7.5)
    pdf.ln()
    pdf.set_font("DejaVu", "", 7.5)
    for week in screen["attendance"]:
        for key, size in zip(_ATTENDANCE_KEYS, columns, strict=True):
            _fitted_cell(pdf, size, week[key], 7.5)
        pdf.ln()
