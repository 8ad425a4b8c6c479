# My work's reflection deadlines read the cases in a reflection period by the period's
# end stored on the case (period_ends_on, brik.cases.sort_keys), from an index of their
# own, instead of looking up the period of each of a contact person's cases (issue 13:
# 348 lookups for the benchmark's caseworker, in the count and again in the list).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0020_person_code_trigram_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status__in", ["identified", "in_support"])),
                fields=["assigned_to", "period_ends_on", "id"],
                name="case_period_mine_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status__in", ["identified", "in_support"])),
                fields=["period_ends_on", "id"],
                name="case_period_idx",
            ),
        ),
    ]
