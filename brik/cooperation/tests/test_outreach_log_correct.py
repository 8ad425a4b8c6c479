from brik.audit.models import ActionLog
from brik.cooperation import services


def test_a_correction_changes_the_counts_and_records_old_and_new(outreach_log, erin, logged):
    services.outreach_log_correct(
        actor=erin, log=outreach_log, women=5, referrals_made=2, reason="Counted twice in error"
    )

    outreach_log.refresh_from_db()
    assert (outreach_log.women, outreach_log.men, outreach_log.referrals_made) == (5, 1, 2)
    row = logged("brik.outreach_log.corrected", actor=erin, obj=outreach_log)
    assert row.data == {
        "from": {"women": 4, "men": 1, "trans": 0, "unknown": 0, "referrals_made": 1},
        "to": {"women": 5, "men": 1, "trans": 0, "unknown": 0, "referrals_made": 2},
        "reason": "Counted twice in error",
    }


def test_each_correction_is_its_own_step(outreach_log, erin, bob):
    services.outreach_log_correct(actor=erin, log=outreach_log, men=2, reason="One more")
    services.outreach_log_correct(actor=bob, log=outreach_log, men=3, reason="And another")

    corrections = ActionLog.objects.filter(
        action="brik.outreach_log.corrected", object_id=str(outreach_log.pk)
    ).order_by("id")
    assert [
        (r.actor.username, r.data["from"]["men"], r.data["to"]["men"]) for r in corrections
    ] == [
        ("erin", 1, 2),
        ("bob", 2, 3),
    ]


def test_it_refuses_a_correction_without_a_reason(outreach_log, erin, refused):
    with refused("The reason for the correction is required."):
        services.outreach_log_correct(actor=erin, log=outreach_log, women=6, reason=" ")


def test_it_refuses_a_correction_that_changes_nothing(outreach_log, erin, refused):
    with refused("The correction changes no count.", code="no_change"):
        services.outreach_log_correct(actor=erin, log=outreach_log, women=4, reason="Check")


def test_it_refuses_a_correction_below_the_referrals(outreach_log, erin, refused):
    with refused("Referrals made (1) cannot exceed the persons contacted (0)."):
        services.outreach_log_correct(actor=erin, log=outreach_log, women=0, men=0, reason="x")


def test_it_refuses_a_negative_correction(outreach_log, erin, refused):
    with refused("Women must be a whole number of at least 0."):
        services.outreach_log_correct(actor=erin, log=outreach_log, women=-4, reason="x")
