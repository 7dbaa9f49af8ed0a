"""The app shell: header with "Get help now", and each role's navigation.

Patients get a bottom tab bar (thumb reach on a phone); therapists get tabs
under the header. Navigation items are plain links, so they work before the
page has connected to the server.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import reflex as rx
from reflex.components.core.banner import has_connection_errors

from skills_app import pwa, text
from skills_app.components import typography as ty
from skills_app.core.event_size import EVENT_PAYLOAD_MAX_BYTES
from skills_app.core.models import Role
from skills_app.state.session import SessionState
from skills_app.text import N_, _, problems

CONTENT_MAX_WIDTH = "40rem"


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # English; shown through _() in the page's language
    href: str  # the English route; shown through text.href()
    icon: str


PATIENT_NAV = (
    NavItem("today", N_("Today"), "/today/", "sun"),
    NavItem("practice", N_("Practice"), "/practice/", "dumbbell"),
    NavItem("journal", N_("Journal"), "/journal/", "notebook-pen"),
    NavItem("progress", N_("Progress"), "/progress/", "chart-line"),
    NavItem("more", N_("More"), "/more/", "menu"),
)
THERAPIST_NAV = (
    NavItem("patients", N_("Patients"), "/patients/", "users"),
    NavItem("attendance", N_("Attendance"), "/groups/attendance/", "clipboard-check"),
    NavItem("account", N_("Account"), "/account/", "user-cog"),
)


def get_help_button() -> rx.Component:
    """A plain link, so it works before hydration and offline (cached /help/)."""
    return rx.el.a(
        rx.icon("life-buoy", size=18, aria_hidden="true"),
        _("Get help now"),
        href=text.href("/help/"),
        id="get-help-now",
        class_name="get-help",
    )


def _brand() -> rx.Component:
    return rx.el.a(
        rx.image(src="/icons/icon-192.png", alt="", width="28px", height="28px",
                 class_name="brand-mark"),
        rx.el.span(_("Skills Practice")),
        href=text.href("/"),
        class_name="brand",
        aria_label=_("Skills Practice home"),
    )


def connection_banner() -> rx.Component:
    """The app's own line about the connection, filled in by assets/app.js.

    Part of the header, so it never covers the tabs or "Get help now", and in
    plain words: no technical text, no address.
    """
    return rx.el.p(id="connection-banner", class_name="connection-banner", role="status",
                   aria_live="polite", hidden=True)


def connection_lost_marker(stateful: bool) -> rx.Component | None:
    """Replaces Reflex's connection toast (which quotes the websocket address):
    a hidden marker that app.js turns into the banner above."""
    if not stateful:
        return None
    return rx.cond(has_connection_errors,
                   rx.el.span(id="connection-lost", hidden=True, aria_hidden="true"))


def script_text() -> rx.Component:
    """The words the app's JavaScript shows, in this page's language (read by
    `skillsText` in assets/app.js): the scripts never carry their own English."""
    return rx.el.div(id="page-text", hidden=True, aria_hidden="true",
                     custom_attrs={"data-text": json.dumps(problems.script_text(),
                                                           ensure_ascii=False),
                                   "data-language": text.current(),
                                   # app.js holds back an event over it (core/event_size.py).
                                   "data-event-max-bytes": str(EVENT_PAYLOAD_MAX_BYTES)})


def _header() -> rx.Component:
    return rx.el.header(
        rx.el.a(_("Skip to main content"), href="#main", class_name="skip-link"),
        rx.el.div(_brand(), get_help_button(), class_name="header-row"),
        connection_banner(),
        script_text(),
        class_name="app-header",
    )


def _nav_link(item: NavItem, active: str, class_name: str) -> rx.Component:
    is_active = item.key == active
    return rx.el.a(
        rx.icon(item.icon, size=22, aria_hidden="true"),
        rx.el.span(_(item.label)),
        href=text.href(item.href),
        class_name=class_name + (" active" if is_active else ""),
        aria_current="page" if is_active else None,
    )


def _main(*children: rx.Component, title: str) -> rx.Component:
    """`title` comes already in the page's language (the page calls `_()`)."""
    return rx.el.main(
        ty.heading(title, as_="h1", size="7", class_name="page-title"),
        *children,
        id="main",
        tab_index=-1,
        class_name="app-main",
    )


def public_shell(*children: rx.Component, title: str) -> rx.Component:
    """Pages anyone can see: sign-in, sign-up, help."""
    return rx.el.div(_header(), _main(*children, title=title), class_name="app public")


