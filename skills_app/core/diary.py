"""The DBT diary card: its items, declared once.

Every part of the journal reads this declaration: the `journal_entry` columns,
the checks on what a patient sends, the HTML form, the editor's fields and
saved values, the per-day summaries and the week grid. Adding an item is one
line in `DIARY_CARD` plus a migration for its column (two for an urge: the
rating and "I acted on it").

Consumers read `DIARY_CARD` when they run (or take a card as a parameter), so
a test can put a card with an extra item in its place. The database table is
the exception: it is built from the card once, at import.

The card's words (labels, group titles, questions, what a scale's ends mean)
are English catalogue messages, marked with `N_()`: keys and stored values
stay English, and a screen shows the words through `_()` in its language.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from skills_app.text import N_


class Scale(StrEnum):
    """What kind of answer an item takes."""

    RATING = "rating"  # a whole number from 0 to `top`
    HOURS = "hours"  # 0 to `top` hours, in half hours
    YES_NO = "yes_no"  # yes, no, or left blank
    TEXT = "text"  # optional short text of up to `top` characters


class Daily(StrEnum):
    """How one day's entries combine into the day's value."""

    HIGHEST = "highest"  # the day's highest (yes wins over no)
    AVERAGE = "average"  # the day's average, with its lowest and highest kept beside it


# Kinds of item a patient may name themselves; each has a column of its own
# (custom_emotions, custom_urges), so one group of the card takes each.
OWN_ITEM_NOUNS = ("emotion", "urge")


@dataclass(frozen=True)
class DiaryGroup:
    """Items that belong together on the card (urges, emotions, ...).

    `own_items` is the singular noun ("emotion") when patients may add items
    of their own to the group, rated from 0 to `own_top`; the group's item
    keys then start with that noun ("emotion_joy").
    """

    key: str
    title: str
    own_items: str = ""
    own_top: int = 0


@dataclass(frozen=True)
class DiaryItem:
    """One line of the diary card.

    `key` is also the database column and the form field. `phrase` names the
    item inside a sentence of a problem ("Please rate {label} from 0 to 5.",
    text/words/journal.py); `question` is how the editor asks it (the label
    when blank).
    `low_means`/`top_means` say in plain words what the ends of a rating
    scale mean. `higher_is_better` is None where more is neither (sleep,
    text). An item with `acted_on` also asks "I acted on it" (column
    `acted_key`); `risk_from` is the rating from which, or acting on it,
    the entry is flagged for crisis resources.
    """

    key: str
    label: str
    group: str
    scale: Scale
    phrase: str
    top: int = 0
    question: str = ""
    low_means: str = ""
    top_means: str = ""
    higher_is_better: bool | None = None
    acted_on: bool = False
    risk_from: int | None = None
    daily: Daily = Daily.HIGHEST

    @property
    def asked(self) -> str:
        return self.question or self.label

    @property
    def scale_ends(self) -> str:
        """What both ends of a rating mean, in one line: "0 = no urge, 5 = the strongest urge"
        (English: a screen joins `_(low_means)` and `_(top_means)` instead)."""
        return f"{self.low_means}, {self.top_means}" if self.low_means else ""

    @property
    def acted_key(self) -> str:
        """The column of "I acted on it": urge_self_harm -> acted_self_harm."""
        return f"acted_{self.key.removeprefix('urge_')}"


@dataclass(frozen=True)
class DiaryCard:
    """The card's groups, in the order a review reads them (the week grid's
    order: urges first), and its items, in the order the patient fills them in."""

    groups: tuple[DiaryGroup, ...]
    items: tuple[DiaryItem, ...]

    def __post_init__(self) -> None:
        group_keys = [group.key for group in self.groups]
        fields = [item.key for item in self.items]
        fields += [item.acted_key for item in self.items if item.acted_on]
        if len(set(group_keys)) != len(group_keys) or len(set(fields)) != len(fields):
            raise ValueError("Diary card groups and item keys must be unique.")
        owners = sorted(group.own_items for group in self.groups if group.own_items)
        if owners != sorted(OWN_ITEM_NOUNS) or any(
                group.own_items and group.own_top < 1 for group in self.groups):
            raise ValueError(f"One group each takes the patient's own {OWN_ITEM_NOUNS}, "
                             "with a top above 0.")
        if not any(item.key == MOOD and item.group == MOOD for item in self.items):
            raise ValueError("A quick check-in asks the mood item: keep it, in its own group.")
        for item in self.items:
            if item.group not in group_keys:
                raise ValueError(f"{item.key}: unknown group {item.group!r}.")
            if item.scale != Scale.YES_NO and item.top < 1:
                raise ValueError(f"{item.key}: a {item.scale} item needs a top above 0.")
            if (item.acted_on or item.risk_from is not None) and item.scale != Scale.RATING:
                raise ValueError(f"{item.key}: only ratings can be acted on or flag risk.")
            if item.scale == Scale.RATING and not (item.low_means and item.top_means):
                raise ValueError(f"{item.key}: say what both ends of the scale mean.")
            own = self.group(item.group).own_items
            if own and not item.key.startswith(f"{own}_"):
                raise ValueError(f"{item.key}: items of this group start with {own}_.")

    def item(self, key: str) -> DiaryItem:
        return next(item for item in self.items if item.key == key)

    def group(self, key: str) -> DiaryGroup:
        return next(group for group in self.groups if group.key == key)

    def own_items_group(self, noun: str) -> DiaryGroup:
        """The group that takes the patient's own items of this kind."""
        return next(group for group in self.groups if group.own_items == noun)

    def items_of(self, group: DiaryGroup) -> tuple[DiaryItem, ...]:
        return tuple(item for item in self.items if item.group == group.key)

    def groups_as_filled(self) -> tuple[DiaryGroup, ...]:
        """The groups in the order the patient meets them on the card."""
        order = list(dict.fromkeys(item.group for item in self.items))
        return tuple(self.group(key) for key in order)

    def fields(self) -> tuple[str, ...]:
        """Every column and form field the items use, acted-on flags included."""
        names: list[str] = []
        for item in self.items:
            names.append(item.key)
            if item.acted_on:
                names.append(item.acted_key)
        return tuple(names)


