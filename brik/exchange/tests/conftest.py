import datetime as dt
from pathlib import Path

import pytest

from brik.cases import services as case_services
from brik.core import choices as c
from brik.testing.factories import referral_kwargs

DATA = Path(__file__).parent / "data"
CTDC_SAMPLE = DATA / "ctdc-k-anon-sample.csv"


@pytest.fixture
def ctdc_sample(tmp_path) -> Path:
    """A copy of CTDC's real sample (tests may change the copy)."""
    copy = tmp_path / CTDC_SAMPLE.name
    copy.write_bytes(CTDC_SAMPLE.read_bytes())
    return copy


def refer(
    actor, organisation, n: int, *, identified=True, outcome=c.Outcome.IDENTIFIED, **overrides
):
    """`n` synthetic cases alike in their statistical fields; decided (identified) unless told."""
    cases = []
    for i in range(n):
        values = referral_kwargs(
            identity={"given_names": f"Testa{i}", "family_name": "Syntetisk"}, **overrides
        )
        case = case_services.case_refer(actor=actor, referring_organisation=organisation, **values)
        if identified:
            case_services.interview_record(actor=actor, case=case, held_on=dt.date(2021, 3, 5))
            case_services.assessment_decide(
                actor=actor,
                case=case,
                decided_on=dt.date(2021, 3, 10),
                deciding_authority=c.DecidingAuthority.IMMIGRATION,
                outcome=outcome,
                forms=[c.ExploitationForm.SEXUAL] if outcome == c.Outcome.IDENTIFIED else [],
                countries_of_exploitation=["DK"],
            )
        cases.append(case)
    return cases
