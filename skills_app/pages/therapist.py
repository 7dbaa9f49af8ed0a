"""Therapist screens: the caseload (risk first), the connect code with its QR code,
a patient's detail with the diary-card review, and the printable session summary."""

from __future__ import annotations

import reflex as rx

from skills_app.components import typography as ty
from skills_app.components.layout import therapist_shell
from skills_app.core.diary import RISK_URGE_LEVEL
from skills_app.core.plans import SAFETY_PLAN
from skills_app.pages import localized
from skills_app.pages.homework_therapist import homework_card, homework_line, homework_report
from skills_app.pages.localized import sentence
from skills_app.pages.plans import SOURCE_NOTE, _read_section
from skills_app.state.homework_therapist import HomeworkAssignState
from skills_app.state.session import SessionState
from skills_app.state.therapist import CaseloadState, GroupTrackState, PatientDetailState
from skills_app.text import N_, _
from skills_app.views.reports import NOTICE_TITLE, SESSION_SUMMARY
from skills_app.views.therapist import NO_FLAGS, NOT_LIVE

C = CaseloadState
D = PatientDetailState


def _flag(flag: rx.Var) -> rx.Component:
    return rx.el.li(rx.el.span("⚑ ", aria_hidden="true"), flag, class_name="flag")


def _not_shared_line(line: rx.Var) -> rx.Component:
    return rx.el.li(rx.el.span("⊘ ", aria_hidden="true"), line, class_name="not-shared")


def _risk(risk: rx.Var, list_id: str | None = None) -> rx.Component:
    """The tier, the flags, "No flags" (only when everything needed is shared) and the
    risk categories not shared: a row of the list and a patient's header alike."""
    return rx.fragment(
        rx.cond(risk["tier"].to(str) != "",
                rx.el.span(risk["tier"].to(str),
                           class_name="tier-badge " + risk["tier_class"].to(str))),
        rx.cond(risk["flags"].to(list).length() > 0,
                rx.el.ul(rx.foreach(risk["flags"].to(list[str]), _flag),
                         class_name="flag-list")),
        rx.cond(risk["no_flags"].to(bool), rx.el.span(_(NO_FLAGS), class_name="muted")),
        rx.cond(risk["not_shared"].to(list).length() > 0,
                rx.el.ul(rx.foreach(risk["not_shared"].to(list[str]), _not_shared_line),
                         class_name="not-shared-list", id=list_id)),
    )


def _labelled(label: str, value: rx.Var) -> list[rx.Component]:
    """A cell's value with its column's name before it, shown on the phone's cards
    only: at a desk the table's column header says it."""
    return [rx.el.span(sentence(_("{label}: "), label=label), class_name="cell-label"), value]


def _patient_row(row: rx.Var) -> rx.Component:
    """One patient: a card on a phone, a table row at a desk (the same markup)."""
    return rx.el.tr(
        rx.el.th(rx.el.a(rx.el.strong(row["name"].to(str), class_name="patient-name"),
                         href=row["href"].to(str), class_name="patient-link"),
                 scope="row", class_name="caseload-name"),
        rx.el.td(_risk(row), class_name="caseload-risk"),
        rx.el.td(*_labelled(_("Last check-in"), row["last"].to(str)),
                 class_name="caseload-last"),
        rx.el.td(*_labelled(_("Mood, 7 days"), row["mood"].to(str)),
                 class_name="caseload-mood"),
        rx.cond(C.homework_column, rx.el.td(homework_line(row), class_name="caseload-homework")),
        rx.cond(C.groups_column, rx.el.td(_next_group(row), class_name="caseload-groups")),
        rx.el.td(*_labelled(_("Shares"), row["shares"].to(str)), class_name="caseload-shares"),
        class_name="patient-row " + row["row_class"].to(str),
    )


def _caseload_table() -> rx.Component:
    return rx.el.table(
        rx.el.caption(_("Patients sharing with you"), class_name="sr-only"),
        rx.el.thead(rx.el.tr(
            rx.el.th(_("Patient"), scope="col"),
            rx.el.th(_("Risk"), scope="col"),
            rx.el.th(_("Last check-in"), scope="col"),
            rx.el.th(_("Mood, 7 days"), scope="col"),
            rx.cond(C.homework_column, rx.el.th(_("Homework"), scope="col")),
            rx.cond(C.groups_column, rx.el.th(_("Groups"), scope="col")),
            rx.el.th(_("Shares"), scope="col"),
        )),
        rx.el.tbody(rx.foreach(C.rows, _patient_row)),
        class_name="patient-list caseload-table",
        id="caseload",
    )


