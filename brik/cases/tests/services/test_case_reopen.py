"""Reopening a closed case: back to the status its facts give, the closing kept."""

import datetime as dt

import pytest

from brik.cases import services
from brik.cases.models import Reopening
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.core.errors import TransitionError
from brik.testing.factories import referral_kwargs


def reopen(
    case, actor, reopened_on=dt.date(2021, 5, 1), reason=c.ReopenReason.PERSON_RETURNED, **kw
):
    return services.case_reopen(
        actor=actor, case=case, reopened_on=reopened_on, reason=reason, **kw
    )


def test_it_reopens_a_case_closed_before_the_decision(closed_case, alice, logged):
    reopening = reopen(closed_case, alice, note="She called the hotline again.")

    closed_case.refresh_from_db()
    assert closed_case.status == c.CaseStatus.REFERRED
    assert (closed_case.closed_on, closed_case.closing_reason) == (None, "")
    assert reopening.previous_closed_on == dt.date(2021, 3, 20)
    assert reopening.previous_closing_reason == c.ClosingReason.DISAPPEARED
    assert reopening.note == "She called the hotline again."
    row = logged("brik.case.reopened", actor=alice, case=closed_case, obj=reopening)
    assert row.data["previous_closing_reason"] == "disappeared"
    assert row.data["status"] == "referred"


def test_an_interviewed_case_goes_back_to_interviewed(interviewed_case, alice):
    services.case_close(
        actor=alice,
        case=interviewed_case,
        closed_on=dt.date(2021, 3, 20),
        reason=c.ClosingReason.DISAPPEARED,
    )
    reopen(interviewed_case, alice)

    interviewed_case.refresh_from_db()
    assert interviewed_case.status == c.CaseStatus.INTERVIEWED


def test_a_not_identified_case_goes_back_to_not_identified(not_identified_case, alice):
    services.case_close(
        actor=alice,
        case=not_identified_case,
        closed_on=dt.date(2021, 3, 20),
        reason=c.ClosingReason.NOT_IDENTIFIED,
    )
    reopen(not_identified_case, alice, reason=c.ReopenReason.NEW_INFORMATION)

    not_identified_case.refresh_from_db()
    assert not_identified_case.status == c.CaseStatus.NOT_IDENTIFIED


def test_a_supported_case_goes_back_into_support(supported_case, alice):
    services.case_close(
        actor=alice,
        case=supported_case,
        closed_on=dt.date(2021, 3, 20),
        reason=c.ClosingReason.DISAPPEARED,
    )
    reopen(supported_case, alice)

    supported_case.refresh_from_db()
    assert supported_case.status == c.CaseStatus.IN_SUPPORT


def test_a_returned_case_goes_back_to_returned(returned_case, alice, today):
    services.case_close(
        actor=alice,
        case=returned_case,
        closed_on=dt.date(2021, 4, 2),
        reason=c.ClosingReason.RETURN_COMPLETED,
        follow_up_end_reason="The partner closed its office.",
    )
    reopen(returned_case, alice)

    returned_case.refresh_from_db()
    assert returned_case.status == c.CaseStatus.RETURNED


def test_an_open_case_cannot_be_reopened(referred_case, alice, refused):
    with refused("This step is not possible while the case is “Referred”.", error=TransitionError):
        reopen(referred_case, alice)


def test_not_before_the_closing(closed_case, alice, refused):
    with refused(f"A case cannot be reopened before it was closed ({shown(2021, 3, 20)})."):
        reopen(closed_case, alice, reopened_on=dt.date(2021, 3, 19))


def test_another_reason_needs_a_note(closed_case, alice, refused):
    with refused("Say in the note why the case is reopened."):
        reopen(closed_case, alice, reason=c.ReopenReason.OTHER)


def test_not_while_the_person_has_another_open_case(closed_case, alice, dave, police, refused):
    services.case_refer(
        actor=dave,
        referring_organisation=police,
        person=closed_case.person,
        **referral_kwargs(identity=None, referred_on=dt.date(2021, 4, 1)),
    )
    with refused("This person already has an open case: continue that one.", error=TransitionError):
        reopen(closed_case, alice)


def test_reopened_and_closed_again(closed_case, alice):
    reopen(closed_case, alice)
    services.case_close(
        actor=alice,
        case=closed_case,
        closed_on=dt.date(2021, 5, 2),
        reason=c.ClosingReason.TRANSFERRED,
    )
    closed_case.refresh_from_db()
    assert closed_case.closing_reason == c.ClosingReason.TRANSFERRED
    assert Reopening.objects.count() == 1


@pytest.mark.parametrize("status", sorted(c.CASE_OPEN))
def test_the_workflow_offers_reopening_only_when_closed(status):
    from brik.cases import workflow

    assert not workflow.is_allowed("case_reopen", status)
    assert workflow.is_allowed("case_reopen", c.CaseStatus.CLOSED)
