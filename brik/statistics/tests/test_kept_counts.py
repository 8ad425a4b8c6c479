"""The report's counts kept per slice of persons (brik.statistics.selectors.stored)
give what counting everyone afresh gives, after every kind of write.

Each test makes the slices small (3 persons), so that a history of a few dozen
persons spans many slices, and compares the internal report (every count exact)
built from the kept counts with the one built without them.
"""

import dataclasses
import datetime as dt
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brik.cases import services as case_services
from brik.cases.models import (
    Case,
    ExploitationForm,
    Person,
    PersonCitizenship,
    PreparedReturn,
    Referral,
)
from brik.core import choices
from brik.statistics import changes
from brik.statistics.models import KeptCount, KeptCountPart, PersonChange
from brik.statistics.report import report_build
from brik.statistics.selectors import kept, stored
from brik.statistics.tests.conftest import build_random_history

YEAR = 2022


@pytest.fixture
def small_slices(monkeypatch, db):
    monkeypatch.setattr(changes, "PERSONS_PER_SLICE", 3)
    changes.install()
    kept.forget()
    yield
    kept.forget()


def _built(year: int = YEAR) -> dict:
    return dataclasses.asdict(report_build(year=year, language="en", internal=True))


def _afresh(settings, year: int = YEAR) -> dict:
    settings.BRIK_STATISTICS_KEPT_COUNTS = False
    try:
        return _built(year)
    finally:
        settings.BRIK_STATISTICS_KEPT_COUNTS = True


def _same(settings, year: int = YEAR) -> None:
    kept_counts = _built(year)
    assert kept_counts == _afresh(settings, year)


@pytest.fixture
def counted(small_slices, history, settings):
    build_random_history(history, seed=11, persons=40)
    _same(settings)
    assert KeptCount.objects.count() > 20
    assert KeptCountPart.objects.values("slice").distinct().count() > 5
    return history


@pytest.fixture
def slices_counted(monkeypatch):
    """The slices each build counts (Sliced.of_slice's calls)."""
    calls: list[int] = []
    of_slice = stored.Sliced.of_slice

    def counting(self, connection, number):
        calls.append(number)
        return of_slice(self, connection, number)

    monkeypatch.setattr(stored.Sliced, "of_slice", counting)
    return calls


def test_a_build_with_no_change_counts_nothing_again(counted, slices_counted):
    with CaptureQueriesContext(connection) as queries:
        _built()
    assert slices_counted == []
    # The last change and every kept count: two queries, however many counts and persons.
    store = [
        q["sql"]
        for q in queries.captured_queries
        if "statistics_keptcount" in q["sql"] or "statistics_personchange" in q["sql"]
    ]
    # (On PostgreSQL the last change is read after LOCK TABLE: brik.statistics.selectors.stored.)
    assert len(store) == (3 if connection.vendor == "postgresql" else 2), store


def test_a_new_decision_is_counted_in_its_slice_alone(counted, settings, slices_counted):
    before = _built()
    counted.decide(decided_on=dt.date(YEAR, 8, 1), gender=choices.Gender.MAN, citizenships=("VN",))
    changed = set(PersonChange.objects.values_list("slice", flat=True))
    assert len(changed) == 1
    after = _built()
    # Each kept count, once, for the one changed slice.
    assert set(slices_counted) == changed
    assert len(slices_counted) == KeptCount.objects.count()
    assert after != before
    assert after == _afresh(settings)


def _changed(settings, before: dict, year: int = YEAR) -> dict:
    """The report built again: different from `before`, and as counted afresh."""
    after = _built(year)
    assert after != before, "the write changed a figure"
    assert after == _afresh(settings, year)
    return after


def _counted_in(year: int):
    return Person.objects.filter(
        cases__decided_on__year=year, cases__outcome=choices.Outcome.IDENTIFIED
    ).order_by("id")


def test_writes_of_every_kind_are_counted(counted, settings):
    report = _built()
    person = _counted_in(YEAR).first()
    # A save through the ORM (the admin's way), without a service.
    person.gender = (
        choices.Gender.MAN if person.gender != choices.Gender.MAN else choices.Gender.WOMAN
    )
    person.save()
    report = _changed(settings, report)
    # An update of many rows at once (no signal, no save()).
    Person.objects.filter(id__in=_counted_in(YEAR).values("id")[:6]).update(birth_year=1950)
    report = _changed(settings, report)
    # A citizenship deleted, another added.
    PersonCitizenship.objects.filter(person=person).delete()
    PersonCitizenship.objects.create(person=person, country="DK")
    report = _changed(settings, report)
    # A form of exploitation deleted.
    ExploitationForm.objects.filter(
        assessment__case__decided_on__year=YEAR, assessment__case__person=person
    ).first().delete()
    report = _changed(settings, report)
    # A decision's date moved to the next year by SQL.
    earlier = _built(YEAR - 1)
    case = Case.objects.filter(
        decided_on__year=YEAR - 1, outcome=choices.Outcome.IDENTIFIED, closed_on__isnull=True
    ).first()
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{Case._meta.db_table}" SET decided_on = %s WHERE id = %s',  # noqa: S608
            [dt.date(YEAR, 1, 2), case.id],
        )
    _changed(settings, report)
    _changed(settings, earlier, YEAR - 1)


