"""How mood ratings are shown: a drawn face and a word for each point of 0-10.

Faces are drawn as SVG (not emoji) so they look the same on every phone,
including ones without a colour emoji font.
"""

from __future__ import annotations

from dataclasses import dataclass

from skills_app.text import N_, _

# Each word fits a tile of a 360 px phone on one line (two lines for two
# words), so none is broken inside; the ends match the mood item's
# `low_means`/`top_means` in core/diary.py. English catalogue messages: shown
# through `_()` (`mood_word`), in the reader's language.
MOOD_WORDS: tuple[str, ...] = (
    N_("Awful"), N_("Very low"), N_("Low"), N_("Down"), N_("So-so"), N_("Okay"),
    N_("Fine"), N_("Good"), N_("Very good"), N_("Great"), N_("Joyful"),
)


def mood_word(value: float | None) -> str:
    """The word for a mood (an average: its nearest whole mood), in the current language."""
    return "" if value is None else _(MOOD_WORDS[round(value)])


def _curve(start_x: float, end_x: float, y: float, depth: float, inset: float = 0.25) -> str:
    """A cubic curve on to (end_x, y) whose middle sits `depth` below y.

    Rounder than a quadratic, which comes to a point when bent hard. The
    middle of such a curve lies 3/4 of the way to its control points;
    control points nearer the ends (a smaller `inset`) make a fuller bowl.
    """
    control = y + depth * 4 / 3
    inset *= end_x - start_x
    return (f"C{start_x + inset:.2f} {control:.2f} {end_x - inset:.2f} {control:.2f} "
            f"{end_x:.2f} {y:.2f}")


@dataclass(frozen=True)
class MoodFace:
    """What changes from one face to the next, on a 24x24 grid with the head
    (radius 10) at the centre.

    The mouth alone changed too little to tell a 3 from a 7 at a glance, so
    three cues add up: the mouth's bend (a frown below 5, a smile above,
    widening as it rises), worried brows at the low end, and an open smile
    at the top.
    """

    mouth_bend: float  # how far the mouth's middle sits below its corners (< 0: a frown)
    mouth_half_width: float
    mouth_open: float  # how much further an open smile's lower lip drops (0 = closed)
    brow_lift: float  # how far the brows' inner ends rise above their outer ends (0 = none)

    @property
    def path(self) -> str:
        """The eyes, brows and mouth as one stroked SVG path."""
        parts = ["M8.8 9 v1.2", "M15.2 9 v1.2"]
        if self.brow_lift:
            inner = 6.6 - self.brow_lift
            parts += [f"M6.4 6.6 L10.2 {inner:.2f}", f"M17.6 6.6 L13.8 {inner:.2f}"]
        # The corners rise as the middle drops, keeping the mouth centred near y=15.5.
        left, right = 12 - self.mouth_half_width, 12 + self.mouth_half_width
        corners = 15.5 - self.mouth_bend / 2
        if not self.mouth_open:
            return " ".join([*parts, f"M{left:.2f} {corners:.2f} "
                             + _curve(left, right, corners, self.mouth_bend)])
        # An open smile: a nearly straight upper lip, and a full lower lip below it.
        upper = _curve(left, right, corners, self.mouth_bend * 0.3)
        lower = _curve(right, left, corners, self.mouth_bend + self.mouth_open, inset=0.05)
        return " ".join([*parts, f"M{left:.2f} {corners:.2f} {upper} {lower} Z"])


def mood_face_parts(value: int) -> MoodFace:
    """The face for a whole mood from 0 (awful) to 10 (joyful)."""
    return MoodFace(
        mouth_bend=0.6 * (value - 5),
        mouth_half_width=3.9 + 0.06 * value + (0.5 if value > 8 else 0),
        mouth_open=max(0, value - 8) * 1.1,
        brow_lift=max(0, 4 - value) * 0.5,
    )


def face_path(value: float | None) -> str:
    """The face's SVG path for a mood (an average is drawn as its nearest whole mood)."""
    return "" if value is None else mood_face_parts(round(value)).path
