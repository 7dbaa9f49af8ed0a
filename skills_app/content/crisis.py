"""Crisis resources: the one list every "Get help now" screen shows.

United States defaults from ../shared/clinical.md. Every text is an English
catalogue message (`N_()`): the screens show it with `_()` in the reader's
language. The deployment's country
is one setting (`SKILLS_COUNTRY`, `core/settings.py`): "US" gets the lists
below; anywhere else gets "call your local emergency number" and an
international directory of helplines until someone adds that country's own
numbers here. The help page, the offline page, the service worker's cached
copy and the risk prompts all read from here.

Two lists, because a prompt after a hard entry must only offer crisis help:
`CRISIS_RESOURCES` (the help page and the offline page, which also list
SAMHSA's helpline, labelled as treatment referral) and `PROMPT_RESOURCES`
(every resource that is not `referral_only`).
"""

from __future__ import annotations

from dataclasses import dataclass

from skills_app.core.settings import deployment_country
from skills_app.text import N_


@dataclass(frozen=True)
class CrisisAction:
    label: str
    href: str


@dataclass(frozen=True)
class CrisisResource:
    name: str
    description: str
    actions: tuple[CrisisAction, ...]
    # More ways in, one line each (988's options for veterans, Spanish, ASL).
    options: tuple[str, ...] = ()
    # Treatment referral and information, not crisis help: never in a risk prompt.
    referral_only: bool = False


CALL_911 = CrisisAction(N_("Call 911"), "tel:911")
CALL_988 = CrisisAction(N_("Call 988"), "tel:988")
# The address is a message too: in Spanish it starts the text with AYUDA, which
# reaches 988's Spanish line (clinical.md).
TEXT_988 = CrisisAction(N_("Text 988"), N_("sms:988"))
CHAT_988 = CrisisAction(N_("Chat at 988lifeline.org"), "https://988lifeline.org/chat/")
TEXT_HOME = CrisisAction(N_("Text HOME to 741741"), "sms:741741?&body=HOME")
POISON_CONTROL_NUMBER = "1-800-222-1222"
CALL_POISON_CONTROL = CrisisAction(N_("Call Poison Control 1-800-222-1222"),
                                   "tel:+18002221222")
INTERNATIONAL_DIRECTORY = CrisisAction(N_("Find a helpline in your country"),
                                       "https://findahelpline.com/")

LIFELINE = CrisisResource(
    name=N_("988 Suicide & Crisis Lifeline"),
    description=N_("Free and private, 24/7. Call or text 988, or chat online. "
                   "988 also helps with drug or alcohol crises."),
    actions=(
        CALL_988,
        TEXT_988,
        CHAT_988,
        CrisisAction(N_("Veterans: text 838255"), "sms:838255"),
        CrisisAction(N_("En español: text AYUDA"), "sms:988?&body=AYUDA"),
    ),
    options=(
        N_("Veterans: call 988 and press 1, or text 838255."),
        N_("En español: call 988 and press 2, or text AYUDA to 988."),
        N_("Deaf or hard of hearing: call 988 on your videophone to sign in ASL, or text 988."),
    ),
)
EMERGENCY = CrisisResource(
    name=N_("Emergency"),
    description=N_("If you or someone else is in danger right now."),
    actions=(CALL_911,),
)
POISON_CONTROL = CrisisResource(
    name=N_("Poison Control"),
    description=N_("Free, 24/7: after an overdose, too much of a medicine, the wrong medicine, "
                   "or swallowing something harmful."),
    actions=(CALL_POISON_CONTROL,),
)
CRISIS_TEXT_LINE = CrisisResource(
    name=N_("Crisis Text Line"),
    description=N_("Text HOME to 741741 to reach a trained crisis counselor."),
    actions=(TEXT_HOME,),
)
SAMHSA_HELPLINE = CrisisResource(
    name=N_("SAMHSA National Helpline (treatment referral)"),
    description=N_("Not a crisis line. Free help to find treatment and information, 24/7, "
                   "in English and Spanish."),
    actions=(CrisisAction(N_("Call 1-800-662-4357"), "tel:+18006624357"),),
    referral_only=True,
)

US_RESOURCES: tuple[CrisisResource, ...] = (
    LIFELINE, EMERGENCY, CRISIS_TEXT_LINE, POISON_CONTROL, SAMHSA_HELPLINE)

