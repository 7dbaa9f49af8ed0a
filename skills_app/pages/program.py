"""Program admin (invite and deactivate therapists), therapist sign-up from an
invitation link, and the page a deactivated therapist sees."""

from __future__ import annotations

import reflex as rx

from skills_app.components.forms import (
    form_status,
    password_field,
    submit_button,
    text_field,
)
from skills_app.components.layout import public_shell, therapist_shell
from skills_app.core.programs import INVITATION_REFUSED
from skills_app.core.schemas import EMAIL_MAX, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN
from skills_app.pages import localized
from skills_app.pages.auth import time_zone_select
from skills_app.pages.localized import sentence
from skills_app.state.program import JoinState, ProgramState
from skills_app.text import N_, _
from skills_app.text.problems import say

P = ProgramState


def _member(member: rx.Var) -> rx.Component:
    active = member["active"].to(bool)
    return rx.el.li(
        rx.el.div(
            rx.el.strong(member["name"].to(str)),
            rx.el.span(member["email"].to(str), class_name="muted"),
            rx.el.span(sentence(_("{role} · {status}"), role=member["role"],
                                status=member["status"])),
            class_name="member-text",
        ),
        rx.cond(
            member["is_therapist"].to(bool),
            rx.el.button(rx.cond(active, _("Deactivate"), _("Reactivate")), type="button",
                         class_name="secondary-button",
                         aria_label=rx.cond(
                             active,
                             sentence(_("Deactivate {name}"), name=member["name"]),
                             sentence(_("Reactivate {name}"), name=member["name"])),
                         on_click=P.set_active(member["id"].to(int), ~active)),
        ),
        class_name="member-row",
    )


def program_page() -> rx.Component:
    return therapist_shell(
        rx.text(P.program_name, class_name="lead"),
        rx.el.form(
            rx.heading(_("Invite a therapist"), as_="h2", size="5"),
            text_field("note", _("Who is it for? (only you see this)"), max_length=120,
                       required=False, error=P.error),
            rx.el.button(_("Make invitation link"), type="submit", class_name="primary-button"),
            on_submit=P.invite,
            class_name="card stack",
            id="invite-form",
        ),
        rx.el.p(P.message, role="status", class_name="saved", id="program-message"),
        rx.cond(P.new_link != "",
                rx.el.p(P.new_link, id="invitation-link", class_name="note-text link-box")),
        rx.el.section(
            rx.heading(_("People in this program"), as_="h2", size="5"),
            rx.el.ul(rx.foreach(P.members, _member), class_name="member-list"),
            class_name="card stack",
        ),
        rx.el.section(
            rx.heading(_("Invitations not used yet"), as_="h2", size="5"),
            rx.cond(P.pending.length() > 0,
                    rx.el.ul(rx.foreach(P.pending, lambda p: rx.el.li(
                        sentence(_("{note} — {ends}"), note=p["note"], ends=p["ends"])))),
                    rx.text(_("None."))),
            class_name="card stack",
        ),
        title=_("Your program"),
        active="program",
    )


def join_page() -> rx.Component:
    J = JoinState  # noqa: N806
    form = rx.el.form(
        form_status("signup"),
        rx.el.input(type="hidden", name="role", value="therapist"),
        rx.el.input(type="hidden", name="invitation", value=J.invitation),
        text_field("display_name", _("Your name"), autocomplete="name",
                   hint=_("As your patients know you, e.g. Dr. Lee Park."),
                   max_length=NAME_MAX),
        text_field("email", _("Email"), type_="email", autocomplete="email",
                   max_length=EMAIL_MAX),
        password_field("password", _("Password"), autocomplete="new-password",
                       hint=_("At least {low} characters. A short sentence or a few "
                              "unrelated words work well. Up to {high}.",
                              low=PASSWORD_MIN, high=PASSWORD_MAX)),
        time_zone_select(),
        submit_button(_("Create therapist account"), _("Creating your account…")),
        id="signup",
        custom_attrs={"data-auth": "signup"},
        no_validate=True,
        class_name="stack",
    )
    return public_shell(
        rx.cond(
            J.invitation != "",
            rx.fragment(
                rx.text(rx.cond(J.role == "admin",
                                sentence(_("You are invited to join {program} as an admin."),
                                         program=J.program_name),
                                sentence(_("You are invited to join {program} as a therapist."),
                                         program=J.program_name)),
                        class_name="lead"),
                form,
            ),
            rx.cond(J.checked,
                    rx.el.p(say(INVITATION_REFUSED), class_name="plain-notice", role="alert"),
                    rx.text(_("Checking your invitation…"), class_name="muted")),
        ),
        title=_("Join your program"),
    )


def inactive_page() -> rx.Component:
    return public_shell(
        rx.el.p(_("Your therapist account is not active in a program right now, so it shows "
                  "no patients. Please ask your program's admin."), class_name="plain-notice"),
        rx.el.button(_("Sign out"), type="button", class_name="secondary-button",
                     custom_attrs={"data-auth-action": "logout"}),
        title=_("Account not active"),
    )


def register(app: rx.App) -> None:
    localized.add_page(app, program_page, "/program", languages=localized.ENGLISH_ONLY,
                       title=N_("Your program"),
                       on_load=ProgramState.load_program)
    localized.add_page(app, join_page, "/join", languages=localized.ENGLISH_ONLY,
                       title=N_("Join your program"),
                       on_load=JoinState.load_invitation)
    localized.add_page(app, inactive_page, "/inactive", languages=localized.ENGLISH_ONLY,
                       title=N_("Account not active"))
