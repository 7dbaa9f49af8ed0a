"""Patients whose display names look alike are told apart in the therapist's views
(`core.look_alike`, `schemas.look_alike_key`): the caseload row, the detail page and
the session summary, and the group's attendance list get "(joined <day>)" beside
a name that matches another patient's of the same therapist; nothing for other
names, nothing in the patient's own summary."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from skills_app.core import attendance, db, look_alike, review, sharing
from skills_app.core.clock import frozen_clock
from skills_app.core.dates import local_today
from skills_app.core.models import User
from skills_app.core.schemas import look_alike_key
from skills_app.views import attendance as attendance_views
from skills_app.views import reports
from skills_app.views import therapist as views
from tests.conftest import Account, make_account
from tests.core.test_attendance import NOW, WED, Program, uid
from tests.sharing_helpers import share


@pytest.mark.parametrize("other", [
    "Sam Lee", "sam lee", "SAM  LEE", " Sam\tLee ", "Ｓａｍ Ｌｅｅ", "Sám Lée", "Sam Le\u0301e",
    "S\u0430m L\u0435e",  # Cyrillic a and e
    "ſam Lee",
])
def test_look_alike_names_share_a_key(other: str) -> None:
    assert look_alike_key(other) == look_alike_key("Sam Lee")


@pytest.mark.parametrize("other", ["Sam Leo", "Sam", "Pam Lee", "Sam Lee Jr"])
def test_different_names_do_not(other: str) -> None:
    assert look_alike_key(other) != look_alike_key("Sam Lee")


def rename(account: Account, name: str, joined: datetime | None = None) -> None:
    with db.transaction() as session:
        user = session.exec(select(User).where(User.id == account.identity.user_id)).one()
        user.display_name = name
        if joined is not None:
            user.created_at = joined


OCT_3 = datetime(2026, 10, 3, 15, 0, tzinfo=UTC)
NOV_9 = datetime(2026, 11, 9, 15, 0, tzinfo=UTC)


def caseload_names(therapist: Account) -> list[str]:
    rows = review.caseload_rows([(pid, name, cats, local_today(zone))
                                 for pid, name, zone, cats in sharing.caseload(
                                     therapist.identity.user_id)])
    return sorted(row["name"] for row in views.caseload_rows(rows))


def test_the_caseload_detail_and_report_tell_look_alikes_apart(
        alice: Account, bob: Account, carol: Account) -> None:
    erin = make_account("erin", "patient")
    for patient in (alice, bob, erin):
        share(patient, carol, ("mood",))
    rename(alice, "Sam Lee", OCT_3)
    rename(bob, "sam  LEE", NOV_9)
    rename(erin, "Erin Diaz")
    assert caseload_names(carol) == ["Erin Diaz", "Sam Lee (joined Oct 3, 2026)",
                                     "sam  LEE (joined Nov 9, 2026)"]

    screen = views.detail_screen(bob.identity.user_id, frozenset({"mood"}), "",
                                 carol.identity.user_id).as_dict()
    assert screen["name"] == "sam  LEE (joined Nov 9, 2026)"
    rows = list(csv.reader(io.StringIO(reports.session_csv(screen, disclosed=True,
                                                           report_id="r"))))
    assert rows[0][1] == "sam  LEE (joined Nov 9, 2026)"
    assert reports.session_pdf(screen, disclosed=True, report_id="r").startswith(b"%PDF")
    # Erin's name matches nobody's; the patient's own summary never compares.
    assert views.detail_screen(erin.identity.user_id, frozenset({"mood"}), "",
                               carol.identity.user_id).name == "Erin Diaz"
    assert views.detail_screen(bob.identity.user_id, frozenset({"mood"}), "").name == \
        "sam  LEE"


def test_another_therapists_patient_is_not_compared(alice: Account, bob: Account,
                                                    carol: Account) -> None:
    dave = make_account("dave", "therapist")
    share(alice, carol, ("mood",))
    share(bob, dave, ("mood",))
    rename(alice, "Sam Lee")
    rename(bob, "Sam Lee")
    assert caseload_names(carol) == ["Sam Lee"]
    assert look_alike.for_therapist(carol.identity.user_id, [alice.identity.user_id]) == {}


def test_look_alikes_who_joined_the_same_day_get_a_number(alice: Account, bob: Account,
                                                          carol: Account) -> None:
    share(alice, carol, ("mood",))
    share(bob, carol, ("mood",))
    rename(alice, "Sam Lee", OCT_3)
    rename(bob, "Sam Lee", OCT_3.replace(hour=20))
    assert caseload_names(carol) == ["Sam Lee (joined Oct 3, 2026, no. 1)",
                                     "Sam Lee (joined Oct 3, 2026, no. 2)"]
    found = look_alike.for_therapist(carol.identity.user_id, [bob.identity.user_id])
    assert found == {bob.identity.user_id: look_alike.TellApart(OCT_3.date(), 2)}


@pytest.fixture
def world(database: str) -> Iterator[Program]:
    """The attendance tests' program: Alice, Bob and Erin on the morning track."""
    with frozen_clock(NOW):
        yield Program()


def test_the_attendance_list_tells_look_alikes_apart(world: Program) -> None:
    rename(world.alice, "Sam Lee", OCT_3)
    rename(world.bob, "Sam Lee", NOV_9)
    found, problem = attendance.roster(uid(world.therapist), world.morning, WED.isoformat())
    assert problem is None
    assert [attendance_views.line_row(i, line)["name"] for i, line in enumerate(found.lines)
            ] == ["Erin", "Sam Lee (joined Oct 3, 2026)", "Sam Lee (joined Nov 9, 2026)"]
