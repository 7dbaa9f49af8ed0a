"""Checking what a patient sends to the journal; what is wrong comes back as a fact.

Owns the entry forms (`CheckInForm`, the diary form built from the diary
card, `NewEntryForm`), the checks behind them, what makes two trigger tags the
same tag, and the risk flag. A failed check raises `ProblemError` with a code
whose sentence is in `skills_app/text/words/journal.py`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import cache, partial
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, create_model, field_validator

from skills_app.content.skills import SKILLS_BY_KEY
from skills_app.core import diary, risk
from skills_app.core.clock import PHONE_CLOCK_AHEAD, utcnow
from skills_app.core.diary import DiaryCard, DiaryItem, Scale
from skills_app.core.models import EntryKind
from skills_app.core.problems import Problem, ProblemError
from skills_app.core.schemas import BAD_FORM, clean_text, fold_case, idempotency_key
from skills_app.text import N_

CHECKIN_NOTE_MAX = 200
NOTE_MAX = 20_000
CUSTOM_ITEMS_MAX = 5
CUSTOM_NAME_MAX = 40
TRIGGER_MAX = 40
TRIGGERS_PER_ENTRY_MAX = 10
BACKDATE_LIMIT = timedelta(days=366)

EMPTY_CARD = Problem("empty_card")

_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,9}")
_DECIMAL = re.compile(r"[0-9]{1,3}(\.[0-9]{1,3})?")
_ID = re.compile(r"[0-9]{1,19}")
_ID_MAX = 2**63 - 1
_KINDS = frozenset(kind.value for kind in EntryKind)


def check_rating(value: object, *, label: str = "", high: int, required: bool = False,
                 name: str = "") -> int | None:
    """A whole number from 0 to `high`; None when blank and not required.

    Digit strings are accepted because HTML inputs send text; floats (5.5,
    NaN), booleans and anything else are refused. The problem names the item
    by its `label` (a catalogue message, "your mood") or, for one the patient
    named, by that `name` as they typed it.
    """
    def refused(whole: bool) -> ProblemError:
        code = ("rate_own_item" if name else "rate_item") + ("_whole" if whole else "")
        return (ProblemError(code, name=name, high=high) if name
                else ProblemError(code, label=label, high=high))

    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise refused(whole=False)
        return None
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise refused(whole=True)
    if not 0 <= value <= high:
        raise refused(whole=False)
    return value


def _check_yes_no(value: object, *, problem: Problem, blank: bool | None) -> bool | None:
    if value is None:
        return blank
    if not isinstance(value, bool):
        raise ProblemError(problem.code, **problem.params)
    return value


def _check_hours(value: object, *, label: str, high: int) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        value = float(value.strip())
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProblemError("hours_item", label=label, high=high)
    # NaN fails every comparison, so it is refused here too.
    if not 0 <= value <= high or (value * 2) % 1:
        raise ProblemError("hours_item", label=label, high=high)
    return float(value)


def _check_item(value: object, *, item: DiaryItem) -> object:
    if item.scale == Scale.RATING:
        return check_rating(value, label=item.phrase, high=item.top)
    if item.scale == Scale.HOURS:
        return _check_hours(value, label=item.phrase, high=item.top)
    if item.scale == Scale.YES_NO:
        return _check_yes_no(value, blank=None, problem=Problem("yes_no_item",
                                                                label=item.phrase))
    return clean_text(value, label=item.phrase, max_length=item.top, required=False)


def _check_acted(value: object, *, item: DiaryItem) -> bool | None:
    return _check_yes_no(value, blank=False, problem=Problem("acted_item", label=item.phrase))


def clean_name(value: object, *, label: str, max_length: int) -> str:
    """A short single-line name: trimmed, inner spaces collapsed, NFC."""
    name = clean_text(value, label=label, max_length=max_length)
    return unicodedata.normalize("NFC", " ".join(name.split()))


def trigger_key(name: str) -> str:
    """What makes two trigger tags the same tag ("Work" == " work")."""
    return fold_case(" ".join(name.split()))


def _check_long_text(value: object, *, label: str, max_length: int) -> str:
    # Refuse oversized text before clean_text inspects every character of it.
    if isinstance(value, str) and len(value) > max_length and len(value.strip()) > max_length:
        raise ProblemError("too_long", label=label, high=max_length, count=len(value.strip()))
    return clean_text(value, label=label, max_length=max_length, required=False, multiline=True)


# The name field of a patient's own item, as its problems call it (text/words/journal.py).
_OWN_NAME_LABELS = {"emotion": N_("emotion name"), "urge": N_("urge name")}


class _JournalForm(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class CustomEmotion(_JournalForm):
    name: str
    rating: int


class CustomUrge(_JournalForm):
    name: str
    rating: int
    acted_on: bool = False


def reserved_names(card: DiaryCard, noun: str) -> set[str]:
    """The names of the card's own items of this kind ("self_harm", "self harm", "Self-harm")."""
    names = set()
    for item in card.items_of(card.own_items_group(noun)):
        key = item.key.removeprefix(f"{noun}_")
        names |= {fold_case(word) for word in (key, key.replace("_", " "), item.label)}
    return names


