"""Cases at each step of the mechanism, a frozen "today", and a check that refusals change nothing.

The dates continue the story of the shared `identified_case` fixture: referred
on 1 March 2021, interviewed 5 March, identified 10 March.
"""

import datetime as dt
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation

from brik.audit.models import ActionLog
from brik.cases import services
from brik.core import choices as c
from brik.core.validation import error_code
from brik.testing.factories import referral_kwargs

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
TODAY = dt.date(2021, 6, 1)


@pytest.fixture(autouse=True)
def _kept_sql_checked(monkeypatch):
    """Every query whose SQL is kept with places for its values (brik.core.kept: My
    work's lists) is compiled again on each call and compared, its values put in, with
    what the ORM compiles: a name that stands for two queries fails the tests."""
    from brik.core import kept

    monkeypatch.setattr(kept, "VERIFY", True)


@pytest.fixture
def fast_passwords(settings):
    """The named users are created in most tests; the real hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english():
    """Messages are compared in English; the site's default language is Danish."""
    with translation.override("en"):
        yield


@pytest.fixture
def today(time_machine):
    """Freeze "today" at 1 June 2021 (noon in Copenhagen); call it with a date to move."""

    def move_to(day: dt.date) -> dt.date:
        time_machine.move_to(
            dt.datetime(day.year, day.month, day.day, 12, tzinfo=COPENHAGEN), tick=False
        )
        return day

    move_to(TODAY)
    return move_to


def db_snapshot() -> dict:
    """Every row of every cases table (M2M tables included) and of the audit log."""
    models = [*apps.get_app_config("cases").get_models(include_auto_created=True), ActionLog]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


@pytest.fixture
def refused():
    """`with refused("message"):` asserts the step is refused with that message and changes nothing."""

    @contextmanager
    def check(message: str, *, error: type[Exception] = ValidationError, code: str | None = None):
        before = db_snapshot()
        with pytest.raises(error) as info:
            yield info
        assert info.value.messages == [message]
        if code is not None:
            assert error_code(info.value) == code
        assert db_snapshot() == before, "a refused step changed the database"

    return check


@pytest.fixture
def logged():
    """The one audit row of an action on a case, checked for its actor (and object)."""

    def check(action: str, *, actor, case, obj=None) -> ActionLog:
        row = ActionLog.objects.get(action=action, case=case)
        assert row.actor == actor
        assert row.organisation == actor.organisation
        if obj is not None:
            assert (row.object_type, row.object_id) == (obj._meta.label_lower, str(obj.pk))
        return row

    return check


@pytest.fixture
def interviewed_case(referred_case, alice):
    """Referred 1 March 2021, interviewed 5 March, not yet decided."""
    services.interview_record(actor=alice, case=referred_case, held_on=dt.date(2021, 3, 5))
    return referred_case


@pytest.fixture
def not_identified_case(interviewed_case, alice):
    """Interviewed 5 March 2021 and assessed as not a victim on 10 March."""
    services.assessment_decide(
        actor=alice,
        case=interviewed_case,
        decided_on=dt.date(2021, 3, 10),
        deciding_authority=c.DecidingAuthority.IMMIGRATION,
        outcome=c.Outcome.NOT_IDENTIFIED,
    )
    return interviewed_case


@pytest.fixture
def resident_case(dave, police, bob):
    """A Romanian citizen with legal residence, identified by the centre on 10 March 2021."""
    case = services.case_refer(
        actor=dave,
        referring_organisation=police,
        has_legal_residence=True,
        **referral_kwargs(citizenships=["RO"], identity={}),
    )
    services.assessment_decide(
        actor=bob,
        case=case,
        decided_on=dt.date(2021, 3, 10),
        deciding_authority=c.DecidingAuthority.CENTRE,
        outcome=c.Outcome.IDENTIFIED,
        forms=[c.ExploitationForm.FORCED_LABOUR],
    )
    return case


@pytest.fixture
def supported_case(identified_case, alice):
    """Identified; reflection period from 10 March 2021 to 9 April (30 days)."""
    services.reflection_start(actor=alice, case=identified_case, starts_on=dt.date(2021, 3, 10))
    return identified_case


@pytest.fixture
def offered_case(identified_case, alice):
    """Identified; prepared return offered on 15 March 2021."""
    services.return_offer(actor=alice, case=identified_case, offered_on=dt.date(2021, 3, 15))
    return identified_case


@pytest.fixture
def accepted_case(offered_case, alice, partner_abroad):
    """Return to Nigeria accepted on 20 March 2021, with a reintegration plan."""
    services.return_accept(
        actor=alice,
        case=offered_case,
        accepted_on=dt.date(2021, 3, 20),
        destination_country="NG",
        destination_kind=c.DestinationKind.HOME,
        reintegration_partner=partner_abroad,
        plan_allowance=True,
        plan_income_activity=True,
    )
    return offered_case


@pytest.fixture
def returned_case(accepted_case, alice):
    """Departed on 1 April 2021; reintegration follow-up until 1 October 2021."""
    services.return_depart(actor=alice, case=accepted_case, departed_on=dt.date(2021, 4, 1))
    return accepted_case


@pytest.fixture
def closed_case(referred_case, alice):
    """Closed on 20 March 2021 before any decision: the person disappeared."""
    services.case_close(
        actor=alice,
        case=referred_case,
        closed_on=dt.date(2021, 3, 20),
        reason=c.ClosingReason.DISAPPEARED,
    )
    return referred_case
