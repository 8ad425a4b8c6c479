"""Indexes for the annual report's queries (brik.statistics.selectors).

- identified persons by year: outcome, then the decision date, then the person,
  so that the report's GROUP BY queries read the index alone for the two years;
- support measures by the year they start (the support table filtered a whole
  table scan by date before).

Written as SQL, not in the models' Meta: brik/cases/models.py was being
restructured by other work when these were added; moving them into
Meta.indexes later needs migrations.SeparateDatabaseAndState with the same names.
"""

from django.db import migrations

INDEXES = [
    ("cases_case_report_identified_idx", "cases_case", "outcome, decided_on, person_id"),
    ("cases_support_report_starts_idx", "cases_supportmeasure", "starts_on"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_list_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f'CREATE INDEX "{name}" ON "{table}" ({columns})',  # noqa: S608 - constants
            reverse_sql=f'DROP INDEX "{name}"',
        )
        for name, table, columns in INDEXES
    ]
