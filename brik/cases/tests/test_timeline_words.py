"""Every step's timeline label and every sentence pattern is in words in both languages."""

from django.utils import translation

from brik.cases import presenters, workflow


def test_every_step_event_has_a_danish_label():
    for event in workflow.STEP_EVENTS:
        with translation.override("en"):
            english = str(presenters.TIMELINE_LABELS[event])
        with translation.override("da"):
            danish = str(presenters.TIMELINE_LABELS[event])
        assert danish != english, event
        assert "brik." not in danish


def test_the_record_history_names_events_in_words():
    with translation.override("da"):
        assert presenters.event_label("brik.case.amended") == "Rettet"
        assert presenters.event_label("brik.case.viewed") == "Sagen læst"
    with translation.override("en"):
        assert presenters.event_label("brik.case.reopened") == "Case reopened"
