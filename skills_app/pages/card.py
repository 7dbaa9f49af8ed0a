"""Diary-card settings: the emotions a patient's card asks, and their own items."""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.layout import patient_shell
from skills_app.core import card_choice, journal
from skills_app.pages import localized
from skills_app.state.card import CardSettingsState
from skills_app.text import N_, _

S = CardSettingsState


def _names(prefix: str, legend: str, one: str, hint: str, example: str) -> rx.Component:
    """Numbered name fields; `one` names field n for a screen reader ("Your own emotion {n}")."""
    return rx.el.fieldset(
        rx.el.legend(legend, class_name="field-label"),
        rx.el.p(hint, class_name="field-hint", id=f"{prefix}-hint"),
        *[rx.el.div(
            rx.el.label(one.format(n=n), html_for=f"{prefix}_{n}",
                        class_name="sr-only"),
            rx.el.input(id=f"{prefix}_{n}", name=f"{prefix}_{n}", class_name="field-input",
                        max_length=journal.CUSTOM_NAME_MAX,
                        default_value=S.values[f"{prefix}_{n}"].to(str),
                        placeholder=example if n == 1 else "",
                        aria_describedby=f"{prefix}-hint {prefix}-error"),
            class_name="field",
        ) for n in range(1, card_choice.OWN_NAMES_MAX + 1)],
        rx.el.p(S.errors[prefix].to(str), id=f"{prefix}-error", class_name="field-error",
                aria_live="polite"),
        class_name="card stack scale",
    )


def card_settings_page() -> rx.Component:
    show = card_choice.SHOW_PREFIX
    return patient_shell(
        rx.el.a(_("← Diary card"), href=text.href("/journal/new/"), class_name="back-link"),
        ty.text(_("Choose what your diary card asks each evening. Urges, mood, cravings and "
                  "sleep are always on it."), class_name="lead"),
        rx.el.form(
            rx.el.fieldset(
                rx.el.legend(_("Emotions on your card"), class_name="field-label"),
                rx.el.div(*[rx.el.label(
                    rx.el.input(type="checkbox", name=f"{show}{item.key}",
                                default_checked=S.values[f"{show}{item.key}"] == "on"),
                    rx.el.span(_(item.label)),
                    class_name="check",
                ) for item in card_choice.optional_items()], class_name="check-grid"),
                class_name="card stack scale",
            ),
            _names("own_emotion", _("Your own emotions"), _("Your own emotion {n}"),
                   _("Emotions you want to rate every time, in your words."),
                   _("e.g. lonely")),
            _names("own_target", _("Your own targets"), _("Your own target {n}"),
                   _("Urges or behaviours you and your therapist track. Each one asks "
                     "\"I acted on it\" too."), _("e.g. skipping meals")),
            rx.el.div(S.errors["form"].to(str), class_name="form-status", role="alert"),
            rx.el.div(
                rx.el.button(_("Save my card"), type="submit", class_name="primary-button"),
                rx.el.p(S.saved_message, class_name="saved", role="status", id="card-saved"),
                class_name="save-bar",
            ),
            key=S.form_key.to_string(),
            on_submit=S.save_card_settings,
            class_name="stack",
            id="card-settings",
        ),
        title=_("Your diary card"),
        active="journal",
    )


def register(app: rx.App) -> None:
    localized.add_page(app, card_settings_page, "/journal/card",
                       title=N_("Your diary card"),
                       on_load=CardSettingsState.load_card_settings)
