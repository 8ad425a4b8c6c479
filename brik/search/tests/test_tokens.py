"""Normalising, transliterating and tokenising names (no database)."""

import datetime as dt
import hashlib
import hmac
import unicodedata
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brik.search import tokens as t
from brik.search.models import TokenKind
from brik.search.query import parse
from brik.search.selectors import SIMILAR, word_similarity


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("Søren Ågård-Müller", ["soeren", "aagaard", "mueller"]),
        ("SØREN  ågård", ["soeren", "aagaard"]),
        ("Ærø Straße", ["aeroe", "strasse"]),
        ("José Ramírez", ["jose", "ramirez"]),
        ("Nguyễn Thị", ["nguyen", "thi"]),
        ("Мухаммад", ["mukhammad"]),
        ("Ελένη", ["eleni"]),
        ("O'Brien", ["o", "brien"]),
    ],
)
def test_names_are_normalised_and_transliterated(typed, words):
    assert t.name_words(typed) == words


def test_a_danish_letter_is_indexed_spelt_out_and_plain():
    assert t.name_word_variants("Søren Åse") == ["soeren", "aase", "soren", "ase"]
    assert t.name_word_variants("Hansen") == ["hansen"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("mohammed", "muhammad"),
        ("muhammad", "mohamed"),
        ("mohamad", "mohammed"),
        ("ngyuen", "nguyen"),
        ("nguen", "nguyen"),
        ("mukhammad", "muhammad"),  # Мухаммад, transliterated
        ("mhmd", "muhammad"),  # محمد, transliterated without vowels
        ("moham", "mohammed"),  # a prefix
    ],
)
def test_spellings_and_transliterations_match(typed, stored):
    assert word_similarity(typed, stored) >= SIMILAR


@pytest.mark.parametrize(
    ("typed", "stored"), [("hansen", "jensen"), ("ali", "olga"), ("anna", "hanne")]
)
def test_different_names_do_not_match(typed, stored):
    assert word_similarity(typed, stored) < SIMILAR


def test_alike_spellings_share_a_token_for_finding_them():
    for a, b in [("mohammed", "muhammad"), ("nguyen", "ngyuen")]:
        assert t.phonetic_keys(a) & t.phonetic_keys(b)


def test_tokens_are_truncated_to_the_configured_bits(settings):
    settings.BRIK_SEARCH_TOKEN_BITS = 15
    values = {t.token(TokenKind.WORD, f"name{i}").value for i in range(2000)}
    assert max(values) < 2**15


def test_truncation_means_collisions_at_the_expected_rate(settings):
    """At 100,000 distinct values and 15 bits every bucket holds about three:
    one token never singles out one person (docs/search.md)."""
    settings.BRIK_SEARCH_TOKEN_BITS = 15
    buckets = Counter(t.token(TokenKind.PHONE, f"{n:08d}").value for n in range(100_000))
    assert len(buckets) <= 2**15
    mean = 100_000 / len(buckets)
    assert 2.5 < mean < 3.5
    singles = sum(1 for count in buckets.values() if count == 1)
    assert singles / len(buckets) < 0.2  # Poisson(3.05): about 15 % of buckets hold one


def test_tokens_depend_on_the_key(settings):
    before = t.token(TokenKind.WORD, "hansen")
    settings.BLIND_INDEX_KEY = "another key for the test"
    assert t.token(TokenKind.WORD, "hansen") != before


def test_a_person_s_tokens_cover_names_aliases_birth_and_phone():
    tokens = t.person_texts(
        given_names="Amina",
        family_name="Okafor",
        aliases="Mina",
        date_of_birth=dt.date(1990, 4, 3),
        phone="+45 12 34 56 78",
    )
    kinds = Counter(kind for kind, _ in tokens)
    assert {
        (TokenKind.WORD, "amina"),
        (TokenKind.WORD, "okafor"),
        (TokenKind.WORD, "mina"),
    } <= tokens
    assert (TokenKind.BIRTH_DATE, "1990-04-03") in tokens
    assert (TokenKind.BIRTH_YEAR, "1990") in tokens
    assert (TokenKind.PHONE, "12345678") in tokens
    assert kinds[TokenKind.GRAM] > 10
    assert kinds[TokenKind.PHONETIC] >= 6


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("BRK-2026-0007", {"code": "BRK-2026-0007"}),
        ("brk 2026 7", {"code": "BRK-2026-0007"}),
        ("2026-7", {"code": "BRK-2026-0007"}),
        ("brk-2026", {"code": "BRK-2026"}),
        ("03-04-1990", {"dates": [dt.date(1990, 4, 3)]}),
        ("1990-04-03", {"dates": [dt.date(1990, 4, 3)]}),
        ("3.4.1990 Amina", {"dates": [dt.date(1990, 4, 3)], "words": ["amina"]}),
        ("Amina 1990", {"years": [1990], "words": ["amina"]}),
        ("+45 12 34 56 78", {"phone": "12345678"}),
        ("0045-1234 5678", {"phone": "12345678"}),
        ("Søren  Hansen", {"words": ["soeren", "hansen"]}),
        ("\x00", {}),
        ("", {}),
    ],
)
def test_the_query_is_read_once(typed, expected):
    query = parse(typed)
    for name in ("code", "words", "dates", "years", "phone"):
        assert getattr(query, name) == expected.get(name, type(getattr(query, name))())


