"""Program admin (invite and deactivate therapists), therapist sign-up from an
invitation link, and the page a deactivated therapist sees."""

from __future__ import annotations

import reflex as rx

from skills_app.components import typography as ty
from skills_app.components.forms import (
    field_error,
    form_status,
    password_field,
    submit_button,
    text_field,
)
from skills_app.components.layout import public_shell, therapist_shell
from skills_app.components.time_zone import time_zone_field
from skills_app.core.programs import INVITATION_REFUSED
from skills_app.core.schedule import ALL_TRACKS, EXCEPTION_NOTE_MAX, TRACK_NAME_MAX
from skills_app.core.schemas import (
    EMAIL_MAX,
    NAME_MAX,
    PASSWORD_MAX,
    PASSWORD_MIN,
)
from skills_app.pages import localized
from skills_app.pages.auth import time_zone_select
from skills_app.pages.localized import sentence
from skills_app.state.program import JoinState, ProgramState, ScheduleState
from skills_app.text import N_, _
from skills_app.text.problems import say
from skills_app.views.schedule import weekday_name

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
        ty.text(P.program_name, class_name="lead"),
        rx.el.form(
            ty.heading(_("Invite a therapist"), as_="h2", size="5"),
            text_field("note", _("Who is it for? (only you see this)"), max_length=120,
                       required=False, error=P.error),
            rx.el.button(_("Make invitation link"), type="submit", class_name="primary-button"),
            on_submit=P.invite,
            class_name="card stack",
            id="invite-form",
        ),
        rx.el.p(P.message, role="status", class_name="saved", id="program-message"),
        rx.el.a(_("Group schedule: tracks, times and days off"), href="/program/schedule/",
                class_name="list-link", id="schedule-link"),
        rx.cond(P.new_link != "",
                rx.el.p(P.new_link, id="invitation-link", class_name="note-text link-box")),
        rx.el.section(
            ty.heading(_("People in this program"), as_="h2", size="5"),
            rx.el.ul(rx.foreach(P.members, _member), class_name="member-list"),
            class_name="card stack",
        ),
        rx.el.section(
            ty.heading(_("Invitations not used yet"), as_="h2", size="5"),
            rx.cond(P.pending.length() > 0,
                    rx.el.ul(rx.foreach(P.pending, lambda p: rx.el.li(
                        sentence(_("{note} — {ends}"), note=p["note"], ends=p["ends"])))),
                    ty.text(_("None."))),
            class_name="card stack",
        ),
        title=_("Your program"),
        active="program",
    )


S = ScheduleState


def _zone_form() -> rx.Component:
    return rx.el.form(
        ty.heading(_("Time zone"), as_="h2", size="4"),
        rx.cond(S.program_zone == "",
                rx.el.p(_("Set the time zone your groups meet in before adding tracks."),
                        class_name="plain-notice"),
                rx.el.p(sentence(_("Groups meet in {zone} time. Patients see them in their "
                                   "own time zone."), zone=S.program_zone))),
        time_zone_field("program_time_zone", label=_("Program time zone"),
                        placeholder=_("Choose a time zone"), default_value=S.program_zone,
                        error_id="program_time_zone-error",
                        error=field_error("program_time_zone", S.zone_error)),
        rx.el.button(_("Save time zone"), type="submit", class_name="secondary-button"),
        on_submit=S.save_zone,
        id="zone-form",
        class_name="card stack-tight",
    )


def _exception(exception: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.span(exception["text"].to(str)),
        rx.el.button(_("Remove"), type="button", class_name="small-button",
                     aria_label=sentence(_("Remove day off {day}"), day=exception["text"]),
                     on_click=S.remove_exception(exception["id"].to(int))),
        class_name="exception-row",
    )


def _track(track: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.strong(track["summary"].to(str)),
        rx.el.span(sentence(_("{dates} · {members}"), dates=track["dates"],
                            members=track["members"]), class_name="muted small"),
        rx.cond(track["exceptions"].to(list).length() > 0,
                rx.el.ul(rx.foreach(track["exceptions"].to(list[dict]), _exception),
                         class_name="exception-list",
                         aria_label=sentence(_("Days off: {track}"), track=track["summary"]))),
        rx.el.div(
            rx.el.button(_("Edit"), type="button", class_name="small-button",
                         aria_label=sentence(_("Edit {track}"), track=track["summary"]),
                         on_click=S.edit_track(track["id"].to(int))),
            rx.el.details(
                rx.el.summary(_("Archive"), class_name="small-button"),
                rx.el.p(_("Its past groups stay. It stops meeting now and its patients are "
                          "taken off it."), class_name="small"),
                rx.el.button(_("Archive this track"), type="button",
                             class_name="secondary-button",
                             aria_label=sentence(_("Archive {track}"), track=track["summary"]),
                             on_click=S.archive_track(track["id"].to(int))),
                class_name="archive-confirm",
            ),
            class_name="button-row",
        ),
        class_name="track-row",
    )


def _weekday_box(day: int) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=f"weekday_{day}", value="on",
                    default_checked=S.form["weekdays"].to(list[str]).contains(str(day))),
        rx.el.span(weekday_name(day)),
        class_name="weekday-toggle",
    )


