"""What the plan screens show: form values, the plan as read, and the phone's copy.

Plain Python from `core.plans` results, so the state classes keep only handlers.
"""

from __future__ import annotations

import json

from skills_app.core.plans import (
    CONTACTS_MAX,
    Plan,
    PlanSection,
    SectionKind,
    contact_field,
    dial_href,
    next_start_step,
)
from skills_app.text import _, formats


def form_values(plan: Plan) -> dict[str, str]:
    """The edit form's fields: lines one per line, contacts in numbered rows."""
    values = {"plan_id": str(plan.id) if plan.id else "",
              "version": str(plan.version) if plan.id else ""}
    for section in plan.spec.sections:
        if section.kind == SectionKind.LINES:
            values[section.key] = "\n".join(plan.lines(section.key))
            continue
        contacts = plan.contacts(section.key)
        for n in range(1, CONTACTS_MAX + 1):
            contact = contacts[n - 1] if n <= len(contacts) else None
            values[contact_field(section, "name", n)] = contact.name if contact else ""
            values[contact_field(section, "phone", n)] = contact.phone if contact else ""
    return values


# Numbers that take calls only (no "Text" button), and texts only (no "Call"
# button; the word a text to them starts with).
CALL_ONLY = frozenset({"911"})
TEXT_ONLY = {"741741": "HOME"}


def _contact_rows(plan: Plan, section: PlanSection) -> list[dict[str, str]]:
    rows = []
    for c in plan.contacts(section.key):
        digits = "".join(ch for ch in c.phone if ch.isdigit())
        tel = dial_href(c.phone) if c.phone and digits not in TEXT_ONLY else ""
        sms = dial_href(c.phone, "sms") if c.phone and digits not in CALL_ONLY else ""
        if sms and digits in TEXT_ONLY:
            sms += f"?&body={TEXT_ONLY[digits]}"
        rows.append({"name": c.name, "phone": c.phone, "tel": tel, "sms": sms})
    return rows


def shown_lines(plan: Plan) -> dict[str, list[str]]:
    """Each lines section's lines, for the plan as read (every key present)."""
    return {section.key: plan.lines(section.key) for section in plan.spec.sections
            if section.kind == SectionKind.LINES}


def shown_contacts(plan: Plan) -> dict[str, list[dict[str, str]]]:
    """Each contacts section's people, with their tap-to-call and tap-to-text links."""
    return {section.key: _contact_rows(plan, section) for section in plan.spec.sections
            if section.kind == SectionKind.CONTACTS}


def next_step_number(plan: Plan) -> int:
    """The guided start's next step for this safety plan (0: nothing left to start)."""
    step = next_start_step(plan)
    return step.number if step else 0


def updated_line(plan: Plan, time_zone: str) -> str:
    if plan.updated_at is None:
        return ""
    return _("Last changed {day}.", day=formats.date_with_year(plan.updated_at, time_zone))


def device_copy(plan: Plan | None) -> str:
    """The plan as the phone keeps it for offline reading (assets/safety.js draws it),
    its titles in the language of the page that asked for it.

    "none" when the patient has no saved plan: the phone removes its copy.
    """
    if plan is None or not plan.id:
        return "none"
    sections = []
    for section in plan.spec.sections:
        entry: dict[str, object] = {"title": _(section.title)}
        if section.kind == SectionKind.LINES:
            entry["lines"] = plan.lines(section.key)
        else:
            entry["contacts"] = _contact_rows(plan, section)
        if entry.get("lines") or entry.get("contacts"):
            sections.append(entry)
    return json.dumps({"title": _(plan.spec.title), "version": plan.version,
                       "sections": sections}, ensure_ascii=False, separators=(",", ":"))
