import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from brik.audit.chain import chain_queries
from brik.cases import services
from brik.cases.tests.views.conftest import section

CPH = ZoneInfo("Europe/Copenhagen")


def case_page(client, case) -> str:
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_timeline_shows_each_step_with_who_recorded_it(alice_client, identified_case):
    page = case_page(alice_client, identified_case)
    timeline = page[page.index('class="timeline"') :]
    assert (
        timeline.index("Referred") < timeline.index("Interview held") < timeline.index("Decision")
    )
    assert "Recorded by Dave" in timeline
    assert "Recorded by Alice" in timeline
    assert "Sexual exploitation" in timeline
    assert "10/03/2021" in timeline


def test_the_countdown_shows_the_days_left_of_the_reflection_period(alice_client, in_support_case):
    with time_machine.travel(dt.datetime(2021, 4, 3, 9, tzinfo=CPH), tick=False):
        page = case_page(alice_client, in_support_case)
    assert "6 days left" in page
    assert 'class="panel countdown warning"' in page


def test_the_countdown_says_when_the_period_has_ended(alice_client, in_support_case):
    with time_machine.travel(dt.datetime(2021, 4, 11, 9, tzinfo=CPH), tick=False):
        page = case_page(alice_client, in_support_case)
    assert "Ended 2 days ago" in page


def test_the_case_page_shows_the_persons_identity_to_the_centre(alice_client, referred_case):
    page = case_page(alice_client, referred_case)
    assert "Testa Syntetisk" in section(page, "person-title")


def test_only_the_steps_the_state_allows_are_offered(alice_client, referred_case, identified_case):
    page = case_page(alice_client, identified_case)
    assert 'data-step="reflection_start"' in page
    assert 'data-step="return_offer"' in page
    assert 'data-step="interview_plan"' not in page
    assert 'data-step="follow_up_add"' not in page


def test_a_closed_case_offers_only_reopening_and_corrections(alice_client, referred_case, alice):
    with time_machine.travel(dt.date(2021, 3, 20), tick=False):
        services.case_close(
            actor=alice, case=referred_case, closed_on=dt.date(2021, 3, 20), reason="disappeared"
        )
    page = case_page(alice_client, referred_case)
    assert re.findall(r'data-step="(\w+)"', page) == ["case_reopen", "case_amend"]
    assert "The case is closed" in page


def later_case_of_the_same_person(referred_case, alice, dave, police):
    """The referred case closed 20 March 2021, and the same person referred again on
    10 January 2022: the new case."""
    with time_machine.travel(dt.date(2022, 1, 10), tick=False):
        services.case_close(
            actor=alice, case=referred_case, closed_on=dt.date(2021, 3, 20), reason="disappeared"
        )
        return services.case_refer(
            actor=dave,
            referring_organisation=police,
            person=referred_case.person,
            referred_on=dt.date(2022, 1, 10),
        )


def test_a_later_case_of_the_same_person_links_to_the_earlier_one(
    alice_client, referred_case, alice, dave, police
):
    second = later_case_of_the_same_person(referred_case, alice, dave, police)
    page = case_page(alice_client, second)
    assert referred_case.get_absolute_url() in page


# Including the 2FA device that verified the session, the audit row of the
# reading (with its link in the audit chain) and the case's action-log rows (one
# query for the timeline and the record history, which also say who recorded each
# step; a read renews the session at most once a minute). A list the case does not
# have (here: prepared returns, notes, attachments, other cases of the person) is
# not asked for; the check for earlier records of the person is a request of its own.
# The user is read with their organisation (the menu shows it).
CASE_PAGE_QUERIES = 11 + chain_queries()