def _check_custom_items(value: object, *, card: DiaryCard, noun: str,
                        with_acted_on: bool) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ProblemError(f"own_{noun}s_one_at_a_time")
    if len(value) > CUSTOM_ITEMS_MAX:
        raise ProblemError(f"too_many_own_{noun}s", high=CUSTOM_ITEMS_MAX)
    taken = reserved_names(card, noun)
    high = card.own_items_group(noun).own_top
    items = []
    for item in value:
        if not isinstance(item, Mapping):
            raise ProblemError(f"own_{noun}s_one_at_a_time")
        name = clean_name(item.get("name"), label=_OWN_NAME_LABELS[noun],
                          max_length=CUSTOM_NAME_MAX)
        if fold_case(name) in taken:
            raise ProblemError("already_on_card", name=name)
        taken.add(fold_case(name))
        checked: dict[str, Any] = {
            "name": name,
            "rating": check_rating(item.get("rating"), name=name, high=high, required=True),
        }
        if with_acted_on:
            checked["acted_on"] = _check_yes_no(
                item.get("acted_on"), blank=False, problem=Problem("acted_own_item", name=name))
        items.append(checked)
    return items


class CheckInForm(_JournalForm):
    """A quick check-in: overall mood and an optional one-line note."""

    mood: int
    note: str = ""

    @field_validator("mood", mode="before")
    @classmethod
    def _mood(cls, value: object) -> int | None:
        mood = diary.DIARY_CARD.item(diary.MOOD)
        return check_rating(value, label=mood.phrase, high=mood.top, required=True)

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value: object) -> str:
        return clean_text(value, label="note", max_length=CHECKIN_NOTE_MAX, required=False)


class DiaryForm(_JournalForm):
    """A full diary-card entry: what every card has besides its items.

    `diary_form_model(card)` adds one field per item of the card, so every
    diary form is an instance of this class. Blank ratings stay None: "not
    rated" is not 0.
    """

    diary_card: ClassVar[DiaryCard]
    note: str = ""
    custom_emotions: tuple[CustomEmotion, ...] = ()
    custom_urges: tuple[CustomUrge, ...] = ()
    skills: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value: object) -> str:
        return _check_long_text(value, label="note", max_length=NOTE_MAX)

    def is_empty(self) -> bool:
        """Nothing answered at all: 0 and "no" are answers; an unticked "I acted on
        it" is not."""
        card = self.diary_card
        answered = any(getattr(self, item.key) not in (None, "") for item in card.items) \
            or any(getattr(self, item.acted_key) for item in card.items if item.acted_on)
        return (not answered and not self.note.strip() and not self.custom_emotions
                and not self.custom_urges and not self.skills and not self.triggers)

    @field_validator("custom_emotions", mode="before")
    @classmethod
    def _custom_emotions(cls, value: object) -> list[dict[str, Any]]:
        return _check_custom_items(value, card=cls.diary_card, noun="emotion",
                                   with_acted_on=False)

    @field_validator("custom_urges", mode="before")
    @classmethod
    def _custom_urges(cls, value: object) -> list[dict[str, Any]]:
        return _check_custom_items(value, card=cls.diary_card, noun="urge",
                                   with_acted_on=True)

    @field_validator("skills", mode="before")
    @classmethod
    def _skills(cls, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list | tuple) or len(value) > len(SKILLS_BY_KEY):
            raise ProblemError("pick_skills")
        if not all(isinstance(key, str) and key in SKILLS_BY_KEY for key in value):
            raise ProblemError("pick_skills")
        return tuple(dict.fromkeys(value))

    @field_validator("triggers", mode="before")
    @classmethod
    def _triggers(cls, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list | tuple):
            raise ProblemError("triggers_one_at_a_time")
        if len(value) > TRIGGERS_PER_ENTRY_MAX:
            raise ProblemError("too_many_triggers", high=TRIGGERS_PER_ENTRY_MAX)
        names: dict[str, str] = {}
        for item in value:
            name = clean_name(item, label="trigger", max_length=TRIGGER_MAX)
            names.setdefault(trigger_key(name), name)
        return tuple(names.values())