# --- the program's groups (core/schedule.py, core/attendance.py) -------------------

def _next_group(row: rx.Var) -> rx.Component:
    return rx.cond(row["next_group"].to(str) != "",
                   rx.el.span(rx.icon("calendar-clock", size=16, aria_hidden="true"),
                              row["next_group"].to(str), class_name="caseload-next-group"))


_ATTENDANCE_COLUMNS = (("held", N_("Meetings")), ("present", N_("Present")),
                       ("late", N_("Late")), ("excused", N_("Excused")),
                       ("absent", N_("Absent")), ("unmarked", N_("Not marked")))


def _attendance() -> rx.Component:
    """Attendance by week: the program's own record, shown for every patient who shares
    anything with this therapist."""
    screen = D.screen
    return rx.el.section(
        ty.heading(_("Group attendance by week"), as_="h2", size="5"),
        rx.cond(
            screen["attendance"].to(list).length() > 0,
            rx.el.div(
                rx.el.table(
                    rx.el.thead(rx.el.tr(
                        rx.el.th(_("Week of"), scope="col"),
                        *[rx.el.th(_(label), scope="col") for _key, label in _ATTENDANCE_COLUMNS],
                    )),
                    rx.el.tbody(rx.foreach(
                        screen["attendance"].to(list[dict[str, str]]),
                        lambda week: rx.el.tr(
                            rx.el.th(week["week"], scope="row"),
                            *[rx.el.td(week[key]) for key, _label in _ATTENDANCE_COLUMNS]))),
                    class_name="review-table attendance-table",
                ),
                class_name="grid-scroll", tab_index=0, role="region",
                aria_label=_("Group attendance by week"),
            ),
            rx.el.p(screen["attendance_note"].to(str), class_name="muted"),
        ),
        class_name="card stack",
        id="patient-attendance",
    )


def _connect_code() -> rx.Component:
    return rx.el.section(
        ty.heading(_("Connect a patient"), as_="h2", size="5"),
        rx.cond(
            C.code != "",
            rx.el.div(
                rx.el.p(_("Ask your patient to open More, then Sharing, and enter:")),
                rx.el.p(C.code, class_name="connect-code", id="connect-code"),
                rx.image(src=C.code_qr,
                         alt=sentence(_("QR code for the connect code {code}"), code=C.code),
                         class_name="connect-qr", width="220px", height="220px"),
                rx.el.p(C.code_until, class_name="muted"),
                rx.el.button(_("Hide code"), type="button", class_name="secondary-button",
                             on_click=C.hide_code),
                class_name="stack",
            ),
            rx.el.div(
                rx.el.p(_("Show a code in session. Your patient chooses what to share and "
                          "signs a consent.")),
                rx.el.button(_("Show a connect code"), type="button", class_name="primary-button",
                             on_click=C.show_code, id="show-code"),
                rx.el.p(C.code_error, class_name="field-error", role="alert"),
                class_name="stack connect-start",
            ),
        ),
        class_name="card stack connect-card",
    )


def patients_page() -> rx.Component:
    return therapist_shell(
        ty.text(rx.cond(SessionState.display_name != "",
                        sentence(_("Welcome, {name}."), name=SessionState.display_name),
                        _("Welcome.")),
                class_name="lead"),
        rx.el.p(_(NOT_LIVE), class_name="plain-notice", id="not-live"),
        # The caseload arrives after the page: nothing that is there before it sits under
        # it, so nothing moves when it comes (no layout shift).
        _connect_code(),
        rx.el.section(
            rx.el.div(
                ty.heading(_("Patients sharing with you"), as_="h2", size="5"),
                rx.el.label(_("Sort"), html_for="sort", class_name="field-label"),
                rx.el.select(
                    rx.el.option(_("Risk first"), value="flags"),
                    rx.el.option(_("Name"), value="name"),
                    rx.el.option(_("Longest without a check-in"), value="last"),
                    id="sort", value=C.sort, on_change=C.sort_by, class_name="field-input",
                ),
                class_name="stack caseload-head",
            ),
            rx.cond(
                C.loaded,
                rx.cond(C.rows.length() > 0,
                        _caseload_table(),
                        ty.text(_("No patient shares with you yet. Show a connect code in a "
                                  "session to start."))),
                ty.text(_("Loading…"), class_name="muted"),
            ),
            class_name="stack",
        ),
        rx.cond(C.is_admin, rx.el.a(
            sentence(_("Manage {program}: invite or deactivate therapists"),
                     program=C.program_name),
            href="/program/", class_name="inline-link")),
        title=_("Patients"),
        active="patients",
    )


