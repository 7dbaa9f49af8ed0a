"""Account -> Reminders (/account/reminders/): the patient decides what reminds them.

One card per kind (a switch, a time, day chips), quiet hours, the daily cap, the
wording with the exact words a phone shows, the channels, the calendar link and
the sent log. Everything is off until the patient turns it on. One form, one
Save: core checks all of it and stores all or nothing.

Also Today's two small cards (`ask_card`, `due_card`): the one question after the
first check-in, and the reminders that came due today.
"""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.forms import field_error
from skills_app.components.layout import patient_shell
from skills_app.components.push import push_control
from skills_app.core import notify
from skills_app.core.reminder_settings import CAP_RANGE
from skills_app.pages import localized
from skills_app.state.reminders import RemindersState as S
from skills_app.state.reminders import TodayRemindersState as T
from skills_app.text import N_, _
from skills_app.views import reminders as views

TITLE = N_("Reminders")


def _value(name: str | rx.Var) -> rx.Var:
    return S.values[name].to(str)


def _ticked(name: str | rx.Var) -> rx.Var:
    return _value(name) == "on"


def _error(name: str | rx.Var) -> rx.Var:
    return S.errors.get(name, "").to(str)


def _switch(name: str | rx.Var, label: rx.Var | str, hint: rx.Var | str,
            hint_id: str | rx.Var) -> rx.Component:
    """An on/off switch: a checkbox read as a switch, its whole row the target."""
    return rx.el.label(
        rx.el.span(rx.el.strong(label), rx.el.span(hint, class_name="muted small", id=hint_id),
                   class_name="reminder-switch-text"),
        rx.el.input(type="checkbox", role="switch", name=name, value="on",
                    default_checked=_ticked(name), class_name="switch-input",
                    aria_describedby=hint_id),
        class_name="reminder-switch",
    )


def _time(name: str | rx.Var, label: str) -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=name, class_name="field-label"),
        rx.el.input(type="time", id=name, name=name, default_value=_value(name),
                    class_name="field-input time-input", aria_describedby=name + "-error",
                    aria_invalid=rx.cond(_error(name) != "", "true", "false")),
        rx.el.p(_error(name), id=name + "-error", class_name="field-error", role="alert"),
        class_name="field",
    )


def _day_chip(kind: rx.Var, chip: rx.Var) -> rx.Component:
    name = kind + "_day_" + chip["day"].to(str)
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, value="on", default_checked=_ticked(name),
                    aria_label=chip["name"].to(str)),
        rx.el.span(chip["short"].to(str), aria_hidden="true"),
        class_name="weekday-toggle",
    )


def _kind_card(card: rx.Var) -> rx.Component:
    kind = card["kind"].to(str)
    return rx.el.fieldset(
        rx.el.legend(card["label"].to(str), class_name="sr-only"),
        _switch(kind + "_on", card["label"].to(str), card["hint"].to(str), kind + "-hint"),
        rx.el.div(
            rx.cond(card["has_time"].to(bool), _time(kind + "_time", _("Time"))),
            rx.cond(card["has_days"].to(bool), rx.el.fieldset(
                rx.el.legend(_("Days"), class_name="field-label"),
                rx.el.div(rx.foreach(views.weekday_chips(),
                                     lambda chip: _day_chip(kind, chip)),
                          class_name="weekday-toggles"),
                rx.el.p(_error(kind + "_days"), id=kind + "_days-error", class_name="field-error",
                        role="alert"),
                class_name="field",
            )),
            class_name="reminder-when",
        ),
        class_name="card stack-tight reminder-kind",
        id="reminder-" + kind,
    )


def _quiet_hours() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(_("Quiet hours"), class_name="sr-only"),
        _switch("quiet_on", _("Quiet hours"),
                _("No reminders in these hours. One that comes due then waits until they end."),
                "quiet-hint"),
        rx.el.div(_time("quiet_start", _("From")), _time("quiet_end", _("To")),
                  class_name="field-pair"),
        class_name="card stack-tight",
        id="quiet-hours",
    )


