"""assets/styles.css is one file that several features append to: a lost brace (an
easy slip when two additions meet) fails the production build, so check it here."""

from __future__ import annotations

import re
from pathlib import Path

STYLES = Path(__file__).resolve().parents[1] / "assets" / "styles.css"


def test_every_block_and_comment_is_closed() -> None:
    text = STYLES.read_text(encoding="utf-8")
    assert text.count("/*") == text.count("*/")
    depth = 0
    for line_number, line in enumerate(re.sub(r"/\*.*?\*/", "", text, flags=re.S).splitlines(),
                                       start=1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"a '}}' without its '{{' by line {line_number}"
    assert depth == 0, "a block is not closed"