def test_an_organisation_s_type_counts_everyone_again(counted, settings):
    report = _built()
    organisation = counted.referrers[1]
    type(organisation).objects.filter(id=organisation.id).update(
        type=choices.OrganisationType.MUNICIPALITY
    )
    assert PersonChange.objects.filter(slice=changes.EVERY_SLICE).exists()
    _changed(settings, report)


def test_a_return_and_its_follow_up_are_counted(counted, settings, alice):
    report = _built()
    case = Case.objects.filter(
        outcome=choices.Outcome.IDENTIFIED, decided_on__year=YEAR, decided_on__month__lte=6
    ).first()
    counted.prepared_return(case, departed_on=case.decided_on + dt.timedelta(days=30))
    report = _changed(settings, report)
    PreparedReturn.objects.filter(case=case).delete()
    _changed(settings, report)


def test_a_person_written_without_the_services_is_counted(counted, settings):
    """A person and a decided case inserted as a bulk load would (no service, no audit)."""
    report = _built()
    person = Person.objects.create(
        code="BRK-2022-99991", gender=choices.Gender.MAN, birth_year=1980
    )
    referrer = counted.referrers[0]
    case = Case.objects.create(
        person=person,
        referred_on=dt.date(YEAR, 3, 1),
        decided_on=dt.date(YEAR, 3, 5),
        outcome=choices.Outcome.IDENTIFIED,
        status=choices.CaseStatus.IDENTIFIED,
    )
    Referral.objects.create(
        case=case, referring_organisation=referrer, referred_on=case.referred_on
    )
    report = _changed(settings, report)
    case.delete()
    person.delete()
    _changed(settings, report)


def test_a_rolled_back_write_marks_nothing(counted):
    from django.db import transaction

    changed = PersonChange.objects.count()

    def rolled_back() -> None:
        with transaction.atomic():
            Person.objects.update(gender=choices.Gender.UNKNOWN)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        rolled_back()
    assert PersonChange.objects.count() == changed


def test_an_update_that_changes_nothing_marks_nothing(counted):
    changed = PersonChange.objects.count()
    Person.objects.filter(id__in=Person.objects.values("id")[:5]).update(
        gender=choices.Gender.WOMAN
    )
    same = Person.objects.filter(gender=choices.Gender.WOMAN).first()
    Person.objects.filter(id=same.id).update(gender=choices.Gender.WOMAN)
    assert PersonChange.objects.count() <= changed + 5


