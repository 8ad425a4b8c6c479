"""brik_ui.choice_label gives the same text as Django's get_FOO_display, in each language."""

import pytest
from django.utils import translation

from brik.cases.models import Assessment, Case, ExploitationForm, Person
from brik.cases.templatetags.brik_ui import _UrlPattern, choice_label

FIELDS = [
    (Case, "status"),
    (Person, "gender"),
    (Assessment, "deciding_authority"),
    (ExploitationForm, "form"),
]


@pytest.mark.parametrize("language", ["en", "da"])
@pytest.mark.parametrize(("model", "field_name"), FIELDS)
def test_choice_label_is_get_display(model, field_name, language):
    field = model._meta.get_field(field_name)
    with translation.override(language):
        for value, _label in field.flatchoices:
            instance = model(**{field_name: value})
            expected = getattr(instance, f"get_{field_name}_display")()
            assert choice_label(model, field_name, value) == expected
        # An unknown value is shown as itself, as Django does.
        assert choice_label(model, field_name, "no-such-value") == "no-such-value"


def test_labels_follow_the_language():
    with translation.override("en"):
        english = choice_label(Case, "status", "closed")
    with translation.override("da"):
        danish = choice_label(Case, "status", "closed")
    assert english != danish


def test_url_pattern_is_reverse():
    from django.urls import reverse

    detail = _UrlPattern("cases:detail")
    for pk in (1, 42, 100712):
        assert detail(pk) == reverse("cases:detail", args=[pk])
