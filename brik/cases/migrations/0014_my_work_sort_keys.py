"""My work's sort keys stored on the rows they sort (brik.cases.sort_keys); 0015 fills them."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_person_outcome_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="period_ends_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="reflection period ends"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="urgency_rank",
            field=models.PositiveSmallIntegerField(
                default=2, editable=False, verbose_name="urgency rank"
            ),
        ),
        migrations.AddField(
            model_name="preparedreturn",
            name="last_contact_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="last contact"
            ),
        ),
    ]
