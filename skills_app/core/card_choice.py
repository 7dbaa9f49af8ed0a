"""What a patient keeps on their own diary card.

The DBT card lists six emotions, and therapists ask patients to track the
targets that matter to them. So each patient chooses:

- which of the card's standard emotions their card asks (the others leave the
  editor and the week grid; past ratings stay stored);
- up to four emotions and four targets of their own (urges or behaviours,
  "skipping meals"), named once here and rated like the standard ones on
  every card, with "I acted on it" for targets.

Urges toward suicide and self-harm, and every other item, always stay on the
card: only emotions can be left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from skills_app.core import db, diary
from skills_app.core.clock import utcnow
from skills_app.core.diary import DiaryCard, DiaryItem
from skills_app.core.journal.validation import CUSTOM_NAME_MAX, clean_name, reserved_names
from skills_app.core.models import DiaryCardChoice
from skills_app.core.problems import ProblemError
from skills_app.core.schemas import BAD_FORM, FieldErrors, fold_case
from skills_app.text import N_

OWN_NAMES_MAX = 4
# Groups whose standard items a patient may leave off their card.
OPTIONAL_GROUPS = ("emotions",)
SHOW_PREFIX = "show__"
# The patient's own items: the noun the card uses, and the form's field prefix.
OWN_KINDS = {"emotion": "own_emotion", "urge": "own_target"}


@dataclass(frozen=True)
class CardChoice:
    """A patient's card: standard items left out, and their own named items."""

    hidden: frozenset[str] = frozenset()
    own_emotions: tuple[str, ...] = ()
    own_targets: tuple[str, ...] = ()

    def shows(self, item_key: str) -> bool:
        return item_key not in self.hidden


def optional_items(card: DiaryCard | None = None) -> tuple[DiaryItem, ...]:
    """The items a patient may leave off their card, in card order."""
    card = card or diary.DIARY_CARD
    return tuple(item for item in card.items if item.group in OPTIONAL_GROUPS)


def card_choice(user_id: int) -> CardChoice:
    """The patient's card (everything shown, nothing of their own, until they choose)."""
    with db.read() as session:
        row = session.get(DiaryCardChoice, user_id)
    if row is None:
        return CardChoice()
    optional = {item.key for item in optional_items()}
    return CardChoice(hidden=frozenset(row.hidden_items) & optional,
                      own_emotions=tuple(row.own_emotions), own_targets=tuple(row.own_targets))


def _own_names(form: Mapping[str, object], noun: str, card: DiaryCard) -> tuple[str, ...]:
    prefix = OWN_KINDS[noun]
    # The name field as its problems call it (text/words/journal.py).
    label = N_("emotion name") if noun == "emotion" else N_("target name")
    taken = reserved_names(card, noun)
    names: list[str] = []
    for n in range(1, OWN_NAMES_MAX + 1):
        value = form.get(f"{prefix}_{n}")
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        name = clean_name(value, label=label, max_length=CUSTOM_NAME_MAX)
        if fold_case(name) in taken:
            raise ProblemError("already_on_card", name=name)
        taken.add(fold_case(name))
        names.append(name)
    return tuple(names)


def parse_choice(form: object, card: DiaryCard | None = None) -> tuple[CardChoice | None,
                                                                       FieldErrors]:
    """The choice from the settings form: a `show__<key>` checkbox ("on") per optional
    item, and numbered name fields (`own_emotion_1`...`own_target_4`)."""
    card = card or diary.DIARY_CARD
    if not isinstance(form, Mapping):
        return None, {"form": BAD_FORM}
    hidden = frozenset(item.key for item in optional_items(card)
                       if form.get(f"{SHOW_PREFIX}{item.key}") != "on")
    errors: FieldErrors = {}
    own: dict[str, tuple[str, ...]] = {}
    for noun, prefix in OWN_KINDS.items():
        try:
            own[noun] = _own_names(form, noun, card)
        except ProblemError as error:
            errors[prefix] = error.problem
    if errors:
        return None, errors
    return CardChoice(hidden=hidden, own_emotions=own["emotion"],
                      own_targets=own["urge"]), {}


def save_card_choice(user_id: int, form: object) -> tuple[CardChoice | None, FieldErrors]:
    """Store the patient's card as chosen in the settings form; all or nothing."""
    choice, errors = parse_choice(form)
    if choice is None:
        return None, errors
    with db.transaction() as session:
        row = session.get(DiaryCardChoice, user_id) or DiaryCardChoice(user_id=user_id)
        row.hidden_items = sorted(choice.hidden)
        row.own_emotions = list(choice.own_emotions)
        row.own_targets = list(choice.own_targets)
        row.updated_at = utcnow()
        session.add(row)
    return choice, {}
