"""Fill My work's sort keys of the existing rows from their sources.

- Case.urgency_rank: 0 when the referral says urgent or the case is flagged urgent
  (Case.urgent, the latest screening), 1 when the referral says soon, else 2;
- Case.period_ends_on: the reflection period's end, NULL without a period;
- PreparedReturn.last_contact_on: the latest follow-up's date, else the departure's
  (NULL for a return that has not departed).

Each is one UPDATE with a correlated subquery (set-based, so one statement per column
even at a million cases rather than batches through Python). Backwards: nothing to
undo (0014's reverse drops the columns).
"""

from django.db import migrations
from django.db.models import Case, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

URGENT, SOON = "urgent", "soon"  # brik.core.choices.Urgency's values


def fill(apps, schema_editor):
    CaseRow = apps.get_model("cases", "Case")
    Referral = apps.get_model("cases", "Referral")
    ReflectionPeriod = apps.get_model("cases", "ReflectionPeriod")
    PreparedReturn = apps.get_model("cases", "PreparedReturn")
    FollowUp = apps.get_model("cases", "FollowUp")

    def referral_says(urgency: str) -> Exists:
        return Exists(Referral.objects.filter(case=OuterRef("pk"), urgency=urgency))

    CaseRow.objects.update(
        urgency_rank=Case(
            When(Q(urgent=True) | referral_says(URGENT), then=Value(0)),
            When(referral_says(SOON), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    CaseRow.objects.update(
        period_ends_on=Subquery(
            ReflectionPeriod.objects.filter(case=OuterRef("pk")).values("ends_on")[:1]
        )
    )
    latest = (
        FollowUp.objects.filter(prepared_return=OuterRef("pk"))
        .values("prepared_return")
        .annotate(m=Max("held_on"))
        .values("m")[:1]
    )
    PreparedReturn.objects.update(last_contact_on=Coalesce(Subquery(latest), F("departed_on")))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_my_work_sort_keys"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
