"""Which fields a change touched: old and new values, never those of encrypted fields."""

import datetime as dt

from brik.audit.services import changes_since, snapshot
from brik.cases.models import Case


def test_only_the_fields_that_changed_are_listed_with_old_and_new_values(referred_case, bob):
    case = Case.objects.get(pk=referred_case.pk)
    before = snapshot(case)
    case.assigned_to = bob
    case.stay_from = dt.date(2021, 4, 1)

    assert changes_since(case, before) == {
        "assigned_to": {"from": referred_case.assigned_to_id, "to": bob.pk},
        "stay_from": {"from": None, "to": "2021-04-01"},
    }


def test_an_encrypted_field_is_only_said_to_have_changed(referred_case):
    case = Case.objects.get(pk=referred_case.pk)
    before = snapshot(case)
    case.closing_note = "Moved to a shelter in Odense"

    assert changes_since(case, before) == {"closing_note": {"changed": True}}


def test_nothing_changed_gives_an_empty_record(referred_case):
    case = Case.objects.get(pk=referred_case.pk)
    assert changes_since(case, snapshot(case)) == {}


def test_a_snapshot_can_be_limited_to_some_fields(referred_case, bob):
    case = Case.objects.get(pk=referred_case.pk)
    before = snapshot(case, ["status"])
    case.assigned_to = bob

    assert before == {"status": "referred"}
    assert changes_since(case, before) == {}