def test_the_case_page_runs_a_fixed_number_of_queries(
    alice_client, django_assert_num_queries, in_support_case, alice
):
    def add_steps():
        services.support_add(
            actor=alice, case=in_support_case, kind="medical", starts_on=dt.date(2021, 3, 12)
        )
        services.reflection_extend(
            actor=alice,
            case=in_support_case,
            new_ends_on=in_support_case.reflection_period.ends_on + dt.timedelta(days=5),
            reason="special_reasons",
            extended_on=dt.date(2021, 3, 20),
        )
        in_support_case.refresh_from_db()

    with time_machine.travel(dt.datetime(2021, 3, 20, 12, tzinfo=CPH), tick=False):
        add_steps()
        with django_assert_num_queries(CASE_PAGE_QUERIES):
            case_page(alice_client, in_support_case)
        add_steps()
        add_steps()
        with django_assert_num_queries(CASE_PAGE_QUERIES):
            page = case_page(alice_client, in_support_case)
    assert page.count("Support started: ") == 3


def test_a_new_referrals_page_asks_for_no_list_it_does_not_have(
    alice_client, django_assert_num_queries, referred_case
):
    # No decision, period, interviews, support or prepared return yet: four queries
    # fewer than the page above (the decision's forms, the period's extensions, the
    # interviews, the support).
    case_page(alice_client, referred_case)
    with django_assert_num_queries(CASE_PAGE_QUERIES - 4):
        page = case_page(alice_client, referred_case)
    assert 'id="interviews-title"' not in page
    assert 'id="support-title"' not in page
    assert 'id="return-title"' not in page


def test_notes_attachments_and_other_cases_are_asked_for_when_the_case_has_them(
    alice_client, django_assert_num_queries, referred_case, alice, dave, police
):
    # The new referral's page as above, and one query for each list it now has (the
    # person's other cases, the notes and the attachments: brik.casefiles), and the
    # audit row of reading the notes with its link in the chain.
    second = later_case_of_the_same_person(referred_case, alice, dave, police)
    second.notes.create(
        text="Met at the shelter.",
        author=alice,
        written_at=dt.datetime(2022, 1, 10, 12, tzinfo=CPH),
    )
    second.attachments.create(
        name="statement.pdf",
        kind="pdf",
        content_type="application/pdf",
        size=2048,
        stored_name="x" * 64,
        file_key="k",
        uploaded_by=alice,
        uploaded_at=dt.datetime(2022, 1, 10, 12, tzinfo=CPH),
    )
    case_page(alice_client, second)
    with django_assert_num_queries(CASE_PAGE_QUERIES - 4 + 3 + 1 + chain_queries()):
        page = case_page(alice_client, second)
    assert referred_case.get_absolute_url() in page
    assert "Met at the shelter." in page
    assert "statement.pdf" in page


# The step buttons' loop as the case page's template wrote it before case_step_buttons.
_STEP_BUTTONS_LOOP = (
    "{% for name, step in actions %}"
    '<li><a href="{% url "cases:action" pk name %}" hx-get="{% url "cases:action" pk name %}" '
    'hx-target="#action-panel" hx-swap="innerHTML" role="button" '
    'class="{% if not step.primary %}secondary outline{% endif %}" data-step="{{ name }}">'
    "{{ step.title }}</a></li>{% endfor %}"
)


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_step_buttons_are_what_the_templates_loop_wrote(language):
    """case_step_buttons writes every step's button as the template's loop did: its link,
    its kind (primary or not), its name and its title in the reader's language."""
    from django.template import Context, Engine
    from django.utils import translation

    from brik.cases.views import STEPS

    actions = list(STEPS.items())
    assert {step.primary for _name, step in actions} == {True, False}
    engine = Engine(libraries={"brik_ui": "brik.cases.templatetags.brik_ui"})
    with translation.override(language):
        loop = engine.from_string(_STEP_BUTTONS_LOOP).render(
            Context({"pk": 4711, "actions": actions})
        )
        tag = engine.from_string("{% load brik_ui %}{% case_step_buttons pk actions %}").render(
            Context({"pk": 4711, "actions": actions})
        )
    assert tag.replace("</li>\n<li>", "</li><li>") == loop
    assert tag.count("<li>") == len(STEPS)
