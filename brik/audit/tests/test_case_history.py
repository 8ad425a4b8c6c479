"""The case page shows the record's full history: who changed which field, when."""

import datetime as dt

from django.urls import reverse

from brik.audit.selectors import case_history
from brik.cases import services
from brik.core import choices as c


def test_the_history_lists_each_change_with_old_and_new_values(referred_case, alice, bob):
    services.case_assign(actor=bob, case=referred_case, caseworker=bob)

    entry = case_history(referred_case)[-1]

    assert entry.entry.actor == bob
    assert [(ch.label, ch.old, ch.new) for ch in entry.changes] == [
        ("contact person", "Alice", "Bob")
    ]


def test_reads_and_exports_are_not_part_of_the_history(alice_client, referred_case):
    alice_client.get(referred_case.get_absolute_url())
    alice_client.get(reverse("protection:subject_access", args=[referred_case.pk, "json"]))

    assert [e.entry.action for e in case_history(referred_case)] == ["brik.case.referred"]


def test_the_case_page_shows_the_changes_and_hides_encrypted_values(
    alice_client, referred_case, bob
):
    services.case_assign(actor=bob, case=referred_case, caseworker=bob)
    services.case_close(
        actor=bob,
        case=referred_case,
        closed_on=dt.date(2021, 3, 20),
        reason=c.ClosingReason.DISAPPEARED,
        note="Seen at the station in Vejle",
    )

    page = alice_client.get(referred_case.get_absolute_url()).text
    start = page.index('id="history-title"')
    history = page[start : page.index("</section>", start)]

    assert "contact person: Alice → Bob" in history
    assert "status: Referred → Closed" in history
    assert "closing note: changed" in history
    assert "Vejle" not in history
