"""Mindfulness practices as data: breathing patterns, the meditation timer's
bells, and guided practices as timed steps.

The guided texts are our own plain words (US grade 8 or below; in Spanish,
Fernández Huerta 70 or above, both checked by tests/content/test_mindfulness.py).
Every name and text is a catalogue message (`N_()`): a screen shows it
through `_()`, in the page's language (text/locale/<language>/LC_MESSAGES/mind.po).
Each practice has a stable key that is stored with every logged session
(`mindfulness_session.practice`), so a key must never be renamed or reused;
titles and texts may be reworded freely.
`skills` are keys of `content/skills.py`: a finished session counts them as
used that day on the diary card.
"""

from __future__ import annotations

from dataclasses import dataclass

from skills_app.text import N_

PACED_BREATHING = "distress_tolerance.paced_breathing"
OBSERVE = "mindfulness.observe"
NON_JUDGMENTALLY = "mindfulness.non_judgmentally"
URGE_SURFING = "distress_tolerance.urge_surfing"

# What the pacer says in each phase.
PHASE_WORDS = {"in": N_("Breathe in"), "more": N_("A little more in"), "hold": N_("Hold"),
               "out": N_("Breathe out")}


@dataclass(frozen=True)
class BreathPhase:
    kind: str  # a key of PHASE_WORDS
    seconds: float


@dataclass(frozen=True)
class BreathingPattern:
    key: str
    name: str
    when: str
    phases: tuple[BreathPhase, ...]


def _phases(*pairs: tuple[str, float]) -> tuple[BreathPhase, ...]:
    return tuple(BreathPhase(kind, seconds) for kind, seconds in pairs)


BREATHING_PATTERNS: tuple[BreathingPattern, ...] = (
    BreathingPattern("box", N_("Box breathing (4-4-4-4)"),
                     N_("To steady yourself before something hard."),
                     _phases(("in", 4), ("hold", 4), ("out", 4), ("hold", 4))),
    BreathingPattern("4-7-8", N_("4-7-8 breathing"), N_("To wind down, or before sleep."),
                     _phases(("in", 4), ("hold", 7), ("out", 8), ("hold", 0))),
    BreathingPattern("coherent", N_("Even breathing (5.5 in, 5.5 out)"),
                     N_("To feel calm and even: about five breaths a minute."),
                     _phases(("in", 5.5), ("out", 5.5))),
    BreathingPattern("sigh", N_("Double sigh"), N_("For a quick reset when you feel tense: "
                     "two breaths in through the nose, one long breath out."),
                     _phases(("in", 2), ("more", 1), ("out", 6))),
)
CUSTOM_PATTERN = "custom"
# The custom pattern's phases, in order, and their labels on the form.
CUSTOM_PHASES = (("in", N_("Breathe in")), ("hold", N_("Hold after breathing in")),
                 ("out", N_("Breathe out")), ("hold", N_("Hold after breathing out")))

BELL_SOUNDS = {"bowl": N_("Singing bowl"), "bell": N_("Small bell"), "chime": N_("Wood chime")}
SILENT = "silent"


@dataclass(frozen=True)
class GuidedStep:
    seconds: int
    text: str


@dataclass(frozen=True)
class GuidedPractice:
    key: str
    title: str
    when: str
    skills: tuple[str, ...]
    steps: tuple[GuidedStep, ...]

    @property
    def seconds(self) -> int:
        return sum(step.seconds for step in self.steps)

    @property
    def minutes(self) -> int:
        return round(self.seconds / 60)


def _steps(*pairs: tuple[int, str]) -> tuple[GuidedStep, ...]:
    return tuple(GuidedStep(seconds, text) for seconds, text in pairs)


