"""Indexes for the annual report's queries (brik.statistics.selectors).

- identified persons by year: outcome, then the decision date, then the person,
  so that the report's GROUP BY queries read the index alone for the two years;
- support measures by the year they start (a whole table scan by date before).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_rename_assessmentform_exploitationform"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["outcome", "decided_on", "person"], name="case_report_identified_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="supportmeasure",
            index=models.Index(fields=["starts_on"], name="support_report_starts_idx"),
        ),
    ]
