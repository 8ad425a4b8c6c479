"""Correcting a recorded step: the step's row takes the new value, the old one is kept
with the reason, the statistics follow, and a published year is flagged."""

import datetime as dt

import pytest
from django.utils import timezone

from brik.cases import selectors, services
from brik.cases.models import Amendment, Assessment, Interview, PreparedReturn
from brik.cases.services import amendments
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.statistics import caching
from brik.statistics.models import PublishedReport
from brik.statistics.selectors.identified import identified_by_form


def target_of(case, key):
    """The form's name of a value: "assessment.decided_on.<id>"."""
    return next(t.value for t in amendments.amendable_targets(case) if t.spec.key == key)


def amend(case, actor, key, value, reason="Typed wrongly from the letter."):
    return services.case_amend(
        actor=actor, case=case, target=target_of(case, key), value=value, reason=reason
    )


def form_count(year, form):
    table = identified_by_form(years=[year])
    row = next((r for r in table.rows if r.key == form), None)
    return row.values[0] if row else 0


def test_it_corrects_the_decision_date_on_the_step_and_the_case(identified_case, alice, logged):
    amendment = amend(identified_case, alice, "assessment.decided_on", dt.date(2021, 3, 12))

    identified_case.refresh_from_db()
    assert identified_case.decided_on == dt.date(2021, 3, 12)
    assert Assessment.objects.get(case=identified_case).decided_on == dt.date(2021, 3, 12)
    assert identified_case.status == c.CaseStatus.IDENTIFIED
    # the old value stays, with the reason and who corrected it
    assert (amendment.old_value, amendment.new_value) == ("2021-03-10", "2021-03-12")
    assert amendment.reason == "Typed wrongly from the letter."
    assert amendment.amended_by == alice
    assert amendment.years == [2021]
    row = logged("brik.case.amended", actor=alice, case=identified_case, obj=amendment)
    assert (row.data["from"], row.data["to"]) == ("2021-03-10", "2021-03-12")


def test_it_corrects_the_forms_of_exploitation_and_the_statistics_follow(identified_case, alice):
    assert form_count(2021, c.ExploitationForm.SEXUAL) == 1
    assert form_count(2021, c.ExploitationForm.FORCED_LABOUR) == 0

    amend(identified_case, alice, "assessment.forms", [c.ExploitationForm.FORCED_LABOUR])

    assert form_count(2021, c.ExploitationForm.SEXUAL) == 0
    assert form_count(2021, c.ExploitationForm.FORCED_LABOUR) == 1
    amendment = Amendment.objects.get()
    assert (amendment.old_value, amendment.new_value) == (["sexual"], ["forced_labour"])


def test_a_correction_makes_the_cached_report_be_built_again(identified_case, alice):
    before = caching._position()
    amend(identified_case, alice, "assessment.deciding_authority", c.DecidingAuthority.CENTRE)

    assert not caching._figures_unchanged(before, caching._position())
    assert Assessment.objects.get().deciding_authority == c.DecidingAuthority.CENTRE


def test_it_corrects_an_interview_date_and_its_interviewers(identified_case, alice, bob):
    amend(identified_case, alice, "interview.held_on", dt.date(2021, 3, 6))
    amend(identified_case, alice, "interview.interviewers", [bob])

    interview = Interview.objects.get(case=identified_case)
    assert interview.held_on == dt.date(2021, 3, 6)
    assert list(interview.interviewers.all()) == [bob]
    # interview values count in no figure: no report year is touched
    assert [a.years for a in Amendment.objects.order_by("id")] == [[], []]


def test_interviewers_are_the_centres_staff(identified_case, alice, dave, refused):
    with refused(f"{dave} cannot be the contact person: only the centre's active staff can."):
        amend(identified_case, alice, "interview.interviewers", [dave])


def test_it_corrects_the_referral_date_on_the_referral_and_the_case(identified_case, alice):
    amend(identified_case, alice, "referral.referred_on", dt.date(2021, 2, 27))

    identified_case.refresh_from_db()
    assert identified_case.referred_on == dt.date(2021, 2, 27)
    assert identified_case.referral.referred_on == dt.date(2021, 2, 27)


