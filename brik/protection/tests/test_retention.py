import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from brik.audit.models import ActionLog
from brik.cases import services
from brik.cases.models import Assessment, Case, Interview, Person, PersonIdentity
from brik.core import choices as c


@pytest.fixture
def closed_case(identified_case, alice):
    """Identified in March 2021, notes recorded, closed on 1 June 2021."""
    Interview.objects.filter(case=identified_case).update(notes="Narrative to drop")
    services.case_close(
        actor=alice,
        case=identified_case,
        closed_on=dt.date(2021, 6, 1),
        reason=c.ClosingReason.DECLINED_SUPPORT,
        note="Closing narrative",
    )
    return identified_case


def _statistics(case: Case) -> tuple:
    case.refresh_from_db()
    person = case.person
    forms = sorted(Assessment.objects.get(case=case).forms.values_list("form", flat=True))
    return (
        person.gender,
        person.birth_year,
        case.outcome,
        case.decided_on,
        forms,
        sorted(person.citizenships.values_list("country", flat=True)),
    )


@time_machine.travel(dt.date(2026, 5, 31))
def test_nothing_is_due_before_five_years(closed_case, capsys):
    call_command("apply_retention")
    assert PersonIdentity.objects.get(person=closed_case.person).given_names == "Testa"
    assert "Dropped 0 item(s)" in capsys.readouterr().out


@time_machine.travel(dt.date(2026, 6, 2))
def test_dry_run_lists_and_changes_nothing(closed_case, capsys):
    call_command("apply_retention", dry_run=True)
    out = capsys.readouterr().out
    assert f"Would drop identity of {closed_case.person.code}" in out
    assert f"Would drop narratives of {closed_case.person.code}" in out
    assert PersonIdentity.objects.get(person=closed_case.person).given_names == "Testa"
    assert Person.objects.get(pk=closed_case.person_id).anonymised_on is None


@time_machine.travel(dt.date(2026, 6, 2))
def test_a_real_run_drops_identity_and_narratives_but_keeps_statistics(closed_case):
    before = _statistics(closed_case)

    call_command("apply_retention", verbosity=0)

    identity = PersonIdentity.objects.get(person=closed_case.person)
    assert identity.full_name == ""
    assert identity.date_of_birth is None
    assert identity.name_index == ""
    assert Interview.objects.get(case=closed_case).notes == ""
    closed_case.refresh_from_db()
    assert closed_case.closing_note == ""
    assert _statistics(closed_case) == before
    person = Person.objects.get(pk=closed_case.person_id)
    assert person.anonymised_on == dt.date(2026, 6, 2)
    actions = set(
        ActionLog.objects.filter(object_id=str(person.pk)).values_list("action", flat=True)
    )
    assert {"brik.retention.identity_dropped", "brik.retention.narratives_dropped"} <= actions


@time_machine.travel(dt.date(2030, 1, 1))
def test_a_person_with_an_open_case_is_kept(referred_case):
    call_command("apply_retention", verbosity=0)
    assert PersonIdentity.objects.get(person=referred_case.person).given_names == "Testa"


@time_machine.travel(dt.date(2026, 6, 2))
def test_a_second_run_does_nothing_more(closed_case):
    call_command("apply_retention", verbosity=0)
    count = ActionLog.objects.count()
    call_command("apply_retention", verbosity=0)
    assert ActionLog.objects.count() == count
