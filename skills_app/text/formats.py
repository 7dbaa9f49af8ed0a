"""The app's one set of date, time and number styles, written the reader's way (Babel/CLDR).

Every date or time a person reads comes from a function here, in the current
language (`skills_app.text.current()`) and in the account's time zone: never
`strftime`, never the phone's clock. The styles (docs/languages.md shows them):

| function       | English              | Spanish                  |
|----------------|----------------------|--------------------------|
| `day`            | Tue, Dec 1           | mar, 1 de dic             |
| `long_day`       | Tuesday, December 1  | martes, 1 de diciembre    |
| `date_with_year` | Dec 1, 2026          | 1 dic 2026                |
| `weekday`        | Tuesday              | martes                    |
| `short_weekday`  | Tue                  | mar                       |
| `clock`          | 4:23 PM              | 4:23 p.m.                 |
| `day_and_clock`  | Tue, Dec 1, 4:23 PM  | mar, 1 de dic, 4:23 p.m.  |
| `number`         | 1,234                | 1,234                     |
| `decimal`        | 6.7                  | 6.7                       |

Spanish is the United States' Spanish (CLDR es_US): 12-hour clock and US
number marks, as the patients' phones and their programs write them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import (
    format_date,
    format_skeleton,
    format_time,
    get_timezone,
    get_timezone_location,
    get_timezone_name,
)
from babel.numbers import format_decimal

from skills_app.text import current

# The Babel locale behind each language code: US order for English.
_LOCALES = {"en": "en_US", "es": "es_US"}


@lru_cache(maxsize=16)
def _locale(code: str) -> Locale:
    return Locale.parse(_LOCALES.get(code, code))


def _here() -> Locale:
    return _locale(current())


def _local(moment: datetime, time_zone: str) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(time_zone))


def _as_day(value: date | datetime, time_zone: str | None) -> date:
    if isinstance(value, datetime):
        if time_zone is None:
            raise ValueError("a moment needs the account's time zone to become a day")
        return _local(value, time_zone).date()
    return value


def day(value: date | datetime, time_zone: str | None = None) -> str:
    """The short day: "Tue, Dec 1" / "mar, 1 de dic"."""
    return format_skeleton("MMMEd", _as_day(value, time_zone), locale=_here())


def long_day(value: date | datetime, time_zone: str | None = None) -> str:
    """The day written out: "Tuesday, December 1" / "martes, 1 de diciembre"."""
    the_day = _as_day(value, time_zone)
    # CLDR's skeleton matcher drops a long weekday, so it is joined here: both
    # languages write the weekday first, then a comma.
    return f"{weekday(the_day)}, {format_skeleton('MMMMd', the_day, locale=_here())}"


def date_with_year(value: date | datetime, time_zone: str | None = None) -> str:
    """A date that may be in another year: "Dec 1, 2026" / "1 dic 2026"."""
    return format_date(_as_day(value, time_zone), format="medium", locale=_here())


def weekday(value: date | datetime, time_zone: str | None = None) -> str:
    """"Tuesday" / "martes"."""
    return format_date(_as_day(value, time_zone), format="EEEE", locale=_here())


def short_weekday(value: date | datetime, time_zone: str | None = None) -> str:
    """"Tue" / "mar"."""
    return format_date(_as_day(value, time_zone), format="EEE", locale=_here())


def clock(moment: datetime, time_zone: str) -> str:
    """The time of day in the account's zone: "4:23 PM" / "4:23 p.m."."""
    return format_time(_local(moment, time_zone), format="short", locale=_here())


def day_and_clock(moment: datetime, time_zone: str) -> str:
    """"Tue, Dec 1, 4:23 PM" / "mar, 1 de dic, 4:23 p.m."."""
    local = _local(moment, time_zone)
    return ", ".join((day(local.date()), clock(moment, time_zone)))


def number(value: int | float) -> str:
    """A whole number: "1,234"."""
    return format_decimal(value, locale=_here())


def decimal(value: float, places: int = 1) -> str:
    """A number with up to `places` decimals: "6.7" (never "6.70")."""
    pattern = "#,##0." + "#" * places if places else "#,##0"
    return format_decimal(value, format=pattern, locale=_here())


def zone_label(zone: str) -> str:
    """A common zone by its plain name and a city: "Central Time — Chicago" /
    "hora central — Chicago"."""
    if zone == "UTC":
        return "UTC"
    tz = get_timezone(zone)
    name = get_timezone_name(tz, width="long", zone_variant="generic", locale=_here())
    return f"{name} — {get_timezone_location(tz, locale=_here(), return_city=True)}"


def zone_city_label(zone: str, country: str) -> str:
    """Any zone by its city and country, as a person searches for it: "Abidjan, Côte
    d’Ivoire" / "Abiyán, Côte d’Ivoire"; "Knox, Indiana, United States"."""
    if zone == "UTC":
        return "UTC"
    city = get_timezone_location(get_timezone(zone), locale=_here(), return_city=True)
    territory = _here().territories.get(country, "")
    return f"{city}, {territory}" if territory else city
