"""The pages of the new steps: correcting a value, reopening, screening, and the
closing form's support list; typed input kept on error, a double submit saves once,
no "---------" in a choice, no earlier success message beside a new error."""

import datetime as dt
import re
import secrets
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from brik.cases import services
from brik.cases.models import Amendment, Assessment, Reopening, Screening
from brik.cases.tests.views.conftest import login, send
from brik.cases.views import STEPS
from brik.core import choices as c
from brik.testing.factories import referral_kwargs

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture(autouse=True)
def april_2021():
    with time_machine.travel(dt.datetime(2021, 4, 1, 12, tzinfo=CPH), tick=False):
        yield


def step_url(case, action):
    return reverse("cases:action", args=[case.pk, action])


def decided_on_target(case):
    return f"assessment.decided_on.{Assessment.objects.get(case=case).pk}"


def test_the_correction_form_opens_on_the_value_with_its_current_date(
    identified_case, alice_client
):
    target = decided_on_target(identified_case)
    response = alice_client.get(step_url(identified_case, "case_amend") + f"?target={target}")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="value"' in html
    assert 'value="2021-03-10"' in html
    assert "Date of decision: " in html


def test_a_correction_is_saved_once_from_a_double_submit(identified_case, alice_client):
    target = decided_on_target(identified_case)
    data = {"target": target, "shown": target, "value": "2021-03-12", "reason": "Letter misread."}
    token = secrets.token_urlsafe(16)

    first = send(alice_client, step_url(identified_case, "case_amend"), data, token=token)
    second = send(alice_client, step_url(identified_case, "case_amend"), data, token=token)

    assert first.status_code == 302
    assert second.status_code == 302
    assert Amendment.objects.count() == 1
    identified_case.refresh_from_db()
    assert identified_case.decided_on == dt.date(2021, 3, 12)
    page = alice_client.get(reverse("cases:detail", args=[identified_case.pk])).content.decode()
    assert "Amended: date of decision" in page
    assert "Letter misread." in page


def test_a_refused_correction_keeps_what_was_typed(identified_case, alice_client):
    target = decided_on_target(identified_case)
    data = {"target": target, "shown": target, "value": "2021-02-01", "reason": "Letter misread."}

    response = send(alice_client, step_url(identified_case, "case_amend"), data)

    assert response.status_code == 422
    html = response.content.decode()
    assert "The decision cannot precede the referral" in html
    assert 'value="2021-02-01"' in html
    assert "Letter misread." in html
    assert Amendment.objects.count() == 0


