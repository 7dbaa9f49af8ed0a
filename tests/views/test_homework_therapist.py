"""What the therapist sees of homework: the caseload's "Homework 1 of 2 this week"
(batched for the whole list), "Homework not shared" when a kind's completion is
not shared, nothing without homework; and the session report's Homework part
(page, CSV formula-safe, PDF)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date

from sqlalchemy import event
from sqlalchemy.engine import Engine

from skills_app.core import homework, programs, review, sharing
from skills_app.core.dates import local_today
from skills_app.views import homework_therapist as words
from skills_app.views import reports
from skills_app.views import therapist as views
from tests.conftest import Account, make_account
from tests.sharing_helpers import finished_exercise, share


def today() -> date:
    return local_today("America/Chicago")


def assign(therapist: Account, patient: Account, **fields: object) -> list[int]:
    form = {"idempotency_key": str(uuid.uuid4()), "kind": "exercise", "repeat": "daily",
            "start_day": today().isoformat()} | fields
    ids, problems = homework.assign(therapist.identity.user_id, patient.identity.user_id, form)
    assert ids and not problems, problems
    return ids


def dear_man_today_and_a_daily_diary_card(therapist: Account, patient: Account) -> None:
    """The issue's journey: DEAR MAN on two weekdays (one of them today) and the diary
    card every day, from today."""
    other = (today().weekday() + 2) % 7
    assign(therapist, patient, exercises=["dear-man"], repeat="weekdays",
           weekdays=[today().weekday(), other])
    assign(therapist, patient, kind="diary_card")


def caseload(therapist: Account) -> dict[str, dict]:
    rows = review.caseload_rows([(p, name, categories, local_today(zone))
                                 for p, name, zone, categories
                                 in sharing.caseload(therapist.identity.user_id)])
    return {row["name"]: row for row in views.caseload_rows(rows)}


def test_the_caseload_counts_homework_as_far_as_it_is_shared(
        alice: Account, bob: Account, carol: Account) -> None:
    frank = make_account("frank", "patient")
    share(alice, carol, ("homework",))
    share(bob, carol, ("mood",))
    share(frank, carol, ("exercises",))
    dear_man_today_and_a_daily_diary_card(carol, alice)
    finished_exercise(alice, "dear-man", "America/Chicago")
    assign(carol, bob, exercises=["tip"])  # exercises not shared, nor homework
    rows = caseload(carol)
    assert rows["Alice"]["homework"] == "Homework 1 of 2 this week"
    assert rows["Bob"]["homework"] == "Homework not shared"
    assert rows["Frank"]["homework"] == ""  # nothing assigned
    assign(carol, frank, exercises=["tip"])
    finished_exercise(frank, "tip", "America/Chicago")
    assert caseload(carol)["Frank"]["homework"] == "Homework 1 of 1 this week"
    # Bob's diary card is his mood category's: shared; his exercise still is not.
    assign(carol, bob, kind="diary_card")
    assert caseload(carol)["Bob"]["homework"] == "Homework not shared"


def test_a_week_not_for_the_patient_is_said_without_judgement(
        alice: Account, carol: Account) -> None:
    share(alice, carol, ("homework",))
    first, = assign(carol, alice, exercises=["tip"])
    assign(carol, alice, kind="diary_card")
    assert homework.skip_week(alice.identity.user_id, first, "Busy with my kids") is None
    assert caseload(carol)["Alice"]["homework"] == (
        "Homework 0 of 1 this week (1 not for this week)")
    screen = views.detail_screen(alice.identity.user_id, frozenset({"homework"}), "")
    skipped = screen.homework["rows"][0]
    assert (skipped["skipped"], skipped["skip_reason"]) == ("Not for me this week",
                                                           "Busy with my kids")
    assert "fail" not in repr(screen.homework).lower()


def test_the_caseload_reads_homework_in_the_same_queries_for_any_number_of_patients(
        alice: Account, bob: Account, carol: Account) -> None:
    share(alice, carol, ("homework",))
    dear_man_today_and_a_daily_diary_card(carol, alice)
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        seen.append(statement)

    def homework_queries() -> int:
        seen.clear()
        event.listen(Engine, "before_cursor_execute", count)
        try:
            caseload(carol)
        finally:
            event.remove(Engine, "before_cursor_execute", count)
        return sum(1 for statement in seen if "assignment" in statement)

    one = homework_queries()
    for patient in (bob, make_account("erin", "patient"), make_account("frank", "patient")):
        share(patient, carol, ("homework",))
        dear_man_today_and_a_daily_diary_card(carol, patient)
    assert 0 < one == homework_queries()


def test_the_report_has_a_homework_part_and_its_cells_cannot_run(
        alice: Account, carol: Account) -> None:
    share(alice, carol, ("exercises",))
    assign(carol, alice, exercises=["dear-man"], repeat="weekdays",
           weekdays=[today().weekday()], note="=HYPERLINK(\"x\")")
    finished_exercise(alice, "dear-man", "America/Chicago")
    screen = views.detail_screen(alice.identity.user_id, frozenset({"exercises"}), "").as_dict()
    rows = list(csv.reader(io.StringIO(reports.session_csv(screen, disclosed=True,
                                                           report_id="r-1"))))
    start = rows.index(["Homework"])
    part = rows[start + 1:start + 5]
    assert part[0][0] == "DEAR MAN: ask for what you want"
    assert part[0][2] == "1 of 1 so far this week"
    assert any("distress 6 → 3" in cell for row in part for cell in row)
    assert ["", "Note", "'=HYPERLINK(\"x\")"] in rows[start:]
    pdf = reports.session_pdf(screen, disclosed=True, report_id="r-1")
    assert pdf.startswith(b"%PDF")


def test_completions_of_a_kind_not_shared_are_not_shown(alice: Account, carol: Account) -> None:
    share(alice, carol, ("mood",))
    assign(carol, alice, exercises=["dear-man"], repeat="weekdays",
           weekdays=[today().weekday()])
    finished_exercise(alice, "dear-man", "America/Chicago")
    screen = views.detail_screen(alice.identity.user_id, frozenset({"mood"}), "")
    row = screen.homework["rows"][0]
    assert row["progress"] == "Completions not shared by this patient"
    assert row["completions"] == [] and "✓" not in repr(row)
    assert words.caseload_line(None) == ""


def test_a_therapist_sees_their_own_assignments_and_others_only_as_far_as_shared(
        alice: Account, carol: Account) -> None:
    dave = make_account("dave", "therapist",  # in Carol's program
                        program_id=programs.membership_of(carol.identity.user_id).program_id)
    share(alice, carol, ("mood",))
    share(alice, dave, ("mood",))
    assign(carol, alice, exercises=["tip"], note="Carol's words")
    assign(dave, alice, exercises=["fast"])
    assign(carol, alice, kind="diary_card")  # mood is shared: its completion shows
    mood = frozenset({"mood"})
    for viewer, expected in ((carol, ["TIP: calm your body fast", "Diary card"]),
                             (dave, ["FAST: keep your self-respect", "Diary card"])):
        rows = views.detail_screen(alice.identity.user_id, mood, "",
                                   viewer.identity.user_id).homework["rows"]
        assert sorted(row["what"] for row in rows) == sorted(expected), viewer.name
    assert "Carol's words" not in repr(views.detail_screen(
        alice.identity.user_id, mood, "", dave.identity.user_id).homework)