_ITEM_TYPES: dict[Scale, tuple[Any, Any]] = {
    Scale.RATING: (int | None, None),
    Scale.HOURS: (float | None, None),
    Scale.YES_NO: (bool | None, None),
    Scale.TEXT: (str, ""),
}


@cache
def _diary_form_for(card: DiaryCard) -> type[DiaryForm]:
    fields: dict[str, Any] = {}
    for item in card.items:
        python_type, default = _ITEM_TYPES[item.scale]
        fields[item.key] = (Annotated[python_type, BeforeValidator(
            partial(_check_item, item=item))], default)
        if item.acted_on:
            fields[item.acted_key] = (Annotated[bool, BeforeValidator(
                partial(_check_acted, item=item))], False)
    model = create_model("DiaryCardForm", __base__=DiaryForm, __module__=__name__, **fields)
    model.diary_card = card
    return model


def diary_form_model(card: DiaryCard | None = None) -> type[DiaryForm]:
    """The diary form for `card` (the app's card by default): one field per item."""
    return _diary_form_for(card or diary.DIARY_CARD)


EntryContent = CheckInForm | DiaryForm


def content_form(kind: object) -> type[CheckInForm] | type[DiaryForm] | None:
    """The form that checks the content of an entry of this kind (None: no such kind)."""
    if kind == EntryKind.CHECKIN:
        return CheckInForm
    return diary_form_model() if kind == EntryKind.DIARY else None


def _check_moment(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and len(value) <= 40:
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    if not isinstance(value, datetime):
        raise ProblemError("bad_moment")
    if value.utcoffset() is None:
        raise ProblemError("moment_without_zone")
    moment = value.astimezone(UTC)
    now = utcnow()
    if moment > now + PHONE_CLOCK_AHEAD:
        raise ProblemError("moment_in_future")
    if moment < now - BACKDATE_LIMIT:
        raise ProblemError("moment_too_old")
    return moment


class NewEntryForm(_JournalForm):
    """What every new entry carries besides its content."""

    idempotency_key: str
    kind: EntryKind
    occurred_at: datetime | None = None

    @field_validator("idempotency_key", mode="before")
    @classmethod
    def _key(cls, value: object) -> str:
        try:
            return idempotency_key(value, BAD_FORM.code)
        except ValueError:
            raise ProblemError(BAD_FORM.code) from None

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> EntryKind:
        if not isinstance(value, str) or value not in _KINDS:
            raise ProblemError("choose_entry_kind")
        return EntryKind(value)

    @field_validator("occurred_at", mode="before")
    @classmethod
    def _occurred_at(cls, value: object) -> datetime | None:
        return _check_moment(value)


def risk_route(content: EntryContent,
               days: Mapping[str, str] | None = None) -> risk.RiskRoute:
    """The risk prompts this entry's values call for (`core/risk.py`); none for a check-in.

    `days` (`risk.days_of_entry`) says which day the entry is for and which day
    it is; without them the entry is for today.
    """
    if not isinstance(content, DiaryForm):
        return risk.route({})
    return risk.route({**{name: getattr(content, name) for name in content.diary_card.fields()},
                       **(days or {})})


def risk_flag(content: EntryContent) -> bool:
    """True when the entry calls for a crisis prompt: a suicide or self-harm urge
    of 4+, or either acted on, whichever day (`risk.FLAGGING`)."""
    return risk_route(content).flagged


def parse_id(value: object) -> int | None:
    """An entry id from a browser (int or digits), or None when it can't be one."""
    if isinstance(value, str) and _ID.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _ID_MAX:
        return None
    return value
