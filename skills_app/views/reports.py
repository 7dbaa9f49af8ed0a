"""The one-page session summary as CSV and PDF, from the same screen values as the
patient detail page (`views.therapist.detail_screen`).

A report disclosed to a therapist carries the 42 CFR Part 2 notice that forbids
redisclosure and its report id (the audit log's accounting of disclosures
names it). Patient text is written as text: in the CSV a cell that a
spreadsheet would run as a formula is prefixed with a quote; in the PDF every
string is drawn as glyphs (nothing is interpreted), with DejaVu Sans shipped in
skills_app/fonts/ (Latin, Greek, Cyrillic, Hebrew, Arabic and more; fpdf2
puts right-to-left runs in visual order).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from fpdf import FPDF

from skills_app.core.sharing import REDISCLOSURE_NOTICE
from skills_app.views.therapist import NO_FLAGS

FONTS = Path(__file__).resolve().parent.parent / "fonts"
NOTICE_TITLE = "Notice: federal confidentiality rules (42 CFR Part 2)"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NO_NOTES = "No notes this week"


def _safe_cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _risk_rows(screen: dict[str, Any]) -> list[list[str]]:
    """The tier, each flag, "No flags" or what is not shared: as the detail page says it."""
    rows = [["Risk tier", screen["tier"]]] if screen["tier"] else []
    rows += [["Flag", flag] for flag in screen["flags"]]
    if screen["no_flags"]:
        rows.append(["Flags", NO_FLAGS])
    rows += [["Not shared", line] for line in screen["not_shared"]]
    return rows


def _lines(screen: dict[str, Any]) -> list[list[str]]:
    rows: list[list[str]] = [
        ["Session summary", screen["name"]],
        ["Week", screen["week_label"]],
        ["Shares", screen["shares"]],
    ]
    rows += _risk_rows(screen)
    rows += [[n["label"], n["value"]] for n in screen["numbers"]]
    rows.append([])
    if screen["checkups"]:
        rows.append(["Check-up (latest)", "Total", "Band", "Day", "Item 9"])
        rows += [[c["name"], c["total"], c["band"], c["day"], c["item9"] or "0"]
                 for c in screen["checkups"]]
    else:
        rows += [["Check-ups", line] for line in screen["checkup_lines"]]
    rows.append(["Safety plan", screen["plan_line"]])
    days = [day["label"] + (f" ({day['flag']})" if day["flag"] else "")
            for day in screen["days"]]
    for section in screen["sections"]:
        rows += [[], [section["title"]]]
        rows += [["Not shared", line] for line in section["not_shared"]]
        if section["rows"]:
            rows.append(["Item", *days, "This week", "Last week"])
        rows += [[row["label"], *(cell["text"] for cell in row["cells"]), row["this_week"],
                  row["last_week"]] for row in section["rows"]]
    rows += [[], ["Skills used"]]
    rows += [[s["day"], s["names"]] for s in screen["skills"]] or [[screen["skills_note"]]]
    rows += [[], ["Journal notes"]]
    rows += [[n["day"], n["text"]] for n in screen["notes"]] or [
        [screen["notes_note"] or NO_NOTES]]
    return rows


def session_csv(screen: dict[str, Any], *, disclosed: bool, report_id: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in _lines(screen):
        writer.writerow([_safe_cell(cell) for cell in row])
    if disclosed:
        writer.writerow([])
        writer.writerow([NOTICE_TITLE, REDISCLOSURE_NOTICE])
    writer.writerow(["Report id", report_id])
    return out.getvalue()


def session_pdf(screen: dict[str, Any], *, disclosed: bool, report_id: str) -> bytes:
    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title("Session summary")
    pdf.add_page()
    pdf.set_margins(12, 12, 12)
    width = pdf.epw

    def text(value: str, size: float = 9, bold: bool = False, height: float = 4.6) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.multi_cell(width, height, value, align="L", new_x="LMARGIN", new_y="NEXT")

    text(f"Session summary: {screen['name']}", 14, bold=True, height=7)
    text(f"{screen['week_label']}. Shares: {screen['shares']}.")
    if screen["tier"]:
        text(screen["tier"], 10, bold=True, height=5.5)
    for flag in screen["flags"]:
        text(f"⚑ {flag}", bold=True)
    if screen["no_flags"]:
        text(NO_FLAGS)
    for line in screen["not_shared"]:
        text(f"⊘ {line}", bold=True)
    for number in screen["numbers"]:
        text(f"{number['label']}: {number['value']}")
    pdf.ln(1.5)
    text("Check-ups (latest)", 10, bold=True, height=5.5)
    for line in screen["checkup_lines"]:
        text(line)
    text(screen["plan_line"])
    day_labels = [day["label"] for day in screen["days"]]
    columns = (38, *([16.5] * 7), 18, 18)
    for section in screen["sections"]:
        pdf.ln(1.5)
        text(section["title"], 10, bold=True, height=5.5)
        for line in section["not_shared"]:
            text(f"⊘ {line}")
        if not section["rows"]:
            continue
        pdf.set_font("DejaVu", "B", 7.5)
        for label, size in zip(["Item", *day_labels, "This wk", "Last wk"], columns,
                               strict=True):
            pdf.cell(size, 4.6, label, border=1)
        pdf.ln()
        pdf.set_font("DejaVu", "", 7.5)
        for row in section["rows"]:
            cells = [row["label"], *(c["text"] for c in row["cells"]), row["this_week"],
                     row["last_week"]]
            for cell, size in zip(cells, columns, strict=True):
                pdf.cell(size, 4.6, cell, border=1)
            pdf.ln()
    flagged = [day["label"] for day in screen["days"] if day["flag"]]
    if flagged:
        text("⚑ Urge of 4 or more and no skill used: " + ", ".join(flagged), bold=True)
    notes = [f"{n['day']}: {n['text']}" for n in screen["notes"]]
    if not notes and not screen["notes_note"]:
        notes = [NO_NOTES]
    for title, lines, not_shared in (
            ("Skills used", [f"{s['day']}: {s['names']}" for s in screen["skills"]],
             screen["skills_note"]),
            ("Journal notes", notes, screen["notes_note"])):
        pdf.ln(1.5)
        text(title, 10, bold=True, height=5.5)
        for line in lines:
            text(line)
        if not_shared:
            text(f"⊘ {not_shared}")
    pdf.ln(1.5)
    text("– means nothing was filled in (not 0). ⚠ Acted marks an urge acted on. "
         "This app is not monitored in real time.", 7.5)
    if disclosed:
        pdf.ln(1.5)
        text(NOTICE_TITLE, 8.5, bold=True)
        text(REDISCLOSURE_NOTICE, 7.5, height=3.6)
    text(f"Report id {report_id}", 7)
    return bytes(pdf.output())
