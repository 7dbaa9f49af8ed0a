"""Check-ups: the PHQ-9 and GAD-7, their history, and Today's card.

/measures/ shows what is due and each questionnaire's history (a trend chart
shaded by band, and the same results as a table). /measures/take/?id=phq9
lays out the whole questionnaire as one form (form[data-flow]) with one
question per screen; assets/app.js shows one screen at a time and keeps the
answers on the phone until the server confirms them, as in the exercise flow.

Before PHQ-9 item 9 the patient is told what happens with the answer. After
it, an answer above 0 shows the safety plan and crisis lines at once: the
prompts of components/risk.py are in the page from the start, and
assets/measures.js has assets/safety.js show what core/risk.py's table calls
for when the form is sent, so it shows offline too; the server's result (its
data-risk-values) does the same.

Languages: the questionnaire's own words (stem, items, answers, the follow-up,
the copyright line) are shown only in a validated, published wording
(`content.measures.wording`); where the page's language has none yet, they are
in English, marked lang="en", under a one-line note in the page's language.
Everything around them (buttons, headings, what a score means) is in the
page's language.
"""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.forms import draft_fields
from skills_app.components.layout import patient_shell
from skills_app.components.risk import nobody_watches, risk_prompts
from skills_app.content.measures import (
    PHQ9_SAFETY_ITEM,
    QUESTIONNAIRES,
    Questionnaire,
    Wording,
    wording,
)
from skills_app.pages import localized
from skills_app.state.measures import MeasuresState, MeasureTakeState, TodayMeasuresState
from skills_app.text import N_, _
from skills_app.views import measures as views

S = MeasureTakeState
M = MeasuresState
EXPORT_HREF = "/measures/export/fhir.json"
NEEDS_ANSWER = N_("Please pick an answer to go on.")
# What the patient reads before PHQ-9 item 9: nobody watches live, and what they will see.
# {answer} is the questionnaire's own "Not at all", in the wording shown.
BEFORE_ITEM_9 = N_(
    "The next question asks about thoughts of death or of hurting yourself. "
    "Nobody reads your answers as you give them: this app is not watched live. "
    'If you pick any answer other than "{answer}", we will show you your safety plan '
    "and ways to reach someone right away when you finish. If you share your check-ups "
    "with your therapist, they will see this answer the next time they look.")
# Shown above a questionnaire on a page whose language has no validated wording yet.
NOT_YET_TRANSLATED = N_("This questionnaire is in English for now. Its questions have a "
                        "validated version in your language that we don't have yet.")


def _shown(q: Questionnaire) -> tuple[str, Wording]:
    """The language and wording this page shows `q` in (see the module docstring)."""
    return wording(q.id, text.current())


def _in(language: str) -> dict[str, str]:
    """lang="en" on the questionnaire's own words when the page speaks another language."""
    return {} if language == text.current() else {"lang": language}


def _untranslated_note(q: Questionnaire) -> rx.Component:
    language, _wording = _shown(q)
    if language == text.current():
        return rx.fragment()
    return rx.el.p(_(NOT_YET_TRANSLATED), class_name="notice measure-language-note",
                   custom_attrs={"data-measure-language-note": "true"})


def safety_line() -> rx.Component:
    return nobody_watches()


def _options(name: str, options: tuple[str, ...], legend_id: str,
             described_by: str = "", language: str = "") -> rx.Component:
    return rx.el.div(
        *[rx.el.label(
            rx.el.input(type="radio", name=name, value=str(value)),
            rx.el.span(option, **_in(language or text.current())),
            class_name="measure-option",
        ) for value, option in enumerate(options)],
        role="radiogroup",
        aria_labelledby=legend_id,
        **({"aria_describedby": described_by} if described_by else {}),
        class_name="measure-options",
    )


def _nav(*, back: bool, last: bool = False) -> rx.Component:
    return rx.el.div(
        rx.el.button(_("Back"), type="button", class_name="secondary-button",
                     custom_attrs={"data-flow-back": "true"}) if back else rx.fragment(),
        rx.el.button(_("Finish"), type="submit", class_name="primary-button",
                     id="finish-measure") if last else
        rx.el.button(_("Next"), type="button", class_name="primary-button",
                     custom_attrs={"data-flow-next": "true"}),
        class_name="button-row flow-nav",
    )


