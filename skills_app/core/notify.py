"""How a due reminder leaves the server: the few names the scheduler and the channels share.

The scheduler (`core/reminders.py`) decides *when* and *whether*; a channel
(`core/push.py` for Web Push, `core/reminder_email.py` for email) only carries
a `Notice` it is given. Channels register themselves here at import, so the
scheduler never imports them and its tests can register fakes.

A notice says nothing clinical: its title and body are the patient's chosen
neutral wording ("Time for your practice"), never what the reminder is for,
since a lock screen is public. `url` is a path inside the app that a tap opens.
`tag` lets the phone show a reminder sent twice (a worker that died after
sending, before marking it sent) as one notification.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from skills_app.text import N_


@dataclass(frozen=True)
class Notice:
    delivery_id: int
    user_id: int
    title: str
    body: str
    url: str
    tag: str
    language: str = "en"


# The neutral wordings a patient picks from (`ReminderPreference.wording`): key ->
# (title, body). Every kind of reminder shows the same one; none says what for.
WORDINGS: dict[str, tuple[str, str]] = {
    "practice": (N_("Time for your practice"), N_("Open Skills Practice when you have a minute.")),
    "moment": (N_("A moment for you"), N_("Tap to open the app.")),
    "plain": (N_("Skills Practice"), N_("You have a reminder.")),
}
DEFAULT_WORDING = "practice"


class SendResult(StrEnum):
    SENT = "sent"  # at least one of the patient's devices / addresses took it
    RETRY = "retry"  # the service timed out or answered 5xx / 429: try again later
    NOWHERE = "nowhere"  # this channel has nowhere to send for this patient (no device,
    # no address, or the channel is off on this server)


Sender = Callable[[Notice], SendResult]

# Channel name ("push", "email") -> its sender. Blocking calls: the scheduler runs
# them in a worker thread, never on the event loop.
SENDERS: dict[str, Sender] = {}


def register(channel: str, sender: Sender) -> None:
    SENDERS[channel] = sender