def test_it_corrects_the_departure_and_moves_the_follow_up_with_it(returned_case, alice, today):
    amend(returned_case, alice, "return.departed_on", dt.date(2021, 4, 3))
    amend(returned_case, alice, "return.destination_country", "gh")

    prepared = PreparedReturn.objects.get(case=returned_case)
    assert prepared.departed_on == dt.date(2021, 4, 3)
    assert prepared.follow_up_until == dt.date(2021, 10, 3)
    assert prepared.destination_country == "GH"


def test_a_reason_is_required(identified_case, alice, refused):
    with refused("Say why the value is corrected."):
        amend(identified_case, alice, "assessment.decided_on", dt.date(2021, 3, 12), reason="  ")


def test_the_same_value_is_not_a_correction(identified_case, alice, refused):
    with refused("This is the value already recorded."):
        amend(identified_case, alice, "assessment.decided_on", dt.date(2021, 3, 10))


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "assessment.decided_on",
            dt.date(2021, 3, 4),
            "The decision cannot precede the referral, an interview or the exploitation ({}).",
        ),
        (
            "interview.held_on",
            dt.date(2021, 3, 11),
            "An interview cannot be after the decision ({}).",
        ),
        (
            "referral.referred_on",
            dt.date(2021, 3, 6),
            "The referral cannot be after the steps that followed it ({}).",
        ),
    ],
)
def test_a_date_stays_in_the_order_of_events(identified_case, alice, refused, key, value, message):
    limit = {
        "assessment.decided_on": shown(2021, 3, 5),
        "interview.held_on": shown(2021, 3, 10),
        "referral.referred_on": shown(2021, 3, 5),
    }[key]
    with refused(message.format(limit)):
        amend(identified_case, alice, key, value)


def test_a_decision_date_in_the_future_is_refused(identified_case, alice, refused, today):
    with refused("The decision date cannot be in the future."):
        amend(identified_case, alice, "assessment.decided_on", dt.date(2021, 7, 1))


def test_an_identified_person_keeps_a_form_of_exploitation(identified_case, alice, refused):
    with refused("Choose at least one form of exploitation (or “not determined”)."):
        amend(identified_case, alice, "assessment.forms", [])


def test_an_unknown_value_to_correct_is_refused(identified_case, alice, refused):
    with refused("Choose a recorded value to correct."):
        services.case_amend(
            actor=alice, case=identified_case, target="assessment.outcome.1", value="x", reason="r"
        )


def test_the_outcome_is_not_amendable(identified_case):
    keys = {t.spec.key for t in amendments.amendable_targets(identified_case)}
    assert "assessment.outcome" not in keys


def test_a_closed_case_can_be_corrected_and_stays_closed(closed_case, alice):
    amend(closed_case, alice, "referral.referred_on", dt.date(2021, 2, 28))

    closed_case.refresh_from_db()
    assert closed_case.status == c.CaseStatus.CLOSED


def _publish(year, when):
    return PublishedReport.objects.create(
        year=year,
        language="da",
        published_at=when,
        title=f"Report {year}",
        pdf=b"",
        html=b"",
        xlsx=b"",
    )


def test_a_correction_of_a_published_year_is_flagged(identified_case, alice):
    _publish(2021, timezone.now() - dt.timedelta(days=1))
    _publish(2020, timezone.now() - dt.timedelta(days=1))

    amend(identified_case, alice, "assessment.forms", [c.ExploitationForm.CRIMINAL])

    flagged = selectors.amendments_after_publication()
    assert [(item.case, item.years) for item in flagged] == [(identified_case, [2021])]


def test_a_correction_before_the_publication_or_of_another_year_is_not_flagged(
    identified_case, alice
):
    amend(identified_case, alice, "assessment.forms", [c.ExploitationForm.CRIMINAL])
    _publish(2021, timezone.now() + dt.timedelta(minutes=1))  # published after the correction
    _publish(2019, timezone.now() - dt.timedelta(days=1))

    assert selectors.amendments_after_publication() == []
    # a correction of an interview changes no published figure
    amend(identified_case, alice, "interview.held_on", dt.date(2021, 3, 6))
    assert selectors.amendments_after_publication() == []


def test_the_step_is_offered_to_the_centre_only(identified_case, alice, dave):
    from brik.cases import workflow

    assert workflow.Action.CASE_AMEND in workflow.available(identified_case, alice)
    assert workflow.Action.CASE_AMEND not in workflow.available(identified_case, dave)
