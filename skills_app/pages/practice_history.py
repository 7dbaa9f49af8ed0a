"""The practice history: finished exercises by day, their answers, a DEAR MAN
script to copy again, and delete."""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.layout import delete_dialog, patient_shell
from skills_app.pages import localized
from skills_app.state.practice_history import PracticeHistoryState
from skills_app.text import N_, _

H = PracticeHistoryState


def _answer(answer: rx.Var) -> rx.Component:
    return rx.el.div(
        rx.el.dt(answer["label"].to(str), class_name="answer-label"),
        rx.el.dd(
            rx.cond(answer["text"].to(str) != "",
                    rx.el.p(answer["text"].to(str), class_name="note-text")),
            rx.cond(answer["items"].to(list[str]).length() > 0,
                    rx.el.ul(rx.foreach(answer["items"].to(list[str]),
                                        lambda item: rx.el.li(item)),
                             class_name="answer-items")),
            class_name="answer-value",
        ),
        class_name="answer",
    )


def _message(card: rx.Var) -> rx.Component:
    """The built message (the DEAR MAN script), with a Copy button run by
    assets/app.js in the page itself, so it works without a server round trip."""
    message_id = "message-" + card["id"].to(str)
    status_id = "copy-status-" + card["id"].to(str)
    return rx.cond(
        card["message"].to(str) != "",
        rx.el.section(
            ty.heading(_("Your message"), as_="h4", size="3"),
            rx.el.p(card["message"].to(str), id=message_id, class_name="note-text message-text"),
            rx.el.div(
                rx.el.button(_("Copy message"), type="button", class_name="secondary-button",
                             custom_attrs={"data-copy-from": message_id,
                                           "data-copy-status": status_id}),
                rx.el.p(id=status_id, role="status", class_name="copy-status muted"),
                class_name="button-row",
            ),
            class_name="built-message stack",
        ),
    )


def _card(card: rx.Var) -> rx.Component:
    return rx.fragment(
        rx.cond(card["day_header"].to(str) != "",
                ty.heading(card["day_header"].to(str), as_="h2", size="4",
                           class_name="day-header")),
        rx.el.article(
            ty.heading(card["title"].to(str), as_="h3", size="4", class_name="practice-title"),
            rx.el.p(card["time"].to(str),
                    rx.cond(card["minutes"].to(str) != "",
                            rx.el.span(" · ", card["minutes"].to(str))),
                    class_name="entry-meta muted"),
            rx.cond(card["distress"].to(str) != "", rx.el.p(card["distress"].to(str))),
            rx.cond(card["helped"].to(str) != "", rx.el.p(card["helped"].to(str))),
            rx.cond(card["answers"].to(list[dict]).length() > 0,
                    rx.el.dl(rx.foreach(card["answers"].to(list[dict]), _answer),
                             class_name="answers")),
            _message(card),
            rx.el.div(
                rx.el.button(_("Delete"), type="button", class_name="small-button danger",
                             on_click=H.ask_delete(card["id"].to(str)),
                             aria_label=localized.sentence(_("Delete {named}"),
                                                           named=card["named"].to(str))),
                class_name="button-row",
            ),
            class_name="card entry practice-entry stack",
            custom_attrs={"data-finished-id": card["id"].to(str)},
        ),
    )


def _delete_dialog() -> rx.Component:
    return delete_dialog(
        H.confirm_delete_id != "",
        rx.fragment(localized.sentence(_("Delete your {named}?"),
                                       named=H.confirm_delete_named)),
        rx.fragment(_("Its answers will be gone, and it will no longer count on that "
                      "day's diary card. This can't be undone.")),
        H.delete_finished, H.cancel_delete)


def _empty() -> rx.Component:
    return rx.el.div(
        rx.el.p(_("Exercises you finish show up here.")),
        rx.el.a(_("Find an exercise"), href=text.href("/practice/"),
                class_name="primary-button"),
        class_name="card stack",
        id="history-empty",
    )


def history_page() -> rx.Component:
    # Until the history is read, a neutral line holds its place and nothing is
    # drawn under it: no false "nothing here", nothing jumps.
    return patient_shell(
        rx.el.a(_("← Practice"), href=text.href("/practice/"), class_name="back-link"),
        rx.el.p(H.message, class_name="saved", role="status", id="history-status"),
        rx.cond(
            H.loaded,
            rx.fragment(
                rx.cond(H.cards.length() > 0,
                        rx.el.div(rx.foreach(H.cards, _card), class_name="stack",
                                  id="history-list"),
                        _empty()),
                rx.el.p(H.range_line, class_name="muted"),
                rx.cond(H.can_show_earlier,
                        rx.el.button(_("Show earlier"), type="button",
                                     class_name="secondary-button", on_click=H.show_earlier)),
            ),
            rx.el.p(_("Loading…"), class_name="muted loading-line", role="status"),
        ),
        _delete_dialog(),
        title=_("Practice history"),
        active="practice",
    )


def register(app: rx.App) -> None:
    localized.add_page(app, history_page, "/practice/history",
                       title=N_("Practice history"), on_load=H.load_history)
