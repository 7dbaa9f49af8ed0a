"""The app: pages, PWA head tags, HTTP routes, and a schema check at start."""


import logging

import reflex as rx
from starlette.applications import Starlette

from skills_app import api
from skills_app.core import db
from skills_app.pages import account, auth, help, journal, patient, start, therapist

logger = logging.getLogger("skills_app")

# A fresh clone's first run finds a ready database: no separate migrate step.
db.migrate()
# Several web workers are forked from this process: none may inherit its connections.
db.release_connections()

THEME_COLOR = "#1f5f5b"


def _backend_exception_handler(exception: Exception) -> rx.event.EventSpec:
    # The exception type only: messages can quote what a patient typed.
    logger.error("event handler failed: %s", type(exception).__name__)
    return rx.toast.error(
        "Something went wrong on our side. Anything you typed is still here; please try again.",
        position="top-center",
    )


app = rx.App(
    stylesheets=["/styles.css"],
    html_lang="en",
    head_components=[
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.meta(name="theme-color", content=THEME_COLOR),
        rx.el.meta(name="color-scheme", content="light dark"),
        rx.el.meta(name="apple-mobile-web-app-capable", content="yes"),
        rx.el.meta(name="mobile-web-app-capable", content="yes"),
        rx.el.meta(name="apple-mobile-web-app-title", content="Skills"),
        rx.el.meta(name="description",
                   content="Practise DBT and CBT skills, keep a mood journal and share "
                           "progress with your therapist."),
        rx.el.link(rel="apple-touch-icon", href="/icons/apple-touch-icon.png"),
        rx.el.link(rel="icon", href="/icons/icon-192.png", type="image/png"),
        rx.el.script(src="/app.js", defer=True),
    ],
    api_transformer=Starlette(routes=api.routes),
    backend_exception_handler=_backend_exception_handler,
)

for page_module in (start, auth, help, patient, journal, therapist, account):
    page_module.register(app)
