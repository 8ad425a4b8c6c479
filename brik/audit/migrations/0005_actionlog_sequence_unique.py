from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0004_actionlog_chain"),
    ]

    operations = [
        migrations.AlterField(
            model_name="actionlog",
            name="sequence",
            field=models.BigIntegerField(editable=False, unique=True, verbose_name="sequence number"),
        ),
    ]
