"""How mood ratings are shown: a drawn face and a word for each point of 0-10.

Faces are drawn as SVG (not emoji) so they look the same on every phone,
including ones without a colour emoji font.
"""

from __future__ import annotations

MOOD_WORDS: tuple[str, ...] = (
    "Awful", "Very low", "Low", "Down", "Uneasy", "Okay",
    "Fine", "Good", "Very good", "Great", "Wonderful",
)


def mood_word(value: float | None) -> str:
    return "" if value is None else MOOD_WORDS[round(value)]


def mouth_path(value: float | None) -> str:
    """SVG path of the mouth on a 24x24 face: a frown at 0, flat at 5, a smile at 10."""
    if value is None:
        return ""
    curve = 15 + (value - 5) * 0.9
    return f"M7.5 15 Q12 {curve:.1f} 16.5 15"
