"""Drafts a phone keeps (assets/app.js): whose they are, and which of them the
phone may send by plain HTTP when it is back online (the one queue of what was
made offline: `views/outbox.py`, `POST /auth/outbox`)."""

from __future__ import annotations

import hashlib
import re

# A draft's name, as the page gives it (data-draft), for each kind of save the
# queue can send without the form's page open. Edits of a stored entry and the
# plans carry a version and may meet a conflict: only their own page sends them.
QUEUED_NAMES = {
    "checkin": re.compile(r"checkin"),
    "diary": re.compile(r"diary-new"),
    "practice": re.compile(r"practice-[a-z0-9-]{1,64}"),
    "measure": re.compile(r"measure-[a-z0-9]{1,32}"),
    # A finished mindfulness session from assets/timer.js's outbox.
    "mindful": re.compile(r"mindful"),
}


def draft_owner(user_id: int) -> str:
    """A stable, non-secret namespace for this user's drafts on a shared phone."""
    return hashlib.sha256(f"skills-draft:{user_id}".encode()).hexdigest()[:16]


def queued_kind(name: object) -> str | None:
    """Which kind of save a queued draft's name is ("checkin", "practice"...), or None."""
    if not isinstance(name, str):
        return None
    return next((kind for kind, pattern in QUEUED_NAMES.items() if pattern.fullmatch(name)),
                None)
