"""Mindfulness: the hub, the breathing pacer, the meditation timer, the guided
practices and the log.

The timer screens are content, laid out when the app is compiled: a setup form
(form[data-mindful-setup]), the running view and the finished view, all driven
by assets/timer.js without the server, so they work before the page connects
and go on offline. The only server parts are the hidden log form that sends a
finished session (`MindfulnessState.log_session`) and the log page.

Each page is built once per language: its words, the practices' names and
the guided scripts come through `_()` (text/locale/<language>/LC_MESSAGES/mind.po);
what timer.js says (the pacer's words, "Finished at 4:23 PM") comes from the
page too (`SCRIPT_TEXT` in text/words/mind.py), in the account's time zone.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.layout import patient_shell
from skills_app.content import mindfulness as content
from skills_app.core import mindfulness
from skills_app.pages import localized
from skills_app.state.mindfulness import MindfulnessLogState, MindfulnessState
from skills_app.state.session import SessionState
from skills_app.text import N_, _

HUB = "/mindfulness/"
BREATHE = "/mindfulness/breathe/"
TIMER = "/mindfulness/timer/"
LOG = "/mindfulness/log/"
SETUP_ERROR_ID = "mindful-setup-error"
KEEPS_GOING = N_("It keeps time if you lock your phone or lose your connection. "
                 "Your session is saved once you're back online.")


def guided_href(practice: content.GuidedPractice) -> str:
    """The English route of a guided practice (registered once per language)."""
    return f"/mindfulness/guided/{practice.key}/"


def log_form() -> rx.Component:
    """Where timer.js sends a finished session; the server's refusal is said here."""
    return rx.fragment(
        rx.el.form(
            rx.el.input(type="hidden", name="session"),
            id="mindful-log-form",
            on_submit=MindfulnessState.log_session,
            hidden=True,
            aria_hidden="true",
        ),
        rx.el.p(MindfulnessState.message, id="mindful-log-message", class_name="form-status",
                role="alert"),
    )


def _elsewhere() -> rx.Component:
    return rx.el.p(
        _("A practice is still running."), " ",
        rx.el.a(_("Go back to it"), href=text.href(HUB)),
        id="mindful-elsewhere",
        class_name="notice",
        hidden=True,
    )


def _text_field(name: str, label: str, default: str, *, hint: str = "",
                mode: str = "numeric") -> rx.Component:
    field_id = f"mindful-{name.replace('_', '-')}"
    described = f"{field_id}-hint {SETUP_ERROR_ID}" if hint else SETUP_ERROR_ID
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.p(hint, id=f"{field_id}-hint", class_name="field-hint") if hint else rx.fragment(),
        rx.el.input(id=field_id, name=name, type="text", input_mode=mode, default_value=default,
                    auto_complete="off", class_name="field-input short-input", max_length=40,
                    aria_describedby=described),
        class_name="field",
    )


def _radio(name: str, value: str, label: str, text: str = "", *, checked: bool = False,
           attrs: dict[str, str] | None = None) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="radio", name=name, value=value, default_checked=checked,
                    custom_attrs=attrs or {}),
        rx.el.span(rx.el.strong(label), rx.el.span(text, class_name="choice-text")
                   if text else rx.fragment()),
        class_name="choice",
    )


def _check(name: str, label: str, *, checked: bool = True) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, default_checked=checked),
        rx.el.span(label),
        class_name="check",
    )


def _sound_choice(legend: str, default: str) -> rx.Component:
    sounds = [*content.BELL_SOUNDS.items(), (content.SILENT, N_("Silent"))]
    return rx.el.div(
        rx.el.label(_(legend), html_for="mindful-sound", class_name="field-label"),
        rx.el.div(
            rx.el.select(*[rx.el.option(_(label), value=key) for key, label in sounds],
                         id="mindful-sound", name="sound", default_value=default,
                         class_name="field-input"),
            rx.el.button(_("Hear it"), type="button", class_name="secondary-button",
                         custom_attrs={"data-hear-bell": "true"}),
            class_name="sound-row",
        ),
        class_name="field",
    )


def _setup(*children: rx.Component, start: str, first: tuple[rx.Component, ...] = (),
           folded: str = "") -> rx.Component:
    """The setup form. `folded`: the settings (`children`) go in a fold with that title
    under Start, so Start is above the fold of a phone: two taps from Today's Breathe
    card or the Mindfulness list, with the last settings used (assets/timer.js keeps
    them). `first`: fields shown above Start all the same (the timer's minutes)."""
    start_button = rx.el.button(_(start), type="submit", class_name="primary-button",
                                id="mindful-start")
    error = rx.el.p(id=SETUP_ERROR_ID, class_name="field-error", role="alert",
                    custom_attrs={"data-setup-error": "true"})
    if folded:
        body = (*first, error, start_button, rx.el.p(_(KEEPS_GOING), class_name="field-hint"),
                rx.el.details(rx.el.summary(_(folded), class_name="fold-title"),
                              rx.el.div(*children, class_name="stack"),
                              class_name="fold mindful-settings", id="mindful-settings"))
    else:
        body = (*first, *children, error, start_button,
                rx.el.p(_(KEEPS_GOING), class_name="field-hint"))
    return rx.el.form(
        *body,
        id="mindful-setup",
        class_name="card stack",
        no_validate=True,
        custom_attrs={"data-mindful-setup": "true"},
    )


