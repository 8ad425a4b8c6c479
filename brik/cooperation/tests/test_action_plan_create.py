from decimal import Decimal

from brik.cooperation import services
from brik.cooperation.models import ActionPlan, FocusArea, Initiative
from brik.testing.factories import OrganisationFactory


def test_it_creates_a_plan(today, frank, logged):
    plan = services.action_plan_create(
        actor=frank,
        number=6,
        title=" 6th plan ",
        starts_year=2022,
        ends_year=2025,
        budget_dkk=120_000_000,
    )

    plan.refresh_from_db()
    assert (plan.number, plan.title, plan.starts_year, plan.ends_year) == (
        6,
        "6th plan",
        2022,
        2025,
    )
    assert plan.budget_dkk == Decimal(120_000_000)
    row = logged("brik.action_plan.created", actor=frank, obj=plan)
    assert row.data == {"number": 6, "starts_year": 2022, "ends_year": 2025}


def test_it_refuses_a_plan_number_that_exists(plan, frank, refused):
    with refused("Action plan number 6 already exists.", code="duplicate_number"):
        services.action_plan_create(
            actor=frank, number=6, title="Again", starts_year=2026, ends_year=2029
        )


def test_it_refuses_years_out_of_order(today, frank, refused):
    with refused("The plan's last year cannot precede its first year."):
        services.action_plan_create(
            actor=frank, number=7, title="7th", starts_year=2026, ends_year=2025
        )
    assert not ActionPlan.objects.exists()


def test_it_refuses_a_negative_budget(today, frank, refused):
    with refused("The budget cannot be below 0."):
        services.action_plan_create(
            actor=frank, number=7, title="7th", starts_year=2026, ends_year=2029, budget_dkk=-5
        )


def test_focus_areas_are_numbered_in_the_order_they_are_added(plan, frank, logged):
    first = services.focus_area_add(actor=frank, plan=plan, title="Authorities")
    second = services.focus_area_add(actor=frank, plan=plan, title="Offers to victims")

    assert (first.position, second.position) == (1, 2)
    row = logged("brik.focus_area.added", actor=frank, obj=second)
    assert row.data == {"plan": plan.pk, "title": "Offers to victims", "position": 2}


def test_it_refuses_a_focus_area_without_a_title(plan, frank, refused):
    with refused("The title is required."):
        services.focus_area_add(actor=frank, plan=plan, title="")
    assert not FocusArea.objects.exists()


def test_it_adds_an_initiative_with_a_responsible_organisation(focus_area, frank, police, logged):
    initiative = services.initiative_add(
        actor=frank, focus_area=focus_area, title="Proactive policing", responsible=police
    )

    initiative.refresh_from_db()
    assert (initiative.focus_area, initiative.responsible) == (focus_area, police)
    assert initiative.status == "planned"
    row = logged("brik.initiative.added", actor=frank, obj=initiative)
    assert row.data == {"focus_area": focus_area.pk, "responsible": police.pk}


def test_it_refuses_an_inactive_responsible_organisation(focus_area, frank, refused):
    gone = OrganisationFactory(name="Gammel styrelse", is_active=False)

    with refused("“Gammel styrelse” is no longer active."):
        services.initiative_add(actor=frank, focus_area=focus_area, title="X", responsible=gone)
    assert not Initiative.objects.exists()
