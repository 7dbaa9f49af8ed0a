"""Your data (under More): download everything, or delete the account.

Both are HTTP routes (`/auth/export`, `/auth/delete-account` in api.py) posted
by `assets/your_data.js`; the page itself holds no personal data. After a
deletion the script removes this person's drafts and remembered settings from
the phone and opens the goodbye page.
"""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.forms import form_status, password_field
from skills_app.components.layout import patient_shell, public_shell
from skills_app.content.crisis import CRISIS_RESOURCES
from skills_app.pages import localized
from skills_app.state.session import SessionState
from skills_app.text import N_, _


def _export_card() -> rx.Component:
    return rx.el.section(
        ty.heading(_("Download your data"), as_="h2", size="5", id="export-heading"),
        ty.text(_("Get a copy of everything the app keeps about you: check-ins, diary cards, "
                  "notes, exercises, and your account details. It comes as one ZIP file with "
                  "spreadsheet (CSV) and JSON files, and a README that explains each one.")),
        ty.text(_("Keep it somewhere safe: it holds your private notes."), class_name="muted"),
        rx.el.button(_("Download my data"), type="button", class_name="primary-button",
                     id="export-data", custom_attrs={"data-export": "true"}),
        rx.el.p(id="export-status", role="status", class_name="form-status"),
        class_name="card stack",
        aria_labelledby="export-heading",
    )


def _delete_card() -> rx.Component:
    return rx.el.form(
        ty.heading(_("Delete your account"), as_="h2", size="5", id="delete-account-heading"),
        ty.text(_("This deletes your account and everything in it for good: your journal, "
                  "diary cards, exercises and settings. Anything you shared with a therapist "
                  "is no longer shared. This can't be undone, so download your data first if "
                  "you want to keep it.")),
        ty.text(_("You'll be signed out on every device, and this phone forgets your drafts."),
                class_name="muted"),
        form_status("delete-account"),
        password_field("password", _("Your password"), autocomplete="current-password"),
        rx.el.button(_("Delete my account"), type="submit", class_name="primary-button danger",
                     custom_attrs={"data-busy-label": _("Deleting…")}),
        id="delete-account",
        no_validate=True,
        custom_attrs={"data-delete-account": "true"},
        class_name="card stack",
        aria_labelledby="delete-account-heading",
    )


def your_data_page() -> rx.Component:
    return patient_shell(
        ty.text(_("Your data belongs to you. Take a copy with you, or delete it."),
                class_name="lead"),
        _export_card(),
        _delete_card(),
        title=_("Your data"), active="more")


def goodbye_page() -> rx.Component:
    lifeline = CRISIS_RESOURCES[0]
    return public_shell(
        rx.el.section(
            ty.text(_("Your account and everything in it were deleted, and this phone no "
                      "longer keeps your drafts. Thank you for the work you put in.")),
            ty.text(_("If you need help right now: {name}.", name=_(lifeline.name)), " ",
                    _(lifeline.description)),
            rx.el.a(_("Back to the start"), href=text.href("/"), class_name="inline-link"),
            class_name="card stack",
            id="goodbye",
        ),
        title=_("Account deleted"))


def register(app: rx.App) -> None:
    localized.add_page(app, your_data_page, "/your-data", title=N_("Your data"),
                       on_load=SessionState.guard_patient_page)
    localized.add_page(app, goodbye_page, "/goodbye", title=N_("Account deleted"))
