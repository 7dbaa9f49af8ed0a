"""The time zones a person picks from (core/time_zones.py) and their words
(text/formats.py): places from the tz database's list, common ones first."""

from __future__ import annotations

from zoneinfo import available_timezones

import pytest

from skills_app import text
from skills_app.core import time_zones
from skills_app.core.schemas import check_time_zone
from skills_app.text import formats


def test_the_list_is_places_not_the_raw_names() -> None:
    names = [zone.name for zone in time_zones.listed()]
    assert len(names) == len(set(names)) and 400 < len(names) < 450  # not ~600
    for raw in ("Factory", "localtime", "posixrules", "US/Central", "Etc/GMT+5",
                "Asia/Calcutta", "SystemV/CST6"):
        assert raw not in names
    assert {"America/Chicago", "Asia/Kolkata", "Europe/Madrid", "UTC"} <= set(names)
    # Every place is a zone the app stores.
    assert all(check_time_zone(name) == name for name in names)
    assert set(names) <= available_timezones()


@pytest.mark.parametrize(("stored", "shown"), [
    ("America/Chicago", "America/Chicago"), ("US/Central", "America/Chicago"),
    ("Asia/Calcutta", "Asia/Kolkata"), ("Europe/Kiev", "Europe/Kyiv"),
    ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ("Factory", "Factory"),  # no place: it stays what it was
])
def test_an_alias_stored_before_reads_as_its_place(stored: str, shown: str) -> None:
    assert time_zones.listed_for(stored) == shown


def test_a_phone_naming_its_zone_by_an_alias_is_matched() -> None:
    aliases = time_zones.browser_aliases()
    assert aliases["Asia/Calcutta"] == "Asia/Kolkata"
    assert aliases["Asia/Saigon"] == "Asia/Ho_Chi_Minh"
    assert "US/Central" not in aliases  # not a place a phone names
    listed = {zone.name for zone in time_zones.listed()}
    assert set(aliases.values()) <= listed


def test_common_zones_come_from_the_deployments_country() -> None:
    us = time_zones.common("US")
    assert us[:2] == ("America/New_York", "America/Chicago") and len(us) == 8
    mexico = time_zones.common("MX")
    assert mexico[0] == "America/Mexico_City" and len(mexico) <= time_zones.COMMON_MAX
    by_name = {zone.name: zone.country for zone in time_zones.listed()}
    assert all(by_name[name] == "MX" for name in mexico)
    assert time_zones.common("ES") == ("Europe/Madrid", "Africa/Ceuta", "Atlantic/Canary")


def test_zones_are_said_by_plain_name_and_city_in_the_readers_language() -> None:
    assert formats.zone_label("America/Chicago") == "Central Time — Chicago"
    assert formats.zone_label("America/Phoenix") == "Mountain Time — Phoenix"
    assert formats.zone_city_label("Africa/Abidjan", "CI") == "Abidjan, Côte d’Ivoire"
    assert formats.zone_city_label("America/Indiana/Knox", "US") == (
        "Knox, Indiana, United States")
    assert formats.zone_city_label("UTC", "") == "UTC"
    with text.language("es"):
        assert formats.zone_label("America/New_York") == "hora oriental — Nueva York"
        assert formats.zone_city_label("Africa/Abidjan", "CI") == "Abiyán, Costa de Marfil"
