"""The workflow table is complete: every step has its service, its page, its event,
and the timeline can show every event it writes."""

from brik.cases import presenters, services, views, workflow
from brik.cases.workflow import Action


def test_every_action_is_in_the_table_once():
    assert [t.action for t in workflow.TRANSITIONS] == list(Action)


def test_every_step_on_a_case_has_a_page_in_the_table_order():
    assert list(views.STEPS) == list(workflow.CASE_STEPS)


def test_every_step_has_a_service_of_its_name():
    for action in Action:
        assert callable(getattr(services, action.value, None)), action


def test_the_timeline_has_a_label_for_every_event_a_step_writes():
    assert set(workflow.STEP_EVENTS) == set(presenters.TIMELINE_LABELS)
