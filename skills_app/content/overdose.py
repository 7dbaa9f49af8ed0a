"""Overdose and withdrawal safety: one text for the help page and the offline page.

The facts are those of ../shared/clinical.md ("Overdose and withdrawal facts"),
in our own plain words (US grade 8 or below, checked by
tests/content/test_overdose.py). `pages/help.py` renders it as components and
`pwa.offline_page_html` as plain HTML, in each language, so the help page and the page the
service worker shows with no network say exactly the same thing. The service
worker's version is a hash of the offline page as rendered, so a change here
reaches every installed phone.

Outside the US the text says "your local emergency number" and leaves out what
is US law or a US number (Good Samaritan laws, Poison Control).
"""

from __future__ import annotations

from dataclasses import dataclass

from skills_app.content.crisis import CALL_911, CALL_POISON_CONTROL, IN_THE_US, CrisisAction
from skills_app.text import N_, _

# The id the help page's section keeps: the slip card links to /help/#overdose-safety.
SECTION_ID = "overdose-safety"
TITLE = N_("Overdose safety")


@dataclass(frozen=True)
class Part:
    """One part of the section: a heading, an optional lead line, and its points.

    `steps` are numbered (what to do, in order); otherwise the points are a list.
    """

    key: str
    heading: str
    lead: str = ""
    points: tuple[str, ...] = ()
    after: str = ""
    steps: bool = False


@dataclass(frozen=True)
class OverdoseSafety:
    lead: str
    actions: tuple[CrisisAction, ...]
    parts: tuple[Part, ...]


def overdose_safety(in_the_us: bool) -> OverdoseSafety:
    """The section for a deployment in the US (911, Poison Control, US law) or elsewhere.

    Every line is a whole catalogue message (`N_()`), one for the US and one for
    elsewhere where they differ; the screens show them with `_()`.
    """
    call = N_("Call 911.") if in_the_us else N_("Call your local emergency number.")
    parts = [
        Part("signs", N_("Signs of an opioid overdose"),
             lead=N_("A person may have overdosed if:"),
             points=(N_("They will not wake up or answer you."),
                     N_("Their breathing is slow, or it has stopped."),
                     N_("Their lips or fingertips look blue or gray."),
                     N_("Their pupils (the black centers of their eyes) are very small."),
                     N_("They make gurgling or snoring sounds."))),
        Part("what-to-do", N_("What to do"),
             points=(call,
                     N_("Give naloxone (Narcan) if you have it."),
                     N_("If you are trained, give rescue breaths."),
                     N_("Roll them onto their side. Bend their top knee. Tilt their head "
                        "back. This is the recovery position: it helps keep their airway "
                        "open."),
                     N_("Stay with them until help comes.")),
             after=N_("Naloxone can wear off in 30 to 90 minutes, while the drug is still "
                      "working. They can stop breathing again, even after they wake up. So "
                      "stay with them and get them to medical care. A second dose may be "
                      "needed."),
             steps=True),
    ]
    if in_the_us:
        parts.append(Part(
            "good-samaritan", N_("The law protects people who call"),
            lead=N_("Most states have Good Samaritan laws. They give some protection to "
                    "people who call 911 about an overdose. The details are different in "
                    "each state.")))
    parts += [
        Part("lower-the-risk", N_("Lower the risk"),
             points=(N_("Never use alone. Have someone with you who can get help."),
                     N_("Fentanyl is in much of the drug supply. You can't tell by looking."),
                     N_("Mixing opioids with alcohol or benzos (like Xanax or Valium) makes "
                        "an overdose more likely."),
                     N_("Your tolerance drops fast after a break. An amount you used to "
                        "take can now be too much."),
                     N_("Keep naloxone with you. Many pharmacies give it without a "
                        "prescription."))),
        Part("withdrawal", N_("Stopping alcohol or benzos"),
             lead=N_("Stopping alcohol or benzos all at once, after heavy daily use, can "
                     "cause seizures. It can be deadly. Talk to a doctor before you stop. "
                     "They can help you stop safely."),
             points=(N_("Call 911 for shaking, confusion, seeing or hearing things that are "
                        "not there, or a seizure.") if in_the_us else
                     N_("Call your local emergency number for shaking, confusion, seeing or "
                        "hearing things that are not there, or a seizure."),)),
    ]
    return OverdoseSafety(
        lead=(N_("If someone may have overdosed, call 911 now. Then stay with them.")
              if in_the_us else
              N_("If someone may have overdosed, call your local emergency number now. "
                 "Then stay with them.")),
        actions=(CALL_911, CALL_POISON_CONTROL) if in_the_us else (),
        parts=tuple(parts))


OVERDOSE_SAFETY = overdose_safety(IN_THE_US)


def all_text(section: OverdoseSafety) -> list[str]:
    """Every line of the section, in reading order and in the current language
    (tests grade and search it)."""
    lines = [section.lead]
    for part in section.parts:
        lines += [part.heading, part.lead, *part.points, part.after]
    return [_(line) for line in lines if line]
