"""Every page is in Danish and English: no string of these pages lacks its Danish."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from brik.cases.tests.views.conftest import login

PO = Path(settings.BASE_DIR) / "brik" / "locale" / "da" / "LC_MESSAGES" / "django.po"
PAGES = re.compile(
    r"brik/(templates/|cases/(templates|views|forms|selectors|templatetags)|"
    r"cooperation/(templates|views|forms)|core/(choices|forms|views))"
)


def po_entries(text: str):
    """(references, flags, msgstrs) of each entry of a .po file."""
    for block in text.split("\n\n"):
        lines = block.strip().splitlines()
        if not lines or any(line.startswith("#~") for line in lines):
            continue
        references = " ".join(line[3:] for line in lines if line.startswith("#: "))
        flags = " ".join(line[3:] for line in lines if line.startswith("#, "))
        strings, current = [], None
        for line in lines:
            if line.startswith("msgstr"):
                current = [line.split(" ", 1)[1].strip('"')]
                strings.append(current)
            elif line.startswith('"') and current is not None:
                current.append(line.strip('"'))
            elif not line.startswith('"'):
                current = None
        yield references, flags, ["".join(parts) for parts in strings]


def test_every_string_of_the_case_and_cooperation_pages_has_its_danish():
    ours = [
        (references, flags, strings)
        for references, flags, strings in po_entries(PO.read_text(encoding="utf-8"))
        if PAGES.search(references)
    ]
    missing = [refs for refs, flags, strings in ours if "fuzzy" in flags or not all(strings)]
    assert len(ours) > 400  # the catalogue was read, not skipped
    assert missing == []


def test_every_translatable_string_in_the_code_has_its_danish(tmp_path):
    """The catalogue made again from a copy of the code (`make messages` does the same to
    the real one): a string written since it was last made, or changed, would be a new
    entry without its Danish here. Reading the committed catalogue alone could not see
    it (five such strings had been missed: an admin page, the API's answers)."""
    shutil.copytree(
        Path(settings.BASE_DIR) / "brik",
        tmp_path / "brik",
        ignore=shutil.ignore_patterns("__pycache__", "*.mo"),
    )
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "--locale", "da"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "brik.settings"},
        check=True,
        capture_output=True,
    )
    made = (tmp_path / PO.relative_to(settings.BASE_DIR)).read_text(encoding="utf-8")
    entries = list(po_entries(made))
    missing = [refs for refs, flags, strings in entries if "fuzzy" in flags or not all(strings)]
    assert len(entries) > 1000  # the code was read
    assert missing == []


TRANSLATING = {"gettext", "_", "ngettext", "pgettext", "npgettext", "gettext_lazy"}


def _translation_calls_in_f_strings(source: str) -> list[int]:
    """Lines of translation calls written inside an f-string's braces."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call):
                name = getattr(inner.func, "id", getattr(inner.func, "attr", ""))
                if name in TRANSLATING:
                    lines.append(inner.lineno)
    return lines


def test_no_text_is_translated_inside_an_f_string():
    """xgettext (`make messages`) does not read inside f-strings: a text translated only
    there drops out of the catalogue, and its Danish with it (the menu's name and the
    search box's hint were shown in English on every Danish page)."""
    assert _translation_calls_in_f_strings("f\"<b>{gettext('Main menu')}</b>\"") == [1]
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{line}"
        for path in sorted((Path(settings.BASE_DIR) / "brik").rglob("*.py"))
        if "migrations" not in path.parts
        for line in _translation_calls_in_f_strings(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_pages_speak_danish_by_default(alice, identified_case):
    client = login(alice, "da")
    assert "Mit arbejde" in client.get(reverse("cases:my_work")).content.decode()
    page = client.get(identified_case.get_absolute_url()).content.decode()
    assert "Næste skridt" in page
    assert "Identificeret som offer" in page


def test_danish_dates_are_written_day_first_with_dots(alice, identified_case):
    page = login(alice, "da").get(identified_case.get_absolute_url()).content.decode()
    assert "10.03.2021" in page


def test_the_language_switcher_changes_the_language(alice):
    client = login(alice, "da")
    client.post(reverse("set_language"), {"language": "en", "next": reverse("cases:my_work")})
    assert "My work" in client.get(reverse("cases:my_work")).content.decode()