def _track_form() -> rx.Component:
    form = S.form
    errors = S.track_errors
    return rx.el.form(
        ty.heading(rx.cond(form["track_id"].to(str) == "", _("Add a track"), _("Edit track")),
                   as_="h2", size="4", id="track-form-heading"),
        rx.el.input(type="hidden", name="track_id", value=form["track_id"].to(str)),
        text_field("name", _("Name (for example Morning IOP)"), max_length=TRACK_NAME_MAX,
                   default_value=form["name"].to(str), error=errors.get("name", "")),
        rx.el.fieldset(
            rx.el.legend(_("Meets on"), class_name="field-label"),
            rx.el.div(*[_weekday_box(day) for day in range(7)], class_name="weekday-toggles"),
            field_error("weekdays", errors.get("weekdays", "")),
            class_name="field",
            aria_describedby="weekdays-error",
        ),
        rx.el.div(
            text_field("start", _("Starts"), type_="time", default_value=form["start"].to(str),
                       error=errors.get("start", "")),
            text_field("end", _("Ends"), type_="time", default_value=form["end"].to(str),
                       error=errors.get("end", "")),
            class_name="field-pair",
        ),
        rx.el.div(
            text_field("first_day", _("First day"), type_="date",
                       default_value=form["first_day"].to(str),
                       error=errors.get("first_day", "")),
            text_field("last_day", _("Last day (optional)"), type_="date", required=False,
                       default_value=form["last_day"].to(str),
                       error=errors.get("last_day", "")),
            class_name="field-pair",
        ),
        rx.el.p(errors.get("form", ""), class_name="form-status", role="alert"),
        rx.el.div(
            rx.el.button(_("Save track"), type="submit", class_name="primary-button",
                         id="save-track"),
            rx.cond(form["track_id"].to(str) != "",
                    rx.el.button(_("Cancel"), type="button", class_name="secondary-button",
                                 on_click=S.new_track)),
            class_name="button-row",
        ),
        on_submit=S.save_track,
        key=S.form_key.to(str),
        id="track-form",
        no_validate=True,
        aria_labelledby="track-form-heading",
        class_name="card stack-tight",
    )


def _exception_form() -> rx.Component:
    return rx.el.form(
        ty.heading(_("Add a day off"), as_="h2", size="4"),
        rx.el.div(
            rx.el.label(_("Which track"), html_for="exception_track", class_name="field-label"),
            rx.el.select(
                rx.el.option(_("All tracks (a program holiday)"), value=ALL_TRACKS),
                rx.foreach(S.tracks, lambda track: rx.el.option(
                    track["summary"].to(str), value=track["id"].to(str))),
                id="exception_track", name="exception_track", class_name="field-input"),
            class_name="field",
        ),
        text_field("exception_day", _("Day"), type_="date", error=S.exception_error),
        text_field("exception_note", _("Note (for example Thanksgiving)"), required=False,
                   max_length=EXCEPTION_NOTE_MAX),
        rx.el.button(_("Add day off"), type="submit", class_name="secondary-button"),
        on_submit=S.add_exception,
        reset_on_submit=True,
        id="exception-form",
        no_validate=True,
        class_name="card stack-tight",
    )


def schedule_page() -> rx.Component:
    return therapist_shell(
        rx.el.a(_("← Your program"), href="/program/", class_name="back-link"),
        ty.text(S.program_name, class_name="lead"),
        rx.el.p(S.message, role="status", class_name="saved", id="schedule-message"),
        _zone_form(),
        rx.cond(
            S.program_zone != "",
            rx.fragment(
                rx.el.section(
                    ty.heading(_("Tracks"), as_="h2", size="4"),
                    rx.cond(S.tracks.length() > 0,
                            rx.el.ul(rx.foreach(S.tracks, _track), class_name="track-list"),
                            rx.el.p(_("No tracks yet."), class_name="muted")),
                    rx.cond(S.archived.length() > 0, rx.el.details(
                        rx.el.summary(_("Archived tracks")),
                        rx.el.ul(rx.foreach(S.archived, lambda track: rx.el.li(
                            track["summary"].to(str), " · ", track["dates"].to(str))),
                            class_name="plain-list"))),
                    class_name="card stack-tight",
                    id="tracks",
                ),
                _track_form(),
                rx.cond(S.tracks.length() > 0, _exception_form()),
            ),
        ),
        title=_("Group schedule"),
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
                ty.text(rx.cond(J.role == "admin",
                                sentence(_("You are invited to join {program} as an admin."),
                                         program=J.program_name),
                                sentence(_("You are invited to join {program} as a therapist."),
                                         program=J.program_name)),
                        class_name="lead"),
                form,
            ),
            rx.cond(J.checked,
                    rx.el.p(say(INVITATION_REFUSED), class_name="plain-notice", role="alert"),
                    ty.text(_("Checking your invitation…"), class_name="muted")),
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
    localized.add_page(app, schedule_page, "/program/schedule",
                       languages=localized.ENGLISH_ONLY, title=N_("Group schedule"),
                       on_load=ScheduleState.load_schedule)
    localized.add_page(app, join_page, "/join", languages=localized.ENGLISH_ONLY,
                       title=N_("Join your program"),
                       on_load=JoinState.load_invitation)
    localized.add_page(app, inactive_page, "/inactive", languages=localized.ENGLISH_ONLY,
                       title=N_("Account not active"))
