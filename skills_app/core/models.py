"""Database tables.

SQLModel tables do not validate on construction: everything that comes from
a user is validated by the non-table schemas in `core/schemas.py` first.
Times are stored as UTC; `UTCDateTime` gives them back timezone-aware on every
database (SQLite drops the offset).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from skills_app.core.clock import ensure_utc, utcnow


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on the way in and out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:  # noqa: ANN001
        if value is None:
            return None
        value = ensure_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:  # noqa: ANN001
        return None if value is None else ensure_utc(value)


def _utc_column(*, nullable: bool = False, index: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Role(StrEnum):
    PATIENT = "patient"
    THERAPIST = "therapist"


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(254), unique=True, index=True, nullable=False))
    display_name: str = Field(sa_column=Column(String(80), nullable=False))
    role: str = Field(sa_column=Column(String(16), nullable=False))
    password_hash: str = Field(sa_column=Column(String(255), nullable=False))
    time_zone: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class AuthSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of its token is stored."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, index=True, nullable=False))
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    last_seen_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class LoginThrottle(SQLModel, table=True):
    """Consecutive failed sign-ins per email address, known or not.

    Keyed by the typed email rather than the account, so an unknown email is
    throttled exactly like a real one and the lock gives nothing away.
    """

    __tablename__ = "login_throttle"

    email: str = Field(sa_column=Column(String(254), primary_key=True))
    failures: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    locked_until: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class LoginFailure(SQLModel, table=True):
    """One failed sign-in from a network address, for the per-address cap."""

    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    address: str = Field(sa_column=Column(String(64), index=True, nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_column=_utc_column(index=True))
