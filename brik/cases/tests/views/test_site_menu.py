"""The header's menu (brik_ui.site_menu) writes what its template wrote, byte for byte.

The template it replaced (brik/site_menu.html, as it was) is kept here and rendered
beside the tag for every kind of reader, on several pages, in both languages, with
text that needs escaping; the one-time form tokens are made equal.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.urls import resolve
from django.utils import translation

from brik.accounts.models import User
from brik.accounts.permissions import Ability, can
from brik.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db

TEMPLATE = """
{% load i18n brik_ui %}
<nav aria-label="{% translate 'Main menu' %}">
  <ul class="site-nav">
    {% nav_items as items %}
    {% for item in items %}
      <li><a href="{{ item.url }}"{% if item.current %} aria-current="page"{% endif %}>{{ item.label }}</a></li>
    {% endfor %}
  </ul>
  <ul class="site-tools">
    {# search_box: the former tag's answer, given in the context #}
    {% if search_box %}
    <li>
      <form action="{% url 'search:results' %}" method="get" role="search" class="header-search">
        <label for="header-search" class="visually-hidden">{% translate "Find a person" %}</label>
        <input type="search" id="header-search" name="q" maxlength="200" autocomplete="off" placeholder="{% translate 'Name, date of birth, phone or case code' %}" value="{% if request.resolver_match.view_name == 'search:results' %}{{ request.GET.q }}{% endif %}">
        <button type="submit" class="secondary">{% translate "Search" %}</button>
      </form>
    </li>
    {% endif %}
    <li>
      <form action="{% url 'set_language' %}" method="post" class="language-switch">
        {% csrf_token %}
        <input type="hidden" name="next" value="{{ request.get_full_path }}">
        {% get_available_languages as LANGUAGES %}
        {% get_language_info_list for LANGUAGES as languages %}
        <span role="group" aria-label="{% translate 'Language' %}">
        {% for language in languages %}
          <button type="submit" name="language" value="{{ language.code }}" lang="{{ language.code }}" class="language-button"{% if language.code == LANGUAGE_CODE %} aria-pressed="true"{% else %} aria-pressed="false"{% endif %}>{{ language.name_local|capfirst }}</button>
        {% endfor %}
        </span>
      </form>
    </li>
    {% if user.is_authenticated %}
      <li class="user-name"><span>{{ user.get_full_name|default:user.username }}{% if user.organisation %} <small>· {{ user.organisation.short_name|default:user.organisation.name }}</small>{% endif %}</span></li>
      <li><a href="{% url 'api_tokens:list' %}">{% translate "API tokens" %}</a></li>
      <li>
        <form action="{% url 'logout' %}" method="post">
          {% csrf_token %}
          <button type="submit" class="link-button">{% translate "Log out" %}</button>
        </form>
      </li>
    {% endif %}
  </ul>
</nav>
"""

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _rendered(source: str, request) -> str:
    user = request.user
    # What the former tag search_ui.shows_search_box answered.
    search_box = user.is_authenticated and can(user, Ability.CASE_LIST)
    html = engines["django"].from_string(source).render({"search_box": search_box}, request)
    return TOKEN.sub('name="csrfmiddlewaretoken" value="X"', html)


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize(
    "path",
    [
        "/cases/",
        "/work/",
        "/statistics/",
        "/search/?q=%3Cscript%3E%22&q=Ana+%26+Bo",
        "/search/",
        "/cases/?status=new&q=a%22b",
    ],
)
@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "erin", "frank", "oscar", None])
def test_the_menu_is_the_templates(rf, request, who, path, language):
    user = request.getfixturevalue(who) if who else AnonymousUser()
    if who == "bob":  # a name and an organisation that need escaping, no short name
        user.first_name, user.last_name = "Bo <b>", "O'Hara & Co"
        user.save()
        user.organisation.short_name = ""
        user.organisation.name = 'Politi "Øst" <i>'
        user.organisation.save()
        user = User.objects.get(pk=user.pk)
    if who == "erin":  # no name at all: the user name shows
        user.first_name = user.last_name = ""
        user.save()
    if who:  # past the second factor (django-otp's middleware says so on the request's user)
        user.is_verified = lambda: True
    web = rf.get(path)
    web.user = user
    web.session = SessionStore()
    web.resolver_match = resolve(path.partition("?")[0])
    with translation.override(language):
        old = _rendered(TEMPLATE[1:], web)
        new = _rendered("{% load brik_ui %}{% site_menu %}", web)
    assert new == old
    assert ("header-search" in new) == (who in ("alice", "bob", "carol"))


@pytest.mark.parametrize("language", ["da", "en"])
def test_before_the_second_factor_the_menu_offers_only_language_and_logging_out(
    rf, alice, language
):
    """Alice (a caseworker) has given her password, not yet her code: every page but the
    second factor's refuses her, so the menu does not offer them, nor the search box or
    the API tokens; it offers the language and logging out."""
    alice.is_verified = lambda: False
    web = rf.get("/login/2fa/")
    web.user = alice
    web.session = SessionStore()
    web.resolver_match = resolve("/cases/")
    with translation.override(language):
        before = _rendered("{% load brik_ui %}{% site_menu %}", web)
        alice.is_verified = lambda: True
        after = _rendered("{% load brik_ui %}{% site_menu %}", web)
    for offered in ('href="/cases/"', "header-search", 'href="/account/api-tokens/"'):
        assert offered not in before
        assert offered in after
    for kept in ('class="language-switch"', 'action="/logout/"', "user-name"):
        assert kept in before


def _reference_items(user, path: str) -> list[tuple[str, str, bool]]:
    """The menu's pages as nav_items chose them before its links were kept: each
    ability asked with can(), each URL reversed, the most specific current page."""
    from django.urls import NoReverseMatch, reverse

    from brik.cases.templatetags.brik_ui import NAVIGATION

    items = []
    for name, label, ability in NAVIGATION:
        if not can(user, ability):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append([url, str(label), path == url or (url != "/" and path.startswith(url))])
    current = [item for item in items if item[2]]
    for item in current:
        item[2] = item is max(current, key=lambda i: len(i[0]))
    if user.is_staff:
        items.append([reverse("admin:index"), str(translation.gettext("Administration")), False])
    return [tuple(item) for item in items]


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_kept_links_are_each_readers_own_and_follow_a_change_of_role(
    rf, alice, carol, dave, erin, frank, oscar, language
):
    """nav_items keeps the links per abilities and language: every reader still gets
    exactly the pages their role opens, staff the administration, and a reader whose
    role changes gets the new role's pages on the next page."""
    from brik.cases.templatetags.brik_ui import nav_items

    oscar.is_staff = True
    readers = [alice, carol, dave, erin, frank, oscar]
    with translation.override(language):
        for _round in range(2):  # the second round from what the first kept
            for user in readers:
                user.is_verified = lambda: True
                for path in ("/cases/", "/work/", "/referrals/new/", "/statistics/"):
                    web = rf.get(path)
                    web.user = user
                    got = [
                        (i["url"], str(i["label"]), i["current"])
                        for i in nav_items({"request": web})
                    ]
                    assert got == _reference_items(user, path), (user.username, path)
        before = [i["url"] for i in nav_items({"request": _request(rf, alice)})]
        alice.role = erin.role
        after = [i["url"] for i in nav_items({"request": _request(rf, alice)})]
    assert before != after
    assert after == [url for url, _label, _current in _reference_items(alice, "/cases/")]


def _request(rf, user):
    web = rf.get("/cases/")
    web.user = user
    return web
