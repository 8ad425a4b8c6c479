"""Reading what was typed in the search box: a case code, dates of birth, years,
a phone number and name words (no database)."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from brik.search import tokens as t
from brik.search.models import TokenKind

CODE = re.compile(r"^(?:brk)?[-\s]*(\d{4})[-\s]+(\d{1,6})$", re.IGNORECASE)
CODE_PART = re.compile(r"^brk\b", re.IGNORECASE)
DATE_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d%m%Y")
PHONE = re.compile(r"^[\s\d+()./-]+$")
MAX_WORDS = 8  # more words than a name has are ignored
MAX_LENGTH = 200


@dataclass
class Query:
    text: str = ""
    code: str = ""  # a case code, or part of one (upper case)
    words: list[str] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    phone: str = ""  # digits

    @property
    def personal(self) -> bool:
        """Whether it looks for personal data (names, birth dates, phone numbers)."""
        return bool(self.words or self.dates or self.years or self.phone)

    @property
    def empty(self) -> bool:
        return not (self.code or self.personal)

    def kinds(self) -> list[str]:
        """What was searched for, without the values (for the action log)."""
        found = {
            "code": bool(self.code),
            "name": bool(self.words),
            "date_of_birth": bool(self.dates),
            "year_of_birth": bool(self.years),
            "phone": bool(self.phone),
        }
        return [kind for kind, present in found.items() if present]

    def token_texts(self, *, grams: bool) -> set[tuple[int, str]]:
        texts: set[tuple[int, str]] = set()
        for word in self.words:
            if len(word) < 2:
                continue
            texts.add((TokenKind.WORD, word))
            texts |= {(TokenKind.PHONETIC, k) for k in t.phonetic_keys(word)}
            if grams:
                texts |= {(TokenKind.GRAM, g) for g in t.grams(word)}
        texts |= {(TokenKind.BIRTH_DATE, d.isoformat()) for d in self.dates}
        texts |= {(TokenKind.BIRTH_YEAR, str(y)) for y in self.years}
        if self.phone:
            texts.add((TokenKind.PHONE, self.phone))
        return texts


def _date(part: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.strptime(part, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
        if 1900 <= parsed.year <= 2100:
            return parsed
    return None


def parse(text: str) -> Query:
    """What the search box holds, read once.

    >>> parse("BRK-2026-0007").code
    'BRK-2026-0007'
    >>> parse("Muhammad 3.4.1990").words, parse("Muhammad 3.4.1990").dates
    (['muhammad'], [datetime.date(1990, 4, 3)])
    """
    text = " ".join(str(text or "").replace("\x00", "").split())[:MAX_LENGTH]
    query = Query(text=text)
    if not text:
        return query
    if found := CODE.match(text):
        query.code = f"BRK-{found[1]}-{int(found[2]):04d}"
        return query
    if CODE_PART.match(text):
        query.code = text.upper()
        return query
    digits = "".join(ch for ch in text if ch.isdigit())
    if PHONE.match(text) and len(digits) >= 6 and _date(text.replace(" ", "")) is None:
        query.phone = t.phone_digits(digits)
        return query
    for part in re.split(r"[\s,;]+", text):
        if not part:
            continue
        if (born := _date(part)) is not None:
            query.dates.append(born)
        elif part.isdigit() and len(part) == 4 and 1900 <= int(part) <= 2100:
            query.years.append(int(part))
        else:
            query.words += [w for w in t.name_words(part) if not w.isdigit()]
    query.words = list(dict.fromkeys(query.words))[:MAX_WORDS]
    return query
