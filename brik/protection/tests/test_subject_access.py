"""The subject access export: everything held about the person, nothing about anyone else,
in the reader's language."""

import datetime as dt
import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import translation
from django.utils.formats import date_format

from brik.audit.models import ActionLog
from brik.audit.services import access_record
from brik.cases import services
from brik.cases.models import Case, Person
from brik.cooperation import services as coop
from brik.core import choices as c
from brik.protection.subject_access import (
    COVERED_MODELS,
    DERIVED_ONLY,
    subject_access_collect,
)
from brik.testing.factories import referral_kwargs


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def section(data: dict, key: str) -> dict:
    return next(s for s in data["sections"] if s["key"] == key)


def values(row: list[dict]) -> dict:
    return {item["field"]: item["value"] for item in row}


def text(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)


# --- everything held --------------------------------------------------------------------


def test_the_export_holds_identity_steps_and_history(identified_case, alice, tmp_path):
    services.reflection_start(actor=alice, case=identified_case, starts_on=dt.date(2021, 3, 10))
    code = identified_case.person.code

    call_command("subject_access_export", code, output=tmp_path, language="en", verbosity=0)

    data = json.loads((tmp_path / f"{code}.json").read_text())
    identity = values(section(data, "identity")["rows"][0])
    assert identity["given_names"] == "Testa"
    assert "name_index" not in identity
    assessment = values(section(data, f"case:{identified_case.pk}:assessment")["rows"][0])
    assert assessment["forms"] == "Sexual exploitation"
    assert section(data, f"case:{identified_case.pk}:reflection")["rows"]
    history = section(data, "history")["rows"]
    assert [values(h)["action"] for h in history][:2] == [
        "Referral registered",
        "Interview recorded",
    ]
    html = (tmp_path / f"{code}.html").read_text()
    assert "Syntetisk" in html
    assert ActionLog.objects.filter(action="brik.person.subject_access_exported").count() == 1


def _related_to_a_person_or_case() -> set[str]:
    """Every model with a relation to Person or Case, and the records owned by those
    (deleted with them), read from Django's _meta."""
    found = {Person, Case}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model in found:
                continue
            for f in model._meta.get_fields():
                if not f.is_relation or f.auto_created or f.related_model is None:
                    continue
                direct = f.related_model in (Person, Case)
                owned = (
                    f.related_model in found
                    and getattr(f.remote_field, "on_delete", None) is models.CASCADE
                )
                if direct or owned:
                    found.add(model)
                    grew = True
                    break
    return {m._meta.label_lower for m in found}


def test_every_model_that_refers_to_a_person_or_a_case_is_in_the_export():
    missing = _related_to_a_person_or_case() - COVERED_MODELS - DERIVED_ONLY
    assert not missing, f"the subject access export leaves out {sorted(missing)}"


def test_the_prosecution_the_person_is_a_victim_in_is_exported(identified_case, bob, police):
    prosecution = coop.prosecution_open(
        actor=bob,
        police_district=police,
        police_case_number="4100-81234-00077-21",
        opened_on=dt.date(2021, 4, 1),
    )
    coop.prosecution_link_victim(actor=bob, prosecution=prosecution, case=identified_case)

    data = subject_access_collect(identified_case.person)

    rows = section(data, f"case:{identified_case.pk}:prosecutions")["rows"]
    assert values(rows[0])["police_case_number"] == "4100-81234-00077-21"
    assert values(rows[0])["police_district"] == "Østjyllands Politi"


def test_the_joint_action_the_referral_came_from_is_exported_with_its_facts(
    referred_case, bob, police
):
    action = coop.joint_action_plan(
        actor=bob,
        title="Byggepladser Aarhus",
        planned_for=dt.date(2021, 3, 1),
        region=c.Region.MIDTJYLLAND,
        sector=c.Sector.CONSTRUCTION,
        lead_organisation=police,
    )
    coop.joint_action_link_referral(actor=bob, action=action, case=referred_case)

    data = subject_access_collect(referred_case.person)

    facts = values(section(data, f"case:{referred_case.pk}:joint_action")["rows"][0])
    assert facts["title"] == "Byggepladser Aarhus"
    assert facts["sector"] == "Construction"
    assert facts["lead_organisation"] == "Østjyllands Politi"
    assert facts["planned_for"] == date_format(dt.date(2021, 3, 1), "DATE_FORMAT")


