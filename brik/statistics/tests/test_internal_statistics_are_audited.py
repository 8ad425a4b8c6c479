"""Every internal statistics page and download is in the action log: who, which year,
which format. The test walks every statistics URL, so a new page cannot be forgotten."""

import datetime as dt

import pytest
from django.urls import URLPattern, reverse

from brik.audit.models import ActionLog
from brik.statistics import exports
from brik.statistics.urls import urlpatterns

SAMPLE = {"year": 2021, "fmt": "html", "lang": "en", "token": "x"}


def _internal_urls(client) -> list[str]:
    """The statistics URLs that ask an anonymous visitor to log in (for each download format)."""
    urls = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = pattern.pattern.converters
        formats = exports.FORMATS if "fmt" in names else [None]
        for fmt in formats:
            kwargs = {k: (fmt if k == "fmt" else SAMPLE[k]) for k in names}
            url = reverse(f"statistics:{pattern.name}", kwargs=kwargs)
            response = client.get(url)
            if response.status_code == 302 and reverse("login") in response["Location"]:
                urls.append(url)
    return urls


@pytest.fixture
def some_cases(history):
    for day in range(1, 7):
        history.decide(decided_on=dt.date(2021, 3, day))
    return history


def test_every_internal_statistics_page_and_download_writes_an_audit_row(client, bob, some_cases):
    urls = _internal_urls(client)
    assert len(urls) >= 1 + len(exports.FORMATS) + 1  # the page, each download, publishing
    client.force_login(bob)
    for url in urls:
        before = ActionLog.objects.filter(actor=bob).count()
        response = client.get(url, {"year": 2021, "lang": "en"})
        assert response.status_code == 200, url
        rows = ActionLog.objects.filter(actor=bob).order_by("-id")[
            : ActionLog.objects.filter(actor=bob).count() - before
        ]
        entry = next((r for r in rows if r.action.startswith("brik.statistics.")), None)
        assert entry is not None, f"{url} is not in the action log"
        assert entry.data["year"] == 2021, url
        assert entry.data["format"], url
        assert "internal" in entry.data, url


def test_the_report_page_records_year_format_and_version(client, carol, some_cases):
    client.force_login(carol)
    client.get(reverse("statistics:index"), {"year": 2021, "lang": "en", "version": "public"})
    entry = ActionLog.objects.get(action="brik.statistics.viewed")
    assert entry.actor == carol
    assert entry.data == {"year": 2021, "format": "page", "language": "en", "internal": False}
