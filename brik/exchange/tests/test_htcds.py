"""brik export_htcds and import_htcds: HTCDS v2 as JSON and CSV, there and back."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.core import choices as c
from brik.exchange import services
from brik.exchange.models import ExternalRecord, ImportBatch
from brik.exchange.tests.conftest import refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(dave, police):
    refer(dave, police, 2)
    refer(dave, police, 1, identified=False, gender=c.Gender.MAN, citizenships=["RO", "BG"])


def test_the_json_export_holds_each_case_in_htcds_codes(cases, tmp_path):
    path = tmp_path / "htcds.json"
    call_command("export_htcds", "--output", str(path), stderr=StringIO())

    document = json.loads(path.read_text(encoding="utf-8"))
    assert (document["standard"], document["version"]) == ("HTCDS", "2.0")
    by_gender = {r["gender"]: r for r in document["records"]}
    assert len(document["records"]) == 3
    woman = by_gender["Feminine"]
    assert woman["traffickingStatus"] == "ActualVictim"
    assert woman["typeOfExploitation"] == ["SexualExploitation"]
    assert woman["ageBroad"] == "24--26"
    man = by_gender["Masculine"]
    assert man["traffickingStatus"] == "PossibleVictim"
    assert sorted(man["citizenship"]) == ["BG", "RO"]
    assert "Syntetisk" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("file_format", ["json", "csv"])
def test_an_htcds_export_imports_back(cases, tmp_path, file_format):
    path = tmp_path / f"htcds.{file_format}"
    call_command("export_htcds", "--format", file_format, "--output", str(path), stderr=StringIO())
    out = StringIO()
    call_command("import_htcds", str(path), stdout=out)

    assert "Imported 3 records" in out.getvalue()
    assert ImportBatch.objects.get().source == f"htcds_{file_format}"
    records = ExternalRecord.objects.all()
    assert sorted(r.gender for r in records) == ["man", "woman", "woman"]
    assert sorted(r.citizenships for r in records) == [["BG", "RO"], ["NG"], ["NG"]]
    assert sum(r.exploitation.get("isSexualExploit", False) for r in records) == 2


def test_an_export_is_audited(cases, tmp_path):
    call_command("export_htcds", "--output", str(tmp_path / "h.json"), stderr=StringIO())

    entry = ActionLog.objects.get(action=AuditEvent.EXCHANGE_EXPORTED)
    assert entry.data["kind"] == "htcds"
    assert entry.actor is None


def test_unknown_codes_are_problems_by_record_and_field(tmp_path):
    path = tmp_path / "in.json"
    records = [
        {"yearOfRegistration": 2020, "gender": "Feminine"},
        {"yearOfRegistration": "later", "gender": "Feminine", "typeOfExploitation": ["Piracy"]},
    ]
    path.write_text(json.dumps({"records": records}), encoding="utf-8")

    with pytest.raises(services.ImportRejected) as rejected:
        services.records_import(actor=None, path=path, source="htcds_json")

    assert [str(p) for p in rejected.value.problems] == [
        "row 2, column yearOfRegistration: 'later' is not a year",
        "row 2, column typeOfExploitation: 'Piracy' is not an HTCDS form of exploitation",
    ]
    assert not ExternalRecord.objects.exists()


def test_json_that_is_not_htcds_is_one_line_and_an_error(tmp_path):
    path = tmp_path / "in.json"
    path.write_text('{"something": 1}', encoding="utf-8")

    with pytest.raises(CommandError, match="not an HTCDS JSON file"):
        call_command("import_htcds", str(path))