def test_the_action_log_rows_about_the_person_are_exported(identified_case, alice, oscar):
    access_record(actor=alice, action="brik.case.viewed", obj=identified_case, case=identified_case)
    access_record(
        actor=oscar,
        action="brik.audit.searched",
        obj=oscar,
        data={"person_code": identified_case.person.code},
    )

    history = [
        values(r)
        for r in section(subject_access_collect(identified_case.person), "history")["rows"]
    ]

    actions = [h["action"] for h in history]
    assert "Case page read" in actions
    assert "Action log searched for the case code" in actions
    assert actions.count("Decision recorded") == 1


# --- nothing about anyone else --------------------------------------------------------------


@pytest.fixture
def two_persons(dave, police, alice, bob):
    """Anna and Bella, both referred from one joint action and victims in one prosecution."""
    action = coop.joint_action_plan(
        actor=bob,
        title="Massageklinikker Aarhus",
        planned_for=dt.date(2021, 3, 1),
        region=c.Region.MIDTJYLLAND,
        sector=c.Sector.MASSAGE,
        lead_organisation=police,
    )
    prosecution = coop.prosecution_open(
        actor=bob,
        police_district=police,
        police_case_number="4100-81234-00088-21",
        opened_on=dt.date(2021, 4, 1),
    )
    cases = []
    for given, family in (("Anna", "Andersen-Syntetisk"), ("Bella", "Berg-Syntetisk")):
        case = services.case_refer(
            actor=dave,
            referring_organisation=police,
            **referral_kwargs(identity={"given_names": given, "family_name": family}),
        )
        coop.joint_action_link_referral(actor=bob, action=action, case=case)
        coop.prosecution_link_victim(actor=bob, prosecution=prosecution, case=case)
        cases.append(case)
    return cases


def test_nothing_about_the_other_victim_of_a_shared_prosecution_or_action_is_exported(
    two_persons,
):
    anna, bella = two_persons

    data = subject_access_collect(anna.person)

    exported = text(data)
    assert "Anna" in exported
    assert "4100-81234-00088-21" in exported
    assert "Massageklinikker Aarhus" in exported
    assert bella.person.code not in exported
    assert "Bella" not in exported
    assert "Berg-Syntetisk" not in exported
    cases_in_history = {values(r)["case"] for r in section(data, "history")["rows"]}
    assert cases_in_history == {anna.code}


# --- in the reader's language ----------------------------------------------------------------


def test_field_names_values_and_dates_are_in_the_readers_language(identified_case):
    with translation.override("da"):
        data = subject_access_collect(identified_case.person)

    person = section(data, "person")["rows"][0]
    gender = next(item for item in person if item["field"] == "gender")
    assert (gender["label"], gender["value"], gender["code"]) == ("Køn", "Kvinde", "woman")
    case = section(data, f"case:{identified_case.pk}")["rows"][0]
    referred = next(item for item in case if item["field"] == "referred_on")
    assert referred["value"] == "1. marts 2021"
    assert referred["code"] == "2021-03-01"
    citizenship = values(section(data, "citizenships")["rows"][0])
    assert citizenship["country"] == "Nigeria"
    status = next(item for item in case if item["field"] == "status")
    with translation.override("da"):
        assert status["value"] == identified_case.get_status_display() != status["code"]


def test_the_command_writes_the_export_in_the_language_asked_for(identified_case, tmp_path):
    code = identified_case.person.code

    call_command("subject_access_export", code, output=tmp_path, language="da", verbosity=0)

    html = (tmp_path / f"{code}.html").read_text()
    assert '<html lang="da">' in html
    assert "Kvinde" in html
    assert "1. marts 2021" in html


@pytest.mark.django_db
def test_an_unknown_code_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No person"):
        call_command("subject_access_export", "BRK-1999-0001", output=tmp_path)
