"""The one time-zone picker (sign-up, Account, a program's schedule).

A select whose first group is the deployment country's common zones by plain name
("Central Time — Chicago"), then every place by city and country, A to Z (never
"Factory" or "localtime": `core.time_zones`); under it, a search by city that lists
up to 8 matches as buttons (assets/time_zones.js: on the phone, with no server
round trip). On sign-up the phone's own zone is chosen already (assets/app.js,
with the aliases a phone may name it by).
"""

from __future__ import annotations

import json
import unicodedata

import reflex as rx

from skills_app.core import time_zones
from skills_app.core.settings import deployment_country
from skills_app.text import _, formats


def _capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]


def _sort_key(label: str) -> str:
    """A to Z as a reader expects it: "Ámsterdam" beside "Amman", not after "Z"."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", label.casefold())
                   if not unicodedata.combining(ch))


def _options() -> list[rx.Component]:
    common = time_zones.common(deployment_country())
    everywhere = sorted(((formats.zone_city_label(zone.name, zone.country), zone.name)
                         for zone in time_zones.listed()), key=lambda pair: _sort_key(pair[0]))
    return [
        rx.el.optgroup(*[rx.el.option(_capitalised(formats.zone_label(zone)), value=zone)
                         for zone in common],
                       label=_("Common time zones")),
        rx.el.optgroup(*[rx.el.option(label, value=zone) for label, zone in everywhere],
                       label=_("Every place, A to Z")),
    ]


def time_zone_field(field_id: str, *, label: str, error: rx.Component, error_id: str,
                    hint: str = "", placeholder: str = "",
                    default_value: rx.Var | str | None = None,
                    detect: bool = False) -> rx.Component:
    """The picker for the form field `time_zone`: its select is `#<field_id>`, its
    message `error` (the element `#<error_id>`). `placeholder`: a first, empty choice
    (nothing chosen yet: required). `detect`: choose the phone's zone when nothing is
    chosen (sign-up)."""
    described = error_id + (f" {field_id}-hint" if hint else "")
    select_props: dict = {"id": field_id, "name": "time_zone", "class_name": "field-input",
                          "aria_describedby": described}
    if default_value is not None:
        select_props |= {"default_value": default_value, "key": default_value}
    custom: dict[str, str] = {}
    if detect:
        custom = {"data-detect-time-zone": "true",
                  "data-zone-aliases": json.dumps(time_zones.browser_aliases(),
                                                  separators=(",", ":"))}
    search_id = f"{field_id}-search"
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.p(hint, id=f"{field_id}-hint", class_name="field-hint") if hint else rx.fragment(),
        rx.el.select(
            *([rx.el.option(placeholder, value="")] if placeholder else []),
            *_options(),
            required=bool(placeholder),
            custom_attrs=custom,
            **select_props,
        ),
        error,
        rx.el.label(_("Not in the list? Find your city"), html_for=search_id,
                    class_name="field-label zone-search-label"),
        rx.el.input(type="search", id=search_id, class_name="field-input",
                    auto_complete="off", enter_key_hint="search",
                    placeholder=_("For example: Chicago"),
                    custom_attrs={"data-zone-search": field_id,
                                  "data-zone-none": _("No place matches. Try the nearest big "
                                                      "city."),
                                  "data-zone-chosen": _("Chosen: {place}")}),
        rx.el.div(id=f"{field_id}-results", class_name="zone-results", aria_live="polite"),
        class_name="field",
    )
