"""Headings and text as plain HTML elements, sized by assets/tokens.css.

The app drew these two with Radix Themes' `rx.heading` and `rx.text`, and for
them loaded the whole Radix Themes library on every page (about 750 KB of CSS
and 400 KB of JavaScript before compression). These give the same elements the
same sizes with a class each. A Radix Themes component would bring the library
back: tests/browser/test_page_weight.py keeps every screen's weight in check.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

LEVELS = {"h1": rx.el.h1, "h2": rx.el.h2, "h3": rx.el.h3, "h4": rx.el.h4}
SIZES = ("3", "4", "5", "6", "7")


def heading(*children: Any, as_: str = "h2", size: str = "5", class_name: str = "",
            **props: Any) -> rx.Component:
    """A heading of level `as_` ("h1"-"h4") drawn at `size` ("3"-"7", Radix's scale)."""
    if size not in SIZES:  # a size tokens.css does not draw
        raise ValueError(size)
    classes = " ".join(filter(None, ("heading", f"heading-{size}", class_name)))
    return LEVELS[as_](*children, class_name=classes, **props)


def text(*children: Any, class_name: str = "", **props: Any) -> rx.Component:
    """A paragraph of body text."""
    return rx.el.p(*children, class_name=" ".join(filter(None, ("text", class_name))), **props)
