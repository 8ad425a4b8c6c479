# The annual report's tables by year read a range of an index (issue 13: the report at
# 1,000,000 cases), not every row: cases by the day closed and the stay's start, returns
# by the day offered, reflection periods by their start, extensions by their day.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_my_work_open_case_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["closed_on"], name="case_report_closed_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["stay_from"], name="case_report_stay_idx"),
        ),
        migrations.AddIndex(
            model_name="preparedreturn",
            index=models.Index(fields=["offered_on"], name="return_report_offered_idx"),
        ),
        migrations.AddIndex(
            model_name="reflectionextension",
            index=models.Index(fields=["extended_on"], name="extension_report_idx"),
        ),
        migrations.AddIndex(
            model_name="reflectionperiod",
            index=models.Index(fields=["starts_on"], name="period_report_starts_idx"),
        ),
    ]