def _patient_tabs(active: str) -> rx.Component:
    return rx.el.nav(
        *[_nav_link(item, active, "tab") for item in PATIENT_NAV],
        class_name="bottom-nav",
        aria_label=_("Main"),
    )


def open_shell(*children: rx.Component, title: str,
               public_only: rx.Component | None = None) -> rx.Component:
    """Pages open to everyone (help): the public page, or a signed-in patient's
    own header and tabs.

    The page is pre-rendered as the public one, so `children` show before the
    page connects and offline (from the service worker's cache); the tabs come
    in once the server has recognised the patient's session. `public_only`
    (like a way back into the app) shows only without the tabs.
    """
    is_patient = SessionState.role == Role.PATIENT.value
    return rx.el.div(
        _header(),
        _main(*children, rx.cond(is_patient, rx.fragment(), public_only or rx.fragment()),
              title=title),
        rx.cond(is_patient, _patient_tabs(active="")),
        class_name=rx.cond(is_patient, "app patient", "app public"),
    )


def patient_shell(*children: rx.Component, title: str, active: str) -> rx.Component:
    return rx.el.div(
        _header(),
        _main(*children, title=title),
        _patient_tabs(active),
        class_name="app patient",
        # Whose drafts this phone may show and keep (assets/app.js), and the
        # account's time zone, so a script's clock agrees with the server's.
        custom_attrs={"data-draft-owner": SessionState.draft_owner,
                      "data-time-zone": SessionState.time_zone,
                      # The pages the service worker keeps for offline use (pwa.py).
                      "data-offline-pages": json.dumps(pwa.offline_pages())},
    )


def therapist_shell(*children: rx.Component, title: str, active: str) -> rx.Component:
    return rx.el.div(
        _header(),
        rx.el.nav(
            *[_nav_link(item, active, "top-tab") for item in THERAPIST_NAV],
            class_name="top-nav",
            aria_label=_("Main"),
        ),
        _main(*children, title=title),
        class_name="app therapist",
        custom_attrs={"data-draft-owner": SessionState.draft_owner},
    )


def held_slot(*children: rx.Component, name: str, loaded: rx.Var, **props: object,
              ) -> rx.Component:
    """A place for a card drawn from the server's answer: until `loaded`, it keeps the
    height the card last had on this phone (assets/app.js holdSlots, kept under
    "skills.slot-height.<name>"), so nothing under it moves when the card arrives."""
    return rx.el.div(*children, custom_attrs={"data-hold-height": name,
                                              "data-loaded": rx.cond(loaded, "true", "")},
                     **props)


def placeholder_card(heading: str, text: str, icon: str) -> rx.Component:
    """A friendly note for screens that later work will fill in."""
    return rx.el.section(
        rx.icon(icon, size=28, aria_hidden="true", class_name="card-icon"),
        ty.heading(heading, as_="h2", size="4"),
        ty.text(text),
        class_name="card placeholder",
    )


def confirm_dialog(shown: rx.Var, title: rx.Component, what: rx.Component, *,
                   confirm: str, on_confirm: rx.EventHandler, cancel: str,
                   on_cancel: rx.EventHandler, id_prefix: str, danger: bool = True
                   ) -> rx.Component:
    """"Delete …?", "End …?" over a backdrop, when `shown`: `title` names the thing and
    `what` says what it does (the header, with "Get help now", stays above it)."""
    return rx.cond(
        shown,
        rx.el.div(
            rx.el.div(
                ty.heading(title, as_="h2", size="5", id=f"{id_prefix}-title"),
                ty.text(what, id=f"{id_prefix}-what"),
                rx.el.div(
                    rx.el.button(confirm, type="button",
                                 class_name="primary-button danger" if danger
                                 else "primary-button",
                                 on_click=on_confirm, auto_focus=True),
                    rx.el.button(cancel, type="button", class_name="secondary-button",
                                 on_click=on_cancel),
                    class_name="button-row",
                ),
                class_name="dialog card stack",
                role="alertdialog",
                aria_modal="true",
                aria_labelledby=f"{id_prefix}-title",
                aria_describedby=f"{id_prefix}-what",
            ),
            class_name="dialog-backdrop",
        ),
    )


def delete_dialog(shown: rx.Var, title: rx.Component, what: rx.Component,
                  on_delete: rx.EventHandler, on_cancel: rx.EventHandler) -> rx.Component:
    """"Delete …?" over a backdrop, when `shown` (`confirm_dialog`)."""
    return confirm_dialog(shown, title, what, confirm=_("Delete"), on_confirm=on_delete,
                          cancel=_("Cancel"), on_cancel=on_cancel, id_prefix="delete")
