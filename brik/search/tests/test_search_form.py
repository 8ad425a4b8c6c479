"""The search box writes its <input> without the widget's templates, and exactly the
HTML Django's TextInput writes (the form is on every search)."""

import pytest
from django import forms
from django.utils import translation

from brik.search.forms import PersonSearchForm

TRICKY = "Ålborg & <Co> \"quoted\" 'single'"


@pytest.mark.parametrize("data", [None, {}, {"q": ""}, {"q": TRICKY}, {"q": "x" * 300}])
@pytest.mark.parametrize("language", ["en", "da"])
def test_the_search_box_is_written_as_django_writes_it(data, language):
    quick = PersonSearchForm(data)
    plain = PersonSearchForm(data)
    field = plain.fields["q"]
    field.widget = forms.TextInput(attrs={**field.widget.attrs, "type": field.widget.input_type})
    field.widget.is_required = field.required
    quick.is_valid(), plain.is_valid()  # errors (too long) go into aria-invalid
    with translation.override(language):
        written = str(quick["q"])
        assert written == str(plain["q"])
    assert 'type="search"' in written
    assert 'maxlength="200"' in written
