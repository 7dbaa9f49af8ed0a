"""Get help now: crisis resources, open to everyone, signed in or not.

The resources and the overdose and withdrawal safety section
(content/overdose.py, the same text as the offline page) are static in the
page, so they show before it connects and offline; a signed-in patient gets
the app's tabs around them (`open_shell`), links to their safety and
relapse-prevention plans, and, when this phone keeps a copy of their safety
plan, the plan itself (drawn by assets/safety.js from localStorage, so it
shows offline too, from the cached page). A patient the server says has no
safety plan is offered its two-minute guided start instead; the cached page
never says so (it knows nobody): offline it shows only the copy this phone keeps.

The page is built once per language (/help/, /es/help/). Before sign-in it
follows the browser's language: someone not signed in whose browser asks for
Spanish first is moved from /help/ to /es/help/ (`load_help_page`); a signed-in
patient gets the help page in their account's language.
"""

from __future__ import annotations

import reflex as rx

from skills_app import text
from skills_app.components import typography as ty
from skills_app.components.layout import open_shell
from skills_app.components.risk import crisis_link, nobody_watches
from skills_app.content.crisis import CRISIS_RESOURCES, CrisisResource
from skills_app.content.overdose import OVERDOSE_SAFETY, SECTION_ID, TITLE, Part
from skills_app.core.models import Role
from skills_app.core.plans import NO_PLAN_YET, RELAPSE_PLAN, SAFETY_PLAN
from skills_app.pages import localized
from skills_app.pages.plans import device_copy_marker, safety_plan_view
from skills_app.state.plans import SafetyPlanCopyState
from skills_app.state.session import SessionState
from skills_app.text import N_, _


def _resource(resource: CrisisResource) -> rx.Component:
    return rx.el.li(
        ty.heading(_(resource.name), as_="h2", size="4"),
        rx.el.p(_("Treatment referral, not a crisis line"), class_name="referral-label")
        if resource.referral_only else rx.fragment(),
        ty.text(_(resource.description)),
        rx.el.ul(*[rx.el.li(_(option)) for option in resource.options],
                 class_name="crisis-options")
        if resource.options else rx.fragment(),
        rx.el.div(*[crisis_link(action) for action in resource.actions],
                  class_name="crisis-actions"),
        class_name="card crisis" + (" referral" if resource.referral_only else ""),
    )


def _your_plans() -> rx.Component:
    # "none" comes only from the server, for the signed-in patient: never from the cache.
    no_plan = SafetyPlanCopyState.copy == "none"
    return rx.cond(
        SessionState.role == Role.PATIENT.value,
        rx.el.nav(
            rx.cond(
                no_plan,
                rx.el.a(_(NO_PLAN_YET), href=text.href(SAFETY_PLAN.route),
                        class_name="primary-button make-plan-button", id="help-make-plan"),
                rx.el.a(_(SAFETY_PLAN.title), href=text.href(SAFETY_PLAN.route),
                        class_name="primary-button", id="help-safety-plan-link"),
            ),
            rx.el.a(_(RELAPSE_PLAN.title), href=text.href(RELAPSE_PLAN.route),
                    class_name="secondary-button"),
            class_name="button-row",
            aria_label=_("Your plans"),
        ),
    )


def _overdose_part(part: Part) -> rx.Component:
    points = [rx.el.li(_(point)) for point in part.points]
    return rx.el.section(
        ty.heading(_(part.heading), as_="h3", size="3"),
        ty.text(_(part.lead)) if part.lead else rx.fragment(),
        (rx.el.ol(*points, class_name="overdose-steps") if part.steps
         else rx.el.ul(*points, class_name="slip-list")) if points else rx.fragment(),
        ty.text(_(part.after), class_name="overdose-after") if part.after else rx.fragment(),
        class_name="overdose-part stack-tight",
        custom_attrs={"data-overdose-part": part.key},
    )


def _overdose_safety() -> rx.Component:
    return rx.el.section(
        ty.heading(_(TITLE), as_="h2", size="5", id=f"{SECTION_ID}-heading"),
        rx.el.p(rx.el.strong(_(OVERDOSE_SAFETY.lead)), class_name="risk-lead"),
        rx.el.div(*[crisis_link(action) for action in OVERDOSE_SAFETY.actions],
                  class_name="crisis-actions") if OVERDOSE_SAFETY.actions else rx.fragment(),
        *[_overdose_part(part) for part in OVERDOSE_SAFETY.parts],
        class_name="card crisis overdose-safety",
        id=SECTION_ID,
        aria_labelledby=f"{SECTION_ID}-heading",
    )


def help_page() -> rx.Component:
    return open_shell(
        ty.text(_("You don't have to go through this alone. These services are free, "
                  "private and open day and night."), class_name="lead"),
        nobody_watches(),
        _your_plans(),
        safety_plan_view(),
        rx.el.ul(*[_resource(resource) for resource in CRISIS_RESOURCES],
                 class_name="crisis-list"),
        _overdose_safety(),
        device_copy_marker(),
        title=_("Get help now"),
        public_only=rx.el.a(_("Back to the app"), href=text.href("/"),
                            class_name="secondary-button"),
    )


def register(app: rx.App) -> None:
    localized.add_page(app, help_page, "/help", title=N_("Get help now"),
                       on_load=SafetyPlanCopyState.load_help_page)
