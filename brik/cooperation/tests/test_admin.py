"""The admin edits the action plan's structure (audited) and shows work records read-only."""

import datetime as dt

import pytest
from django.urls import reverse

from brik.audit.models import ActionLog
from brik.cooperation import services
from brik.cooperation.models import ActionPlan, FocusArea, Initiative, JointAction
from brik.core import choices


@pytest.fixture
def admin_client(client, frank):
    frank.is_superuser = True
    frank.save(update_fields=["is_superuser"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # pages are compared in English
    client.force_login(frank)
    return client


@pytest.fixture
def records(held_action, outreach_log, charged_prosecution, indicator, referred_case, bob):
    services.joint_action_link_referral(actor=bob, action=held_action, case=referred_case)
    return {
        "jointaction": held_action,
        "outreachlog": outreach_log,
        "prosecutioncase": charged_prosecution,
        "actionplan": indicator.initiative.focus_area.plan,
        "initiative": indicator.initiative,
    }


@pytest.mark.parametrize(
    "model", ["actionplan", "initiative", "jointaction", "outreachlog", "prosecutioncase"]
)
def test_the_list_and_detail_pages_load_for_a_superuser(admin_client, records, model):
    changelist = admin_client.get(reverse(f"admin:cooperation_{model}_changelist"))
    detail = admin_client.get(
        reverse(f"admin:cooperation_{model}_change", args=[records[model].pk])
    )

    assert changelist.status_code == 200
    assert len(changelist.context["cl"].result_list) == 1
    assert detail.status_code == 200


@pytest.mark.parametrize("model", ["actionplan", "initiative"])
def test_the_add_pages_load_for_the_plan(admin_client, model):
    assert admin_client.get(reverse(f"admin:cooperation_{model}_add")).status_code == 200


@pytest.mark.parametrize("model", ["jointaction", "outreachlog", "prosecutioncase"])
def test_work_records_cannot_be_added_changed_or_deleted_in_the_admin(admin_client, records, model):
    record = records[model]
    before = type(record).objects.filter(pk=record.pk).values().get()

    add = admin_client.get(reverse(f"admin:cooperation_{model}_add"))
    change = admin_client.post(reverse(f"admin:cooperation_{model}_change", args=[record.pk]), {})
    delete = admin_client.post(
        reverse(f"admin:cooperation_{model}_delete", args=[record.pk]), {"post": "yes"}
    )

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert type(record).objects.filter(pk=record.pk).values().get() == before


def test_the_joint_action_list_shows_linked_referrals(admin_client, records):
    response = admin_client.get(reverse("admin:cooperation_jointaction_changelist"))

    [action] = response.context["cl"].result_list
    assert action.linked_referrals == 1


def test_adding_a_plan_with_focus_areas_is_recorded(admin_client, frank, today):
    response = admin_client.post(
        reverse("admin:cooperation_actionplan_add"),
        {
            "number": "7",
            "title": "7th plan",
            "starts_year": "2026",
            "ends_year": "2029",
            "budget_dkk": "",
            "focus_areas-TOTAL_FORMS": "2",
            "focus_areas-INITIAL_FORMS": "0",
            "focus_areas-0-position": "1",
            "focus_areas-0-title": "Authorities",
            "focus_areas-1-position": "2",
            "focus_areas-1-title": "Victims",
        },
    )

    assert response.status_code == 302
    plan = ActionPlan.objects.get(number=7)
    assert [a.title for a in plan.focus_areas.all()] == ["Authorities", "Victims"]
    actions = list(ActionLog.objects.filter(actor=frank).values_list("action", "object_id"))
    assert ("brik.action_plan.added", str(plan.pk)) in actions
    assert (
        sorted(a for a, _ in actions if a == "brik.focus_area.added")
        == ["brik.focus_area.added"] * 2
    )


def test_the_admin_refuses_plan_years_out_of_order(admin_client):
    response = admin_client.post(
        reverse("admin:cooperation_actionplan_add"),
        {
            "number": "7",
            "title": "7th plan",
            "starts_year": "2029",
            "ends_year": "2026",
            "focus_areas-TOTAL_FORMS": "0",
            "focus_areas-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert not ActionPlan.objects.filter(number=7).exists()


def test_a_focus_area_with_initiatives_cannot_be_deleted(admin_client, initiative):
    area = initiative.focus_area
    plan = area.plan
    response = admin_client.post(
        reverse("admin:cooperation_actionplan_change", args=[plan.pk]),
        {
            "number": str(plan.number),
            "title": plan.title,
            "starts_year": str(plan.starts_year),
            "ends_year": str(plan.ends_year),
            "budget_dkk": str(plan.budget_dkk),
            "focus_areas-TOTAL_FORMS": "1",
            "focus_areas-INITIAL_FORMS": "1",
            "focus_areas-0-id": str(area.pk),
            "focus_areas-0-plan": str(plan.pk),
            "focus_areas-0-position": str(area.position),
            "focus_areas-0-title": area.title,
            "focus_areas-0-DELETE": "on",
        },
    )

    assert response.status_code == 200
    assert "has initiatives and cannot be deleted" in response.content.decode()
    assert FocusArea.objects.filter(pk=area.pk).exists()


def test_a_plan_with_initiatives_cannot_be_deleted(admin_client, initiative):
    plan = initiative.focus_area.plan
    response = admin_client.post(
        reverse("admin:cooperation_actionplan_delete", args=[plan.pk]), {"post": "yes"}
    )
    bulk = admin_client.post(
        reverse("admin:cooperation_actionplan_changelist"),
        {"action": "delete_selected", "_selected_action": [plan.pk], "post": "yes"},
    )

    assert response.status_code == 403
    assert bulk.status_code in (200, 302)
    assert ActionPlan.objects.filter(pk=plan.pk).exists()
    assert Initiative.objects.filter(pk=initiative.pk).exists()


def test_an_empty_plan_can_be_deleted_and_that_is_recorded(admin_client, frank, plan):
    response = admin_client.post(
        reverse("admin:cooperation_actionplan_delete", args=[plan.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not ActionPlan.objects.filter(pk=plan.pk).exists()
    row = ActionLog.objects.get(action="brik.action_plan.deleted")
    assert (row.actor, row.object_id) == (frank, str(plan.pk))


def test_the_status_actions_go_through_the_service(admin_client, frank, initiative):
    completed = services.initiative_add(
        actor=frank,
        focus_area=initiative.focus_area,
        title="Finished",
        responsible=initiative.responsible,
    )
    services.initiative_set_status(actor=frank, initiative=completed, status="completed")

    response = admin_client.post(
        reverse("admin:cooperation_initiative_changelist"),
        {"action": "mark_in_progress", "_selected_action": [initiative.pk, completed.pk]},
        follow=True,
    )

    initiative.refresh_from_db()
    completed.refresh_from_db()
    assert (initiative.status, completed.status) == ("in_progress", "completed")
    assert ActionLog.objects.filter(
        action="brik.initiative.status_changed", object_id=str(initiative.pk)
    ).exists()
    text = response.content.decode()
    assert "1 initiative changed." in text
    assert "Finished: The initiative is “Completed”; its status can no longer change." in text


def test_an_initiatives_status_is_not_edited_on_its_form(admin_client, initiative):
    response = admin_client.get(
        reverse("admin:cooperation_initiative_change", args=[initiative.pk])
    )

    assert "status" not in response.context["adminform"].form.fields
    assert Initiative.objects.get(pk=initiative.pk).status == choices.InitiativeStatus.PLANNED


def test_a_joint_action_detail_shows_its_participants(admin_client, planned_action):
    response = admin_client.get(
        reverse("admin:cooperation_jointaction_change", args=[planned_action.pk])
    )

    assert "Skattestyrelsen" in response.content.decode()
    assert JointAction.objects.get(pk=planned_action.pk).planned_for == dt.date(2021, 3, 1)