def test_a_query_records_what_was_searched_not_the_text():
    assert parse("Amina 3.4.1990").kinds() == ["name", "date_of_birth"]


def _hmac_object_value(key: bytes, bits: int, kind: int, text: str) -> int:
    """The token's value as it was computed before the one-shot hmac.digest."""
    digest = hmac.new(key, f"{int(kind)}:{text}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") >> (32 - bits)


@given(
    st.sampled_from(TokenKind),
    st.text(),
    st.binary(min_size=1, max_size=80),
    st.integers(min_value=1, max_value=32),
)
def test_the_one_shot_digest_gives_the_hmac_object_s_value(kind, text, key, bits):
    assert t.token(kind, text, key=key, bits=bits) == t.Token(
        int(kind), _hmac_object_value(key, bits, kind, text)
    )


def test_the_comparison_with_the_hmac_object_can_fail():
    """The old way of another kind or key gives another value: the comparison above is not void."""
    key = b"k" * 32
    value = t.token(TokenKind.WORD, "hansen", key=key, bits=32).value
    assert value == _hmac_object_value(key, 32, TokenKind.WORD, "hansen")
    assert value != _hmac_object_value(key, 32, TokenKind.PHONETIC, "hansen")
    assert value != _hmac_object_value(b"j" * 32, 32, TokenKind.WORD, "hansen")


names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)


@given(
    names,
    names,
    names,
    st.none() | st.dates(),
    st.text(alphabet="+0123456789 ", max_size=14),
    st.none() | st.integers(min_value=1900, max_value=2030),
)
def test_a_person_s_token_values_are_the_tokens_of_the_person(
    given_names, family_name, aliases, born, phone, birth_year
):
    person = {
        "given_names": given_names,
        "family_name": family_name,
        "aliases": aliases,
        "date_of_birth": born,
        "phone": phone,
        "birth_year": birth_year,
    }
    texts = t.person_texts(**{k: v for k, v in person.items() if k != "birth_year"})
    if birth_year and not born:
        texts.add((TokenKind.BIRTH_YEAR, str(birth_year)))
    key, bits = t.search_key(), t.token_bits()
    expected = {(int(k), _hmac_object_value(key, bits, k, text)) for k, text in texts}
    assert t.person_token_values(**person) == expected
    assert t.person_tokens(**person) == {t.Token(k, v) for k, v in expected}


def _words_the_long_way(text: str) -> tuple[list[str], list[str]]:
    """name_words and name_word_variants as they were before the shortcut for ASCII
    names: folded, spelt out, stripped of marks and transliterated."""
    folded = unicodedata.normalize("NFC", text.casefold())
    words = t._WORD.findall(t._ascii(folded.translate(t._SPELLED_OUT)))
    plain = t._WORD.findall(t._ascii(folded))
    return words, list(dict.fromkeys(words + plain))


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40) | names)
def test_a_name_s_words_are_the_same_with_the_ascii_shortcut(text):
    words, variants = _words_the_long_way(text)
    assert t.name_words(text) == words
    assert t.name_word_variants(text) == variants


def test_the_long_way_differs_where_a_shortcut_for_every_name_would():
    """Lower-casing alone, as the shortcut does, is wrong for a name that is not ASCII:
    the comparison above would see it."""
    assert _words_the_long_way("SØREN Ågård") == (
        ["soeren", "aagaard"],
        ["soeren", "aagaard", "soren", "agard"],
    )
    assert t._WORD.findall("SØREN Ågård".lower()) != ["soeren", "aagaard"]
