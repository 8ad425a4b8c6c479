"""Every role, in both languages, follows the links its pages show on the demo.

What a person clicking through Brik would meet: a link that ends on an error
page, a refusal or a missing page, and words left in the other language. Each
demo role logs in, chooses its language with the switcher, and walks the pages
from the front page breadth first (links, htmx fragments, and search and filter
forms sent as they stand and with every choice at its last option; no downloads,
no logout; at most PAGES_PER_SHAPE pages of a path's shape, such as /cases/N/, with or
without a query, and PAGES_PER_WALK in all).

"Words in the other language" are the translation catalogue's own: a Danish page
may not show an English text that has a Danish translation, and an English page
not a Danish translation, each of at least MIN_WORDS words (single words, such as
"Status", are often the same in both). A text inside its own translation ("Under
18" in "Under 18 år") does not count. Records' own texts are data, shown as they
were entered: the centre names its organisations and its action plan in Danish,
partners abroad have English names, and the population's source was entered in
English.

What the walks found when they were written: the site menu's name and the search
box's hint in English on every Danish page (translated inside f-strings, which
`make messages` cannot read: brik/cases/tests/views/test_translations.py now
refuses those), the admin's permission names and a password help text in the
wrong language, and an untranslated column ("focus area") in the admin.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.utils.translation.trans_real import translation as catalogue_of

from brik.accounts.models import Organisation, User
from brik.cooperation.models import FocusArea, Initiative, JointAction, Milestone, PlanIndicator
from brik.demo.tests.conftest import DEMO_TODAY, frozen_at
from brik.statistics.models import Population

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("demo_world", "db")]

ROLES = ("caseworker", "lead", "analyst", "police", "outreach", "admin", "auditor")
PAGES_PER_WALK = 200
PAGES_PER_SHAPE = 3
MIN_WORDS = 2
# Not pages: files to download (each is tested on its own), the language switch and
# logging out, which end the walk's session or change its language.
SKIPPED = re.compile(
    r"^/(static|i18n)/|logout|/download|\.(pdf|csv|xlsx|json|svg|png|zip)$"
    r"|[?&](format|download)="
)
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "value")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Page(HTMLParser):
    """The links and fragments a page asks for, its search and filter forms sent as
    they stand, and the text a reader sees or hears."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.text: dict[str, list[str]] = {}  # by language ("" the page's)
        self._parts: list[list] = []  # [tag, language, depth] of elements with a lang
        self._hidden = 0
        self.language = ""  # as the page declares it: <html lang>
        # (action, fields as they stand, fields with every choice at its last option)
        self._form: tuple[str, list[tuple[str, str]], list[tuple[str, str]]] | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # (name, values, chosen)

    def _get_form(self, tag, attrs) -> None:
        if tag == "form" and attrs.get("method", "get").lower() == "get":
            self._form = (attrs.get("action") or "", [], [])
        if self._form is None or (not attrs.get("name") and tag != "option"):
            return
        if tag == "input" and attrs.get("type", "text") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                for fields in self._form[1:]:
                    fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select":
            self._select = (attrs["name"], [], [])
        elif tag == "option" and self._select is not None:
            self._select[1].append(attrs.get("value") or "")
            if "selected" in attrs:
                self._select[2].append(attrs.get("value") or "")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._get_form(tag, attrs)
        if tag == "html":
            self.language = attrs.get("lang", "")
        elif tag not in VOID:
            for part in self._parts:
                part[2] += part[0] == tag
            if attrs.get("lang"):
                self._parts.append([tag, attrs["lang"], 0])
        if tag in ("script", "style"):
            self._hidden += 1
        for name in ("href", "hx-get"):
            if attrs.get(name) and not (tag == "link" and name == "href"):
                self.links.append(attrs[name])
        for name in SHOWN_ATTRIBUTES:
            if name == "value" and attrs.get("type") not in ("submit", "button"):
                continue
            if attrs.get(name):
                self._shown(attrs[name], attrs.get("lang"))

    def _shown(self, text: str, language: str | None = None) -> None:
        language = language or (self._parts[-1][1] if self._parts else "")
        self.text.setdefault(language, []).append(text)

    def handle_endtag(self, tag):
        for part in self._parts:
            part[2] -= part[0] == tag
        while self._parts and self._parts[-1][2] < 0:
            self._parts.pop()
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1
        if tag == "select" and self._select is not None and self._form is not None:
            name, values, chosen = self._select
            self._form[1].extend((name, value) for value in (chosen or values[:1]))
            self._form[2].extend((name, value) for value in values[-1:])
            self._select = None
        if tag == "form" and self._form is not None:
            action, standing, chosen = self._form
            self.links.append(f"{action}?{urlencode(standing)}")
            self.links.append(f"{action}?{urlencode(chosen)}")
            self._form = None

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self._shown(data)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _texts_of_the_other_language(language: str) -> list[tuple[str, str]]:
    """(text that must not show, what should show instead) for pages in `language`."""
    pairs = []
    for key, danish in catalogue_of("da")._catalog.items():
        english = (key[0] if isinstance(key, tuple) else key).split("\x04")[-1]  # no context
        if not english or not danish or "%" in english or "{" in english:
            continue
        english, danish = _flat(english), _flat(danish)
        if english.lower() == danish.lower():
            continue
        shown, instead = (english, danish) if language == "da" else (danish, english)
        if len(shown.split()) >= MIN_WORDS:
            pairs.append((shown, instead))
    return pairs


