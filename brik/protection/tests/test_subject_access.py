import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from brik.audit.models import ActionLog
from brik.cases import services
from brik.core import choices as c


def test_the_export_holds_identity_steps_and_history(identified_case, alice, tmp_path):
    services.reflection_start(actor=alice, case=identified_case, starts_on=dt.date(2021, 3, 10))
    code = identified_case.person.code

    call_command("subject_access_export", code, output=tmp_path, verbosity=0)

    data = json.loads((tmp_path / f"{code}.json").read_text())
    titles = [s["title"] for s in data["sections"]]
    assert "Identity" in titles
    assert f"{code}: Reflection period" in titles
    identity = next(s for s in data["sections"] if s["title"] == "Identity")["rows"][0]
    assert identity["given_names"] == "Testa"
    assert "name_index" not in identity
    forms = next(s for s in data["sections"] if s["title"] == f"{code}: Forms of exploitation")
    assert forms["rows"] == [{"form": c.ExploitationForm.SEXUAL}]
    history = next(s for s in data["sections"] if s["title"] == "Who recorded what")["rows"]
    assert [h["action"] for h in history][:2] == ["brik.case.referred", "brik.interview.recorded"]
    html = (tmp_path / f"{code}.html").read_text()
    assert "Syntetisk" in html
    assert ActionLog.objects.filter(action="brik.person.subject_access_exported").count() == 1


@pytest.mark.django_db
def test_an_unknown_code_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No person"):
        call_command("subject_access_export", "BRK-1999-0001", output=tmp_path)
