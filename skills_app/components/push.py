""""Turn on reminders on this phone": the Web Push control (assets/push.js).

Rendered the same for everyone; the script shows what fits this phone once the
page has loaded: off or on for this device, "Turn on" or "Turn off". The
browser's permission is asked only after "Turn on" is tapped, never on load.
At that tap an iPhone outside the Home Screen app gets the steps to add it
(iOS 16.4+ gives Web Push only to an installed app), and a phone that blocks
notifications gets how to allow them again. The words of those messages come
from text/words/push.py (`skillsText("push.<key>")`).
"""

from __future__ import annotations

import reflex as rx

from skills_app.components import typography as ty
from skills_app.text import _


def push_control() -> rx.Component:
    """The section with the control: one call wherever reminders are set."""
    return rx.el.section(
        ty.heading(_("Reminders on this phone"), as_="h2", size="5", id="push-heading"),
        ty.text(_("Get a reminder on this phone at the times you choose. It shows only "
                  "“Time for your practice” or another plain line, never what it is for.")),
        rx.el.p(_("Checking this phone…"), id="push-state", class_name="push-state",
                role="status"),
        rx.el.div(
            rx.el.button(_("Turn on reminders on this phone"), type="button",
                         class_name="primary-button", id="push-turn-on", hidden=True,
                         custom_attrs={"data-push-action": "on"}),
            rx.el.button(_("Turn off"), type="button", class_name="secondary-button",
                         id="push-turn-off", hidden=True,
                         custom_attrs={"data-push-action": "off"}),
            class_name="button-row",
        ),
        rx.el.div(id="push-hint", class_name="notice push-hint", role="alert", hidden=True,
                  tab_index=-1),
        class_name="card stack",
        id="push-control",
        custom_attrs={"aria-labelledby": "push-heading"},
    )
