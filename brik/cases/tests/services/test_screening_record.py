"""The screening of a referral: a triage before the interview, optional."""

import datetime as dt

from brik.cases import services, workflow
from brik.cases.models import Screening
from brik.cases.tests.formatting import shown
from brik.core import choices as c
from brik.core.errors import TransitionError


def screen(case, actor, **kw):
    values = {
        "screened_on": dt.date(2021, 3, 2),
        "urgent": True,
        "needs_interpreter": True,
        "interpreter_language": "ron",
        "safe_to_contact": c.SafeToContact.NO,
        "notes": "Lives with the employer; call only the shelter.",
    }
    values.update(kw)
    return services.screening_record(actor=actor, case=case, **values)


def test_it_records_the_triage_and_flags_the_case_urgent(referred_case, alice, logged):
    screening = screen(referred_case, alice)

    referred_case.refresh_from_db()
    assert referred_case.urgent is True
    assert referred_case.status == c.CaseStatus.REFERRED  # it does not move the case
    assert screening.interpreter_language == "ron"
    assert screening.notes == "Lives with the employer; call only the shelter."
    row = logged("brik.case.screened", actor=alice, case=referred_case, obj=screening)
    assert (row.data["urgent"], row.data["safe_to_contact"]) == (True, "no")
    assert "notes" not in row.data  # the notes are encrypted in their row, not in the log


def test_a_later_screening_decides_the_flag(referred_case, alice):
    screen(referred_case, alice)
    screen(referred_case, alice, screened_on=dt.date(2021, 3, 3), urgent=False)

    referred_case.refresh_from_db()
    assert referred_case.urgent is False
    assert Screening.objects.filter(case=referred_case).count() == 2


def test_it_does_not_block_the_interview(referred_case, alice):
    assert workflow.Action.INTERVIEW_PLAN in workflow.available(referred_case)
    screen(referred_case, alice)
    assert workflow.Action.INTERVIEW_PLAN in workflow.available(referred_case)


def test_only_before_the_interview(interviewed_case, alice, refused):
    with refused(
        "This step is not possible while the case is “Interviewed”.", error=TransitionError
    ):
        screen(interviewed_case, alice)


def test_not_before_the_referral(referred_case, alice, refused):
    with refused(f"The screening cannot precede the referral ({shown(2021, 3, 1)})."):
        screen(referred_case, alice, screened_on=dt.date(2021, 2, 28))


def test_a_language_without_an_interpreter_is_refused(referred_case, alice, refused):
    with refused("An interpreter language is given, but no interpreter is needed."):
        screen(referred_case, alice, needs_interpreter=False)


def test_an_unknown_answer_is_refused(referred_case, alice, refused):
    with refused("Unknown safe to contact: maybe."):
        screen(referred_case, alice, safe_to_contact="maybe")
