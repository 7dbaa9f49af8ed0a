"""How easy Spanish reads: the Fernández Huerta score every Spanish text is held to."""

from __future__ import annotations

import textstat

# Fernández Huerta: 70 or above reads as easy.
EASY_SPANISH = 70
# textstat's own default; set_lang("en") would switch the English grade tests to
# British hyphenation.
TEXTSTAT_DEFAULT = "en_US"


def spanish_ease(words: str) -> float:
    """The Fernández Huerta score of `words`, leaving textstat in its default language."""
    textstat.set_lang("es")
    try:
        return textstat.fernandez_huerta(words)
    finally:
        textstat.set_lang(TEXTSTAT_DEFAULT)
