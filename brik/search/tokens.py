"""Normalising names and computing search tokens: pure functions, no database.

A token is (kind, value): value is the HMAC-SHA256 of the kind and the
normalised text under the search key, truncated to BRIK_SEARCH_TOKEN_BITS bits
(15 by default), so that at 100,000 persons every value is shared by several
persons (docs/search.md gives the numbers). The search key is derived with
HKDF from BRIK_BLIND_INDEX_KEY, so changing that key and running
`brik rotate_keys --reindex` renews these tokens too.
"""

import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache

import jellyfish
from anyascii import anyascii
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from brik.search.models import TokenKind

# What each kind of token adds to a candidate's score in the database.
WEIGHTS: dict[int, int] = {
    TokenKind.WORD: 10,
    TokenKind.PHONETIC: 6,
    TokenKind.GRAM: 1,
    TokenKind.BIRTH_DATE: 10,
    TokenKind.BIRTH_YEAR: 3,
    TokenKind.PHONE: 10,
}

# Letters whose Danish (and German) spelling with two letters is as usual as the
# letter itself: both spellings are indexed, the first one is the canonical form.
_SPELLED_OUT = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss", "ä": "ae", "ö": "oe", "ü": "ue"}
)
_WORD = re.compile(r"[a-z0-9]+")
PHONE_DIGITS = 8  # the last eight digits: a Danish number without +45, a foreign one's tail


@dataclass(frozen=True)
class Token:
    kind: int
    value: int


@cache
def _key(index_key: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"brik search tokens v1"
    ).derive(index_key.encode())


def search_key() -> bytes:
    if not settings.BLIND_INDEX_KEY:
        raise ImproperlyConfigured("No blind index key configured (BRIK_BLIND_INDEX_KEY).")
    return _key(settings.BLIND_INDEX_KEY)


def token_bits() -> int:
    return int(getattr(settings, "BRIK_SEARCH_TOKEN_BITS", 15))


def token(kind: int, text: str, *, key: bytes | None = None, bits: int | None = None) -> Token:
    """The truncated keyed hash of one normalised text of one kind."""
    return Token(int(kind), _value(key or search_key(), bits or token_bits(), kind, text))


def _value(key: bytes, bits: int, kind: int, text: str) -> int:
    # One-shot hmac.digest: the same bytes as hmac.new(...).digest() without the
    # HMAC object (24 tokens per person, a million persons in the demo).
    digest = hmac.digest(key, f"{int(kind)}:{text}".encode(), "sha256")
    return int.from_bytes(digest[:4], "big") >> (32 - bits)


# --- normalising ------------------------------------------------------------------------


def _ascii(text: str) -> str:
    """Casefolded ASCII: diacritics dropped, other scripts transliterated."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return anyascii(stripped).casefold()


def name_words(text: str) -> list[str]:
    """The words of a name in their canonical form: æ→ae, ø→oe, å→aa, ß→ss,
    diacritics dropped, any script transliterated to Latin letters, lower case.

    >>> name_words("Søren Ågård-Müller")
    ['soeren', 'aagaard', 'mueller']
    """
    if text.isascii():  # nothing to spell out, strip or transliterate: the same words
        return _WORD.findall(text.lower())
    text = unicodedata.normalize("NFC", text.casefold()).translate(_SPELLED_OUT)
    return _WORD.findall(_ascii(text))


def name_word_variants(text: str) -> list[str]:
    """The canonical words and, where they differ, the words with the letters
    simply stripped of their marks (ø→o, å→a): a name is found both ways."""
    if text.isascii():  # both ways are the same words (as name_words)
        return list(dict.fromkeys(_WORD.findall(text.lower())))
    folded = unicodedata.normalize("NFC", text.casefold())
    words = _WORD.findall(_ascii(folded.translate(_SPELLED_OUT)))
    plain = _WORD.findall(_ascii(folded))
    return list(dict.fromkeys(words + plain))


def phonetic_keys(word: str, *, loose: bool = True) -> set[str]:
    """Phonetic codes of one word: Metaphone and NYSIIS, and (loose) Soundex.
    Spellings that sound alike share at least one (Mohammed/Muhammad share all
    three, Nguyen/Ngyuen their Soundex). Soundex finds candidates only; the
    check of a candidate uses the two stricter ones (loose=False)."""
    if word.isdigit() or len(word) < 2:
        return set()
    keys = {"m" + jellyfish.metaphone(word), "n" + jellyfish.nysiis(word)}
    if loose:
        keys.add("s" + jellyfish.soundex(word))
    return keys - {"m", "n", "s"}


def grams(word: str) -> set[str]:
    """Character 3-grams of the word with its edges marked, and 2-grams of short
    words, for partial and misspelt names."""
    padded = f"^{word}$"
    found = {padded[i : i + 3] for i in range(len(padded) - 2)}
    if len(word) <= 4:
        found |= {word[i : i + 2] for i in range(len(word) - 1)}
    return found


def phone_digits(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[-PHONE_DIGITS:] if len(digits) >= 6 else ""


# --- a person's tokens ------------------------------------------------------------------


def name_texts(words: list[str]) -> set[tuple[int, str]]:
    """(kind, text) of every word, phonetic key and n-gram of the given words."""
    texts: set[tuple[int, str]] = set()
    for word in words:
        if len(word) < 2:
            continue
        texts.add((TokenKind.WORD, word))
        texts |= {(TokenKind.PHONETIC, k) for k in phonetic_keys(word)}
        texts |= {(TokenKind.GRAM, g) for g in grams(word)}
    return texts


def person_texts(
    *, given_names: str, family_name: str, aliases: str, date_of_birth: date | None, phone: str
) -> set[tuple[int, str]]:
    words: list[str] = []
    for value in (given_names, family_name, aliases):
        words += name_word_variants(value or "")
    texts = name_texts(words)
    if date_of_birth:
        texts.add((TokenKind.BIRTH_DATE, date_of_birth.isoformat()))
        texts.add((TokenKind.BIRTH_YEAR, str(date_of_birth.year)))
    if digits := phone_digits(phone or ""):
        texts.add((TokenKind.PHONE, digits))
    return texts


def person_tokens(
    *,
    given_names: str,
    family_name: str,
    aliases: str = "",
    date_of_birth: date | None = None,
    phone: str = "",
    birth_year: int | None = None,
) -> set[Token]:
    """Every token of one person (a set: equal truncated values count once)."""
    values = person_token_values(
        given_names=given_names,
        family_name=family_name,
        aliases=aliases,
        date_of_birth=date_of_birth,
        phone=phone,
        birth_year=birth_year,
    )
    return {Token(kind, value) for kind, value in values}


def person_token_values(
    *,
    given_names: str,
    family_name: str,
    aliases: str = "",
    date_of_birth: date | None = None,
    phone: str = "",
    birth_year: int | None = None,
) -> set[tuple[int, int]]:
    """person_tokens as (kind, value) pairs, for a bulk writer that needs no Token objects."""
    key, bits = search_key(), token_bits()
    texts = person_texts(
        given_names=given_names,
        family_name=family_name,
        aliases=aliases,
        date_of_birth=date_of_birth,
        phone=phone,
    )
    if birth_year and not date_of_birth:
        texts.add((TokenKind.BIRTH_YEAR, str(birth_year)))
    return {(int(kind), _value(key, bits, kind, text)) for kind, text in texts}
