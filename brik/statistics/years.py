"""Which years the statistics know: the one rule every page, form, command and service uses.

A report covers a year from FIRST_YEAR to the current year (in the centre's
time zone, BRIK_TIME_ZONE); anything else (year 0, 99999, 1e20) is refused
with a clear message, never a server error. A year can be *published* only
once it has ended: from 1 January of the next year.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# The statistics begin with the Danish centre's own records; nothing before is plausible.
FIRST_YEAR = 2000


def current_year() -> int:
    """The current year where the centre is (not where the server's clock is)."""
    return timezone.localdate(timezone=ZoneInfo(settings.TIME_ZONE)).year


def is_plausible(year) -> bool:
    return isinstance(year, int) and FIRST_YEAR <= year <= current_year()


def validate_year(year) -> int:
    """The year, if a report can cover it; otherwise a ValidationError saying which can."""
    if not is_plausible(year):
        raise ValidationError(
            _("Choose a year from %(first)s to %(last)s."),
            code="implausible_year",
            params={"first": FIRST_YEAR, "last": current_year()},
        )
    return year


def validate_ended_year(year) -> int:
    """The year, if it can be published: plausible, and over."""
    validate_year(year)
    if year >= current_year():
        raise ValidationError(
            _(
                "The year %(year)s has not ended. Its report can be published from "
                "1 January %(next)s."
            ),
            code="year_not_ended",
            params={"year": year, "next": year + 1},
        )
    return year
