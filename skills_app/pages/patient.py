"""Patient screens: Today and More (Practice, Journal, Progress and Your data
have modules of their own)."""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.forms import draft_fields
from skills_app.components.journal import error_for, mood_picker
from skills_app.components.layout import patient_shell
from skills_app.components.risk import todays_prompts
from skills_app.core.journal import CHECKIN_NOTE_MAX
from skills_app.core.plans import RELAPSE_PLAN, SAFETY_PLAN
from skills_app.pages import homework, localized, mindfulness, reminders
from skills_app.pages import measures as measures_pages
from skills_app.pages.groups import next_group_line
from skills_app.pages.plans import device_copy_marker
from skills_app.state.groups import NextGroupState
from skills_app.state.homework import TodayHomeworkState
from skills_app.state.journal import CheckInState
from skills_app.state.measures import TodayMeasuresState
from skills_app.state.plans import SafetyPlanCopyState
from skills_app.state.practice_tab import TodayPracticeState
from skills_app.state.reminders import TodayRemindersState
from skills_app.state.session import SessionState
from skills_app.text import N_, _


def quick_check_in() -> rx.Component:
    """Mood in one tap, an optional line, Save: about 20 seconds."""
    return rx.el.form(
        ty.heading(_("Check in"), as_="h2", size="5"),
        draft_fields(
            mood_picker({}, CheckInState.errors, legend=_("How are you feeling right now?")),
            rx.el.div(
                rx.el.label(_("One line about it (optional)"), html_for="checkin-note",
                            class_name="field-label"),
                rx.el.input(id="checkin-note", name="note", max_length=CHECKIN_NOTE_MAX,
                            class_name="field-input", aria_describedby="note-error",
                            auto_complete="off"),
                error_for(CheckInState.errors, "note"),
                class_name="field",
            ),
            rx.el.div(CheckInState.errors["form"].to(str), class_name="form-status", role="alert"),
            rx.el.div(
                rx.el.button(_("Save check-in"), type="submit", class_name="primary-button",
                             id="save-checkin"),
                rx.el.a(_("Full diary card"), href=text.href("/journal/new/"),
                        class_name="inline-link"),
                class_name="button-row",
            ),
            owner=SessionState.draft_owner,
        ),
        rx.el.p(CheckInState.saved_message, class_name="saved", role="status",
                id="checkin-saved"),
        rx.el.p(class_name="draft-status", aria_live="polite",
                custom_attrs={"data-draft-status": "checkin"}),
        id="checkin-form",
        on_submit=CheckInState.save_checkin,
        custom_attrs={"data-draft": "checkin", "data-saved-key": CheckInState.saved_key},
        class_name="card stack",
    )


def _greeting() -> rx.Component:
    """"Hi <name>." on a line of its own that is there before the name arrives,
    so the words under it never move when the page learns who is signed in."""
    return rx.el.span(rx.cond(SessionState.display_name != "",
                              localized.sentence(_("Hi {name}."),
                                                 name=SessionState.display_name), ""),
                      class_name="greeting")


def today_so_far() -> rx.Component:
    """Today's entries, last on the page: it appears once the server has sent
    them, and nothing above it moves when it does (layout shift)."""
    return rx.cond(
        CheckInState.today_entries.length() > 0,
        rx.el.section(
            ty.heading(_("Today so far"), as_="h2", size="4"),
            rx.el.ul(rx.foreach(CheckInState.today_entries, lambda row: rx.el.li(
                rx.el.span(row["time"], class_name="muted"), " · ", row["kind"],
                rx.cond(row["mood"] != "", rx.fragment(" · ", row["mood"])),
            )), class_name="plain-list"),
            rx.el.a(_("See your journal"), href=text.href("/journal/"),
                    class_name="inline-link"),
            class_name="card stack",
            id="today-so-far",
        ),
    )


PLAN_ROWS = 3


def todays_practice() -> rx.Component:
    """Today's 1-3 exercises and the weekly line.

    Its height is fixed before the plan arrives (three rows, two lines for the
    weekly line: styles.css), so nothing under it moves when it is filled in.
    """
    return rx.el.section(
        ty.heading(_("Today's practice"), as_="h2", size="4", id="todays-practice-heading"),
        rx.el.ul(
            rx.cond(
                TodayPracticeState.loaded,
                rx.foreach(TodayPracticeState.plan, lambda row: rx.el.li(rx.el.a(
                    rx.el.span(row["title"], class_name="plan-title"),
                    rx.el.span(row["minutes"], class_name="plan-minutes"),
                    href=row["href"], class_name="plan-link"))),
                rx.fragment(*[rx.el.li(class_name="plan-link plan-waiting", aria_hidden="true")
                              for _ in range(PLAN_ROWS)]),
            ),
            class_name="plan-list",
            aria_busy=~TodayPracticeState.loaded,
        ),
        rx.el.p(TodayPracticeState.week_line, class_name="week-line"),
        rx.el.a(_("See all exercises"), href=text.href("/practice/"), class_name="inline-link"),
        id="todays-practice",
        aria_labelledby="todays-practice-heading",
        class_name="card stack-tight",
    )


