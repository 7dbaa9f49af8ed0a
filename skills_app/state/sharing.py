"""The patient's side of sharing: connect with a code, pick categories, read and
sign the consent, change or stop a sharing, and "Who has seen my data".

Thin: every handler resolves the patient from the session and calls
`core.sharing` off the event loop. Which code, therapist, grant and consent
hash the screen is about stay in backend vars; a browser can only send the
code it typed, the boxes it ticked and the name it typed.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from skills_app import text
from skills_app.core import audit, sharing
from skills_app.core.auth import Identity
from skills_app.core.models import Role
from skills_app.core.problems import Problem
from skills_app.state.session import SessionState
from skills_app.text import _
from skills_app.text.problems import say, say_all
from skills_app.views import sharing as views


def _picked(form_data: object) -> list[str] | object:
    """Ticked boxes as category keys; anything odd is passed on for core to refuse."""
    if not isinstance(form_data, dict):
        return form_data
    picked = [key.removeprefix("share_") for key, value in form_data.items()
              if isinstance(key, str) and key.startswith("share_") and value not in ("", None)]
    return picked


class SharingState(SessionState):
    step: str = "list"  # list | choose | consent
    grants: list[dict[str, Any]] = []
    loaded: bool = False
    therapist_name: str = ""
    program_name: str = ""
    choices: list[dict[str, Any]] = []
    consent_lines: list[str] = []
    errors: dict[str, str] = {}
    message: str = ""
    confirm_revoke_id: int = 0
    confirm_revoke_named: str = ""
    _code: str = ""
    _grant_id: int = 0
    _therapist_id: int = 0
    _program_id: int = 0
    _categories: list[str] = []
    _consent_sha: str = ""

    def _to_list(self, grants: list[sharing.GrantRow]) -> None:
        self.grants = views.grant_rows(grants)
        self.step, self.loaded = "list", True
        self.therapist_name = self.program_name = ""
        self.choices, self.consent_lines, self.errors = [], [], {}
        self._code, self._grant_id, self._therapist_id, self._program_id = "", 0, 0, 0
        self._categories, self._consent_sha = [], ""

    @rx.event
    async def load_sharing(self) -> rx.event.EventSpec | None:
        identity = await self._identity()
        refusal = await self._admit(identity, Role.PATIENT)
        if refusal is not None:
            return refusal
        _, grants = await self._as_user(Role.PATIENT, _grants)
        self._to_list(grants or [])
        self.message, self.confirm_revoke_id, self.confirm_revoke_named = "", 0, ""
        code = self.router.url.query_parameters.get("code", "")
        if code:
            return SharingState.enter_code({"code": code})
        return None

    @rx.event
    async def enter_code(self, form_data: dict) -> rx.event.EventSpec | None:
        raw = form_data.get("code") if isinstance(form_data, dict) else None
        identity, found = await self._as_user(Role.PATIENT, _look_up, raw)
        if identity is None:
            return await self._send_to_sign_in()
        owner, problem = found
        self.message = ""
        if owner is None:
            self.errors = {"code": say(problem)}
            return None
        self._code = sharing.normalise_code(raw) or ""
        self._grant_id = 0
        self._choose(owner.therapist_name, owner.program_name, owner.therapist_user_id,
                     owner.program_id, [])  # nothing ticked: each category is a choice
        return None

    def _choose(self, therapist_name: str, program_name: str, therapist_id: int,
                program_id: int, ticked: list[str]) -> None:
        self.therapist_name, self.program_name = therapist_name, program_name
        self._therapist_id, self._program_id = therapist_id, program_id
        self.choices = views.category_choices(ticked)
        self.errors, self.step = {}, "choose"

    @rx.event
    async def start_change(self, grant_id: int) -> rx.event.EventSpec | None:
        identity, grants = await self._as_user(Role.PATIENT, _grants)
        if identity is None:
            return await self._send_to_sign_in()
        grant = next((g for g in grants if isinstance(grant_id, int)
                      and not isinstance(grant_id, bool) and g.grant_id == grant_id), None)
        if grant is None:
            self._to_list(grants)
            self.message = say(sharing.GRANT_NOT_FOUND)
            return None
        self._code, self._grant_id = "", grant.grant_id
        self._choose(grant.therapist_name, grant.program_name, grant.therapist_id,
                     grant.program_id, list(grant.categories))
        return None

    @rx.event
    async def review_consent(self, form_data: dict) -> rx.event.EventSpec | None:
        if await self._identity(Role.PATIENT) is None:
            return await self._send_to_sign_in()
        if self.step != "choose" or not self._therapist_id:
            return None
        picked = sharing.parse_categories(_picked(form_data))
        if picked is None:
            self.errors = {"categories": say(sharing.UNKNOWN_CATEGORY)}
            return None
        if not picked:
            self.errors = {"categories": say(sharing.NO_CATEGORIES)}
            return None
        identity, draft = await self._as_user(Role.PATIENT, _draft, self._therapist_id,
                                              self._program_id, picked, text.current())
        if identity is None:
            return await self._send_to_sign_in()
        if draft is None:
            self.errors = {"form": say(sharing.THERAPIST_INACTIVE)}
            return None
        self._categories, self._consent_sha = list(picked), draft.sha256
        self.consent_lines = draft.text.split("\n\n")
        self.errors, self.step = {}, "consent"
        return None

    @rx.event
    def back_to_choices(self) -> None:
        if self.step == "consent":
            self.choices = views.category_choices(self._categories)
            self.step, self.errors = "choose", {}

    @rx.event
    async def sign(self, form_data: dict) -> rx.event.EventSpec | None:
        if self.step != "consent" or not (self._code or self._grant_id):
            return await self._send_to_sign_in() if await self._identity(
                Role.PATIENT) is None else None
        signature = form_data.get("signature") if isinstance(form_data, dict) else None
        identity, result = await self._as_user(
            Role.PATIENT, _sign, self._code, self._grant_id, list(self._categories),
            signature, self._consent_sha, text.current())
        if identity is None:
            return await self._send_to_sign_in()
        signed, grants = result
        if not signed.ok:
            errors = say_all(signed.errors)
            self.errors = errors
            if "code" in errors or "categories" in errors:
                self._to_list(grants)
                self.message = next(iter(errors.values()))
            return None
        named = self.therapist_name
        self._to_list(grants)
        self.message = _("Signed. You now share with {name}.", name=named)
        return None

    @rx.event
    def cancel(self) -> None:
        self.step, self.errors = "list", {}
        self._code, self._grant_id, self._consent_sha = "", 0, ""

    @rx.event
    def ask_revoke(self, grant_id: int) -> None:
        shown = next((g for g in self.grants if isinstance(grant_id, int)
                      and not isinstance(grant_id, bool) and g["id"] == grant_id), None)
        self.confirm_revoke_id = shown["id"] if shown else 0
        self.confirm_revoke_named = shown["therapist"] if shown else ""

    @rx.event
    def cancel_revoke(self) -> None:
        self.confirm_revoke_id, self.confirm_revoke_named = 0, ""

    @rx.event
    async def revoke(self) -> rx.event.EventSpec | None:
        grant_id, named = self.confirm_revoke_id, self.confirm_revoke_named
        self.confirm_revoke_id, self.confirm_revoke_named = 0, ""
        if not grant_id:
            return await self._send_to_sign_in() if await self._identity(
                Role.PATIENT) is None else None
        identity, result = await self._as_user(Role.PATIENT, _revoke, grant_id)
        if identity is None:
            return await self._send_to_sign_in()
        problem, grants = result
        self._to_list(grants)
        self.message = say(problem) if problem else _("You stopped sharing with {name}.",
                                                      name=named)
        return None


def _grants(identity: Identity) -> list[sharing.GrantRow]:
    return sharing.grants_of_patient(identity.user_id)


def _look_up(identity: Identity,
             raw: object) -> tuple[sharing.CodeOwner | None, Problem | None]:
    return sharing.look_up_code(identity.user_id, raw)


def _draft(identity: Identity, therapist_id: int, program_id: int,
           picked: tuple[str, ...], language: str) -> sharing.ConsentDraft | None:
    return sharing.draft_consent(identity.user_id, therapist_id, program_id, picked, language)


def _sign(identity: Identity, code: str, grant_id: int, categories: list[str],
          signature: object, shown_sha: str, language: str) -> tuple[sharing.SignResult,
                                                                     list[sharing.GrantRow]]:
    if grant_id:
        result = sharing.change_grant(identity.user_id, grant_id, categories, signature,
                                      shown_sha, language)
    else:
        result = sharing.sign_with_code(identity.user_id, code, categories, signature,
                                        shown_sha, language)
    return result, sharing.grants_of_patient(identity.user_id)


def _revoke(identity: Identity,
            grant_id: int) -> tuple[Problem | None, list[sharing.GrantRow]]:
    return sharing.revoke(identity.user_id, grant_id), sharing.grants_of_patient(
        identity.user_id)


def _page(identity: Identity, disclosures: bool,
          before: tuple[Any, int] | None) -> audit.Page:
    return audit.trail_page(identity.user_id, disclosures=disclosures, before=before)


class WhoHasSeenState(SessionState):
    """ "Who has seen my data": disclosures (downloads, prints) first, then every other
    look, each grouped by person and day, one page (audit.PAGE_ROWS rows) at a time."""

    disclosures: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    more_disclosures: bool = False
    more_lines: bool = False
    loaded: bool = False
    # The facts shown so far and where each list's next page starts (server only).
    _shown: dict[str, list[Any]] = {}
    _before: dict[str, Any] = {}

    async def _more(self, disclosures: bool, first: bool) -> bool:
        kind = "disclosures" if disclosures else "lines"
        before = None if first else self._before.get(kind)
        if not first and before is None:
            return True
        identity, page = await self._as_user(Role.PATIENT, _page, disclosures, before)
        if identity is None:
            return False
        shown = ([] if first else list(self._shown.get(kind, []))) + list(page.lines)
        self._shown = {**self._shown, kind: shown}
        self._before = {**self._before, kind: page.next_before}
        rows = views.log_groups(shown, identity.time_zone)
        if disclosures:
            self.disclosures, self.more_disclosures = rows, page.next_before is not None
        else:
            self.lines, self.more_lines = rows, page.next_before is not None
        return True

    @rx.event
    async def load_log(self) -> rx.event.EventSpec | None:
        identity = await self._identity()
        refusal = await self._admit(identity, Role.PATIENT)
        if refusal is not None:
            return refusal
        if not (await self._more(True, first=True) and await self._more(False, first=True)):
            return await self._send_to_sign_in()
        self.loaded = True
        return None

    @rx.event
    async def earlier_disclosures(self) -> rx.event.EventSpec | None:
        if not await self._more(True, first=False):
            return await self._send_to_sign_in()
        return None

    @rx.event
    async def earlier_lines(self) -> rx.event.EventSpec | None:
        if not await self._more(False, first=False):
            return await self._send_to_sign_in()
        return None
