"""Sharing with a therapist (under More): connect with a code, choose what to
share, read and sign the consent, change or stop; and "Who has seen my data"."""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.forms import field_error
from skills_app.components.layout import patient_shell
from skills_app.pages import localized
from skills_app.state.sharing import SharingState, WhoHasSeenState
from skills_app.text import N_, _

S = SharingState
NOT_LIVE = N_("Your therapist does not watch the app all the time. If you are in danger, "
              "call 988 or 911, or use Get help now.")


def _grant(grant: rx.Var) -> rx.Component:
    return rx.el.article(
        ty.heading(grant["therapist"].to(str), as_="h3", size="4"),
        rx.el.p(grant["program"].to(str), class_name="muted"),
        rx.el.p(rx.el.strong(_("You share:")), " ", grant["shares"].to(str)),
        rx.el.p(grant["since"].to(str), class_name="muted"),
        rx.cond(grant["earlier"].to(str) != "",
                rx.el.p(grant["earlier"].to(str), class_name="field-hint")),
        rx.el.div(
            rx.el.button(_("Change what I share"), type="button", class_name="secondary-button",
                         on_click=S.start_change(grant["id"].to(int))),
            rx.el.button(_("Stop sharing"), type="button", class_name="secondary-button",
                         on_click=S.ask_revoke(grant["id"].to(int))),
            class_name="button-row",
        ),
        class_name="card stack grant-card",
    )


def _list_step() -> rx.Component:
    return rx.fragment(
        rx.el.section(
            ty.heading(_("Who you share with"), as_="h2", size="5"),
            rx.cond(
                S.loaded,
                rx.cond(S.grants.length() > 0, rx.foreach(S.grants, _grant),
                        ty.text(_("You are not sharing with anyone. Nothing leaves this app "
                                  "unless you choose to share it."))),
                ty.text(_("Loading…"), class_name="muted"),
            ),
            class_name="stack",
        ),
        rx.el.form(
            ty.heading(_("Connect with a therapist"), as_="h2", size="5"),
            rx.el.div(
                rx.el.label(_("Code from your therapist"), html_for="code",
                            class_name="field-label"),
                rx.el.p(_("8 letters and numbers, like ABCD-2345. It lasts 24 hours."),
                        id="code-hint", class_name="field-hint"),
                rx.el.input(id="code", name="code", class_name="field-input", max_length=32,
                            auto_complete="off", auto_capitalize="characters",
                            spell_check=False, aria_describedby="code-error code-hint",
                            aria_invalid=rx.cond(S.errors.contains("code"), "true", "false")),
                field_error("code", S.errors["code"].to(str)),
                class_name="field",
            ),
            rx.el.button(_("Continue"), type="submit", class_name="primary-button"),
            on_submit=S.enter_code,
            reset_on_submit=False,
            class_name="card stack",
            id="connect-form",
        ),
        rx.el.a(_("Who has seen my data"), href=text.href("/sharing/log/"),
                class_name="inline-link"),
    )


def _choice(choice: rx.Var) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=choice["name"].to(str),
                    default_checked=choice["checked"].to(bool),
                    id="share-" + choice["key"].to(str)),
        rx.el.span(rx.el.strong(choice["label"].to(str)),
                   rx.cond(choice["why"].to(str) != "",
                           rx.el.span(choice["why"].to(str), class_name="choice-why")),
                   rx.el.span(choice["holds"].to(str), class_name="choice-text")),
        class_name="choice",
    )


def _choose_step() -> rx.Component:
    return rx.el.form(
        ty.heading(localized.sentence(_("Share with {name}"), name=S.therapist_name), as_="h2",
                   size="5"),
        ty.text(localized.sentence(_("{name} is a therapist at {program}."),
                                   name=S.therapist_name, program=S.program_name)),
        rx.el.fieldset(
            rx.el.legend(_("What do you want to share?"), class_name="field-label"),
            rx.el.p(_("Nothing is shared unless you tick it. You can change this later."),
                    class_name="field-hint"),
            rx.foreach(S.choices, _choice),
            field_error("categories", S.errors["categories"].to(str)),
            class_name="field choices",
        ),
        rx.el.div(S.errors["form"].to(str), class_name="form-status", role="alert"),
        rx.el.div(
            rx.el.button(_("Continue to consent"), type="submit", class_name="primary-button"),
            rx.el.button(_("Cancel"), type="button", class_name="secondary-button",
                         on_click=S.cancel),
            class_name="button-row",
        ),
        on_submit=S.review_consent,
        reset_on_submit=False,
        class_name="card stack",
        id="choose-form",
    )


