"""Cooperation records at each step, a frozen "today", and a check that refusals change nothing.

"Today" is 15 June 2021 (noon in Copenhagen) unless a test moves it. The shared
`referred_case` was referred by Dave's police district on 1 March 2021.
"""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation

from brik.audit.models import ActionLog
from brik.cases.models import Case, Referral
from brik.cooperation import services
from brik.core import choices
from brik.core.validation import error_code
from brik.testing.factories import OrganisationFactory

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
TODAY = dt.date(2021, 6, 15)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The named users are created in most tests; the real hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English; the site's default language is Danish."""
    with translation.override("en"):
        yield


@pytest.fixture
def today(time_machine):
    """Freeze "today" at 15 June 2021; call it with a date to move."""

    def move_to(day: dt.date) -> dt.date:
        time_machine.move_to(
            dt.datetime(day.year, day.month, day.day, 12, tzinfo=COPENHAGEN), tick=False
        )
        return day

    move_to(TODAY)
    return move_to


def db_snapshot() -> dict:
    """Every row of the cooperation tables (M2M included), referrals, cases and the audit log."""
    models = [
        *apps.get_app_config("cooperation").get_models(include_auto_created=True),
        Referral,
        Case,
        ActionLog,
    ]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


@pytest.fixture
def refused():
    """`with refused("message"):` asserts the step is refused with that message, changing nothing."""

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
    """The one audit row of an action on an object, checked for its actor."""

    def check(action: str, *, actor, obj, case=None) -> ActionLog:
        row = ActionLog.objects.get(
            action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
        )
        assert row.actor == actor
        assert row.organisation == actor.organisation
        assert row.case == case
        return row

    return check


# --- organisations taking part ----------------------------------------------------------


@pytest.fixture
def tax(db):
    return OrganisationFactory(name="Skattestyrelsen", type=choices.OrganisationType.TAX)


@pytest.fixture
def labour(db):
    return OrganisationFactory(name="Arbejdstilsynet", type=choices.OrganisationType.LABOUR)


# --- joint actions ---------------------------------------------------------------------


@pytest.fixture
def planned_action(today, bob, police, tax):
    """A construction-site action led by Østjyllands Politi with the tax agency, 1 March 2021."""
    return services.joint_action_plan(
        actor=bob,
        title="Byggepladser Aarhus",
        planned_for=dt.date(2021, 3, 1),
        region=choices.Region.MIDTJYLLAND,
        sector=choices.Sector.CONSTRUCTION,
        lead_organisation=police,
        participants=[tax],
    )


@pytest.fixture
def held_action(planned_action, bob):
    """The 1 March action, held: 12 persons met, 3 referred."""
    return services.joint_action_record_outcome(
        actor=bob, action=planned_action, persons_met=12, persons_referred=3
    )


# --- outreach ----------------------------------------------------------------------------


@pytest.fixture
def outreach_log(today, erin, ngo):
    """Erin's street round in Copenhagen on 10 June 2021: 4 women, 1 man, 1 referral."""
    return services.outreach_log_add(
        actor=erin,
        organisation=ngo,
        held_on=dt.date(2021, 6, 10),
        place_type=choices.PlaceType.STREET,
        region=choices.Region.HOVEDSTADEN,
        sector=choices.Sector.PROSTITUTION,
        women=4,
        men=1,
        referrals_made=1,
        note="Vesterbro, evening round",
    )


# --- prosecution -------------------------------------------------------------------------


@pytest.fixture
def open_prosecution(today, dave, police):
    """Police case 4100-81234-00012-21 opened on 1 April 2021 with 3 suspects."""
    return services.prosecution_open(
        actor=dave,
        police_district=police,
        police_case_number="4100-81234-00012-21",
        opened_on=dt.date(2021, 4, 1),
        suspects=3,
    )


@pytest.fixture
def charged_prosecution(open_prosecution, dave):
    """Two persons charged under § 262 a and § 228 on 1 May 2021."""
    return services.prosecution_charge(
        actor=dave,
        prosecution=open_prosecution,
        charged_on=dt.date(2021, 5, 1),
        charges=[choices.Charge.TRAFFICKING, choices.Charge.PROCURING],
        persons_charged=2,
    )


# --- the action plan ---------------------------------------------------------------------


@pytest.fixture
def plan(today, frank):
    """The 6th national action plan, 2022-25 (recorded with "today" in 2021)."""
    return services.action_plan_create(
        actor=frank,
        number=6,
        title="National handlingsplan mod menneskehandel 2022-2025",
        starts_year=2022,
        ends_year=2025,
        budget_dkk=Decimal(120_000_000),
    )


@pytest.fixture
def focus_area(plan, frank):
    return services.focus_area_add(
        actor=frank, plan=plan, title="Stronger outreach and identification"
    )


@pytest.fixture
def initiative(focus_area, frank, centre):
    return services.initiative_add(
        actor=frank,
        focus_area=focus_area,
        title="Outreach in prostitution by NGOs",
        responsible=centre,
    )


@pytest.fixture
def indicator(initiative, frank):
    """Referrals from NGO outreach per year: baseline 20, target 40."""
    return services.plan_indicator_add(
        actor=frank,
        initiative=initiative,
        name="Referrals from NGO outreach",
        unit="per year",
        baseline=20,
        target=40,
    )
