"""The case list's text boxes write their <input> directly (for speed), and write
exactly the HTML of Django's own input.html and attrs.html, byte for byte."""

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe

from brik.cases.forms.fields import (
    CountrySearchInput,
    QuickCountrySearchInput,
    QuickTextInput,
)

TRICKY = "Ålborg & <Co> \"quoted\" 'single'"


@pytest.mark.parametrize("value", [None, "", "BRK-2019-50", TRICKY, mark_safe("<b>safe</b>"), 200])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"id": "id_q"},
        {"id": "id_q", "required": True, "disabled": False, "maxlength": 200},
        {"data-x": TRICKY, "data-none": None, "placeholder": mark_safe("&amp;")},
    ],
)
def test_a_text_box_is_written_as_django_writes_it(value, attrs):
    quick = QuickTextInput(attrs={"maxlength": "200", "class": "a&b"})
    plain = forms.TextInput(attrs={"maxlength": "200", "class": "a&b"})
    assert quick.render("q", value, attrs) == plain.render("q", value, attrs)


@pytest.mark.parametrize("value", [None, "", "NG", "Nigeria", "Danmark", TRICKY])
@pytest.mark.parametrize("language", ["en", "da"])
def test_the_country_box_is_written_as_django_writes_it(value, language):
    with translation.override(language):
        quick = QuickCountrySearchInput().render("citizenship", value, {"id": "id_citizenship"})
        plain = CountrySearchInput().render("citizenship", value, {"id": "id_citizenship"})
    assert quick == plain
    assert 'data-url="/countries/"' in quick or "/countries/" in quick
