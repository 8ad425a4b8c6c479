"""Denmark's population on 1 January 2019-2025, as Statistics Denmark publishes it.

Adds a row for each year that has none (an edited year is left as it is); going
back removes the rows that still hold exactly these figures."""

from django.db import migrations

SOURCE = "Statistics Denmark (Danmarks Statistik), FOLK1A: population on 1 January"

POPULATION = {
    2019: 5_806_081,
    2020: 5_822_763,
    2021: 5_840_045,
    2022: 5_873_420,
    2023: 5_932_654,
    2024: 5_961_249,
    2025: 5_992_734,
}


def forwards(apps, schema_editor):
    Population = apps.get_model("statistics", "Population")
    for year, population in POPULATION.items():
        Population.objects.get_or_create(
            year=year, defaults={"population": population, "source": SOURCE}
        )


def backwards(apps, schema_editor):
    Population = apps.get_model("statistics", "Population")
    for year, population in POPULATION.items():
        Population.objects.filter(year=year, population=population, source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0006_population"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