def _remaining() -> rx.Component:
    return rx.el.div(
        rx.el.span(_("Time left"), id="mindful-remaining-label", class_name="muted"),
        rx.el.span(id="mindful-remaining", class_name="mindful-remaining", role="timer",
                   aria_labelledby="mindful-remaining-label"),
        class_name="mindful-clock",
    )


def _run(*top: rx.Component) -> rx.Component:
    return rx.el.div(
        *top,
        _remaining(),
        # Screen readers hear the time here at whole minutes only.
        rx.el.p(id="mindful-announce", class_name="sr-only", aria_live="polite"),
        rx.el.div(
            rx.el.button(_("Pause"), type="button", id="mindful-pause",
                         class_name="primary-button"),
            rx.el.button(_("End now"), type="button", id="mindful-stop",
                         class_name="secondary-button"),
            class_name="button-row mindful-controls",
        ),
        id="mindful-run",
        class_name="card stack mindful-run",
        hidden=True,
    )


def _done() -> rx.Component:
    return rx.el.div(
        ty.heading(id="mindful-finished-at", as_="h2", size="6", tab_index=-1),
        rx.el.p(id="mindful-summary"),
        rx.el.p(id="mindful-log-status", class_name="muted", aria_live="polite"),
        rx.el.div(
            rx.el.button(_("Done"), type="button", id="mindful-again",
                         class_name="primary-button"),
            rx.el.a(_("See your mindfulness log"), href=text.href(LOG),
                    class_name="secondary-button"),
            class_name="button-row",
        ),
        id="mindful-done",
        class_name="card stack",
        hidden=True,
    )


def _root(kind: str, *children: rx.Component, attrs: dict[str, str] | None = None
          ) -> rx.Component:
    return rx.el.section(
        _elsewhere(),
        *children,
        log_form(),
        id="mindful",
        class_name="stack mindful",
        custom_attrs={"data-kind": kind, **(attrs or {})},
    )


# --- the breathing pacer ---

def _phases_attr(phases: tuple[content.BreathPhase, ...]) -> str:
    return json.dumps([[p.kind, p.seconds] for p in phases])


def _pattern_choice() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(_("Pattern"), class_name="field-label"),
        *[_radio("pattern", p.key, _(p.name), _(p.when), checked=i == 0,
                 attrs={"data-phases": _phases_attr(p.phases)})
          for i, p in enumerate(content.BREATHING_PATTERNS)],
        _radio("pattern", content.CUSTOM_PATTERN, _("Your own pattern"),
               _("Seconds for each part, 0 to {high}. A part of 0 is left out.",
                 high=mindfulness.PHASE_SECONDS_MAX)),
        rx.el.fieldset(
            rx.el.legend(_("Your own pattern, in seconds"), class_name="sr-only"),
            *[_text_field(name, _(label), default, mode="decimal")
              for name, (_kind, label), default in zip(
                  ("in", "hold_in", "out", "hold_out"), content.CUSTOM_PHASES,
                  ("4", "2", "6", "0"), strict=True)],
            class_name="custom-pattern",
            custom_attrs={"data-custom-pattern": "true"},
        ),
        class_name="field choices",
    )


def _pacer_length() -> rx.Component:
    low, high = mindfulness.PACER_MINUTES
    fewest, most = mindfulness.PACER_CYCLES
    return rx.el.fieldset(
        rx.el.legend(_("How long"), class_name="field-label"),
        _radio("length_mode", "minutes", _("Minutes"), checked=True),
        _text_field("minutes", _("Minutes ({low} to {high})", low=low, high=high), "3"),
        _radio("length_mode", "breaths", _("Breaths")),
        _text_field("breaths", _("Breaths ({low} to {high})", low=fewest, high=most), "10"),
        class_name="field choices",
    )