OUTSIDE_US_RESOURCES: tuple[CrisisResource, ...] = (
    CrisisResource(
        name=N_("Emergency"),
        description=N_("If you or someone else is in danger right now, call your local "
                       "emergency number."),
        actions=(),
    ),
    CrisisResource(
        name=N_("Helplines near you"),
        description=N_("A free directory of crisis lines and text services, country by country."),
        actions=(INTERNATIONAL_DIRECTORY,),
    ),
)


def resources_for(country: str) -> tuple[CrisisResource, ...]:
    """The crisis resources a deployment in `country` (ISO 3166 code) shows."""
    return US_RESOURCES if country.upper() == "US" else OUTSIDE_US_RESOURCES


IN_THE_US = deployment_country() == "US"
CRISIS_RESOURCES: tuple[CrisisResource, ...] = resources_for(deployment_country())
PROMPT_RESOURCES: tuple[CrisisResource, ...] = tuple(
    resource for resource in CRISIS_RESOURCES if not resource.referral_only)
# The crisis prompt's buttons (clinical.md: 988 call/text/chat, 741741, 911).
PROMPT_ACTIONS: tuple[CrisisAction, ...] = (
    (CALL_988, TEXT_988, CHAT_988, TEXT_HOME, CALL_911) if IN_THE_US
    else (INTERNATIONAL_DIRECTORY,))

# The line every risk prompt (first), Today and the diary card carry.
NOBODY_WATCHES = (N_("Nobody sees this right away. If you are in danger, call 988 or 911.")
                  if IN_THE_US else
                  N_("Nobody sees this right away. If you are in danger, call your local "
                     "emergency number."))
# What a prompt leads with after acting on a suicide or self-harm urge.
HURT_OR_TOOK_SOMETHING = (N_("If you have hurt yourself or taken something, call 911 now.")
                          if IN_THE_US else
                          N_("If you have hurt yourself or taken something, call your local "
                             "emergency number now."))


# The lines of the risk prompts (components/risk.py), each checked for plain words.
CRISIS_LINE = (N_("Hard moments like this can pass. If you might act on thoughts of hurting "
                  "yourself, reach out now."))
# An act logged for an earlier day: the safety plan and 988, not "call 911 now".
EARLIER_LINE = (N_("If you are still hurt, or feel unwell from something you took, see a "
                   "doctor or nurse. You can talk to someone at 988, day or night. Your "
                   "safety plan can help with the next hard moment.")
                if IN_THE_US else
                N_("If you are still hurt, or feel unwell from something you took, see a "
                   "doctor or nurse. A helpline can listen, day or night. Your safety plan "
                   "can help with the next hard moment."))
EARLIER_ACTIONS: tuple[CrisisAction, ...] = (
    (CALL_988, TEXT_988, CHAT_988) if IN_THE_US else (INTERNATIONAL_DIRECTORY,))
# A suicide or self-harm prompt shown with the slip or craving card.
SUBSTANCES_RAISE_RISK = (N_("Alcohol and drugs make suicidal urges more dangerous. Stay with "
                            "someone, and put distance between you and anything you could use "
                            "to hurt yourself."))
SLIP_LINE = N_("Here is what keeps you safe now:")
CRAVING_LINE = (N_("A craving rises, peaks and falls, like a wave. It will pass. "
                   "One of these can help you ride it out:"))
CRAVING_LINE_ON_TODAY = (N_("A craving rises, peaks and falls, like a wave. It will pass. "
                            "Today's practice, just below, starts with skills to ride it out."))
CRAVING_PLAN_LINE = (N_("Your relapse-prevention plan has your ways to cope and the people "
                        "who support you."))
CRAVING_HELP_LINE = (N_("988 also helps with drug or alcohol crises.") if IN_THE_US else
                     N_("Helplines also help with drug or alcohol crises."))
CRAVING_ACTIONS: tuple[CrisisAction, ...] = (
    (CALL_988, TEXT_988) if IN_THE_US else (INTERNATIONAL_DIRECTORY,))
QUIT_THERAPY_LINE = N_("Tell your therapist; wanting to quit is common and worth talking about.")
SAFETY_PLAN_LINE = N_("Your safety plan is here if things get harder.")
