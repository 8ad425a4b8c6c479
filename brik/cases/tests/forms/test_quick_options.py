"""The pickers write their options directly (for speed), and write the same
HTML as Django's own select templates would."""

import re

import pytest
from django import forms
from django.utils import translation
from django.utils.html import escape

from brik.cases.forms.case_list import CaseFilterForm
from brik.cases.forms.fields import (
    CountrySelect,
    CountrySelectMultiple,
    NormalChoices,
    QuickChoiceField,
    QuickSelect,
    QuickTypedChoiceField,
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


def test_a_fields_list_of_choices_is_named_in_the_language_of_each_rendering():
    """A declared field's choices are one list for every form; their lazy labels are
    made text once per language, and each rendering names them in its own language."""
    field = CaseFilterForm.base_fields["status"]
    shown = {}
    for language in ("en", "da", "en", "da"):
        with translation.override(language):
            html = CaseFilterForm()["status"].as_widget()
            assert CaseFilterForm()["status"].field.widget.choices is field.widget.choices
            expected = [str(label) for _value, label in field.choices]
        assert all(f">{escape(label)}</option>" in html for label in expected)
        shown.setdefault(language, html)
        assert html == shown[language]
    assert shown["en"] != shown["da"]
    assert ">Referred</option>" in shown["en"]


def test_choices_from_a_callable_are_read_on_every_rendering():
    """Choices a callable gives (a year list that grows on New Year's Day) are not
    kept: a rendering shows what the callable gives now."""
    given = [("", "Any"), ("2026", "2026")]
    widget = QuickSelect(choices=lambda: list(given))
    assert "2027" not in widget.render("year", "", {})
    given.append(("2027", "2027"))
    assert '<option value="2027">2027</option>' in widget.render("year", "", {})


class SharingForm(forms.Form):
    kind = QuickChoiceField(choices=[("", "Any"), ("a", "A")], required=False, widget=QuickSelect)
    year = QuickTypedChoiceField(
        choices=[("", "Any")], coerce=int, required=False, widget=QuickSelect
    )


def test_forms_share_their_fields_choices_and_one_forms_new_choices_stay_its_own():
    """A form's copy of a quick field and of its picker shares the class's choices
    (none is copied per form); a form that sets its own choices changes no other."""
    first, second = SharingForm(), SharingForm()
    assert first.fields["kind"].choices is SharingForm.base_fields["kind"].choices
    assert first.fields["kind"].widget.choices is SharingForm.base_fields["kind"].widget.choices
    assert first.fields["kind"] is not SharingForm.base_fields["kind"]
    assert first.fields["kind"].widget is not SharingForm.base_fields["kind"].widget
    first.fields["year"].choices = NormalChoices([("", "Any"), (2026, "2026")])
    first.fields["kind"].widget.attrs["class"] = "mine"
    assert list(second.fields["year"].choices) == [("", "Any")]
    assert list(SharingForm().fields["year"].choices) == [("", "Any")]
    assert "class" not in second.fields["kind"].widget.attrs
    assert '<option value="2026">2026</option>' in str(first["year"])
    assert "2026" not in str(second["year"])


def test_normal_choices_validate_and_render_as_a_list_does():
    pairs = [("", "Any"), (2026, "2026"), (2025, "2025")]
    given, listed = SharingForm({"year": "2025"}), SharingForm({"year": "2025"})
    given.fields["year"].choices = NormalChoices(pairs)
    listed.fields["year"].choices = pairs
    assert str(given["year"]) == str(listed["year"])
    assert given.is_valid()
    assert given.cleaned_data["year"] == 2025
    refused = SharingForm({"year": "1999"})
    refused.fields["year"].choices = NormalChoices(pairs)
    assert not refused.is_valid()
    assert "year" in refused.errors