GUIDED_PRACTICES: tuple[GuidedPractice, ...] = (
    GuidedPractice(
        "grounding", N_("5-4-3-2-1 grounding"),
        N_("When you feel swept away or far from the room."),
        (OBSERVE,), _steps(
            (30, N_("Sit or stand in a way that feels steady. Let your feet rest on the floor. "
                 "Take one slow breath.")),
            (60, N_("Look around you. Find five things you can see. Name each one quietly to "
                 "yourself, like \u201ca blue cup\u201d or \u201ca window\u201d.")),
            (50, N_("Notice four things you can feel. It might be your feet in your shoes, the "
                 "chair under you, or air on your skin.")),
            (50, N_("Listen for three things you can hear. Near or far, loud or soft. Just "
                 "name them.")),
            (40, N_("Find two things you can smell. If nothing comes, think of two smells "
                 "you like.")),
            (40, N_("Notice one thing you can taste, even if it is just the inside of your "
                 "mouth.")),
            (30, N_("Take a slow breath. You are here, in this place, right now. Notice how "
                 "you feel.")),
        )),
    GuidedPractice(
        "body-scan", N_("Short body scan"),
        N_("To rest, or to notice what your body is telling you."),
        (OBSERVE,), _steps(
            (30, N_("Find a comfortable way to sit or lie down. Close your eyes if you like, or "
                 "rest your gaze on the floor.")),
            (45, N_("Bring your attention to your feet. Notice any warmth, cold, pressure or "
                 "tingling. There is nothing to change.")),
            (45, N_("Move your attention up to your legs and knees. Notice what is there. If "
                 "you feel nothing, that is fine too.")),
            (45, N_("Notice your hips, belly and lower back. Feel your belly rise and fall as "
                 "you breathe.")),
            (45, N_("Bring your attention to your chest, your upper back and your shoulders. "
                 "If they are tight, let them soften a little.")),
            (45, N_("Notice your arms and hands. Feel your fingers. Are they warm or cool, "
                 "still or moving?")),
            (45, N_("Now notice your neck, jaw and face. Let your jaw loosen. Let your "
                 "forehead be soft.")),
            (30, N_("Take in your whole body at once, from head to feet. When your mind "
                 "wanders, gently come back to your body.")),
            (30, N_("Take a deeper breath. Move your fingers and toes. When you are ready, "
                 "open your eyes.")),
        )),
    GuidedPractice(
        "leaves-on-a-stream", N_("Leaves on a stream"),
        N_("When your thoughts keep going round and round."),
        (OBSERVE, NON_JUDGMENTALLY), _steps(
            (30, N_("Sit comfortably and take a few slow breaths. Close your eyes if that "
                 "feels okay.")),
            (45, N_("Picture a gentle stream. Leaves float by on the water, one after "
                 "another. Make the picture any way you like.")),
            (90, N_("As each thought comes, place it on a leaf and watch it float away. Do "
                 "this with every thought, even \u201cthis is silly\u201d or \u201cI "
                 "can't do this\u201d.")),
            (90, N_("If you get pulled into a thought, that is normal. Notice it, put it on a "
                 "leaf, and come back to watching the stream.")),
            (45, N_("Let the picture fade. Notice the room around you and take a slow breath. "
                 "Thoughts come and go, and you can watch them pass.")),
        )),
    GuidedPractice(
        "urge-surfing", N_("Urge surfing (10 minutes)"),
        N_("When you have an urge to use, drink, or do something you may regret."),
        (URGE_SURFING,), _steps(
            (45, N_("Sit comfortably. Notice that you have an urge right now. You do not have "
                 "to act on it. For the next ten minutes, you will just watch it.")),
            (75, N_("Where do you feel the urge in your body? Maybe your mouth, your chest, "
                 "your stomach or your hands. Pick one spot to watch.")),
            (90, N_("Describe the feeling to yourself. Is it tight, warm, buzzing, heavy? "
                 "Does it have a size or shape? Just notice it. There is no need to judge "
                 "it.")),
            (120, N_("Think of the urge as a wave. It rises, it peaks, and then it falls. "
                  "Breathe slowly and ride it, like a surfer on the water.")),
            (120, N_("Keep watching. Notice if the urge gets stronger, weaker, or moves. Urges "
                  "rise and fall, and they pass when you do not feed them.")),
            (90, N_("Check in with the urge now. It may be smaller, or it may come back. Each "
                 "time you ride a wave, the next one gets easier.")),
            (60, N_("Take a slow breath. You stayed with a hard feeling without acting on it. "
                 "If the urge is still strong, reach out to someone you trust. If you feel "
                 "unsafe, tap Get help now.")),
        )),
    GuidedPractice(
        "breathing-space", N_("Three-minute breathing space"),
        N_("For a short pause in a busy or hard day."),
        (OBSERVE,), _steps(
            (60, N_("Sit up in a way that feels steady and awake. Ask yourself: what is going "
                 "on for me right now? Notice your thoughts, feelings and body. You do not "
                 "have to change them.")),
            (60, N_("Now bring your attention to your breath. Feel each breath come in and go "
                 "out. When your mind wanders, gently bring it back.")),
            (60, N_("Let your attention grow to take in your whole body, breathing. Notice "
                 "how you are sitting and your face. Take this wider attention into the "
                 "next part of your day.")),
        )),
)
