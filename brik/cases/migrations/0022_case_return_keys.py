"""My work's follow-ups after a return are read from the returned cases: each case keeps
its departed return's last contact and follow-up end (Case.return_last_contact_on and
return_follow_up_until, brik.cases.sort_keys), on partial indexes of the returned cases,
instead of the return of each of a contact person's returned cases being looked up
(issue 13: 597 lookups for the benchmark's caseworker, in the count and again in the list).

The keys of the existing rows are filled from their sources with one UPDATE (a case has
one departed return at most): the return's stored last contact (0015) and its follow-up
end. Backwards: nothing to fill (the fields go).
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery

DEPARTED = "departed"  # brik.core.choices.ReturnStatus.DEPARTED


def fill(apps, schema_editor):
    CaseRow = apps.get_model("cases", "Case")
    PreparedReturn = apps.get_model("cases", "PreparedReturn")
    departed = PreparedReturn.objects.filter(case=OuterRef("pk"), status=DEPARTED).order_by("-pk")
    CaseRow.objects.filter(Exists(departed)).update(
        return_last_contact_on=Subquery(departed.values("last_contact_on")[:1]),
        return_follow_up_until=Subquery(departed.values("follow_up_until")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0021_case_period_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="return_last_contact_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="last contact after the return"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="return_follow_up_until",
            field=models.DateField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="follow-up after the return until",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "returned")),
                fields=[
                    "assigned_to",
                    "status",
                    "return_last_contact_on",
                    "id",
                    "return_follow_up_until",
                ],
                name="case_follow_up_mine_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "returned")),
                fields=["status", "return_last_contact_on", "id", "return_follow_up_until"],
                name="case_follow_up_idx",
            ),
        ),
    ]
