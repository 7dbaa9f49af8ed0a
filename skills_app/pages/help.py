"""Get help now: crisis resources, open to everyone, signed in or not.

The resources are static in the page, so they show before it connects and
offline; a signed-in patient gets the app's tabs around them (`open_shell`),
links to their safety and relapse-prevention plans, and, when this phone keeps
a copy of their safety plan, the plan itself (drawn by assets/safety.js from
localStorage, so it shows offline too, from the cached page).
"""

from __future__ import annotations

import reflex as rx

from skills_app.components.layout import open_shell
from skills_app.components.risk import crisis_link, nobody_watches
from skills_app.content.crisis import (
    CALL_911,
    CALL_POISON_CONTROL,
    CRISIS_RESOURCES,
    IN_THE_US,
    CrisisResource,
)
from skills_app.core.models import Role
from skills_app.core.plans import AFTER_A_SLIP, RELAPSE_PLAN, SAFETY_PLAN
from skills_app.pages.plans import device_copy_marker, safety_plan_view
from skills_app.state.plans import SafetyPlanCopyState
from skills_app.state.session import SessionState


def _resource(resource: CrisisResource) -> rx.Component:
    return rx.el.li(
        rx.heading(resource.name, as_="h2", size="4"),
        rx.el.p("Treatment referral, not a crisis line", class_name="referral-label")
        if resource.referral_only else rx.fragment(),
        rx.text(resource.description),
        rx.el.ul(*[rx.el.li(option) for option in resource.options], class_name="crisis-options")
        if resource.options else rx.fragment(),
        rx.el.div(*[crisis_link(action) for action in resource.actions],
                  class_name="crisis-actions"),
        class_name="card crisis" + (" referral" if resource.referral_only else ""),
    )


def _your_plans() -> rx.Component:
    return rx.cond(
        SessionState.role == Role.PATIENT.value,
        rx.el.nav(
            rx.el.a("My safety plan", href=SAFETY_PLAN.route, class_name="primary-button",
                    id="help-safety-plan-link"),
            rx.el.a("My relapse-prevention plan", href=RELAPSE_PLAN.route,
                    class_name="secondary-button"),
            class_name="button-row",
            aria_label="Your plans",
        ),
    )


def _overdose_safety() -> rx.Component:
    if not IN_THE_US:
        return rx.fragment()
    return rx.el.section(
        rx.heading("Overdose safety", as_="h2", size="4"),
        rx.text("If someone may have overdosed, call 911 now. If they have taken opioids, "
                "give naloxone (Narcan) if you have it, and stay with them."),
        rx.el.ul(*[rx.el.li(line) for line in AFTER_A_SLIP[1:]], class_name="slip-list"),
        rx.el.div(*[crisis_link(action) for action in (CALL_911, CALL_POISON_CONTROL)],
                  class_name="crisis-actions"),
        class_name="card crisis",
        id="overdose-safety",
    )


def help_page() -> rx.Component:
    return open_shell(
        rx.text("You don't have to go through this alone. These services are free, "
                "private and open day and night.", class_name="lead"),
        nobody_watches(),
        _your_plans(),
        safety_plan_view(),
        rx.el.ul(*[_resource(resource) for resource in CRISIS_RESOURCES],
                 class_name="crisis-list"),
        _overdose_safety(),
        device_copy_marker(),
        title="Get help now",
        public_only=rx.el.a("Back to the app", href="/", class_name="secondary-button"),
    )


def register(app: rx.App) -> None:
    app.add_page(help_page, route="/help", title="Get help now - Skills Practice",
                 on_load=SafetyPlanCopyState.load_device_copy)