def _cap_and_wording() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.label(_("At most this many reminders a day"), html_for="daily_cap",
                        class_name="field-label"),
            rx.el.select(
                *[rx.el.option(str(n), value=str(n)) for n in range(CAP_RANGE[0],
                                                                     CAP_RANGE[1] + 1)],
                id="daily_cap", name="daily_cap", default_value=_value("daily_cap"),
                class_name="field-input", aria_describedby="daily_cap-error"),
            field_error("daily_cap", _error("daily_cap")),
            class_name="field",
        ),
        rx.el.fieldset(
            rx.el.legend(_("What the reminder says"), class_name="field-label"),
            rx.el.p(_("It never says what it is for: anyone can see a lock screen."),
                    class_name="field-hint"),
            rx.el.div(*[rx.el.label(
                rx.el.input(type="radio", name="wording", value=key,
                            default_checked=_value("wording") == key),
                rx.el.span(rx.el.strong(_(title)), rx.el.span(_(body), class_name="choice-text")),
                class_name="choice") for key, (title, body) in notify.WORDINGS.items()],
                class_name="stack-tight choices"),
            field_error("wording", _error("wording")),
            class_name="field",
        ),
        _wording_preview(),
        class_name="card stack wording-card",
        id="cap-and-wording",
    )


def _wording_preview() -> rx.Component:
    """The exact words a phone shows, for the wording ticked now (CSS picks the one to
    show, so it follows a tap without a round trip)."""
    return rx.el.div(*[rx.el.div(
        rx.el.p(_(views.PREVIEW, title=_(title)), class_name="preview-line"),
        rx.el.div(
            rx.el.img(src="/icons/icon-192.png", alt="", width=32, height=32,
                      class_name="notification-icon"),
            rx.el.span(rx.el.strong(_(title)), rx.el.span(_(body), class_name="muted small"),
                       class_name="notification-text"),
            class_name="notification-mock", aria_hidden="true"),
        class_name="wording-preview", custom_attrs={"data-wording": key})
        for key, (title, body) in notify.WORDINGS.items()], id="wording-preview")


def _channels() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(_("How reminders reach you"), class_name="field-label"),
        rx.el.label(
            rx.el.input(type="checkbox", name="by_push", value="on",
                        default_checked=_ticked("by_push")),
            rx.el.span(rx.el.strong(_("On this phone")),
                       rx.el.span(_("And other phones where you turned reminders on."),
                                  class_name="choice-text")),
            class_name="choice"),
        rx.cond(
            S.email_possible,
            rx.el.label(
                rx.el.input(type="checkbox", name="by_email", value="on",
                            default_checked=_ticked("by_email")),
                rx.el.span(rx.el.strong(_("By email")),
                           rx.el.span(localized.sentence(_("To {email}. It only says it is time, "
                                                           "with a link to the app."),
                                                         email=S.email),
                                      class_name="choice-text")),
                class_name="choice"),
            rx.el.p(_("Email reminders are not set up on this server."), class_name="muted"),
        ),
        field_error("by_email", _error("by_email")),
        rx.el.p(_("Anything due also shows on Today when you open the app."),
                class_name="field-hint"),
        class_name="card stack-tight",
        id="channels",
    )


def _settings_form() -> rx.Component:
    return rx.el.form(
        rx.foreach(S.kinds, _kind_card),
        _quiet_hours(),
        _cap_and_wording(),
        _channels(),
        rx.el.div(
            rx.el.button(_("Save reminders"), type="submit", class_name="primary-button",
                         id="save-reminders"),
            class_name="button-row",
        ),
        rx.el.p(S.message, class_name=rx.cond(S.errors.length() > 0, "form-status", "saved"),
                role="status", id="reminders-status"),
        on_submit=S.save_reminders,
        no_validate=True,
        key=S.form_version.to(str),
        class_name="stack",
        id="reminders-form",
    )


