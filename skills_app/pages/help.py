"""Get help now: crisis resources, open to everyone, signed in or not.

The resources are static in the page, so they show before it connects and
offline; a signed-in patient gets the app's tabs around them (`open_shell`).
"""

from __future__ import annotations

import reflex as rx

from skills_app.components.layout import open_shell
from skills_app.content.crisis import CRISIS_RESOURCES, CrisisResource


def _resource(resource: CrisisResource) -> rx.Component:
    return rx.el.li(
        rx.heading(resource.name, as_="h2", size="4"),
        rx.text(resource.description),
        rx.el.div(
            *[rx.el.a(action.label, href=action.href, class_name="crisis-action")
              for action in resource.actions],
            class_name="crisis-actions",
        ),
        class_name="card crisis",
    )


def help_page() -> rx.Component:
    return open_shell(
        rx.text("You don't have to go through this alone. These services are free, "
                "private and open day and night.", class_name="lead"),
        rx.el.ul(*[_resource(resource) for resource in CRISIS_RESOURCES],
                 class_name="crisis-list"),
        title="Get help now",
        public_only=rx.el.a("Back to the app", href="/", class_name="secondary-button"),
    )


def register(app: rx.App) -> None:
    app.add_page(help_page, route="/help", title="Get help now - Skills Practice")