def _entered_texts() -> list[str]:
    """Texts of records shown as they were entered (see the module)."""
    fields = [
        (Organisation, "name"),
        (PlanIndicator, "name"),
        (FocusArea, "title"),
        (Initiative, "title"),
        (Initiative, "description"),
        (Milestone, "title"),
        (JointAction, "title"),
        (Population, "source"),
    ]
    return [
        _flat(text)
        for model, field in fields
        for text in model.objects.values_list(field, flat=True)
        if text
    ]


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _walk(client, start: str = "/") -> tuple[dict[str, tuple], list[str]]:
    """{path: (its language, {language: text})} of the pages reached (the language ""
    when a page declares none: a fragment), and the links that did not end on a page."""
    seen, shapes = {start}, {}
    queue = deque([(start, "(start)")])
    pages, broken = {}, []
    while queue and len(pages) < PAGES_PER_WALK:
        path, found_on = queue.popleft()
        response = client.get(path, secure=True)
        if response.status_code in (301, 302):
            target = urljoin(path, response["Location"])
            if urlsplit(target).path.startswith("/login"):
                broken.append(f"{path} (on {found_on}) sends to the login")
            elif target not in seen:
                seen.add(target)
                queue.appendleft((target, path))
            continue
        if response.status_code != 200:
            broken.append(f"{path} (on {found_on}) answers {response.status_code}")
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        parser = _Page()
        parser.feed(response.content.decode())
        pages[path] = (
            parser.language,
            {code or parser.language: _flat(" ".join(t)) for code, t in parser.text.items()},
        )
        for link in parser.links:
            parts = urlsplit(urljoin(path, link))
            if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or SKIPPED.search(target):
                continue
            shape = _shape(parts.path)
            shapes[shape] = shapes.get(shape, 0) + 1
            if shapes[shape] > PAGES_PER_SHAPE:
                continue
            seen.add(target)
            queue.append((target, path))
    return pages, broken


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("username", ROLES)
def test_every_link_a_role_sees_leads_to_a_page_in_its_language(client, username, language):
    with frozen_at(DEMO_TODAY):
        client.force_login(User.objects.get(username=username))
        client.post("/i18n/setlang/", {"language": language, "next": "/"}, secure=True)
        foreign = {code: _texts_of_the_other_language(code) for code in ("da", "en")}
        pages, broken = _walk(client)

    assert len(pages) > 5, f"{username} reached only {sorted(pages)}"
    assert not broken, f"{username} ({language}) followed links to no page:\n" + "\n".join(broken)
    # A page is in the language chosen, but for a report asked for in the other one; a
    # fragment (htmx) declares none and is in its page's. Parts of a page in the other
    # language say so (the switcher's "English", the analysts' page's English report).
    elsewhere = [
        path
        for path, (code, _) in pages.items()
        if code not in ("", language) and "lang=" not in path
    ]
    assert not elsewhere, f"{username}'s pages not in {language}: {elsewhere}"
    parts = [
        (path, code or language, text)
        for path, (_, texts) in pages.items()
        for code, text in texts.items()
    ]
    entered = _entered_texts()
    found = sorted(
        {
            f"{path}: {shown!r} (the {code} text: {instead!r})"
            for path, code, text in parts
            for shown, instead in foreign[code]
            if shown in text.replace(instead, "")
            and not any(shown in e and e in text for e in entered)
        }
    )
    assert not found, f"{username}'s pages show the other language:\n" + "\n".join(found[:40])
