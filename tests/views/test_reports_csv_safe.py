"""The therapist's session summary CSV goes through the app's one formula-safe writer
(`core.csv_safe`): OWASP's payloads in every part a person can type into (the
name, journal notes, homework, group attendance) come back from Python's csv reader
as text with a leading quote."""

from __future__ import annotations

import csv
import io

from skills_app.views import reports
from skills_app.views import therapist as views
from tests.conftest import Account
from tests.core.test_csv_safe import OWASP_PAYLOADS
from tests.sharing_helpers import share


def test_every_part_of_the_session_csv_is_safe_to_open(alice: Account, carol: Account) -> None:
    share(alice, carol, ("mood", "notes"))
    screen = views.detail_screen(alice.identity.user_id, frozenset({"mood", "notes"}),
                                 "").as_dict()
    screen["name"] = OWASP_PAYLOADS[0]
    screen["notes"] = [{"day": "Mon", "text": payload} for payload in OWASP_PAYLOADS]
    screen["homework"] = {"rows": [{
        "what": OWASP_PAYLOADS[1], "when": "-1+1", "progress": "@SUM(1)",
        "days": [{"day": "", "text": OWASP_PAYLOADS[2]}], "skipped": "+skipped",
        "skip_reason": OWASP_PAYLOADS[3], "completions": [OWASP_PAYLOADS[4]],
        "note": OWASP_PAYLOADS[8]}]}
    screen["attendance"] = [{"week": "=1+2", "held": "+1", "present": "-1", "late": "@1",
                             "excused": "\t=1", "absent": "\r=1", "unmarked": "0"}]
    text = reports.session_csv(screen, disclosed=True, report_id="=R-1")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    for payload in OWASP_PAYLOADS:
        assert "'" + payload in cells
    assert {"'=1+2", "'+1", "'-1", "'@1", "'\t=1", "'\r=1", "0", "'=R-1"} <= set(cells)