def breathe_page() -> rx.Component:
    return patient_shell(
        ty.text(_("Follow the shape and the words. Breathe gently; if you feel dizzy, "
                  "stop and breathe normally."), class_name="lead"),
        _root(
            "pacer",
            _setup(
                _pattern_choice(),
                _pacer_length(),
                _sound_choice(N_("Bell at the end"), "chime"),
                _check("vibrate", _("Vibrate at each change (on phones that can)"),
                       checked=False),
                start=N_("Start breathing"),
                folded=N_("Pattern, length and sound"),
            ),
            _run(
                rx.el.div(
                    rx.el.div(id="mindful-shape", class_name="pacer-shape",
                              aria_hidden="true"),
                    rx.el.p(rx.el.span(id="mindful-word", class_name="pacer-word"),
                            rx.el.span(id="mindful-count", class_name="pacer-count"),
                            class_name="pacer-text"),
                    class_name="pacer-stage",
                ),
            ),
            _done(),
        ),
        title=_("Breathe"),
        active="practice",
    )


# --- the meditation timer ---

def _intervals() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(_("Bells during the sit"), class_name="field-label"),
        _radio("interval_mode", "none", _("None"), checked=True),
        _radio("interval_mode", "every", _("Every few minutes")),
        rx.el.div(_text_field("interval_every", _("Every how many minutes"), "5"),
                  class_name="when-chosen", custom_attrs={"data-when": "every"}),
        _radio("interval_mode", "at", _("At set minutes")),
        rx.el.div(_text_field("interval_at", _("At which minutes"), "",
                              hint=_("Like 5, 10, 15 (minutes after the start).")),
                  class_name="when-chosen", custom_attrs={"data-when": "at"}),
        class_name="field choices",
    )


def timer_page() -> rx.Component:
    low, high = mindfulness.TIMER_MINUTES
    return patient_shell(
        ty.text(_("Sit comfortably. A bell starts and ends your sit; you choose the rest."),
                class_name="lead"),
        _root(
            "timer",
            _setup(
                rx.el.div(
                    rx.el.label(_("Time to settle first"), html_for="mindful-prep",
                                class_name="field-label"),
                    rx.el.select(
                        rx.el.option(_("None"), value="0"),
                        rx.el.option(_("10 seconds"), value="10"),
                        rx.el.option(_("30 seconds"), value="30"),
                        rx.el.option(_("1 minute"), value="60"),
                        id="mindful-prep", name="prep", default_value="10",
                        class_name="field-input"),
                    class_name="field",
                ),
                _sound_choice(N_("Bell sound"), "bowl"),
                rx.el.div(_check("start_bell", _("Bell at the start")),
                          _check("end_bell", _("Bell at the end")), class_name="check-grid"),
                _intervals(),
                rx.el.p(_("The screen stays on while the timer runs, on phones that allow it."),
                        class_name="field-hint"),
                start=N_("Start the timer"),
                first=(_text_field("minutes", _("Minutes ({low} to {high})", low=low,
                                                high=high), "10"),),
                folded=N_("Settling, bells and sound"),
            ),
            _run(rx.el.p(_("Meditation"), class_name="mindful-what"),
                 rx.el.p(id="mindful-next", class_name="mindful-next")),
            _done(),
        ),
        title=_("Meditation timer"),
        active="practice",
    )


# --- guided practices ---

def _in_a_sentence(title: str) -> str:
    """ "Urge surfing (10 minutes)" as it reads in "10 minutes of urge surfing"
    (`title` already in the page's language)."""
    words = title.split(" (")[0]
    return words[0].lower() + words[1:]


def guided_page(practice: content.GuidedPractice) -> Callable[[], rx.Component]:
    count = len(practice.steps)

    def page() -> rx.Component:
        return patient_shell(
            ty.text(_(practice.when), class_name="lead"),
            _root(
                "guided",
                _setup(
                    rx.el.p(_("About {minutes} minutes, {count} steps. The words change by "
                              "themselves; you can pause at any time.",
                              minutes=practice.minutes, count=count)),
                    rx.el.details(
                        rx.el.summary(rx.el.span(_("Read the steps first (optional)")),
                                      rx.icon("chevron-down", size=22, aria_hidden="true",
                                              class_name="situation-chevron"),
                                      class_name="situation-summary"),
                        rx.el.ol(*[rx.el.li(_(step.text)) for step in practice.steps],
                                 class_name="guided-preview"),
                        class_name="situation",
                    ),
                    _check("between_bell", _("Soft chime between steps")),
                    _sound_choice(N_("Bell at the end"), "bowl"),
                    start=N_("Start"),
                ),
                _run(
                    rx.el.p(id="mindful-step", class_name="flow-count"),
                    rx.el.div(*[rx.el.p(_(step.text), class_name="guided-text", hidden=n > 0,
                                        custom_attrs={"data-guided-step": str(n)})
                                for n, step in enumerate(practice.steps)],
                              aria_live="polite"),
                ),
                _done(),
                attrs={"data-practice": f"guided.{practice.key}",
                       "data-title": _in_a_sentence(_(practice.title)),
                       "data-steps": json.dumps([s.seconds for s in practice.steps])},
            ),
            title=_(practice.title),
            active="practice",
        )

    page.__name__ = f"guided_{practice.key.replace('-', '_')}_page"
    return page


