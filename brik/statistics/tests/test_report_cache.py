"""The analysts' report is kept between views and built again when a figure may change."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brik.statistics.caching import report_cached
from brik.testing.factories import TEST_PASSWORD


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def some_cases(history):
    for day in range(1, 8):
        history.decide(decided_on=dt.date(2021, 3, day))
    return history


def _identified(report) -> int:
    return next(f for f in report.key_figures if f.slug == "identified").value


def _queries(**kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        report_cached(**kwargs)
    return len(queries)


def test_a_second_view_reads_the_kept_report(some_cases):
    built = _queries(year=2021, language="en", internal=True)
    assert built > 20
    assert _queries(year=2021, language="en", internal=True) <= 4


def test_a_new_decision_shows_on_the_next_view(client, carol, some_cases):
    client.login(username=carol.username, password=TEST_PASSWORD)
    url = reverse("statistics:index")
    params = {"year": 2021, "lang": "en", "version": "internal"}
    first = client.get(url, params)
    assert _identified(first.context["report"]) == 7
    # The view itself wrote an audit row (a read): the kept report is still used.
    assert _queries(year=2021, language="en", internal=True) <= 4

    some_cases.decide(decided_on=dt.date(2021, 5, 1))
    second = client.get(url, params)
    assert _identified(second.context["report"]) == 8


def test_a_prepared_return_shows_on_the_next_view(some_cases):
    before = report_cached(year=2021, language="en", internal=True)
    returned = next(f for f in before.key_figures if f.slug == "returned").value
    case = some_cases.decide(decided_on=dt.date(2021, 6, 1))
    some_cases.prepared_return(case, departed_on=dt.date(2021, 7, 1))
    after = report_cached(year=2021, language="en", internal=True)
    assert next(f for f in after.key_figures if f.slug == "returned").value == returned + 1


def test_each_language_and_version_is_kept_apart(some_cases):
    internal = report_cached(year=2021, language="en", internal=True)
    public = report_cached(year=2021, language="da", internal=False)
    assert (internal.internal, internal.language) == (True, "en")
    assert (public.internal, public.language) == (False, "da")
    assert report_cached(year=2021, language="en", internal=True).internal


def test_a_report_built_on_another_history_is_not_served(some_cases, counted_afresh):
    report_cached(year=2021, language="en", internal=True)
    # The same position in the log with another hash: another database (or a restore).
    key = "brik:statistics:report:2021:en:internal"
    (sequence, _hash, last_case), report = cache.get(key)
    cache.set(key, ((sequence, "f" * 64, last_case), report))
    assert _queries(year=2021, language="en", internal=True) > 20


def test_the_settings_keep_the_report_in_the_database_for_every_worker(some_cases):
    """brik.settings keeps Django's cache in the database's table brik_cache, which
    core's migration makes (the test database has it, though the tests keep their own
    cache in memory), so a report one worker or app server built is there for the
    others: a cache object of its own, as another process has, finds it."""
    from django.core.cache.backends.db import DatabaseCache
    from django.test import override_settings

    import brik.settings

    shared = brik.settings.CACHES["default"]
    assert shared["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert shared["LOCATION"] in connection.introspection.table_names()
    with override_settings(CACHES={"default": {**shared}}):
        built = report_cached(year=2021, language="en", internal=True)
        key = "brik:statistics:report:2021:en:internal"
        other_process = DatabaseCache(shared["LOCATION"], {"KEY_PREFIX": shared["KEY_PREFIX"]})
        (_position, kept) = other_process.get(key)
        assert _identified(kept) == _identified(built) == 7
        assert _queries(year=2021, language="en", internal=True) <= 6
        # Another version of the code never reads what this one kept.
        assert DatabaseCache(shared["LOCATION"], {"KEY_PREFIX": "0" * 16}).get(key) is None


def test_the_cache_prefix_changes_with_the_code_but_not_with_its_tests(tmp_path):
    from brik.settings import code_fingerprint

    (tmp_path / "tests").mkdir()
    (tmp_path / "report.py").write_text("A = 1\n")
    (tmp_path / "tests" / "test_report.py").write_text("B = 1\n")
    before = code_fingerprint(tmp_path)
    (tmp_path / "tests" / "test_report.py").write_text("B = 2\n")
    assert code_fingerprint(tmp_path) == before
    (tmp_path / "report.py").write_text("A = 2\n")
    assert code_fingerprint(tmp_path) != before