def breathe_card() -> rx.Component:
    """One tap to the breathing pacer; the timer and guided practices one more away.
    It also sends sessions finished offline (the mindfulness log form)."""
    return rx.el.section(
        rx.el.a(
            rx.icon("wind", size=28, aria_hidden="true", class_name="card-icon"),
            rx.el.span(rx.el.strong(_("Breathe"), class_name="breathe-title"),
                       rx.el.span(_("A breathing pacer: one minute or more."),
                                  class_name="muted")),
            href=text.href("/mindfulness/breathe/"),
            id="breathe-now",
            class_name="list-link breathe-link",
        ),
        rx.el.a(_("Meditation timer and guided practices"), href=text.href("/mindfulness/"),
                class_name="inline-link"),
        mindfulness.log_form(),
        id="breathe",
        aria_label=_("Breathe"),
        class_name="card stack-tight",
    )


def today_page() -> rx.Component:
    return patient_shell(
        device_copy_marker(),
        ty.text(_greeting(), _("One small step counts. Here is what you can do today."),
                class_name="lead"),
        next_group_line(),
        # What the therapist asked for comes first (core/homework.py); its own card.
        homework.today_card(),
        quick_check_in(),
        # The risk prompts today's diary cards call for (the craving card after a
        # strong craving), led by the "nobody sees this" line; that line alone
        # while there are none. The practice card under it follows the same signal.
        todays_prompts(TodayPracticeState.prompts),
        todays_practice(),
        breathe_card(),
        # Before today's entries, each read before them (see register), so none
        # moves what arrives after it or anything drawn with the page.
        measures_pages.today_card(),
        # Once, after the first saved check-in (state/reminders.py).
        reminders.ask_card(),
        # Today's reminders that came due, each opening its screen.
        reminders.due_card(),
        today_so_far(),
        title=_("Today"),
        active="today",
    )


def _more_link(label: str, href: str, icon: str, description: str) -> rx.Component:
    return rx.el.a(
        rx.icon(icon, size=22, aria_hidden="true"),
        rx.el.span(rx.el.strong(label), rx.el.span(description, class_name="muted")),
        href=text.href(href),
        class_name="list-link",
    )


def more_page() -> rx.Component:
    return patient_shell(
        rx.el.nav(
            _more_link(_("My safety plan"), SAFETY_PLAN.route, "shield-check",
                       _("Warning signs, what helps, people to call")),
            _more_link(_("My relapse-prevention plan"), RELAPSE_PLAN.route, "route",
                       _("Triggers, ways to cope, supports, if I slip")),
            _more_link(_("Homework"), "/homework/", "clipboard-check",
                       _("What your therapist asked, day by day")),
            _more_link(_("Practice history"), "/practice/history/", "history",
                       _("Exercises you finished, your answers and messages")),
            _more_link(_("Groups"), "/groups/", "calendar-days",
                       _("When your groups meet; add them to your calendar")),
            _more_link(_("Check-ups"), "/measures/", "clipboard-list",
                       _("Mood and anxiety questionnaires, every 2 weeks")),
            _more_link(_("Your diary card"), "/journal/card/", "notebook-pen",
                       _("The emotions and targets your card asks")),
            _more_link(_("Sharing with a therapist"), "/sharing/", "share-2",
                       _("Connect, choose what they see, and who has seen it")),
            _more_link(_("Account and security"), "/account/", "user-cog",
                       _("Name, time zone, language, password, sign out")),
            _more_link(_("Your data"), "/your-data/", "download",
                       _("Download everything, or delete your account")),
            _more_link(_("Get help now"), "/help/", "life-buoy",
                       _("Crisis lines, day and night")),
            class_name="link-list",
            aria_label=_("More"),
        ),
        title=_("More"), active="more")


def register(app: rx.App) -> None:
    guard = SessionState.guard_patient_page
    localized.add_page(app, today_page, "/today", title=N_("Today"),
                       on_load=[TodayHomeworkState.load_today_homework,
                                NextGroupState.load_next_group,
                                TodayMeasuresState.load_due,
                                TodayRemindersState.load_today_reminders,
                                CheckInState.load_today, TodayPracticeState.load_plan,
                                SafetyPlanCopyState.load_device_copy])
    localized.add_page(app, more_page, "/more", title=N_("More"), on_load=guard)
