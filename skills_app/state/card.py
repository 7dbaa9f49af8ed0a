"""The diary-card settings screen: which emotions the card asks, and the
patient's own emotions and targets."""

from __future__ import annotations

import reflex as rx

from skills_app.core import card_choice
from skills_app.core.auth import Identity
from skills_app.core.models import Role
from skills_app.core.schemas import FieldErrors
from skills_app.state.session import SessionState, off_loop
from skills_app.text import _
from skills_app.text.problems import say_all


def _form_values(choice: card_choice.CardChoice) -> dict[str, str]:
    values = {f"{card_choice.SHOW_PREFIX}{item.key}": "" if item.key in choice.hidden else "on"
              for item in card_choice.optional_items()}
    for prefix, names in (("own_emotion", choice.own_emotions),
                          ("own_target", choice.own_targets)):
        for n in range(1, card_choice.OWN_NAMES_MAX + 1):
            values[f"{prefix}_{n}"] = names[n - 1] if n <= len(names) else ""
    return values


def _save_choice(identity: Identity, form: object) -> tuple[card_choice.CardChoice | None,
                                                           FieldErrors]:
    return card_choice.save_card_choice(identity.user_id, form)


class CardSettingsState(SessionState):
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    saved_message: str = ""
    form_key: int = 0

    @rx.event
    async def load_card_settings(self) -> rx.event.EventSpec | None:
        identity = await self._identity()
        refusal = await self._admit(identity, Role.PATIENT)
        if refusal is not None:
            return refusal
        choice = await off_loop(card_choice.card_choice, identity.user_id)
        self.values, self.errors, self.saved_message = _form_values(choice), {}, ""
        self.form_key += 1
        return None

    @rx.event
    async def save_card_settings(self, form_data: dict) -> rx.event.EventSpec | None:
        identity, saved = await self._as_user(Role.PATIENT, _save_choice, form_data)
        if identity is None:
            return await self._send_to_sign_in()
        choice, errors = saved
        self.errors = say_all(errors)
        if choice is None:
            self.saved_message = ""
            return None
        self.values = _form_values(choice)
        self.saved_message = _("Saved. Your next diary card asks these.")
        return None
