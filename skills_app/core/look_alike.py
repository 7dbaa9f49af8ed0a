"""Patients whose display names look alike, told apart in a therapist's views.

Display names are not unique, and two patients of one therapist can be called the
same ("Sam Lee" and "sam  lee", or a "Sаm Lee" with a Cyrillic a): the therapist
must not read one for the other. A name that matches another's by
`schemas.look_alike_key` among the patients the therapist sees together (their
caseload, or a group's roster with it) gets the day the account was made beside it
("joined Oct 3"), and a number by account age when look-alikes joined the same day.
Nothing the therapist cannot already see about the patient is added: no email, no
initials of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from skills_app.core import db
from skills_app.core.clock import utcnow
from skills_app.core.models import ShareGrant, User
from skills_app.core.schemas import look_alike_key


@dataclass(frozen=True)
class TellApart:
    """What goes beside a look-alike name: the account's join day (UTC), and its
    place among look-alikes that joined that same day (0 when the day is enough)."""

    joined: date
    number: int = 0


def caseload_ids(session: db.Session, therapist_id: int) -> set[int]:
    """The patients sharing with this therapist now (read only: nothing audited)."""
    now = utcnow()
    return set(session.exec(select(ShareGrant.patient_id).where(
        ShareGrant.therapist_id == therapist_id, col(ShareGrant.revoked_at).is_(None),
        ShareGrant.expires_at > now)).all())


def tell_apart(session: db.Session, shown: Iterable[int], among: Iterable[int] = ()
               ) -> dict[int, TellApart]:
    """For each patient in `shown` whose name looks like another's in `shown` or
    `among`, what tells them apart; the others are left out."""
    shown = set(shown)
    ids = shown | set(among)
    if not shown:  # one query whatever the number of patients (none for nobody)
        return {}
    rows = session.exec(select(User.id, User.display_name, User.created_at).where(
        col(User.id).in_(ids))).all()
    groups: dict[str, list[tuple[int, date]]] = defaultdict(list)
    for user_id, name, created in rows:
        groups[look_alike_key(name)].append((user_id, created.date()))
    found: dict[int, TellApart] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        days: dict[date, list[int]] = defaultdict(list)
        for user_id, joined in sorted(members, key=lambda m: m[0]):
            days[joined].append(user_id)
        for joined, same_day in days.items():
            for place, user_id in enumerate(same_day, start=1):
                if user_id in shown:
                    found[user_id] = TellApart(joined, place if len(same_day) > 1 else 0)
    return found


def for_therapist(therapist_id: int, shown: Iterable[int]) -> dict[int, TellApart]:
    """`tell_apart` of these patients among the therapist's caseload."""
    with db.read() as session:
        return tell_apart(session, shown, caseload_ids(session, therapist_id))
