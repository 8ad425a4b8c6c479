# The case list filtered by citizenship counts the country's cases from the citizens'
# (country, person) index alone, not from the citizenship rows (issue 13: 33 -> 8 ms at
# 100,000 persons). The index on the country alone is its first half, and goes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_report_date_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="personcitizenship",
            name="cases_perso_country_655782_idx",
        ),
        migrations.AddIndex(
            model_name="personcitizenship",
            index=models.Index(fields=["country", "person"], name="citizenship_country_idx"),
        ),
    ]