def _calendar_card() -> rx.Component:
    return rx.el.section(
        ty.heading(_("Add to your calendar"), as_="h2", size="4", id="calendar-heading"),
        rx.el.p(_("A private link your calendar app can follow. It shows your reminders, "
                  "groups and homework with plain titles. Anyone with the link can see those "
                  "times, so keep it to yourself.")),
        rx.el.p(S.calendar_message, class_name="saved", role="status"),
        rx.cond(
            S.calendar_link != "",
            rx.el.div(
                rx.el.label(_("Your calendar link"), html_for="calendar-link",
                            class_name="field-label"),
                rx.el.input(id="calendar-link", value=S.calendar_link, read_only=True,
                            class_name="field-input"),
                rx.el.p(_("Copy it now: for your privacy, it is shown only this once."),
                        class_name="field-hint"),
                rx.el.a(_("Open it in my calendar app"), href=S.calendar_subscribe,
                        class_name="inline-link", id="calendar-subscribe"),
                class_name="field",
            ),
        ),
        rx.el.div(
            rx.el.button(rx.cond(S.calendar_on, _("Make a new link"), _("Make a link")),
                         type="button", class_name="secondary-button", id="make-calendar-link",
                         on_click=S.make_calendar_link),
            rx.cond(S.calendar_on, rx.el.button(
                _("Turn off"), type="button", class_name="secondary-button",
                id="calendar-off", on_click=S.turn_off_calendar)),
            class_name="button-row",
        ),
        rx.cond(S.calendar_on,
                rx.el.p(_("A new link stops the old one."), class_name="muted small")),
        aria_labelledby="calendar-heading",
        class_name="card stack-tight",
        id="calendar-feed",
    )


def _sent_log() -> rx.Component:
    return rx.el.section(
        ty.heading(_("Recent reminders"), as_="h2", size="4", id="sent-log-heading"),
        rx.cond(
            S.log.length() > 0,
            rx.el.ul(rx.foreach(S.log, lambda row: rx.el.li(
                rx.el.span(row["when"], class_name="reminder-log-when"),
                rx.el.span(row["kind"], class_name="muted"),
                rx.el.span(row["status"], class_name="reminder-log-status",
                           custom_attrs={"data-sent": row["sent"]}),
                class_name="reminder-log-row",
            )), class_name="plain-list reminder-log"),
            rx.el.p(_("Nothing sent yet."), class_name="muted"),
        ),
        aria_labelledby="sent-log-heading",
        class_name="card stack-tight",
        id="sent-log",
    )


def reminders_page() -> rx.Component:
    return patient_shell(
        rx.el.a(_("Back to Account"), href=text.href("/account/"), class_name="back-link"),
        rx.el.p(_("Reminders are off until you turn them on. You choose when, and what "
                  "they say."), class_name="lead"),
        # Turn on reminders on this phone (Web Push), asked only after the tap.
        push_control(),
        rx.cond(S.loaded, _settings_form(),
                rx.el.p(_("Loading…"), class_name="muted", aria_busy="true")),
        _calendar_card(),
        _sent_log(),
        title=_(TITLE),
        active="more",
    )


# --- Today ---------------------------------------------------------------------------

def ask_card() -> rx.Component:
    """After the first saved check-in, once: answered either way, never again."""
    return rx.cond(
        T.ask,
        rx.el.section(
            rx.el.p(rx.el.strong(_("Want a gentle reminder to check in each day?"))),
            rx.el.p(_("You choose the time. It never says what it is for."),
                    class_name="muted"),
            rx.el.div(
                rx.el.button(_("Set a reminder"), type="button", class_name="primary-button",
                             id="ask-set-reminder", on_click=T.answer(True)),
                rx.el.button(_("Not now"), type="button", class_name="secondary-button",
                             id="ask-not-now", on_click=T.answer(False)),
                class_name="button-row",
            ),
            id="reminder-ask",
            aria_label=_("Reminders"),
            class_name="card stack-tight",
        ),
    )


def due_card() -> rx.Component:
    """Today's reminders that came due, each opening its screen."""
    return rx.cond(
        T.due.length() > 0,
        rx.el.section(
            ty.heading(_("Reminders today"), as_="h2", size="4", id="due-heading"),
            rx.el.ul(rx.foreach(T.due, lambda row: rx.el.li(rx.el.a(
                rx.el.span(row["title"], class_name="plan-title"),
                rx.el.span(row["time"], class_name="plan-minutes"),
                href=row["href"], class_name="plan-link"))), class_name="plan-list"),
            aria_labelledby="due-heading",
            id="reminders-due",
            class_name="card stack-tight",
        ),
    )


def register(app: rx.App) -> None:
    localized.add_page(app, reminders_page, "/account/reminders", title=TITLE,
                       on_load=S.load_reminders)
