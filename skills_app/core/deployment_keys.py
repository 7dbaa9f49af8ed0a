"""Secrets a deployment makes on first start and keeps with its data (`deployment_key`).

The Web Push key pair (`core/push.py`) and the email links' secret
(`core/reminder_email.py`) live here: never in the repository, the same for every
worker. Workers starting together agree on one value: each inserts with
ON CONFLICT DO NOTHING, and all read back whichever insert won.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from skills_app.core import db
from skills_app.core.clock import utcnow
from skills_app.core.models import DeploymentKey


def _stored(name: str) -> str | None:
    with db.read() as session:
        return session.execute(select(DeploymentKey.value).where(
            DeploymentKey.name == name)).scalar_one_or_none()


def get_or_make(name: str, make: Callable[[], str]) -> str:
    """The stored secret called `name`, made with `make()` on the first call."""
    value = _stored(name)
    if value is None:
        with db.transaction() as session:
            session.execute(db.upsert(session, DeploymentKey)
                            .values(name=name, value=make(), created_at=utcnow())
                            .on_conflict_do_nothing(index_elements=["name"]))
        value = _stored(name)
        assert value is not None
    return value
