"""Mood faces and words: a glance tells a 3 from a 7, and the words match the card."""

from __future__ import annotations

import re

from skills_app.content.mood import MOOD_WORDS, face_path, mood_face_parts, mood_word
from skills_app.core.diary import DIARY_CARD, MOOD

MOODS = range(len(MOOD_WORDS))
# At the 28 px a tile draws a face, one unit of its 24-unit grid is about a pixel.
MIN_STEP = 0.5


def _mouth_depth(path: str) -> float:
    """How far the drawn mouth's lowest middle sits below its corners (< 0: a frown).

    Read from the path itself: the mouth is the last subpath, "M x y" then one
    or two cubic curves between its corners; a cubic's middle lies at 1/8 of
    each end plus 3/8 of each control point.
    """
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.split("M")[-1])]
    corner_y = numbers[1]
    curves = [numbers[i:i + 6] for i in range(2, len(numbers), 6)]
    middles = [(2 * corner_y + 3 * control_1 + 3 * control_2) / 8
               for _, control_1, _, control_2, _, _ in curves]
    return max(middles) - corner_y


def test_the_mouth_bends_further_at_every_step_from_frown_to_smile() -> None:
    depths = [_mouth_depth(face_path(mood)) for mood in MOODS]
    steps = [later - earlier for earlier, later in zip(depths, depths[1:], strict=False)]
    assert min(steps) >= MIN_STEP, depths
    assert depths[0] < 0 < depths[10] and abs(depths[5]) < MIN_STEP
    bends = [mood_face_parts(mood).mouth_bend for mood in MOODS]
    assert bends == sorted(set(bends))


def test_three_and_seven_differ_in_brows_and_mouth_direction() -> None:
    three, seven = mood_face_parts(3), mood_face_parts(7)
    assert three.brow_lift > 0 and seven.brow_lift == 0
    assert three.mouth_bend < 0 < seven.mouth_bend
    assert face_path(3).count("M") == face_path(7).count("M") + 2  # two brows


def test_worried_brows_at_the_low_end_and_an_open_smile_at_the_top() -> None:
    lifts = [mood_face_parts(mood).brow_lift for mood in MOODS]
    opens = [mood_face_parts(mood).mouth_open for mood in MOODS]
    assert lifts[:4] == sorted(lifts[:4], reverse=True) and min(lifts[:4]) > 0
    assert set(lifts[4:]) == {0}
    assert set(opens[:9]) == {0} and 0 < opens[9] < opens[10]
    assert face_path(10).endswith("Z") and not face_path(8).endswith("Z")
    assert len({face_path(mood) for mood in MOODS}) == len(MOODS)


def test_an_average_is_drawn_and_named_as_its_nearest_whole_mood() -> None:
    assert face_path(6.6) == face_path(7) and mood_word(6.6) == "Good"
    assert face_path(None) == mood_word(None) == ""


def test_the_words_at_the_ends_are_the_ones_the_scale_hint_names() -> None:
    item = DIARY_CARD.item(MOOD)
    assert len(MOOD_WORDS) == item.top + 1
    assert item.scale_ends == f"0 = {MOOD_WORDS[0].lower()}, 10 = {MOOD_WORDS[-1].lower()}"
