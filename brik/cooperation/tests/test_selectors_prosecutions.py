import datetime as dt

import pytest

from brik.cases import services as case_services
from brik.cooperation import selectors, services
from brik.core import choices
from brik.testing.factories import referral_kwargs


@pytest.fixture
def prosecutions(today, dave, mallory, alice, police, other_police, identified_case):
    presumed = case_services.case_refer(
        actor=dave, referring_organisation=police, **referral_kwargs()
    )
    first = services.prosecution_open(
        actor=dave, police_district=police, police_case_number="A-1", opened_on=dt.date(2021, 4, 1)
    )
    second = services.prosecution_open(
        actor=mallory,
        police_district=other_police,
        police_case_number="B-2",
        opened_on=dt.date(2020, 9, 1),
    )
    services.prosecution_open(
        actor=dave, police_district=police, police_case_number="C-3", opened_on=dt.date(2021, 5, 1)
    )
    for case in (identified_case, presumed):
        services.prosecution_link_victim(actor=dave, prosecution=first, case=case)
    services.prosecution_link_victim(actor=mallory, prosecution=second, case=identified_case)
    return first, second


def test_each_prosecution_carries_its_victim_counts(prosecutions):
    rows = list(selectors.prosecution_list())

    assert [p.police_case_number for p in rows] == ["C-3", "A-1", "B-2"]
    for prosecution in rows:
        victims = prosecution.victims.all()
        assert prosecution.victim_count == victims.count()
        assert prosecution.identified_victims == victims.filter(outcome="identified").count()
    assert [(p.victim_count, p.identified_victims) for p in rows] == [(0, 0), (2, 1), (1, 1)]


def test_it_filters_by_district_status_and_year(prosecutions, other_police):
    assert [
        p.police_case_number for p in selectors.prosecution_list(police_district=other_police)
    ] == ["B-2"]
    assert [p.police_case_number for p in selectors.prosecution_list(year=2021)] == ["C-3", "A-1"]
    assert list(selectors.prosecution_list(status=choices.ProsecutionStatus.CHARGED)) == []


def test_the_list_takes_one_query(prosecutions, django_assert_num_queries):
    with django_assert_num_queries(1):
        [(p.police_district.name, p.victim_count) for p in selectors.prosecution_list()]