def _cell(cell: rx.Var) -> rx.Component:
    return rx.el.td(cell["text"].to(str), class_name=cell["class"].to(str))


def _review_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.th(row["label"].to(str), scope="row"),
        rx.foreach(row["cells"].to(list[dict[str, str]]), _cell),
        rx.el.td(row["this_week"].to(str), class_name="week-total"),
        rx.el.td(row["last_week"].to(str), class_name="week-total last"),
    )


def _day_header(day: rx.Var) -> rx.Component:
    return rx.el.th(
        day["label"].to(str),
        rx.cond(day["flag"].to(str) != "",
                rx.el.span(day["flag"].to(str), class_name="day-flag")),
        scope="col",
        class_name=rx.cond(day["flag"].to(str) != "", "high-no-skill", ""),
    )


def _review_table(section: rx.Var) -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.thead(rx.el.tr(
                rx.el.th(_("Item"), scope="col"),
                rx.foreach(D.screen["days"].to(list[dict[str, str]]), _day_header),
                rx.el.th(_("This week"), scope="col"),
                rx.el.th(_("Last week"), scope="col"),
            )),
            rx.el.tbody(rx.foreach(section["rows"].to(list[dict]), _review_row)),
            class_name="review-table",
        ),
        class_name="grid-scroll",
        tab_index=0,
        role="region",
        aria_label=section["title"].to(str),
    )


def _section_not_shared(section: rx.Var) -> rx.Component:
    return rx.cond(
        section["not_shared"].to(list).length() > 0,
        rx.el.ul(rx.foreach(section["not_shared"].to(list[str]), _not_shared_line),
                 class_name="not-shared-list"))


def _review_section(section: rx.Var) -> rx.Component:
    return rx.el.section(
        ty.heading(section["title"].to(str), as_="h3", size="4"),
        _section_not_shared(section),
        rx.cond(section["rows"].to(list).length() > 0, _review_table(section)),
        class_name="stack",
    )


def _review() -> rx.Component:
    screen = D.screen
    return rx.el.section(
        ty.heading(_("Diary card review"), as_="h2", size="5"),
        rx.el.p(_("Highest of each day. – means nothing was filled in (not 0). ⚠ Acted marks "
                  "an urge acted on. ⚑ marks a day with an urge of {level} or more and no "
                  "skill used.", level=RISK_URGE_LEVEL),
                class_name="muted"),
        rx.el.p(rx.icon("move-horizontal", size=16, aria_hidden="true"),
                _("Swipe a table sideways to see the rest of the week."),
                class_name="muted scroll-hint no-print"),
        rx.foreach(screen["sections"].to(list[dict]), _review_section),
        rx.el.section(
            ty.heading(_("Skills used"), as_="h3", size="4"),
            rx.cond(screen["skills_shared"].to(bool),
                    rx.el.ul(rx.foreach(screen["skills"].to(list[dict[str, str]]),
                                        lambda s: rx.el.li(rx.el.strong(
                                            sentence(_("{day}: "), day=s["day"])),
                                            s["names"])),
                             class_name="skills-by-day"),
                    rx.el.ul(_not_shared_line(screen["skills_note"].to(str)),
                             class_name="not-shared-list")),
            class_name="stack"),
        rx.cond(screen["notes"].to(list).length() > 0,
                rx.el.section(
                    ty.heading(_("Journal notes"), as_="h3", size="4"),
                    rx.foreach(screen["notes"].to(list[dict[str, str]]),
                               lambda n: rx.el.p(rx.el.strong(
                                   sentence(_("{day}: "), day=n["day"])), n["text"],
                                                 class_name="note-text")),
                    class_name="stack")),
        rx.cond(screen["notes_note"].to(str) != "",
                rx.el.section(
                    ty.heading(_("Journal notes"), as_="h3", size="4"),
                    rx.el.ul(_not_shared_line(screen["notes_note"].to(str)),
                             class_name="not-shared-list"),
                    class_name="stack")),
        class_name="card stack",
        id="diary-review",
    )


