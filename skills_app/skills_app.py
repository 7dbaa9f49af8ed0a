"""The app: pages, PWA head tags, HTTP routes, background upkeep, and a schema check at start."""


import asyncio
import gc
import logging

import reflex as rx
from starlette.applications import Starlette

from skills_app import (
    api,
    calendar_routes,
    measures_api,
    push_routes,
    pwa,
    reminder_links,
    reminder_routes,
    report_routes,
    socket_tokens,
)
from skills_app.components import layout
from skills_app.core import db, exercises, journal, logs, push
from skills_app.core import reminders as reminder_scheduler
from skills_app.pages import (
    account,
    attendance,
    auth,
    card,
    groups,
    help,
    homework,
    measures,
    mindfulness,
    patient,
    plans,
    practice,
    practice_flow,
    program,
    progress,
    reminders,
    sharing,
    start,
    therapist,
    your_data,
)
from skills_app.pages import journal as journal_pages
from skills_app.pages import practice_history as practice_history_page
from skills_app.pages.localized import html_lang_script
from skills_app.security_middleware import SecurityHeaders
from skills_app.state.event_guard import RefuseOversizedEvents, answer_malformed_events
from skills_app.state.session import (
    ForgetOnNewConnection,
    RememberEventName,
    SpeakPageLanguage,
    off_loop,
)
from skills_app.text import _

logger = logging.getLogger("skills_app")
logs.keep_personal_data_out_of_logs()

# Every exercise file is read and checked now: a broken one stops the start with a
# list of its problems, and never reaches a patient.
exercises.all_exercises()
# A fresh clone's first run finds a ready database: no separate migrate step.
db.migrate()
# The Web Push key pair is made now if this deployment has none (core/push.py).
push.vapid_keys()
# Several web workers are forked from this process: none may inherit its connections.
db.release_connections()

THEME_COLOR = "#1f5f5b"
PURGE_EVERY_SECONDS = 60


def _backend_exception_handler(exception: Exception) -> rx.event.EventSpec:
    # The exception type only: messages can quote what a patient typed.
    logger.error("event handler failed: %s", type(exception).__name__)
    # In the language of the page the event came from (the middleware set it).
    return rx.toast.error(
        _("Something went wrong on our side. Anything you typed is still here; please try "
          "again."),
        position="top-center",
    )


async def _purge_deleted_entries() -> None:
    """Erase deleted entries once their undo window is over: at start, then every minute."""
    while True:
        try:
            erased = await off_loop(journal.purge_deleted_entries)
        except Exception as error:  # the next round tries again
            logger.warning("purging deleted entries failed: %s", type(error).__name__)
        else:
            if erased:
                logger.info("purged deleted entries: %s", erased)
        await asyncio.sleep(PURGE_EVERY_SECONDS)


# Every HTTP route of the app (tests/state/test_access_matrix.py classifies each one).
ROUTES = (api.routes + pwa.routes + measures_api.routes + report_routes.routes
          + calendar_routes.routes + push_routes.routes + reminder_routes.routes
          + reminder_links.routes)

app = rx.App(
    stylesheets=["/tokens.css", "/styles.css"],
    html_lang="en",
    head_components=[
        html_lang_script(),
        groups.next_group_memory_script(),
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
        # The tab's icon is the 32 px one: the 192 px icon is the manifest's (and the
        # header's), fetched once.
        rx.el.link(rel="icon", href="/favicon.ico", sizes="32x32"),
        rx.el.script(src="/app.js", defer=True),
        rx.el.script(src="/timer.js", defer=True),
        rx.el.script(src="/progress.js", defer=True),
        rx.el.script(src="/measures.js", defer=True),
        rx.el.script(src="/safety.js", defer=True),
        rx.el.script(src="/time_zones.js", defer=True),
        rx.el.script(src="/diary_card.js", defer=True),
        rx.el.script(src="/push.js", defer=True),
    ],
    # The app's routes in front of Reflex's, then the security headers and how long each
    # answer may be kept around all of it: pages, assets, 404s and the app's routes
    # (docs/architecture.md).
    api_transformer=[Starlette(routes=ROUTES), SecurityHeaders],
    backend_exception_handler=_backend_exception_handler,
)
# The app's own offline banner instead of Reflex's technical connection toast.
app.app_wraps[(5, "Overlay")] = layout.connection_lost_marker
app.add_middleware(SpeakPageLanguage())
# Before anything else looks at the event: one too large runs nothing.
app.add_middleware(RefuseOversizedEvents())
app.add_middleware(ForgetOnNewConnection())
app.add_middleware(RememberEventName())
answer_malformed_events(app)
app.register_lifespan_task(_purge_deleted_entries)
# Due reminders, planned and sent in every worker (rows are claimed, so each goes
# once); SKILLS_REMINDERS_EVERY_SECONDS=0 turns it off (core/reminders.py).
app.register_lifespan_task(reminder_scheduler.run_forever)
# One socket per client token (reflex-dev/reflex #6879, #6881), and an event's answer
# only to the socket it came from.
app.register_lifespan_task(socket_tokens.install)

for page_module in (start, auth, help, patient, practice, journal_pages, card, therapist, account):
    page_module.register(app)
practice_history_page.register(app)
practice_flow.register(app)
mindfulness.register(app)
sharing.register(app)
program.register(app)
progress.register(app)
your_data.register(app)
measures.register(app)
plans.register(app)
attendance.register(app)
groups.register(app)
homework.register(app)
reminders.register(app)

# Everything built so far (Reflex, the compiled pages, content) lives as long as the
# process. Move it out of the collector's reach: a full collection walked it all
# again, which made a year's Progress view take 4x its median now and then (p95 52 ms,
# median 13; benchmarks/progress.py). Done before the web workers are forked, so they
# share these pages too.
gc.collect()
gc.freeze()
# What each worker allocates as it runs (every tab's state, the database's caches)
# lives for minutes too; with the default thresholds (700, 10, 10) a full collection
# walked it every 10-50 s at 500 patients, 50-150 ms each with nothing to free,
# and every event in flight waited: the save p99 (benchmarks/load.py, 2 runs each)
# was 58 and 107 ms, and 12 and 57 ms with these. Young collections still run every
# 10,000 net allocations, so short-lived cycles are freed as before.
gc.set_threshold(10_000, 20, 20)
