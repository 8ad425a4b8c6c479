"""`{% constant %}` (brik_constant): a part of a template rendered once per language.

It refuses, when the template is read, anything that could differ between requests or
readers; it keeps what it rendered per language and context values; and the pages
with it are what they were without it (base.html's frame, for several readers, in
both languages).
"""

import re

import pytest
from django.template import Context, Engine, TemplateSyntaxError, engines
from django.test import RequestFactory
from django.utils import translation

from brik.core.templatetags import brik_constant

pytestmark = pytest.mark.django_db

LIBRARIES = "{% load i18n static brik_ui django_htmx brik_constant %}"


def template(body: str):
    return engines["django"].from_string(LIBRARIES + body)


@pytest.mark.parametrize(
    "body",
    [
        "{{ user }}",
        "{{ SITE_NAME|upper }}",
        "{% translate message %}",
        "{% translate 'Cases' as label %}{{ label }}",
        "{% url 'cases:detail' pk %}",
        "{% url 'cases:list' as address %}",
        "{% static path %}",
        "{% blocktranslate with name=user.username %}Hello {{ name }}{% endblocktranslate %}",
        "{% blocktranslate %}Hello {{ user }}{% endblocktranslate %}",
        "{% if user %}x{% endif %}",
        "{% csrf_token %}",
        "{% site_menu %}",
        "{% constant %}nested{% endconstant %}",
    ],
)
def test_what_could_differ_between_requests_is_refused_when_the_template_is_read(body):
    with pytest.raises(TemplateSyntaxError, match="may hold only"):
        template("{% constant %}" + body + "{% endconstant %}")


def test_what_is_the_same_on_every_page_of_a_language_is_accepted():
    page = template(
        "{% constant %}<p>{% translate 'Cases' %} {% url 'cases:list' %} "
        "{% static 'brik/brik.css' %} {{ SITE_NAME }} "
        "{% blocktranslate %}{{ SITE_NAME }} – front page{% endblocktranslate %}</p>"
        "{% htmx_script %}{% endconstant %}"
    )
    with translation.override("en"):
        rendered = page.render({"SITE_NAME": "Brik"})
    assert "/cases/" in rendered
    assert "brik/brik.css" in rendered
    assert "Brik – front page" in rendered
    assert "htmx" in rendered


def test_arguments_are_refused():
    with pytest.raises(TemplateSyntaxError, match="no arguments"):
        template("{% constant user %}x{% endconstant %}")


def test_each_language_has_its_own_text():
    page = template("{% constant %}{% translate 'Cases' %}{% endconstant %}")
    with translation.override("en"):
        english = page.render({})
    with translation.override("da"):
        danish = page.render({})
    with translation.override("en"):
        english_again = page.render({})
    assert (english, danish, english_again) == ("Cases", "Sager", "Cases")


def test_the_context_values_it_reads_are_part_of_what_it_is_kept_under():
    page = template("{% constant %}{{ SITE_NAME }} · {{ CENTRE_NAME }}{% endconstant %}")
    assert page.render({"SITE_NAME": "A", "CENTRE_NAME": "X"}) == "A · X"
    assert page.render({"SITE_NAME": "B", "CENTRE_NAME": "X"}) == "B · X"
    assert page.render({"SITE_NAME": "B", "CENTRE_NAME": "Y"}) == "B · Y"


def test_escaping_is_as_outside_the_block():
    page = template("{% constant %}{{ SITE_NAME }}{% endconstant %}")
    assert page.render({"SITE_NAME": "<b>&"}) == "&lt;b&gt;&amp;"
    engine = Engine(
        libraries={"brik_constant": "brik.core.templatetags.brik_constant"}, autoescape=False
    )
    plain = engine.from_string(
        "{% load brik_constant %}{% constant %}{{ SITE_NAME }}{% endconstant %}"
    )
    assert plain.render(Context({"SITE_NAME": "<b>&"}, autoescape=False)) == "<b>&"


def test_it_is_rendered_once_and_then_kept(monkeypatch):
    page = template("{% constant %}{% translate 'Cases' %}{% endconstant %}")
    renders = _counting_renders(page, monkeypatch)
    with translation.override("en"):
        outputs = {page.render({}) for _ in range(3)}
    assert outputs == {"Cases"}
    assert len(renders) == 1


def _counting_renders(page, monkeypatch) -> list:
    node = page.template.nodelist.get_nodes_by_type(brik_constant.ConstantNode)[0]
    renders: list = []
    original = node.nodelist.render

    def counted(context):
        renders.append(1)
        return original(context)

    monkeypatch.setattr(node.nodelist, "render", counted)
    return renders


def test_a_changed_setting_drops_what_was_kept(settings, monkeypatch):
    page = template("{% constant %}{% static 'brik/brik.css' %}{% endconstant %}")
    renders = _counting_renders(page, monkeypatch)
    assert page.render({}) == "/static/brik/brik.css"
    settings.STATIC_URL = "/elsewhere/"
    assert page.render({}) == "/elsewhere/brik/brik.css"
    assert len(renders) == 2


def _frame(user, language: str, seconds_left: int | None, path: str = "/cases/") -> str:
    request = RequestFactory().get(path)
    request.user = user
    request.session = {}
    with translation.override(language):
        page = engines["django"].from_string(
            '{% extends "base.html" %}{% block content %}body{% endblock %}'
        )
        html = page.render({"session_seconds_left": seconds_left, "signed_in": True}, request)
    # The CSRF token is masked anew on every render.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_base_html_is_the_same_kept_as_rendered_afresh(alice, dave, mallory):
    """Each reader's page, in each language, with and without the session's clock: the
    frame rendered after others have been kept equals the frame rendered from nothing."""
    cases = [
        (user, language, seconds)
        for user in (alice, dave, mallory)
        for language in ("da", "en")
        for seconds in (None, 1200, 59)
    ]
    kept = [_frame(*case) for case in cases]
    for case, page in zip(cases, kept, strict=True):
        brik_constant.forget()  # as a changed setting does: nothing kept
        assert _frame(*case) == page, case
    # What differs per request is not kept: the session's seconds, the reader's name.
    assert 'data-session-left="59"' in kept[2]
    assert 'data-session-left="1200"' in kept[1]
    assert "data-session-left" not in kept[0]
    assert "Alice" in kept[0]
    assert "Mallory" in kept[-1]
    assert "Årsrapporter" in kept[0]
    assert "Annual reports" in kept[3]
    assert ' lang="en"' in kept[3]
    assert ' lang="da"' in kept[0]