def _consent_step() -> rx.Component:
    return rx.el.form(
        ty.heading(_("Read and sign"), as_="h2", size="5"),
        rx.el.div(
            rx.foreach(S.consent_lines, lambda line: rx.el.p(line, class_name="note-text")),
            class_name="consent-text stack",
            id="consent-text",
            tab_index=0,
            role="document",
            aria_label=_("Consent text"),
        ),
        rx.el.div(
            rx.el.label(_("Type your name to sign"), html_for="signature",
                        class_name="field-label"),
            rx.el.p(localized.sentence(_("Use your name as it is on your account: {name}"),
                                      name=S.display_name),
                    id="signature-hint", class_name="field-hint"),
            rx.el.input(id="signature", name="signature", class_name="field-input",
                        max_length=80, auto_complete="name",
                        aria_describedby="signature-error signature-hint",
                        aria_invalid=rx.cond(S.errors.contains("signature"), "true", "false")),
            field_error("signature", S.errors["signature"].to(str)),
            class_name="field",
        ),
        rx.el.div(S.errors["form"].to(str), class_name="form-status", role="alert"),
        rx.el.div(
            rx.el.button(_("Sign and share"), type="submit", class_name="primary-button"),
            rx.el.button(_("Back"), type="button", class_name="secondary-button",
                         on_click=S.back_to_choices),
            rx.el.button(_("Cancel"), type="button", class_name="secondary-button",
                         on_click=S.cancel),
            class_name="button-row",
        ),
        on_submit=S.sign,
        reset_on_submit=False,
        class_name="card stack",
        id="consent-form",
    )


def _stop_dialog() -> rx.Component:
    """"Stop sharing with …?" over a backdrop (the header, with Get help now, stays above)."""
    return rx.cond(
        S.confirm_revoke_id != 0,
        rx.el.div(
            rx.el.div(
                ty.heading(localized.sentence(_("Stop sharing with {name}?"),
                                              name=S.confirm_revoke_named),
                           as_="h2", size="5", id="stop-title"),
                ty.text(_("They will see nothing more from you, from their next click on. "
                          "What they already saw cannot be unseen."), id="stop-what"),
                rx.el.div(
                    rx.el.button(_("Stop sharing"), type="button",
                                 class_name="primary-button danger", on_click=S.revoke,
                                 auto_focus=True),
                    rx.el.button(_("Keep sharing"), type="button", class_name="secondary-button",
                                 on_click=S.cancel_revoke),
                    class_name="button-row",
                ),
                class_name="dialog card stack",
                role="alertdialog",
                aria_modal="true",
                aria_labelledby="stop-title",
                aria_describedby="stop-what",
            ),
            class_name="dialog-backdrop",
        ),
    )


def sharing_page() -> rx.Component:
    return patient_shell(
        ty.text(_("You choose what your therapist sees. You can change it or stop at any "
                  "time."), class_name="lead"),
        rx.el.p(_(NOT_LIVE), class_name="plain-notice"),
        rx.el.p(S.message, role="status", class_name="saved", id="sharing-message"),
        rx.match(S.step, ("choose", _choose_step()), ("consent", _consent_step()),
                 _list_step()),
        _stop_dialog(),
        title=_("Sharing"),
        active="more",
    )


def _log_line(line: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.p(line["text"].to(str)),
        rx.el.p(line["when"].to(str), class_name="muted"),
        class_name=rx.cond(line["allowed"].to(bool), "log-line", "log-line denied"),
    )


def who_has_seen_page() -> rx.Component:
    W = WhoHasSeenState  # noqa: N806
    return patient_shell(
        ty.text(_("Every time a therapist looks at what you share, or tries to, it is listed "
                  "here."), class_name="lead"),
        rx.cond(
            W.loaded,
            rx.el.div(
                rx.cond(W.disclosures.length() > 0, rx.el.section(
                    rx.el.h2(_("Downloads and printouts")),
                    rx.el.ul(rx.foreach(W.disclosures, _log_line), class_name="log-list"),
                    rx.cond(W.more_disclosures, rx.el.button(
                        _("Earlier downloads"), on_click=WhoHasSeenState.earlier_disclosures,
                        type="button", class_name="secondary-button")),
                    class_name="stack")),
                rx.el.section(
                    rx.el.h2(_("Views")),
                    rx.cond(W.lines.length() > 0,
                            rx.el.ul(rx.foreach(W.lines, _log_line), class_name="log-list"),
                            ty.text(_("Nobody has looked at your data."))),
                    rx.cond(W.more_lines, rx.el.button(
                        _("Earlier"), on_click=WhoHasSeenState.earlier_lines,
                        type="button", class_name="secondary-button")),
                    class_name="stack"),
                id="who-has-seen", class_name="stack",
            ),
            ty.text(_("Loading…"), class_name="muted"),
        ),
        rx.el.a(_("Back to sharing"), href=text.href("/sharing/"), class_name="back-link"),
        title=_("Who has seen my data"),
        active="more",
    )


def register(app: rx.App) -> None:
    localized.add_page(app, sharing_page, "/sharing", title=N_("Sharing"),
                       on_load=SharingState.load_sharing)
    localized.add_page(app, who_has_seen_page, "/sharing/log",
                       title=N_("Who has seen my data"),
                       on_load=WhoHasSeenState.load_log)