def _screen(number: int, *children: rx.Component, nav: rx.Component,
            required: str = "", screen: int | None = None) -> rx.Component:
    """Step `number` (its ids), shown as screen `screen` of the flow (the same number
    unless given). A required step moves on by itself once answered (assets/app.js,
    `data-auto-next`): one tap per question, with Back and Next still there."""
    attrs = {"data-screen": str(number if screen is None else screen)}
    if required:
        attrs["data-required"] = _(required)
        attrs["data-auto-next"] = "true"
    return rx.el.section(
        *children,
        rx.el.p(class_name="field-error flow-error", role="alert", id=f"step-{number}-error"),
        nav,
        class_name="flow-screen stack",
        custom_attrs=attrs,
    )


def _intro(q: Questionnaire) -> rx.Component:
    """What the first question's screen says above it: no screen of its own, so the
    questionnaire is one tap per question and Finish (PHQ-9: 10 taps)."""
    language, words = _shown(q)
    return rx.el.div(
        ty.heading(_("Before you start"), as_="h2", size="5", class_name="flow-title"),
        _untranslated_note(q),
        rx.el.p(_("There are {count} questions about the last 2 weeks. Pick the answer "
                  "that fits best. It takes about 2 minutes.", count=len(words.items))),
        rx.el.p(_("Your answers stay on this phone until you tap Finish."),
                class_name="muted"),
        class_name="stack-tight measure-intro",
        id="measure-intro",
    )


def _item(q: Questionnaire, number: int, item: str) -> rx.Component:
    language, words = _shown(q)
    prompt_id = f"{q.id}-item-{number}"
    stem_id = f"{q.id}-stem-{number}"
    before = []
    if q.id == "phq9" and number == PHQ9_SAFETY_ITEM:
        before = [rx.el.div(rx.el.strong(_("Before you answer.")), " ",
                            _(BEFORE_ITEM_9, answer=words.answer_options[0]),
                            class_name="flow-caution measure-before-item-9", role="note",
                            id="before-item-9")]
    first = number == 1
    return _screen(
        number,
        *([_intro(q)] if first else []),
        rx.el.p(_("Question {number} of {count}", number=number, count=len(words.items)),
                class_name="flow-count", id=f"step-{number}-title", tab_index=-1),
        *before,
        rx.el.p(words.stem, id=stem_id, class_name="muted measure-stem", **_in(language)),
        rx.el.p(item, id=prompt_id, class_name="flow-prompt", **_in(language)),
        _options(views.item_name(number), words.answer_options, prompt_id, stem_id,
                 language),
        *([rx.el.p(words.copyright, class_name="measure-copyright", **_in(language))]
          if first else []),
        nav=_nav(back=not first),
        required=NEEDS_ANSWER,
        screen=number - 1,
    )


def _closing(q: Questionnaire) -> rx.Component:
    language, words = _shown(q)
    last = len(q.items) + 1
    follow_up = rx.fragment()
    if words.follow_up:
        follow_up = rx.el.div(
            rx.el.p(words.follow_up, id=f"{q.id}-difficulty", class_name="flow-prompt",
                    **_in(language)),
            rx.el.p(_("This one is optional and does not count toward your score."),
                    class_name="muted"),
            _options("difficulty", words.follow_up_options, f"{q.id}-difficulty",
                     language=language),
            class_name="stack",
        )
    return _screen(
        last,
        ty.heading(_("Last step"), as_="h2", size="5", id=f"step-{last}-title", tab_index=-1,
                   class_name="flow-title"),
        follow_up,
        rx.el.p(_("You answered all {count} questions. Tap Finish to see your score.",
                  count=len(words.items))),
        rx.el.p(S.message, class_name="form-status", role="alert", id="measure-message"),
        nav=rx.fragment(_nav(back=True, last=True),
                        rx.el.p(class_name="draft-status", aria_live="polite",
                                custom_attrs={"data-draft-status": "measure"})),
        screen=len(q.items),
    )


def _screens(q: Questionnaire) -> rx.Component:
    return rx.fragment(
        # From the page, never from a draft.
        rx.el.input(type="hidden", name="questionnaire", value=q.id, read_only=True,
                    custom_attrs={"data-server-value": "true"}),
        *[_item(q, number, item) for number, item in enumerate(_shown(q)[1].items, 1)],
        _closing(q),
    )


