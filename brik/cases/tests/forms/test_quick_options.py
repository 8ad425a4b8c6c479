"""The pickers write their options directly (for speed), and write the same
HTML as Django's own select templates would."""

import re

import pytest
from django import forms
from django.utils import translation

from brik.cases.forms.fields import (
    CountrySelect,
    CountrySelectMultiple,
    QuickSelect,
    SearchableSelect,
    SearchableSelectMultiple,
)
from brik.core.countries import country_choices

CHOICES = [
    ("", "Any"),
    ("a", "Ålborg & <Co>"),
    ("b", 'Say "b"'),
    ("Group", [("g1", "One"), ("g2", "Two")]),
]


def normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def django_rendering(widget, name, value, attrs):
    """What Django's own templates write for the widget."""
    return forms.Widget.render(widget, name, value, attrs)


@pytest.mark.parametrize(
    ("widget_class", "value"),
    [
        (SearchableSelect, "b"),
        (SearchableSelect, ""),
        (SearchableSelect, "g2"),
        (SearchableSelectMultiple, ["a", "g1"]),
        (SearchableSelectMultiple, []),
        (QuickSelect, "a"),
    ],
)
def test_the_quick_rendering_is_djangos_rendering(widget_class, value):
    widget = widget_class(choices=CHOICES)
    attrs = {"id": "id_x", "required": True, "aria-describedby": "x_help"}
    assert normalised(widget.render("x", value, attrs)) == normalised(
        django_rendering(widget, "x", value, attrs)
    )


@pytest.mark.parametrize("widget_class", [CountrySelect, CountrySelectMultiple])
def test_country_pickers_render_like_django_with_their_other_names(widget_class):
    with translation.override("da"):
        widget = widget_class(choices=[("", "—"), *country_choices()])
        html = widget.render("c", "MM", {"id": "id_c"})
        assert normalised(html) == normalised(django_rendering(widget, "c", "MM", {"id": "id_c"}))
    option = re.search(r'<option value="MM"[^>]*>[^<]*</option>', html).group(0)
    assert " selected " in option
    assert 'data-aliases="' in option
    assert "Burma" in option
    assert option.endswith(">Myanmar (Burma)</option>")


def test_a_kept_rendering_follows_the_value_the_language_and_the_choices():
    """Rendered selects are kept, keyed by all their HTML depends on: a second
    rendering with another value, language, choice or attribute is not the first one's."""
    widget = QuickSelect(choices=[("", "Any"), ("referred", "Referred")])
    first = widget.render("status", "", {"id": "id_status"})
    assert widget.render("status", "", {"id": "id_status"}) == first
    chosen = widget.render("status", "referred", {"id": "id_status"})
    assert '<option value="referred" selected>' in chosen
    assert '<option value="referred" selected>' not in first
    assert 'aria-invalid="true"' in widget.render(
        "status", "", {"id": "id_status", "aria-invalid": "true"}
    )
    other = QuickSelect(choices=[("", "Any"), ("closed", "Closed")])
    assert "Closed" in other.render("status", "", {"id": "id_status"})
    with translation.override("da"):
        danish = CountrySelect(choices=[("", "—"), *country_choices()]).render("c", "DE", {})
    with translation.override("en"):
        english = CountrySelect(choices=[("", "—"), *country_choices()]).render("c", "DE", {})
    assert ">Tyskland</option>" in danish
    assert ">Germany</option>" in english