def _header_numbers() -> rx.Component:
    screen = D.screen
    return rx.fragment(
        ty.heading(screen["name"].to(str), as_="h2", size="6", id="patient-name"),
        rx.el.p(sentence(_("Shares: {shares}"), shares=screen["shares"]), class_name="muted",
                id="patient-shares"),
        rx.el.div(_risk(screen, "patient-not-shared"), class_name="stack patient-risk",
                  id="patient-risk"),
        rx.el.dl(rx.foreach(screen["numbers"].to(list[dict[str, str]]),
                            lambda n: rx.el.div(rx.el.dt(n["label"]), rx.el.dd(n["value"]),
                                                class_name="number")),
                 class_name="numbers"),
    )


def _checkup(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.strong(sentence(_("{name}: {total}, {band}, on {day}"), name=row["name"],
                              total=row["total"], band=row["band"], day=row["day"])),
        rx.cond(row["item9"].to(str) != "",
                rx.el.p(rx.el.span("⚑ ", aria_hidden="true"), row["item9"].to(str),
                        class_name="flag")),
        class_name="checkup",
    )


def _checkups() -> rx.Component:
    screen = D.screen
    return rx.el.section(
        ty.heading(_("Check-ups (latest)"), as_="h2", size="5"),
        rx.cond(
            screen["measures_shared"].to(bool),
            rx.cond(screen["checkups"].to(list).length() > 0,
                    rx.el.ul(rx.foreach(screen["checkups"].to(list[dict[str, str]]), _checkup),
                             class_name="checkup-list"),
                    rx.el.p(_("No PHQ-9 or GAD-7 done yet."), class_name="muted")),
            rx.el.ul(rx.foreach(screen["checkup_lines"].to(list[str]), _not_shared_line),
                     class_name="not-shared-list"),
        ),
        class_name="card stack",
        id="patient-checkups",
    )


def _plan_line() -> rx.Component:
    """Whether a safety plan exists (or that this is not shared)."""
    screen = D.screen
    return rx.cond(screen["plan_exists_shared"].to(bool),
                   rx.el.p(screen["plan_line"].to(str), id="plan-exists"),
                   rx.el.ul(_not_shared_line(screen["plan_line"].to(str)),
                            class_name="not-shared-list", id="plan-exists"))


class _PlanShown:
    """What `pages.plans._read_section` reads of a plan screen's state, from the detail."""

    lines = D.screen["plan_lines"].to(dict[str, list[str]])
    contacts = D.screen["plan_contacts"].to(dict[str, list[dict[str, str]]])


def _safety_plan() -> rx.Component:
    screen = D.screen
    return rx.cond(
        screen["safety_plan_shared"].to(bool),
        rx.el.section(
            ty.heading(_("Safety plan (read only)"), as_="h2", size="5"),
            rx.cond(
                screen["plan_saved"].to(bool),
                rx.fragment(
                    rx.el.p(screen["plan_updated"].to(str), class_name="muted"),
                    *[_read_section(_PlanShown, section) for section in SAFETY_PLAN.sections],
                    rx.el.p(SOURCE_NOTE, class_name="muted small"),
                ),
                rx.el.p(_("No safety plan saved yet."), class_name="muted"),
            ),
            class_name="card stack plan-read",
            id="patient-safety-plan",
        ),
        rx.el.section(
            ty.heading(_("Safety plan"), as_="h2", size="5"),
            _plan_line(),
            class_name="card stack",
            id="patient-safety-plan",
        ),
    )


def _not_shared() -> rx.Component:
    return rx.el.p(_("Nothing to show: this patient is not sharing with you now."),
                   class_name="plain-notice", id="nothing-shared")


def _week_nav(page: str) -> rx.Component:
    screen = D.screen
    return rx.el.div(
        rx.el.a(_("← Earlier week"), href=page + "?id=" + screen["patient_id"].to(str)
                + "&week=" + screen["previous_week"].to(str), class_name="small-button"),
        rx.el.strong(screen["week_label"].to(str), class_name="week-label"),
        rx.cond(screen["next_week"].to(str) != "",
                rx.el.a(_("Later week →"), href=page + "?id=" + screen["patient_id"].to(str)
                        + "&week=" + screen["next_week"].to(str), class_name="small-button"),
                rx.el.span()),
        class_name="week-nav",
    )


