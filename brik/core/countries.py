"""Countries (ISO 3166-1 alpha-2) and languages (ISO 639-3).

Stored as their codes. The list of countries is pycountry's (ISO 3166); their
names are the short common names of the Unicode CLDR, through Babel, in the
user's language ("Rusland", "Syrien", "Moldova", "Tyrkiet"), not ISO's official
forms ("Syriske Arabiske Republik", "Moldova, Republikken"). A picker finds a
country by its name in either language, its ISO names and a few names people
still use ("Burma", "Holland", "Turkey"). No country list lives in this repository.
"""

import gettext
from functools import cache, lru_cache

import pycountry
from babel import Locale
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

REPORTING_COUNTRY = "DK"

EU_MEMBERS = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)


@cache
def _translation(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _lang() -> str:
    return (get_language() or "en").split("-")[0]


@cache
def _cldr_names(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


# Names people use that neither CLDR nor ISO gives as the name (for searching only).
OTHER_NAMES = {
    "CD": "DR Congo DRC Zaire",
    "CG": "Republic of the Congo Republikken Congo",
    "CI": "Ivory Coast",
    "CZ": "Czech Republic Tjekkoslovakiet",
    "GB": "UK Great Britain England Scotland Wales Skotland",
    "MK": "Macedonia Makedonien",
    "MM": "Burma",
    "NL": "Holland",
    "SZ": "Swaziland",
    "TR": "Turkey",
    "US": "America Amerika",
    "VA": "Holy See Vatican",
}


def country_name(code: str) -> str:
    return _country_name(code, _lang()) if code else code


# A name per code and language, kept: a list page names the same few countries on every
# row and request, and finding one through pycountry, Babel and gettext took 4-5 µs.
# Bounded, since a code may come from what someone typed.
@lru_cache(maxsize=1024)
def _country_name(code: str, language: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    cldr = _cldr_names(language).get(country.alpha_2)
    if cldr:
        return cldr
    translation = _translation("iso3166-1", language)
    # The short common name ("Iran") reads best, but pycountry's catalogues
    # often translate only the official short name ("Iran, Islamic Republic of").
    common = getattr(country, "common_name", None)
    if common:
        translated = translation.gettext(common)
        if translated != common or language == "en":
            return translated
    return translation.gettext(country.name)


# Danish alphabetical order puts Æ, Ø, Å after Z.
_DANISH_ORDER = str.maketrans({"æ": "z~1", "ø": "z~2", "å": "z~3"})


def _sort_key(name: str) -> str:
    folded = name.casefold()
    return folded.translate(_DANISH_ORDER) if _lang() == "da" else folded


def country_choices() -> list[tuple[str, str]]:
    return list(_country_choices(_lang()))


@cache
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    names = [(c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries]
    return tuple(sorted(names, key=lambda pair: _sort_key(pair[1])))


@cache
def _country_names(code: str) -> tuple[str, ...]:
    """Every name a country may be searched by: CLDR's in Danish and English,
    ISO's names, and the names in OTHER_NAMES."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return ()
    names = {_cldr_names(language).get(code, "") for language in ("da", "en")}
    names |= {getattr(country, a, "") for a in ("name", "official_name", "common_name")}
    names.add(OTHER_NAMES.get(code, ""))
    return tuple(sorted(n for n in names if n))


@cache
def country_search_terms(code: str) -> str:
    """Every name a country may be searched by, in one string (see _country_names)."""
    return " ".join(_country_names(code)) or code


@cache
def _codes_by_name() -> dict[str, str]:
    return {
        name.casefold(): country.alpha_2
        for country in pycountry.countries
        for name in _country_names(country.alpha_2)
    }


def country_code_for(text: str) -> str | None:
    """The ISO 3166 code for a code or any of a country's names (Danish or English,
    ISO's, or a name in common use), or None."""
    text = " ".join(text.split())
    if not text:
        return None
    if len(text) == 2 and text.isalpha() and pycountry.countries.get(alpha_2=text.upper()):
        return text.upper()
    return _codes_by_name().get(text.casefold())


def validate_country_code(value: str) -> None:
    # pycountry's lookup ignores case; stored codes must be upper case to group.
    if not value.isupper() or pycountry.countries.get(alpha_2=value) is None:
        raise ValidationError(
            _("%(value)s is not an ISO 3166 country code."), params={"value": value}
        )


def validate_country_codes(values: list[str]) -> None:
    for value in values:
        validate_country_code(value)


def language_name(code: str) -> str:
    return _language_name(code, _lang()) if code else code


@lru_cache(maxsize=1024)
def _language_name(code: str, language: str) -> str:
    found = pycountry.languages.get(alpha_3=code)
    if found is None:
        return code
    return _translation("iso639-3", language).gettext(found.name)


def language_choices() -> list[tuple[str, str]]:
    # Living individual languages only: the full ISO 639-3 list has 7,900 entries.
    names = [
        (lang.alpha_3, language_name(lang.alpha_3))
        for lang in pycountry.languages
        # Macrolanguages (Arabic, Chinese, Persian) are how interpreters are booked.
        if getattr(lang, "type", "") == "L" and getattr(lang, "scope", "") in ("I", "M")
    ]
    return sorted(names, key=lambda pair: _sort_key(pair[1]))


def validate_language_code(value: str) -> None:
    if not value.islower() or pycountry.languages.get(alpha_3=value) is None:
        raise ValidationError(
            _("%(value)s is not an ISO 639-3 language code."), params={"value": value}
        )


def citizenship_group(code: str) -> str:
    """Eurostat's grouping: the reporting country, another EU country, or outside the EU."""
    if code == REPORTING_COUNTRY:
        return "reporting"
    if code in EU_MEMBERS:
        return "eu"
    return "non_eu"
