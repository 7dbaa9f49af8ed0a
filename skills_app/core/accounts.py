"""A signed-in user's own profile: display name, time zone and language."""

from __future__ import annotations

from dataclasses import dataclass

from skills_app import text
from skills_app.core import db, reminders
from skills_app.core.auth import SIGN_IN_AGAIN, Identity
from skills_app.core.models import User
from skills_app.core.schemas import FieldErrors, ProfileForm, parse_form


@dataclass(frozen=True)
class Profile:
    display_name: str
    email: str
    time_zone: str
    language: str = text.SOURCE.code


def load_profile(identity: Identity) -> Profile | None:
    with db.read() as session:
        user = session.get(User, identity.user_id)
        return (Profile(user.display_name, user.email, user.time_zone, user.language)
                if user else None)


def update_profile(identity: Identity, raw: object) -> tuple[Profile | None, FieldErrors]:
    """Change the caller's own name, time zone and (when sent) language; all or nothing."""
    form, errors = parse_form(ProfileForm, raw)
    if form is None:
        return None, errors
    with db.transaction() as session:
        user = session.get(User, identity.user_id)
        if user is None:
            return None, {"form": SIGN_IN_AGAIN}
        user.display_name = form.display_name
        if form.time_zone != user.time_zone:
            # Reminders follow the patient's wall clock: recomputed in the new zone.
            reminders.forget_cursors(session, user.id)
        user.time_zone = form.time_zone
        if form.language is not None:
            user.language = form.language
        session.add(user)
        return Profile(user.display_name, user.email, user.time_zone, user.language), {}
