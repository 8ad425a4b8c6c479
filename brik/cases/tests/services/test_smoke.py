from brik.core import choices as c


def test_identified_case_fixture_reaches_identified(identified_case):
    identified_case.refresh_from_db()
    assert identified_case.status == c.CaseStatus.IDENTIFIED
    assert identified_case.person.code == "BRK-2021-0001"