# --- the hub and the log ---

def _link(title: str, text: str, href: str, icon: str) -> rx.Component:
    return rx.el.a(
        rx.icon(icon, size=22, aria_hidden="true"),
        rx.el.span(rx.el.strong(title), rx.el.span(text, class_name="muted")),
        href=href,
        class_name="list-link",
    )


def _links() -> list[tuple[str, str, str, str]]:
    """(title, line, href, icon) of each tool and guided practice."""
    low, high = mindfulness.TIMER_MINUTES
    return [
        (_("Breathing pacer"), _("Box, 4-7-8, even breathing, a double sigh, or your own"),
         text.href(BREATHE), "wind"),
        (_("Meditation timer"), _("{low} to {high} minutes, with bells or in silence",
                                  low=low, high=high), text.href(TIMER), "bell"),
        *[(_(g.title), _("{minutes} min \u00b7 {when}", minutes=g.minutes, when=_(g.when)),
           text.href(guided_href(g)), "leaf")
          for g in content.GUIDED_PRACTICES],
    ]


def mindfulness_links() -> list[rx.Component]:
    """The tools and practices, as links (the hub)."""
    return [_link(*link) for link in _links()]


def practice_tab_links() -> list[tuple[rx.Component, str]]:
    """The same links for the Practice tab, each with the words its search matches."""
    # The words a search for mindfulness may use, in the page's language.
    also = _("mindfulness meditation breathe")
    return [(_link(title, line, href, icon), f"{title} {line} {also}")
            for title, line, href, icon in _links()]


def hub_page() -> rx.Component:
    return patient_shell(
        ty.text(_("A few minutes of breathing or stillness. Pick one."), class_name="lead"),
        _root(
            "hub",
            rx.el.nav(*mindfulness_links(), class_name="link-list",
                      aria_label=_("Mindfulness practices")),
            rx.el.a(_("Your mindfulness log"), href=text.href(LOG),
                    class_name="secondary-button"),
        ),
        title=_("Mindfulness"),
        active="practice",
    )


def log_page() -> rx.Component:
    L = MindfulnessLogState  # noqa: N806
    return patient_shell(
        rx.el.p(L.week_line, class_name="lead week-line"),
        rx.el.section(
            ty.heading(_("The last 7 days"), as_="h2", size="4", id="log-days-heading"),
            rx.el.ul(rx.foreach(L.days, lambda row: rx.el.li(
                rx.el.span(row["day"], class_name="log-day"),
                rx.el.span(rx.el.span(class_name="log-bar-fill", style={"width": row["width"]}),
                           class_name="log-bar", aria_hidden="true"),
                rx.el.span(row["minutes"], class_name="log-minutes"),
                class_name="log-row")), class_name="log-list", id="log-days",
                aria_busy=~L.loaded),
            aria_labelledby="log-days-heading",
            class_name="card stack-tight",
        ),
        rx.el.section(
            ty.heading(_("By practice, last 30 days"), as_="h2", size="4",
                       id="log-practices-heading"),
            rx.cond(L.practices.length() > 0,
                    rx.el.ul(rx.foreach(L.practices, lambda row: rx.el.li(
                        rx.el.span(row["title"], class_name="log-day"),
                        rx.el.span(row["minutes"], class_name="log-minutes"),
                        class_name="log-row")), class_name="log-list", id="log-practices"),
                    rx.el.p(rx.cond(L.loaded,
                                    _("Nothing yet. Your first session will show here."), ""),
                            class_name="muted")),
            aria_labelledby="log-practices-heading",
            class_name="card stack-tight",
        ),
        _root("log", rx.el.a(_("Back to mindfulness"), href=text.href(HUB),
                             class_name="secondary-button")),
        title=_("Mindfulness log"),
        active="practice",
    )


def register(app: rx.App) -> None:
    guard = SessionState.guard_patient_page
    for route, page, title in (("/mindfulness", hub_page, N_("Mindfulness")),
                               ("/mindfulness/breathe", breathe_page, N_("Breathe")),
                               ("/mindfulness/timer", timer_page, N_("Meditation timer"))):
        localized.add_page(app, page, route, title=title, on_load=guard)
    for practice in content.GUIDED_PRACTICES:
        localized.add_page(app, guided_page(practice), guided_href(practice).rstrip("/"),
                           title=practice.title, on_load=guard)
    localized.add_page(app, log_page, "/mindfulness/log", title=N_("Mindfulness log"),
                       on_load=MindfulnessLogState.load_log)