# The item a quick check-in asks too; screens show it with a face.
MOOD = "mood"
MOOD_MAX = 10
EMOTION_MAX = 5
URGE_MAX = 5
CRAVING_MAX = 10
SLEEP_HOURS_MAX = 24
SUBSTANCE_TEXT_MAX = 200
RISK_URGE_LEVEL = 4


def _emotion(name: str, label: str, phrase: str, *,
             higher_is_better: bool = False) -> DiaryItem:
    return DiaryItem(f"emotion_{name}", label, "emotions", Scale.RATING, phrase,
                     EMOTION_MAX, low_means=N_("0 = not at all"),
                     top_means=N_("5 = extremely"), higher_is_better=higher_is_better)


def _urge(name: str, label: str, phrase: str, question: str, *,
          risk_from: int | None = None) -> DiaryItem:
    return DiaryItem(f"urge_{name}", label, "urges", Scale.RATING, phrase, URGE_MAX,
                     question=question, low_means=N_("0 = no urge"),
                     top_means=N_("5 = the strongest urge"), higher_is_better=False,
                     acted_on=True, risk_from=risk_from)


# The app's card. A new item is one line in `items` (where the editor should ask
# it) plus a migration adding its column(s).
DIARY_CARD = DiaryCard(
    groups=(
        DiaryGroup("urges", N_("Urges"), own_items="urge", own_top=URGE_MAX),
        DiaryGroup("emotions", N_("Emotions"), own_items="emotion", own_top=EMOTION_MAX),
        DiaryGroup("use", N_("Craving and use")),
        DiaryGroup("mood", N_("Mood")),
        DiaryGroup("sleep", N_("Sleep")),
        DiaryGroup("medication", N_("Medication")),
    ),
    items=(
        DiaryItem(MOOD, N_("Mood"), "mood", Scale.RATING, N_("your mood"), MOOD_MAX,
                  question=N_("Overall mood"), low_means=N_("0 = awful"),
                  top_means=N_("10 = joyful"), higher_is_better=True,
                  daily=Daily.AVERAGE),
        _emotion("joy", N_("Joy"), N_("joy"), higher_is_better=True),
        _emotion("anger", N_("Anger"), N_("anger")),
        _emotion("sadness", N_("Sadness"), N_("sadness")),
        _emotion("fear", N_("Fear"), N_("fear")),
        _emotion("shame", N_("Shame"), N_("shame")),
        _emotion("guilt", N_("Guilt"), N_("guilt")),
        _urge("suicide", N_("Suicide"), N_("suicidal urges"), N_("Urge: suicide"),
              risk_from=RISK_URGE_LEVEL),
        _urge("self_harm", N_("Self-harm"), N_("self-harm urges"), N_("Urge: self-harm"),
              risk_from=RISK_URGE_LEVEL),
        _urge("substance_use", N_("Substance use"), N_("urges to use"),
              N_("Urge: substance use")),
        _urge("quit_therapy", N_("Quit therapy"), N_("urges to quit therapy"),
              N_("Urge: quit therapy")),
        DiaryItem("craving", N_("Craving"), "use", Scale.RATING, N_("your craving"),
                  CRAVING_MAX, low_means=N_("0 = no craving"),
                  top_means=N_("10 = the strongest craving"), higher_is_better=False),
        DiaryItem("substance_what", N_("Substance"), "use", Scale.TEXT, N_("substance"),
                  SUBSTANCE_TEXT_MAX, question=N_("Anything you used (optional)")),
        DiaryItem("substance_amount", N_("Amount"), "use", Scale.TEXT, N_("amount"),
                  SUBSTANCE_TEXT_MAX, question=N_("How much (optional)")),
        DiaryItem("medications_taken", N_("Medications"), "medication", Scale.YES_NO,
                  N_("your medications"), question=N_("Took my medications as prescribed"),
                  higher_is_better=True),
        DiaryItem("sleep_hours", N_("Sleep"), "sleep", Scale.HOURS, N_("hours of sleep"),
                  SLEEP_HOURS_MAX, question=N_("Hours of sleep")),
    ),
)
