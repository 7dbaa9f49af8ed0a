"""Form fields whose errors appear next to them.

Auth forms are posted by assets/auth.js (never through the websocket), which
writes each field's message into `#<name>-error` and marks the field invalid.
Forms handled by Reflex state pass the message as a Var instead. Labels come
in already translated (the page's `_()`); the words added here are too.
"""

from __future__ import annotations

import reflex as rx

from skills_app.text import _


def field_error(name: str, message: rx.Var | str = "") -> rx.Component:
    return rx.el.p(message, id=f"{name}-error", class_name="field-error", aria_live="polite")


def text_field(name: str, label: str, *, type_: str = "text", autocomplete: str = "off",
               hint: str = "", max_length: int | None = None, error: rx.Var | str = "",
               default_value: rx.Var | str = "", required: bool = True) -> rx.Component:
    described_by = f"{name}-error" + (f" {name}-hint" if hint else "")
    return rx.el.div(
        rx.el.label(label, html_for=name, class_name="field-label"),
        rx.el.p(hint, id=f"{name}-hint", class_name="field-hint") if hint else rx.fragment(),
        rx.el.input(
            id=name, name=name, type=type_, auto_complete=autocomplete, required=required,
            max_length=max_length, default_value=default_value,
            aria_describedby=described_by, class_name="field-input",
            spell_check=False if type_ in ("email", "password") else None,
            auto_capitalize="none" if type_ in ("email", "password") else None,
        ),
        field_error(name, error),
        class_name="field",
    )


def password_field(name: str, label: str, *, autocomplete: str, hint: str = "") -> rx.Component:
    """A password input with a show/hide toggle (handled by auth.js, works offline)."""
    described_by = f"{name}-error" + (f" {name}-hint" if hint else "")
    return rx.el.div(
        rx.el.label(label, html_for=name, class_name="field-label"),
        rx.el.p(hint, id=f"{name}-hint", class_name="field-hint") if hint else rx.fragment(),
        rx.el.div(
            rx.el.input(id=name, name=name, type="password", auto_complete=autocomplete,
                        required=True, aria_describedby=described_by,
                        class_name="field-input", spell_check=False, auto_capitalize="none"),
            rx.el.button(_("Show"), type="button", class_name="reveal",
                         custom_attrs={"data-reveal": name},
                         aria_label=_("Show {field}", field=label.lower()),
                         aria_pressed="false"),
            class_name="password-row",
        ),
        field_error(name),
        class_name="field",
    )


def form_status(form_id: str) -> rx.Component:
    """Form-wide messages (wrong password, lockout, offline)."""
    return rx.el.div(id=f"{form_id}-status", class_name="form-status", role="alert")


def submit_button(label: str, busy_label: str) -> rx.Component:
    return rx.el.button(label, type="submit", class_name="primary-button",
                        custom_attrs={"data-busy-label": busy_label})


def draft_fields(*children: rx.Component, owner: rx.Var) -> rx.Component:
    """The body of a form whose draft is kept on the phone (assets/app.js).

    Disabled until the server has said who is signed in: a draft typed before
    that could not be kept under its owner's name, and must never be picked up
    by the next person who signs in on this phone. The hidden fields carry the
    entry's idempotency key and the moment it was written.
    """
    return rx.el.fieldset(
        rx.el.input(type="hidden", name="idempotency_key"),
        rx.el.input(type="hidden", name="written_at"),
        *children,
        disabled=owner == "",
        class_name="draft-fields stack",
    )
