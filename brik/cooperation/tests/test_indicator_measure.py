import datetime as dt
from decimal import Decimal

from django.utils.formats import date_format as shown

from brik.cooperation import services
from brik.cooperation.models import PlanIndicator


def test_it_adds_an_indicator_with_baseline_and_target(initiative, frank, logged):
    indicator = services.plan_indicator_add(
        actor=frank, initiative=initiative, name="Persons identified", target="120.5", baseline=80
    )

    indicator.refresh_from_db()
    assert (indicator.baseline, indicator.target) == (Decimal(80), Decimal("120.50"))
    row = logged("brik.plan_indicator.added", actor=frank, obj=indicator)
    assert row.data == {"initiative": initiative.pk, "target": "120.5", "baseline": "80"}


def test_it_refuses_an_indicator_without_a_target(initiative, frank, refused):
    with refused("The target must be a number."):
        services.plan_indicator_add(actor=frank, initiative=initiative, name="X", target="")
    assert not PlanIndicator.objects.exists()


def test_it_records_a_measurement(indicator, frank, logged):
    measurement = services.indicator_measure(
        actor=frank, indicator=indicator, measured_on=dt.date(2021, 6, 1), value=25
    )

    measurement.refresh_from_db()
    assert (measurement.value, measurement.recorded_by) == (Decimal(25), frank)
    row = logged("brik.indicator.measured", actor=frank, obj=measurement)
    assert row.data == {"indicator": indicator.pk, "measured_on": "2021-06-01", "value": "25"}


def test_it_refuses_a_second_measurement_on_the_same_day(indicator, frank, refused):
    services.indicator_measure(
        actor=frank, indicator=indicator, measured_on=dt.date(2021, 6, 1), value=25
    )

    with refused(
        f"“Referrals from NGO outreach” already has a measurement on {shown(dt.date(2021, 6, 1))}; "
        "one measurement per day.",
        code="duplicate_measurement",
    ):
        services.indicator_measure(
            actor=frank, indicator=indicator, measured_on=dt.date(2021, 6, 1), value=26
        )


def test_another_day_takes_another_measurement(indicator, frank):
    for day, value in ((1, 25), (2, 26)):
        services.indicator_measure(
            actor=frank, indicator=indicator, measured_on=dt.date(2021, 6, day), value=value
        )

    assert list(indicator.measurements.values_list("value", flat=True)) == [25, 26]


def test_it_refuses_a_measurement_in_the_future(indicator, frank, refused):
    with refused("The measurement date cannot be in the future."):
        services.indicator_measure(
            actor=frank, indicator=indicator, measured_on=dt.date(2021, 6, 16), value=1
        )


def test_it_refuses_a_value_that_is_not_a_number(indicator, frank, refused):
    with refused("The value must be a number."):
        services.indicator_measure(
            actor=frank, indicator=indicator, measured_on=dt.date(2021, 6, 1), value="many"
        )