def group_track_section() -> rx.Component:
    """Which of the program's tracks the patient is on, and a select to put them on one
    or move them (from today)."""
    T = GroupTrackState  # noqa: N806
    return rx.cond(T.shown, rx.el.form(
        ty.heading(_("Group track"), as_="h2", size="5", id="group-track-heading"),
        rx.el.p(rx.cond(T.current != "", T.current, _("Not on a group track.")),
                id="group-track-current"),
        rx.cond(
            T.choices.length() > 0,
            rx.fragment(
                rx.el.div(
                    rx.el.label(_("Put on a track (from today)"), html_for="group-track-select",
                                class_name="field-label"),
                    rx.el.select(
                        rx.el.option(_("No group track"), value="0"),
                        rx.foreach(T.choices, lambda choice: rx.el.option(
                            choice["label"], value=choice["id"])),
                        id="group-track-select", name="track_id", class_name="field-input",
                        default_value=T.current_id, key=T.current_id,
                        aria_describedby="group-track-error"),
                    rx.el.p(T.error, id="group-track-error", class_name="field-error",
                            aria_live="polite"),
                    class_name="field",
                ),
                rx.el.button(_("Save group track"), type="submit",
                             class_name="secondary-button", id="save-group-track"),
            ),
            rx.el.p(_("Your program has no group tracks yet. An admin adds them under "
                      "Your program."), class_name="muted"),
        ),
        rx.el.p(T.message, role="status", class_name="saved", id="group-track-message"),
        on_submit=T.place,
        aria_labelledby="group-track-heading",
        class_name="card stack-tight",
        id="group-track",
    ))


def patient_detail_page() -> rx.Component:
    screen = D.screen
    return therapist_shell(
        rx.el.a(_("← All patients"), href="/patients/", class_name="back-link"),
        rx.el.p(_(NOT_LIVE), class_name="plain-notice"),
        rx.cond(
            D.loaded,
            rx.cond(
                D.found,
                rx.fragment(
                    _header_numbers(),
                    homework_card(),
                    _checkups(),
                    _safety_plan(),
                    _attendance(),
                    group_track_section(),
                    _week_nav("/patients/view/"),
                    _review(),
                    rx.el.section(
                        ty.heading(_(SESSION_SUMMARY), as_="h2", size="5"),
                        rx.el.div(
                            rx.el.a(_("Printable page"), href=screen["report_page"].to(str),
                                    class_name="secondary-button link-button"),
                            rx.el.a("PDF", href=screen["report_pdf"].to(str),
                                    class_name="secondary-button link-button",
                                    aria_label=_("Session summary as PDF")),
                            rx.el.a(_("Spreadsheet (CSV)"), href=screen["report_csv"].to(str),
                                    class_name="secondary-button link-button"),
                            class_name="button-row",
                        ),
                        class_name="card stack",
                    ),
                ),
                _not_shared(),
            ),
            ty.text(_("Loading…"), class_name="muted"),
        ),
        title=_("Patient"),
        active="patients",
    )


def report_page() -> rx.Component:
    screen = D.screen
    return therapist_shell(
        rx.el.div(
            rx.el.a(_("← Back to the patient"), href=screen["detail_page"].to(str),
                    class_name="back-link"),
            rx.el.button(_("Print"), type="button", class_name="secondary-button",
                         on_click=rx.call_script("window.print()")),
            class_name="button-row no-print",
        ),
        rx.cond(
            D.loaded,
            rx.cond(
                D.found,
                rx.el.article(
                    _header_numbers(),
                    _checkups(),
                    rx.el.section(ty.heading(_("Safety plan"), as_="h2", size="5"), _plan_line(),
                                  class_name="card stack", id="report-plan"),
                    rx.el.p(screen["week_label"].to(str), class_name="lead"),
                    homework_report(),
                    _attendance(),
                    _review(),
                    rx.el.p(_(NOT_LIVE), class_name="muted small"),
                    rx.el.section(
                        ty.heading(_(NOTICE_TITLE), as_="h2", size="3"),
                        rx.el.p(screen["redisclosure"].to(str), id="redisclosure"),
                        class_name="redisclosure",
                    ),
                    class_name="report stack",
                ),
                _not_shared(),
            ),
            ty.text(_("Loading…"), class_name="muted"),
        ),
        title=_(SESSION_SUMMARY),
        active="patients",
    )


def register(app: rx.App) -> None:
    localized.add_page(app, patients_page, "/patients", languages=localized.ENGLISH_ONLY,
                       title=N_("Patients"),
                       on_load=CaseloadState.load_caseload)
    localized.add_page(app, patient_detail_page, "/patients/view",
                       languages=localized.ENGLISH_ONLY, title=N_("Patient"),
                       on_load=[HomeworkAssignState.start_page,
                                PatientDetailState.load_detail,
                                GroupTrackState.load_group_track])
    localized.add_page(app, report_page, "/patients/report", languages=localized.ENGLISH_ONLY,
                       title=N_("Session summary"),
                       on_load=PatientDetailState.load_detail)
