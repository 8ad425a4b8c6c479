"""Without the person's consent to sharing, a partner sees only that their referral was received."""

import datetime as dt

from django.urls import reverse

from brik.accounts.permissions import referral_outcome_visible
from brik.cases import services
from brik.core import choices as c
from brik.testing.factories import referral_kwargs


def _referrals_page(client) -> str:
    return client.get(reverse("cases:referrals")).content.decode()


def test_without_consent_the_partner_sees_only_that_the_referral_was_received(
    dave_client, identified_case
):
    assert identified_case.referral.consent_to_share is False

    page = _referrals_page(dave_client)

    assert identified_case.code in page
    assert "Received" in page
    assert "Identified as victim" not in page
    assert identified_case.get_status_display() not in page


def test_a_person_not_identified_is_not_told_to_the_partner_without_consent(
    dave_client, dave, police, alice
):
    case = services.case_refer(actor=dave, referring_organisation=police, **referral_kwargs())
    services.interview_record(actor=alice, case=case, held_on=dt.date(2021, 3, 5))
    services.assessment_decide(
        actor=alice,
        case=case,
        decided_on=dt.date(2021, 3, 10),
        deciding_authority=c.DecidingAuthority.IMMIGRATION,
        outcome=c.Outcome.NOT_IDENTIFIED,
    )

    page = _referrals_page(dave_client)

    assert "Not identified" not in page
    assert "Received" in page


def test_with_consent_the_partner_sees_status_and_outcome(dave_client, dave, police, alice):
    case = services.case_refer(
        actor=dave, referring_organisation=police, **referral_kwargs(consent_to_share=True)
    )
    services.interview_record(actor=alice, case=case, held_on=dt.date(2021, 3, 5))
    services.assessment_decide(
        actor=alice,
        case=case,
        decided_on=dt.date(2021, 3, 10),
        deciding_authority=c.DecidingAuthority.IMMIGRATION,
        outcome=c.Outcome.IDENTIFIED,
        forms=[c.ExploitationForm.SEXUAL],
    )

    assert "Identified as victim" in _referrals_page(dave_client)


def test_the_policy_shows_the_outcome_to_the_centre_always_and_to_partners_with_consent(
    identified_case, alice, carol, dave, mallory
):
    assert referral_outcome_visible(alice, identified_case)
    assert referral_outcome_visible(carol, identified_case)
    assert not referral_outcome_visible(dave, identified_case)
    assert not referral_outcome_visible(mallory, identified_case)

    identified_case.referral.consent_to_share = True
    identified_case.referral.save(update_fields=["consent_to_share"])

    assert referral_outcome_visible(dave, identified_case)
    assert not referral_outcome_visible(mallory, identified_case)