def test_choosing_the_value_first_asks_for_the_corrected_value_and_saves_nothing(
    identified_case, alice_client
):
    target = f"assessment.forms.{Assessment.objects.get(case=identified_case).pk}"
    # The value's field was not on the page (no "shown"): an empty checklist must not
    # be taken as "no forms".
    response = send(
        alice_client,
        step_url(identified_case, "case_amend"),
        {"target": target, "reason": "Wrong form."},
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter the corrected value." in html
    assert 'name="value"' in html
    assert f'name="shown" value="{target}"' in html
    assert Amendment.objects.count() == 0


def test_reopening_a_case_from_its_page(closed_case, alice_client):
    response = send(
        alice_client,
        step_url(closed_case, "case_reopen"),
        {"reopened_on": "2021-03-25", "reason": c.ReopenReason.PERSON_RETURNED, "note": ""},
    )

    assert response.status_code == 302
    closed_case.refresh_from_db()
    assert closed_case.status == c.CaseStatus.REFERRED
    assert Reopening.objects.count() == 1
    page = alice_client.get(reverse("cases:detail", args=[closed_case.pk])).content.decode()
    assert "Case reopened: the person came back" in page


def test_a_refused_reopening_keeps_the_note(closed_case, alice_client):
    response = send(
        alice_client,
        step_url(closed_case, "case_reopen"),
        {
            "reopened_on": "2021-03-19",
            "reason": c.ReopenReason.NEW_INFORMATION,
            "note": "Police called.",
        },
    )

    assert response.status_code == 422
    assert "Police called." in response.content.decode()
    assert Reopening.objects.count() == 0


def test_screening_flags_the_case_in_the_list(referred_case, alice_client):
    response = send(
        alice_client,
        step_url(referred_case, "screening_record"),
        {"screened_on": "2021-03-02", "urgent": "on", "safe_to_contact": "no", "notes": ""},
    )

    assert response.status_code == 302
    assert Screening.objects.get().urgent is True
    listing = alice_client.get(reverse("cases:list")).content.decode()
    assert "urgent-flag" in listing


def test_the_close_form_lists_open_support_to_carry_over(in_support_case, alice, alice_client):
    measure = services.support_add(
        actor=alice,
        case=in_support_case,
        kind=c.SupportType.MEDICAL,
        starts_on=dt.date(2021, 3, 12),
    )

    html = alice_client.get(step_url(in_support_case, "case_close")).content.decode()

    assert 'name="carry_over"' in html
    assert f'value="{measure.pk}"' in html
    assert "Medical help" in html


def test_no_step_form_shows_dashes_as_an_empty_choice(
    referred_case, returned_case_for_views, alice, alice_client
):
    in_support = services.case_refer(
        actor=alice,
        referring_organisation=returned_case_for_views.referral.referring_organisation,
        **referral_kwargs(identity={}),
    )
    services.support_add(
        actor=alice, case=in_support, kind=c.SupportType.MEDICAL, starts_on=dt.date(2021, 3, 2)
    )
    services.case_close(
        actor=alice, case=referred_case, closed_on=dt.date(2021, 3, 20), reason="disappeared"
    )
    shown_forms = 0
    for action in STEPS:
        for case in (referred_case, returned_case_for_views, in_support):
            response = alice_client.get(step_url(case, action))
            if response.status_code == 200:
                shown_forms += 1
                assert "---------" not in response.content.decode(), action
    assert shown_forms >= 8


@pytest.fixture
def returned_case_for_views(dave, police, alice):
    case = services.case_refer(
        actor=dave,
        referring_organisation=police,
        **referral_kwargs(citizenships=["RO"], identity={}),
    )
    services.assessment_decide(
        actor=alice,
        case=case,
        decided_on=dt.date(2021, 3, 2),
        deciding_authority=c.DecidingAuthority.IMMIGRATION,
        outcome=c.Outcome.IDENTIFIED,
        forms=[c.ExploitationForm.SEXUAL],
    )
    services.return_offer(actor=alice, case=case, offered_on=dt.date(2021, 3, 3))
    services.return_accept(
        actor=alice,
        case=case,
        accepted_on=dt.date(2021, 3, 4),
        destination_country="RO",
        destination_kind="home",
    )
    services.return_depart(actor=alice, case=case, departed_on=dt.date(2021, 3, 5))
    return case


def test_an_earlier_success_message_is_not_shown_beside_a_new_error(identified_case, alice_client):
    url = step_url(identified_case, "case_amend")
    target = decided_on_target(identified_case)
    ok = {"target": target, "shown": target, "value": "2021-03-11", "reason": "Typo."}
    # With HTMX the case body comes back in place with the success message ...
    body = send(alice_client, url, ok, htmx=True).content.decode()
    assert "The correction is saved." in body
    # ... and the next refused form clears it (out of band), showing only the error.
    bad = {"target": target, "shown": target, "value": "2021-02-01", "reason": "Typo."}
    form = send(alice_client, url, bad, htmx=True).content.decode()
    assert re.search(r'id="messages"[^>]*hx-swap-oob="true"', form)
    assert "The correction is saved." not in form


def test_a_waiting_success_message_is_dropped_when_the_next_form_is_refused(
    identified_case, alice_client
):
    url = step_url(identified_case, "case_amend")
    target = decided_on_target(identified_case)
    ok = {"target": target, "shown": target, "value": "2021-03-11", "reason": "Typo."}
    assert send(alice_client, url, ok).status_code == 302  # the message waits for the next page
    bad = {"target": target, "shown": target, "value": "2021-02-01", "reason": "Typo."}
    assert send(alice_client, url, bad).status_code == 422
    page = alice_client.get(reverse("cases:detail", args=[identified_case.pk])).content.decode()
    assert "The correction is saved." not in page


@pytest.mark.parametrize(
    ("language", "sentences"),
    [
        (
            "en",
            [
                "Referred by Østjyllands Politi",
                "Identified: sexual exploitation",
                "Returned to Romania",
            ],
        ),
        (
            "da",
            [
                "Henvist af Østjyllands Politi",
                "Identificeret: seksuel udnyttelse",
                "Vendt hjem til Rumænien",
            ],
        ),
    ],
)
def test_the_history_is_in_words_in_both_languages(
    returned_case_for_views, alice, language, sentences
):
    client = login(alice, language)
    html = client.get(reverse("cases:detail", args=[returned_case_for_views.pk])).content.decode()

    for sentence in sentences:
        assert sentence in html
    assert "brik.case." not in html
    assert "brik.assessment." not in html
    assert ">RO<" not in html


def test_the_analyst_sees_a_correction_of_a_published_year(identified_case, alice, carol, client):
    from django.utils import timezone

    from brik.statistics.models import PublishedReport
    from brik.testing.factories import TEST_PASSWORD

    PublishedReport.objects.create(
        year=2021,
        language="da",
        published_at=timezone.now() - dt.timedelta(days=1),
        title="2021",
        pdf=b"",
        html=b"",
        xlsx=b"",
    )
    target = f"assessment.forms.{Assessment.objects.get(case=identified_case).pk}"
    services.case_amend(
        actor=alice,
        case=identified_case,
        target=target,
        value=[c.ExploitationForm.FORCED_LABOUR],
        reason="Wrong box ticked.",
    )
    client.login(username=carol.username, password=TEST_PASSWORD)

    html = client.get(
        reverse("statistics:index") + "?year=2021&lang=en", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "Corrected after publication" in html
    assert identified_case.code in html
    assert "forms of exploitation" in html
    assert "Wrong box ticked." not in html  # the reason stays on the case page