def _form() -> rx.Component:
    return rx.el.form(
        draft_fields(
            # The screen shown: kept in the draft, so a reload resumes there.
            rx.el.input(type="hidden", name="step", default_value="0"),
            rx.match(S.questionnaire_id,
                     *[(q.id, _screens(q)) for q in QUESTIONNAIRES.values()],
                     rx.fragment()),
            owner=S.draft_owner,
        ),
        key=S.questionnaire_id,
        id="measure-form",
        on_submit=S.finish,
        # Hidden, not removed, once saved: it still confirms the draft (data-saved-key).
        hidden=S.result.length() > 0,
        custom_attrs={"data-draft": S.draft_name, "data-saved-key": S.saved_key,
                      "data-flow": "true", "data-measure": S.questionnaire_id,
                      "data-last-screen": rx.match(
                          S.questionnaire_id,
                          *[(q.id, str(len(q.items))) for q in QUESTIONNAIRES.values()],
                          "0")},
        class_name="card flow stack",
    )


def _result() -> rx.Component:
    r = S.result
    return rx.cond(
        r.length() > 0,
        rx.el.section(
            ty.heading(r["title"], as_="h2", size="5", id="measure-result-heading"),
            rx.el.p(r["saved"], class_name="muted"),
            rx.el.p(r["score"], class_name="measure-score", id="measure-score"),
            rx.el.p(rx.el.strong(r["band"]), ": ", r["meaning"], id="measure-band"),
            rx.el.p(_(views.NOT_A_DIAGNOSIS), class_name="muted"),
            rx.el.div(
                rx.el.a(_("See your check-ups"), href=text.href("/measures/"),
                        class_name="primary-button"),
                rx.el.a(_("Today"), href=text.href("/today/"), class_name="secondary-button"),
                class_name="button-row",
            ),
            class_name="card saved-view stack",
            id="measure-result",
            aria_labelledby="measure-result-heading",
            tab_index=-1,
            # The values the risk table reads (PHQ-9 item 9), as the server stored them.
            custom_attrs={"data-risk-values": r["risk_values"]},
        ),
    )


def _not_found() -> rx.Component:
    return rx.el.section(
        ty.heading(_("We couldn't find that check-up"), as_="h2", size="5"),
        rx.el.p(_("You can pick one from the Check-ups page.")),
        rx.el.a(_("Go to Check-ups"), href=text.href("/measures/"),
                class_name="primary-button"),
        class_name="card stack",
        id="measure-not-found",
    )


def take_page() -> rx.Component:
    return patient_shell(
        rx.el.a(_("← Check-ups"), href=text.href("/measures/"), class_name="back-link"),
        safety_line(),
        # Every risk prompt, hidden until assets/measures.js asks safety.js to
        # show what PHQ-9 item 9 calls for (core/risk.py's table).
        risk_prompts(),
        rx.cond(S.not_found, _not_found()),
        _result(),
        rx.cond(S.questionnaire_id != "", _form()),
        title=rx.cond(S.title != "", S.title, _("Check-up")),
        active="more",
    )


# --- the check-ups page ---

def _due_row(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.strong(row["title"]),
            rx.el.span(row["line"], class_name="muted"),
            class_name="measure-due-text",
        ),
        rx.el.a(rx.cond(row["due"] == "true", _("Start"), _("Take it now")), href=row["href"],
                class_name=rx.cond(row["due"] == "true", "primary-button", "secondary-button"),
                aria_label=rx.cond(
                    row["due"] == "true",
                    localized.sentence(_("Start {title}"), title=row["title"]),
                    localized.sentence(_("Take it now: {title}"), title=row["title"]))),
        class_name="measure-due",
    )


def _chart(q: Questionnaire, picture: rx.Var) -> rx.Component:
    # Drawn on the server (views/charts.py, text escaped there); the table below has
    # every score, and the drawing is no keyboard stop.
    return rx.el.figure(
        rx.html(picture, class_name="measure-picture"),
        rx.el.figcaption(
            _("Your {title} scores over time, over the shading of the bands. "
              "The table lists every score.", title=q.title),
            class_name="muted measure-caption"),
        rx.el.ul(*[rx.el.li(rx.el.span(class_name="band-swatch band-" + b.name.replace(" ", "-"),
                                       aria_hidden="true"),
                            _("{low}-{high} {band}", low=b.low, high=b.high,
                              band=views.band_name(b.name)))
                   for b in reversed(q.bands)],
                 class_name="band-legend", aria_label=_("{title} bands", title=q.title)),
        class_name="measure-chart",
    )


