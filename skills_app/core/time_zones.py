"""The time zones a person picks from: places, not the raw list.

Python knows ~600 zone names, starting at Africa/Abidjan and including "Factory",
"localtime", "posixrules" and old aliases ("US/Central", "Asia/Calcutta"). A person
picks from the tz database's own list of places instead (its `zone.tab`: one row per
country and zone, with the country it is in) plus UTC, with a few common zones of
the deployment's country first (`common`). Every name Python knows is still
accepted when stored (`schemas.check_time_zone`): an alias stored before this list
existed reads as the listed zone it stands for (`listed_for`), and a phone that
names its zone by an alias (Chromium says "Asia/Calcutta" for Asia/Kolkata) is
matched by `browser_aliases`.

The words (a zone's plain name and city, in the reader's language) are the text
layer's: `text.formats.zone_label` and `zone_city_label`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

UTC = "UTC"
# The zones most people of a country live in, first in the list, by how many do. A
# country not here gets its own zones from the list (`common`), up to COMMON_MAX.
COMMON = {
    "US": ("America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
           "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu",
           "America/Puerto_Rico"),
}
COMMON_MAX = 8


@dataclass(frozen=True)
class Zone:
    """A zone a person can pick: its name and the country it is in ("" for UTC)."""

    name: str
    country: str


def _tzdata(name: str) -> str:
    return (files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")


@cache
def listed() -> tuple[Zone, ...]:
    """Every place in the tz database's zone.tab (a zone in two countries once, under
    the first), then UTC."""
    seen: dict[str, Zone] = {}
    for line in _tzdata("zone.tab").splitlines():
        if not line or line.startswith("#"):
            continue
        country, _coordinates, name, *_ = line.split("\t")
        seen.setdefault(name, Zone(name, country))
    return (*seen.values(), Zone(UTC, ""))


@cache
def _listed_names() -> frozenset[str]:
    return frozenset(zone.name for zone in listed())


@cache
def _links() -> dict[str, str]:
    """Each alias the tz database keeps (its "L target alias" lines) and the listed
    zone it stands for."""
    target_of: dict[str, str] = {}
    for line in _tzdata("tzdata.zi").splitlines():
        if line.startswith("L "):
            _l, target, alias = line.split()
            target_of[alias] = target
    found: dict[str, str] = {}
    for alias in target_of:
        name = alias
        for _ in range(5):  # a link to a link
            name = target_of.get(name, name)
        if name in _listed_names():
            found[alias] = name
    return found


def listed_for(zone: str) -> str:
    """The listed zone a stored zone reads as: itself, the zone its alias stands for,
    or itself when it is neither (it is still a zone: it stays as it was)."""
    if zone in _listed_names():
        return zone
    return _links().get(zone, zone)


@cache
def browser_aliases() -> dict[str, str]:
    """Aliases of places a phone may name its zone by ("Area/Location" names in the
    areas of the listed places: not Etc/, US/, SystemV/ ...), and the listed zone each
    is."""
    areas = {zone.name.split("/")[0] for zone in listed() if "/" in zone.name}
    return {alias: name for alias, name in _links().items() if alias.split("/")[0] in areas}


def common(country: str) -> tuple[str, ...]:
    """The zones shown first for a deployment in `country` (ISO 3166 code)."""
    if country in COMMON:
        return COMMON[country]
    return tuple(zone.name for zone in listed() if zone.country == country)[:COMMON_MAX]
