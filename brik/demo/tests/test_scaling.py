"""A larger demo scales every year's figures and keeps the proportions."""

import pytest
from django.db.models import Count

from brik.cases.models import Case, ExploitationForm, Person, PreparedReturn
from brik.core.choices import ExploitationForm as F
from brik.core.choices import Gender, Outcome, ReturnStatus
from brik.demo.calibration import FIGURES, YEARS, calibrated_persons, scaled_figures
from brik.demo.generator import generate
from brik.demo.tests import invariants

PERSONS = 3000


@pytest.fixture
def scaled(db):
    return generate(seed=11, persons=PERSONS)


def test_a_scaled_demo_keeps_the_published_proportions(scaled):
    assert Person.objects.count() == PERSONS
    factor = PERSONS / calibrated_persons()
    plan = scaled_figures(PERSONS)
    for year in YEARS:
        published = FIGURES[year]
        decided = Case.objects.filter(decided_on__year=year)
        identified = decided.filter(outcome=Outcome.IDENTIFIED)
        assert identified.count() == plan.figures[year].identified
        assert abs(identified.count() - published.identified * factor) <= 1
        assert abs(decided.count() - published.screened * factor) <= 1
        women = identified.filter(person__gender=Gender.WOMAN).count()
        assert women / identified.count() == pytest.approx(
            published.women / published.identified, abs=0.02
        )
        per_form = dict(
            ExploitationForm.objects.filter(assessment__case__in=identified)
            .values_list("form")
            .annotate(n=Count("id"))
            .order_by()
        )
        for form in (F.SEXUAL, F.FORCED_LABOUR, F.CRIMINAL):
            share = per_form.get(form, 0) / identified.count()
            assert share == pytest.approx(
                published.forms.get(form, 0) / published.identified, abs=0.02
            ), (year, form)
        departed = PreparedReturn.objects.filter(
            status=ReturnStatus.DEPARTED, departed_on__year=year
        ).count()
        assert abs(departed - published.prepared_returns * factor) <= 1


def test_a_scaled_demo_satisfies_the_same_invariants(scaled):
    assert invariants.all_problems() == []
