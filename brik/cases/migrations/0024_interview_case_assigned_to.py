"""My work's planned interviews are read from a contact person's own: each interview
keeps its case's contact person (Interview.case_assigned_to, brik.cases.sort_keys), on a
partial index of the planned interviews, instead of every open case of the contact
person being joined to the week's planned interviews (issue 13: 2,026 cases read for
the benchmark's caseworker, in the count and again in the list).

The key of the existing interviews is filled from their cases with one UPDATE.
Backwards: nothing to fill (the field goes).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    CaseRow = apps.get_model("cases", "Case")
    Interview = apps.get_model("cases", "Interview")
    Interview.objects.update(
        case_assigned_to=Subquery(
            CaseRow.objects.filter(pk=OuterRef("case_id")).values("assigned_to")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0023_my_work_interview_return_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="interview",
            name="case_assigned_to",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="contact person of the case",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="interview",
            index=models.Index(
                condition=models.Q(("status", "planned")),
                fields=["case_assigned_to", "planned_for", "id"],
                include=("case",),
                name="interview_planned_mine_idx",
            ),
        ),
    ]
