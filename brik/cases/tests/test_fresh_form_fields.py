"""brik_ui.form_fields: a fresh form of a class whose fields never change is rendered
once per language and kept; every rendering carries its own one-time token, and the
HTML is the include's (brik/form_fields.html) to the byte."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from brik.casefiles.forms import AttachmentForm, NoteForm
from brik.cases.templatetags.brik_ui import _FRESH_FORMS, form_fields

TOKEN = re.compile(r'name="form_token" value="([^"]*)"')


def include(form) -> str:
    return render_to_string("brik/form_fields.html", {"form": form})


@pytest.mark.parametrize("form_class", [NoteForm, AttachmentForm])
@pytest.mark.parametrize("language", ["en", "da"])
def test_a_fresh_form_is_the_includes_html_with_its_own_token(form_class, language):
    _FRESH_FORMS.clear()
    with translation.override(language):
        first, second = form_class(), form_class()
        kept_first, kept_second = str(form_fields(first)), str(form_fields(second))
        assert kept_first == include(first)
        assert kept_second == include(second)  # from the kept rendering
    assert TOKEN.findall(kept_second) == [second.initial["form_token"]]
    assert first.initial["form_token"] != second.initial["form_token"]
    assert len(_FRESH_FORMS) == 1


def test_the_kept_rendering_is_per_language():
    _FRESH_FORMS.clear()
    with translation.override("en"):
        english = str(form_fields(AttachmentForm()))
    with translation.override("da"):
        danish = str(form_fields(AttachmentForm()))
    assert ">Description<" in english
    assert ">Beskrivelse<" in danish
    assert len(_FRESH_FORMS) == 2


def test_a_sent_form_with_its_errors_or_a_value_is_never_taken_from_the_kept_one():
    _FRESH_FORMS.clear()
    str(form_fields(NoteForm()))
    sent = NoteForm({"form_token": "abc", "text": ""})
    assert not sent.is_valid()
    with translation.override("en"):
        html = str(form_fields(sent))
        assert html == include(sent)
    assert "Write the note." in html
    prefilled = NoteForm(initial={"text": "Ringede igen"})
    assert "Ringede igen" in str(form_fields(prefilled))
