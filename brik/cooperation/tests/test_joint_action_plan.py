import datetime as dt

from brik.cooperation import services
from brik.cooperation.models import JointAction
from brik.core import choices
from brik.testing.factories import OrganisationFactory


def plan(actor, lead, **overrides):
    values = {
        "title": "Massageklinikker Odense",
        "planned_for": dt.date(2021, 7, 1),
        "region": choices.Region.SYDDANMARK,
        "sector": choices.Sector.MASSAGE,
        "lead_organisation": lead,
    }
    values.update(overrides)
    return services.joint_action_plan(actor=actor, **values)


def test_it_plans_an_action_with_its_participants(today, bob, police, tax, labour, logged):
    action = plan(bob, police, participants=[tax, labour])

    action.refresh_from_db()
    assert action.status == choices.JointActionStatus.PLANNED
    assert (action.title, action.planned_for) == ("Massageklinikker Odense", dt.date(2021, 7, 1))
    assert action.lead_organisation == police
    assert action.created_by == bob
    assert set(action.participants.all()) == {police, tax, labour}
    row = logged("brik.joint_action.planned", actor=bob, obj=action)
    assert row.data["planned_for"] == "2021-07-01"
    assert row.data["lead_organisation"] == police.pk
    assert row.data["participants"] == sorted([police.pk, tax.pk, labour.pk])


def test_the_lead_always_takes_part(today, bob, police):
    action = plan(bob, police)

    assert list(action.participants.all()) == [police]


def test_it_refuses_an_action_without_a_title(today, bob, police, refused):
    with refused("The title is required."):
        plan(bob, police, title="   ")
    assert not JointAction.objects.exists()


def test_it_refuses_an_unknown_sector(today, bob, police, refused):
    with refused("Unknown sector: mining."):
        plan(bob, police, sector="mining")


def test_it_refuses_an_unknown_region(today, bob, police, refused):
    with refused("Unknown region: skaane."):
        plan(bob, police, region="skaane")


def test_it_refuses_an_inactive_participant(today, bob, police, refused):
    closed = OrganisationFactory(
        name="Nedlagt styrelse", type=choices.OrganisationType.OTHER, is_active=False
    )

    with refused("“Nedlagt styrelse” is no longer active."):
        plan(bob, police, participants=[closed])