def test_every_table_the_kept_counts_read_has_triggers(counted):
    """A kept query reading a table that writes no changes would keep stale counts."""
    import re

    _built()
    tables = set()
    for entry in kept._SLICED.values():
        tables |= set(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', entry.sliced.sql))
    assert tables, "the report kept some counts"
    assert tables <= changes.tracked_tables(), tables - changes.tracked_tables()


def test_only_counts_over_persons_are_kept():
    from django.db.models import Count

    with pytest.raises(ValueError, match="not a count that sums over persons"):
        stored.summed_columns(
            Case.objects.values("outcome").annotate(
                n=Count("person__citizenships__country", distinct=True)
            )
        )
    assert stored.summed_columns(
        Case.objects.values("outcome").annotate(n=Count("person", distinct=True))
    ) == (1,)


def test_the_changes_counted_by_every_kept_count_are_dropped(counted, settings):
    counted.decide(decided_on=dt.date(YEAR, 9, 1))
    assert PersonChange.objects.exists()
    _built()
    seen = min(KeptCount.objects.values_list("seen", flat=True))
    assert not PersonChange.objects.filter(id__lte=seen).exists()


def test_the_triggers_are_made_after_migrate(db):
    assert changes.complete()
    assert changes.installed() == changes.expected()[connection.vendor]


@pytest.mark.django_db(transaction=True)
def test_a_migration_that_drops_a_tracked_column_runs_and_the_triggers_follow():
    """Undoing cases/0022 drops two columns of the cases (a tracked table): SQLite
    refuses while a trigger names them (pre_migrate drops the triggers). After each
    migrate the triggers are complete again, and every slice is marked changed."""
    from django.core.management import call_command

    call_command("migrate", "cases", "0021", verbosity=0)
    try:
        assert changes.complete()
        if connection.vendor == "sqlite":
            assert PersonChange.objects.filter(slice=changes.EVERY_SLICE).exists()
            PersonChange.objects.all().delete()
    finally:
        call_command("migrate", verbosity=0)
    assert changes.complete()
    if connection.vendor == "sqlite":
        assert PersonChange.objects.filter(slice=changes.EVERY_SLICE).exists()


def test_without_its_triggers_the_report_counts_afresh(counted, settings, caplog):
    """A database whose triggers are gone (restored without them, say) keeps no counts:
    a kept count could miss a write."""
    changes.remove()
    try:
        assert not changes.complete()
        before = KeptCount.objects.count()
        person = _counted_in(YEAR).first()
        person.birth_year = 1940
        person.save()
        with caplog.at_level("WARNING", logger="brik.statistics.selectors.stored"):
            kept_counts = _built()
        assert "change triggers are missing" in caplog.text
        assert kept_counts == _afresh(settings)
        assert KeptCount.objects.count() == before
    finally:
        changes.install()
    assert changes.complete()
    # The write made without the triggers is counted once they are back.
    assert _built() == _afresh(settings)
    assert KeptCount.objects.count() == before


def test_a_case_closed_and_reopened_through_the_services(counted, settings, alice):
    report = _built()
    case = Case.objects.filter(decided_on__year=YEAR).exclude(status="closed").first()
    case_services.case_close(
        actor=alice,
        case=case,
        closed_on=case.decided_on,
        reason=choices.ClosingReason.OTHER,
        note="Synthetic.",
    )
    report = _changed(settings, report)
    case_services.case_reopen(
        actor=alice,
        case=case,
        reopened_on=case.decided_on + dt.timedelta(days=1),
        reason=choices.ReopenReason.CLOSED_IN_ERROR,
    )
    _changed(settings, report)


def test_the_check_command_compares_with_a_recount(counted):
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("statistics_check", year=YEAR, stdout=out)
    assert "0 different" in out.getvalue()
    # A kept count made wrong (as a missed write would leave it).
    entry = max(KeptCount.objects.all(), key=lambda e: len(e.rows))
    wrong = json.loads(entry.rows)
    wrong[0][1][0] += 1
    KeptCount.objects.filter(id=entry.id).update(rows=json.dumps(wrong))
    out = io.StringIO()
    with pytest.raises(CommandError, match="differ from a recount") as failed:
        call_command("statistics_check", year=YEAR, stdout=out)
    assert failed.value.returncode == 1
    assert "kept" in out.getvalue()
    call_command("statistics_check", forget=True, stdout=io.StringIO())
    assert not KeptCount.objects.exists()
    call_command("statistics_check", year=YEAR, stdout=io.StringIO())


def test_many_changed_slices_are_counted_again_at_once(counted, settings, slices_counted):
    report = _built()
    persons = list(_counted_in(YEAR).values_list("id", flat=True).distinct())
    Person.objects.filter(id__in=persons).update(gender=choices.Gender.UNKNOWN)
    changed = set(PersonChange.objects.values_list("slice", flat=True))
    size = changes.PERSONS_PER_SLICE
    slices = max(persons) // size - min(persons) // size + 1
    assert len(changed) > stored.REBUILD_SHARE * slices
    _changed(settings, report)
    assert slices_counted == [], "one query grouped by slice, not one per slice"


def test_a_slice_of_cases_is_read_through_the_person_index(counted):
    """Counting a slice again reads its persons' cases, not a year of cases (on SQLite,
    whose planner would take the date index: the query names the person index)."""
    assert kept.PERSON_INDEX in {index.name for index in Case._meta.indexes}
    _built()
    if connection.vendor != "sqlite":
        return
    named = [s for s in kept._SLICED.values() if "INDEXED BY" in s.sliced.sql]
    assert len(named) >= 15
    for entry in named:
        params = [0 if p == stored.LO else 3 if p == stored.HI else p for p in entry.sliced.params]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + entry.sliced.sql, params)
            plan = " | ".join(row[-1] for row in cursor.fetchall())
        # Cases found by person (a range of the slice, or each person of it), never
        # by a range of dates.
        assert re.search(
            f"cases_case USING (COVERING )?INDEX {kept.PERSON_INDEX} \\(person_id", plan
        ), plan
        assert "decided_on>? AND decided_on<?) |" not in plan.split(kept.PERSON_INDEX)[0], plan