def _table(q: Questionnaire, rows: rx.Var) -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption(_("{title} results, newest first", title=q.title)),
            rx.el.thead(rx.el.tr(rx.el.th(_("Date"), scope="col"),
                                 rx.el.th(_("Score"), scope="col"),
                                 rx.el.th(_("Band"), scope="col"))),
            rx.el.tbody(rx.foreach(rows, lambda row: rx.el.tr(
                rx.el.td(row["day"]),
                rx.el.td(localized.sentence(_("{total} of {top}"), total=row["total"],
                                            top=row["of"])),
                rx.el.td(row["band"]),
                custom_attrs={"data-result-id": row["id"]},
            ))),
            class_name="measure-table",
        ),
        class_name="grid-scroll",
    )


def _history(q: Questionnaire, picture: rx.Var, rows: rx.Var) -> rx.Component:
    heading_id = f"{q.id}-history"
    return rx.el.section(
        ty.heading(_(q.about), as_="h2", size="4", id=heading_id),
        rx.cond(
            rows.length() > 0,
            rx.fragment(_chart(q, picture), _table(q, rows)),
            rx.el.p(_("No results yet."), class_name="muted"),
        ),
        class_name="card stack",
        aria_labelledby=heading_id,
        id=f"{q.id}-results",
    )


def measures_page() -> rx.Component:
    phq9, gad7 = QUESTIONNAIRES["phq9"], QUESTIONNAIRES["gad7"]
    return patient_shell(
        rx.el.p(_("Two short questionnaires about the last 2 weeks, every 2 weeks. They help "
                  "you and your therapist see how you are doing over time."),
                class_name="lead"),
        _untranslated_note(phq9),
        safety_line(),
        rx.cond(
            M.loaded,
            rx.fragment(
                rx.el.section(
                    ty.heading(_("Your check-ups"), as_="h2", size="4", id="measure-due-heading"),
                    rx.el.ul(rx.foreach(M.due, _due_row), class_name="measure-due-list"),
                    class_name="card stack",
                    aria_labelledby="measure-due-heading",
                    id="measure-due",
                ),
                _history(phq9, M.phq9_picture, M.phq9_rows),
                _history(gad7, M.gad7_picture, M.gad7_rows),
                rx.el.section(
                    ty.heading(_("For your clinic"), as_="h2", size="4",
                               id="measure-export-heading"),
                    rx.el.p(_("Download your results in FHIR, a format health record systems "
                              "can read.")),
                    rx.el.a(_("Download results (FHIR)"), href=EXPORT_HREF,
                            class_name="secondary-button", id="measure-export",
                            # A file from the server, not a page of the app: the
                            # browser's own navigation, never client-side routing.
                            custom_attrs={"download": "check-ups-fhir.json",
                                          "reloadDocument": True}),
                    class_name="card stack",
                    aria_labelledby="measure-export-heading",
                ),
            ),
            rx.el.p(_("Loading your check-ups..."), class_name="muted", id="measures-loading"),
        ),
        rx.el.p(_shown(phq9)[1].copyright, class_name="measure-copyright",
                **_in(_shown(phq9)[0])),
        title=_("Check-ups"),
        active="more",
    )


def today_card() -> rx.Component:
    """On Today when a questionnaire is due; nothing otherwise."""
    return rx.cond(
        TodayMeasuresState.due.length() > 0,
        rx.el.section(
            ty.heading(_("Check-up time"), as_="h2", size="4", id="today-measures-heading"),
            rx.el.p(_("A short questionnaire about the last 2 weeks. It takes about 2 minutes.")),
            rx.el.ul(rx.foreach(TodayMeasuresState.due, lambda row: rx.el.li(rx.el.a(
                rx.el.span(row["title"], class_name="plan-title"),
                href=row["href"], class_name="plan-link"))), class_name="plan-list"),
            class_name="card stack-tight",
            id="today-measures",
            aria_labelledby="today-measures-heading",
        ),
    )


def register(app: rx.App) -> None:
    localized.add_page(app, measures_page, "/measures", title=N_("Check-ups"),
                       on_load=M.load_measures)
    localized.add_page(app, take_page, "/measures/take", title=N_("Check-up"),
                       on_load=S.load_take)
