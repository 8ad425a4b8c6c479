"""Country and language codes and their names in the user's language (pycountry)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from brik.core import countries


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_danish_messages_name_the_code():
    with translation.override("da"), pytest.raises(ValidationError) as info:
        countries.validate_country_code("XX")
    assert "XX" in info.value.messages[0]


@pytest.mark.parametrize(
    ("code", "english", "danish"),
    [
        ("DK", "Denmark", "Danmark"),
        ("DE", "Germany", "Tyskland"),
        ("RO", "Romania", "Rumænien"),
        ("MA", "Morocco", "Marokko"),
        ("GB", "United Kingdom", "Storbritannien"),
        ("NG", "Nigeria", "Nigeria"),
        ("VN", "Vietnam", "Vietnam"),
    ],
)
def test_country_names_follow_the_active_language(code, english, danish):
    with translation.override("en"):
        assert countries.country_name(code) == english
    with translation.override("da"):
        assert countries.country_name(code) == danish
    # Names are kept per language: the first language's is not given for the second.
    with translation.override("en"):
        assert countries.country_name(code) == english


@pytest.mark.parametrize(
    ("code", "english", "danish"),
    [
        ("RU", "Russia", "Rusland"),
        ("TR", "Türkiye", "Tyrkiet"),
        ("SY", "Syria", "Syrien"),
        ("MD", "Moldova", "Moldova"),
        ("VE", "Venezuela", "Venezuela"),
        ("KR", "South Korea", "Sydkorea"),
        ("TZ", "Tanzania", "Tanzania"),
        ("IR", "Iran", "Iran"),
    ],
)
def test_countries_have_their_common_short_names_not_isos_official_ones(code, english, danish):
    with translation.override("en"):
        assert countries.country_name(code) == english
    with translation.override("da"):
        assert countries.country_name(code) == danish
    # Names are kept per language: the first language's is not given for the second.
    with translation.override("en"):
        assert countries.country_name(code) == english


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Rusland", "RU"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Tyrkiet", "TR"),
        ("Turkey", "TR"),
        ("Burma", "MM"),
        ("Myanmar", "MM"),
        ("Syrien", "SY"),
        ("Syrian Arab Republic", "SY"),
        ("Holland", "NL"),
        ("Ivory Coast", "CI"),
    ],
)
def test_a_picker_finds_a_country_by_any_of_its_names(query, code):
    assert query.casefold() in countries.country_search_terms(code).casefold()


def test_a_regional_language_variant_uses_the_language():
    with translation.override("en-gb"):
        assert countries.country_name("DK") == "Denmark"


def test_an_unknown_country_code_is_shown_as_it_is():
    assert countries.country_name("XX") == "XX"
    assert countries.country_name("") == ""


def test_country_choices_list_every_country_once_sorted_by_name():
    with translation.override("da"):
        choices = countries.country_choices()

    codes = [code for code, _name in choices]
    names = [name for _code, name in choices]
    assert len(codes) == len(set(codes)) >= 249
    assert names.index("Zimbabwe") < names.index("Østrig") < names.index("Åland")
    assert names[:3] == sorted(names[:3])
    assert ("DK", "Danmark") in choices


@pytest.mark.parametrize(
    ("code", "english", "danish"),
    [("dan", "Danish", "Dansk"), ("eng", "English", "Engelsk"), ("yor", "Yoruba", "Yoruba")],
)
def test_language_names_follow_the_active_language(code, english, danish):
    with translation.override("en"):
        assert countries.language_name(code) == english
    with translation.override("da"):
        assert countries.language_name(code) == danish
    # Names are kept per language: the first language's is not given for the second.
    with translation.override("en"):
        assert countries.language_name(code) == english


def test_language_choices_hold_living_languages_only():
    codes = {code for code, _name in countries.language_choices()}

    assert {"dan", "eng", "tha", "vie", "ron", "yor", "ary"} <= codes
    assert "lat" not in codes  # historical
    assert "grc" not in codes  # ancient Greek


@pytest.mark.parametrize("code", ["ara", "zho", "fas"])
def test_language_choices_offer_the_common_macrolanguages(code):
    assert code in {code for code, _name in countries.language_choices()}


@pytest.mark.parametrize("code", ["DK", "NG", "TH"])
def test_iso_country_codes_are_valid(code):
    countries.validate_country_code(code)


@pytest.mark.parametrize("code", ["XX", "DNK", "D", ""])
@pytest.mark.usefixtures("english")
def test_other_country_codes_are_refused_with_a_message_naming_them(code):
    with pytest.raises(ValidationError) as info:
        countries.validate_country_code(code)

    assert info.value.messages == [f"{code} is not an ISO 3166 country code."]


def test_a_lower_case_country_code_is_refused():
    with pytest.raises(ValidationError):
        countries.validate_country_code("dk")


def test_every_code_in_a_list_is_checked():
    countries.validate_country_codes(["DK", "SE"])
    with pytest.raises(ValidationError):
        countries.validate_country_codes(["DK", "XX"])


@pytest.mark.parametrize("code", ["dan", "eng", "yor"])
def test_iso_639_3_codes_are_valid(code):
    countries.validate_language_code(code)


@pytest.mark.parametrize("code", ["da", "en", "xxx", ""])
@pytest.mark.usefixtures("english")
def test_other_language_codes_are_refused(code):
    with pytest.raises(ValidationError) as info:
        countries.validate_language_code(code)

    assert info.value.messages == [f"{code} is not an ISO 639-3 language code."]


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("DK", "reporting"),
        ("DE", "eu"),
        ("RO", "eu"),
        ("HR", "eu"),
        ("GB", "non_eu"),  # left the EU in 2020
        ("NO", "non_eu"),  # EEA, not EU
        ("CH", "non_eu"),
        ("NG", "non_eu"),
        ("TH", "non_eu"),
        ("GL", "non_eu"),  # Greenland is Danish but outside the EU
    ],
)
def test_citizenship_groups_follow_eurostat(code, group):
    assert countries.citizenship_group(code) == group


def test_the_eu_has_27_members_that_are_all_real_countries():
    assert len(countries.EU_MEMBERS) == 27
    for code in countries.EU_MEMBERS:
        countries.validate_country_code(code)
    assert countries.REPORTING_COUNTRY in countries.EU_MEMBERS


def test_the_centres_name_follows_the_language(settings):
    from brik.core.names import centre_name

    settings.CENTRE_NAME = "Center mod Menneskehandel"
    settings.CENTRE_NAME_EN = "Danish Centre against Human Trafficking"
    with translation.override("en"):
        assert centre_name() == "Danish Centre against Human Trafficking"
    with translation.override("da"):
        assert centre_name() == "Center mod Menneskehandel"
    assert centre_name("en-gb") == "Danish Centre against Human Trafficking"
