"""Partial indexes on the open cases in each of My work's orders (brik.cases.sort_keys)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_fill_my_work_sort_keys"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.F("assigned_to"),
                models.F("urgency_rank"),
                models.ExpressionWrapper(
                    models.Q(("period_ends_on__isnull", True)), output_field=models.BooleanField()
                ),
                models.F("period_ends_on"),
                models.F("referred_on"),
                models.F("id"),
                condition=models.Q(("status", "closed"), _negated=True),
                name="case_open_mine_urgency_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.F("urgency_rank"),
                models.ExpressionWrapper(
                    models.Q(("period_ends_on__isnull", True)), output_field=models.BooleanField()
                ),
                models.F("period_ends_on"),
                models.F("referred_on"),
                models.F("id"),
                condition=models.Q(("status", "closed"), _negated=True),
                name="case_open_urgency_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.F("assigned_to"),
                models.ExpressionWrapper(
                    models.Q(("period_ends_on__isnull", True)), output_field=models.BooleanField()
                ),
                models.F("period_ends_on"),
                models.F("referred_on"),
                models.F("id"),
                condition=models.Q(("status", "closed"), _negated=True),
                name="case_open_mine_deadline_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.ExpressionWrapper(
                    models.Q(("period_ends_on__isnull", True)), output_field=models.BooleanField()
                ),
                models.F("period_ends_on"),
                models.F("referred_on"),
                models.F("id"),
                condition=models.Q(("status", "closed"), _negated=True),
                name="case_open_deadline_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.F("assigned_to"),
                models.F("referred_on"),
                models.F("id"),
                condition=models.Q(("status", "closed"), _negated=True),
                name="case_open_mine_referred_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.F("referred_on"),
                models.F("id"),
                condition=models.Q(("status", "closed"), _negated=True),
                name="case_open_referred_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.F("assigned_to"),
                models.F("status"),
                models.F("referred_on"),
                models.F("id"),
                condition=models.Q(("status", "closed"), _negated=True),
                name="case_open_mine_status_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.F("status"),
                models.F("referred_on"),
                models.F("id"),
                condition=models.Q(("status", "closed"), _negated=True),
                name="case_open_status_idx",
            ),
        ),
    ]
