"""What the check of an outreach note recognises, and what it cannot.

An outreach note is anonymous. This check refuses what it can recognise
reliably in a short note:

- e-mail addresses, also written around a filter (``name[at]host.dk``,
  ``name (at) host dot dk``, ``name snabel-a host.dk``);
- phone numbers and CPR numbers: eight or more digits, however grouped
  (``12345678``, ``12 34 56 78``, ``12-34-56-78``, ``+45 1234 5678``,
  ``010190-1234``); clock times (``22.00-02.00``) are not numbers here;
- dates of birth: a number after "født", "born", "f.", "b." or "dob", and a
  full date at least BIRTH_DATE_YEARS years back (``12-03-1990``,
  ``12.3.90``, ``1990-03-12``, ``12 March 1990``); recent dates and dates
  without a year (``15.05``) are allowed, for they say when something was seen;
- street addresses with a house number (``Istedgade 12``, ``12 Baker Street``).

It cannot recognise names, nicknames or descriptions of a person, and does
not try: the form says so, and leaving them out is up to the person writing.
"""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_AT = r"(?:@|\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|\s+snabel-?a\s+|\s+at\s+(?=\S+\s+dot\s))"
_DOT = r"(?:\.|\[\s*dot\s*\]|\(\s*dot\s*\)|\{\s*dot\s*\}|\s+dot\s+|\s+punktum\s+)"
EMAIL = re.compile(rf"[\w.+-]+\s*{_AT}\s*[\w-]+(?:\s*{_DOT}\s*[\w-]+)+", re.IGNORECASE)

_MONTHS = (
    "jan|feb|mar|apr|maj|may|jun|jul|aug|sep|okt|oct|nov|dec|januar|january|februar|february|"
    "marts|march|april|juni|june|juli|july|august|september|oktober|october|november|december"
)
# A full date: day, month and year (two or four digits).
DATE = re.compile(
    r"\b(?P<d1>\d{1,2})[./-](?P<m1>\d{1,2})[./-](?P<y1>\d{4}|\d{2})\b"  # 12-03-1990, 1/3-90
    r"|\b(?P<y2>(?:18|19|20)\d{2})[./-](?P<m2>\d{1,2})[./-](?P<d2>\d{1,2})\b"  # 1990-03-12
    rf"|\b(?P<d3>\d{{1,2}})\.?\s*(?P<m3>{_MONTHS})\.?\s+'?(?P<y3>\d{{4}}|\d{{2}})\b",  # 12. marts 1990
    re.IGNORECASE,
)
BIRTH = re.compile(
    r"\b(?:født|f\.|born|b\.|dob|d\.o\.b\.?|birth|fødselsdag|fødselsdato)\s*:?\s*"
    r"(?:den\s+|on\s+|in\s+|i\s+)?\d",
    re.IGNORECASE,
)
# A round is logged soon after it is held: a full date this many years back is a
# date of birth, not the date of something seen on the round.
BIRTH_DATE_YEARS = 10
_HOURS = re.compile(r"\b\d{1,2}[.:]\d{2}\s*-\s*\d{1,2}[.:]\d{2}\b")  # 22.00-02.00
_CLOCK = re.compile(r"\b\d{1,2}[.:]\d{2}\b")  # 23.30
PHONE = re.compile(r"\+?\(?\d(?:[\s.\-/()]{0,3}\d){7,}")


def _year(match: re.Match) -> int | None:
    """The year of a real date (day 1-31, month 1-12), or None."""
    day = match.group("d1") or match.group("d2") or match.group("d3")
    year = match.group("y1") or match.group("y2") or match.group("y3")
    month = match.group("m1") or match.group("m2")
    if month is None:
        month = "1"  # written as a name, so a month
    if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return None
    this_year = timezone.localdate().year
    full = int(year)
    if len(year) == 2:
        century = this_year // 100 * 100
        full += century if century + full <= this_year else century - 100
    return full


def _dates(text: str) -> list[tuple[re.Match, int]]:
    return [(m, year) for m in DATE.finditer(text) if (year := _year(m)) is not None]


# Danish street names end in one of these, and an address adds a house number.
_STREETS = (
    "vej|vejen|gade|gaden|allé|alle|plads|pladsen|stræde|strædet|boulevard|torv|torvet|"
    "vænge|vænget|parken|stien|bakke|bakken|toften|kajen"
)
ADDRESS = re.compile(
    rf"\b[^\W\d_][\w'-]*(?:{_STREETS})\s+\d+\s*[a-zA-Z]?\b"  # Istedgade 12, Vesterbrogade 3B
    # 12 Baker Street: capitalised words, so "3 women in the square" is no address
    r"|\b\d+[a-zA-Z]?,?\s+(?:(?-i:[A-Z])[\w'-]*\s+){1,3}(?-i:Street|Road|Avenue|Lane|Square)\b",
    re.IGNORECASE,
)


def outreach_note_refusal(note: str) -> str | None:
    """Why `note` is not anonymous, or None if the check recognises nothing in it."""
    if EMAIL.search(note):
        return _(
            "Outreach notes are anonymous: leave out e-mail addresses "
            "(also when written with [at] or similar)."
        )
    text = _HOURS.sub(" ", note)
    dates = _dates(text)
    this_year = timezone.localdate().year
    if BIRTH.search(text) or any(year <= this_year - BIRTH_DATE_YEARS for _m, year in dates):
        return _("Outreach notes are anonymous: leave out dates of birth.")
    for match in (m for m, _y in dates):  # recent dates a note may carry: no phone numbers
        text = text.replace(match.group(0), " ")
    if PHONE.search(_CLOCK.sub(" ", text)):
        return _("Outreach notes are anonymous: leave out phone numbers and CPR numbers.")
    if ADDRESS.search(note):
        return _("Outreach notes are anonymous: leave out street addresses.")
    return None


def check_outreach_note(note: str, *, field: str = "note") -> None:
    refusal = outreach_note_refusal(note)
    if refusal:
        raise ValidationError({field: ValidationError(refusal, code="note_identifies")})
