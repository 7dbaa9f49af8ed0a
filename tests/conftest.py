"""Shared fixtures: a fresh migrated database per test and three named users.

alice and bob are patients, carol is a therapist, so permission tests read
like sentences: "alice cannot read bob's entry".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from skills_app.core import auth, db

PASSWORDS = {
    "alice": "correct horse battery staple",
    "bob": "lanterns drift over quiet harbours",
    "carol": "seven orange kites above the meadow",
}


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'test.db'}"
    engine = db.make_engine(url)
    db.use_engine(engine)
    db.migrate(url)
    try:
        yield url
    finally:
        db.use_engine(None)
        engine.dispose()


@dataclass
class Account:
    name: str
    email: str
    password: str
    token: str
    identity: auth.Identity


def make_account(name: str, role: str, time_zone: str = "America/Chicago") -> Account:
    email = f"{name}@example.org"
    result = auth.sign_up({"display_name": name.title(), "email": email,
                           "password": PASSWORDS[name], "role": role, "time_zone": time_zone})
    assert result.ok, result.errors
    return Account(name, email, PASSWORDS[name], result.token, result.identity)


@pytest.fixture
def alice(database: str) -> Account:
    return make_account("alice", "patient")


@pytest.fixture
def bob(database: str) -> Account:
    return make_account("bob", "patient")


@pytest.fixture
def carol(database: str) -> Account:
    return make_account("carol", "therapist")
